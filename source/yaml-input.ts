/**
 * Reading a YAML file a person wrote (runbooks, drills) into validated data,
 * with one error line that names the file, the path inside it and what was
 * expected.
 */
import {parseDocument} from 'yaml';
import {z} from 'zod';
import {durationHint, parseDuration} from './duration';

/** Bad input from a file: the message is one line a person can act on. */
export class InputError extends Error {
	override name = 'InputError';
}

/** `health[0].headers.Authorization` from zod's path array. */
export function formatPath(path: readonly PropertyKey[]): string {
	return path
		.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
		.join('');
}

/** One issue as `path: what was expected`. */
export function describeIssue(issue: z.core.$ZodIssue): string {
	const where = issue.path.length > 0 ? formatPath(issue.path) : '(top level)';
	if (issue.code === 'unrecognized_keys') {
		return `${where}: unknown key ${issue.keys.map(key => `"${key}"`).join(', ')}`;
	}
	return `${where}: ${issue.message}`;
}

/** Parses YAML text (an empty document is `{}`) and validates it with `schema`. */
export function parseYamlAs<T>(text: string, fileName: string, schema: z.ZodType<T>): T {
	const document = parseDocument(text, {prettyErrors: false});
	const [syntaxError] = document.errors;
	if (syntaxError) {
		const line = syntaxError.linePos?.[0].line;
		throw new InputError(`${fileName}: ${line ? `line ${line}: ` : ''}${syntaxError.message.split('\n')[0]}`);
	}
	const result = schema.safeParse(document.toJS() ?? {});
	if (!result.success) {
		throw new InputError(`${fileName}: ${describeIssue(result.error.issues[0]!)}`);
	}
	return result.data;
}

/** A zod string that must be a duration; yields milliseconds. */
export const durationField = z.union([z.string(), z.literal(0)]).transform((value, context) => {
	const ms = typeof value === 'number' ? 0 : parseDuration(value);
	if (ms === undefined) {
		context.addIssue({code: 'custom', message: `expected ${durationHint}, got "${String(value)}"`});
		return z.NEVER;
	}
	return ms;
});
