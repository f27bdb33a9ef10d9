/**
 * Reading YAML that a person wrote (warroom.yaml, runbooks, drills) into
 * validated data. Every mistake becomes one line that names the file, the
 * place in it and what was expected.
 */
import {parseDocument} from 'yaml';
import {z} from 'zod';
import {durationHint, parseDuration} from './duration';
import {InputError} from './errors';


export function readYaml(text: string, fileName: string, ErrorType: typeof InputError = InputError): unknown {
	const document = parseDocument(text);
	const [error] = document.errors;
	if (error) {
		const line = error.linePos?.[0].line;
		// yaml appends "at line N, column M:" and an excerpt over several lines.
		const message = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:$/, '');
		throw new ErrorType(fileName, line === undefined ? message : `line ${line}: ${message}`);
	}
	return document.toJS();
}

/** `health[0].headers.Authorization` */
export function renderPath(at: readonly PropertyKey[]): string {
	return at.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('');
}

const longestEcho = 60;

/** A value as a message shows it after "got". */
export function describe(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'an empty value';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'a mapping';
	if (typeof value !== 'string') return String(value);
	const echo = JSON.stringify(value);
	return echo.length > longestEcho ? `${echo.slice(0, longestEcho - 2)}…"` : echo;
}

/** A strict mapping whose unknown-key message lists the keys it takes. */
export function section<Shape extends z.ZodRawShape>(shape: Shape) {
	const allowed = Object.keys(shape).join(', ');
	return z.strictObject(shape, {
		error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown key (expected one of ${allowed})` : undefined),
	});
}

const nouns: Record<string, string> = {string: 'a string', number: 'a number', boolean: 'true or false', array: 'a list', object: 'a mapping'};

/** The wording of every type mismatch that has no message of its own. */
export const describeInvalidType: z.core.$ZodErrorMap = (issue) => {
	if (issue.code !== 'invalid_type') return undefined;
	const expected = nouns[issue.expected] ?? issue.expected;
	return issue.input === undefined ? `missing (expected ${expected})` : `expected ${expected}, got ${describe(issue.input)}`;
};

export function formatIssue(issue: z.core.$ZodIssue | undefined): string {
	if (issue === undefined) return 'invalid';
	// The unknown key belongs in the path, not in the message.
	const at = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
	return at.length === 0 ? issue.message : `${renderPath(at)}: ${issue.message}`;
}

/** A duration field, in milliseconds; `fallbackMs` when omitted, required when not given. */
export function duration(fallbackMs?: number) {
	const field = z.unknown().transform((value, context) => {
		const ms = typeof value === 'string' || typeof value === 'number' ? parseDuration(String(value)) : undefined;
		if (ms !== undefined) return ms;
		context.addIssue({code: 'custom', message: `expected ${durationHint}, got ${describe(value)}`});
		return z.NEVER;
	});
	return fallbackMs === undefined ? field : field.default(fallbackMs);
}

/** Parses YAML text (an empty document is `{}`) and validates it with `schema`. */
export function parseYamlAs<T>(text: string, fileName: string, schema: z.ZodType<T>): T {
	const result = schema.safeParse(readYaml(text, fileName) ?? {}, {error: describeInvalidType});
	if (!result.success) throw new InputError(fileName, formatIssue(result.error.issues[0]));
	return result.data;
}
