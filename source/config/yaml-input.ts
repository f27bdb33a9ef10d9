/**
 * Reading YAML that a person wrote (warroom.yaml, runbooks, drills) into
 * validated data, within limits. Every mistake becomes one line that names
 * the file, the place in it and what was expected.
 */
import {closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats} from 'node:fs';
import {parseDocument} from 'yaml';
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import {durationHint, parseDuration} from '../text/duration';
import {InputError, plainFailure} from '../errors';
import {cleanStrings} from '../text/sanitize';

// zod/mini sets no locale: without English every message that is zod's own
// (an empty list, an unknown option) would read "Invalid input". Set before any parse.
z.config(en());

const largestFile = 1024 * 1024;
const readTimeoutMs = 2000;
const chunkSize = 64 * 1024;

function kindOf(stats: Stats): string {
	if (stats.isDirectory()) return 'a directory';
	if (stats.isFIFO()) return 'a named pipe';
	if (stats.isSocket()) return 'a socket';
	return 'a device';
}

/** Why a file is not one to read, or undefined when it is. */
function refusal(stats: Stats): string | undefined {
	if (!stats.isFile()) return `not a regular file (${kindOf(stats)})`;
	if (stats.size > largestFile) return `larger than 1 MiB (${stats.size} bytes)`;
	return undefined;
}

/**
 * The text of a config, runbook or drill file. Only a regular file of at most
 * 1 MiB: a named pipe would block the read forever and /dev/zero never ends,
 * so the file is looked at before it is opened, and again once open (it may
 * have been swapped). The read gives up after 2 s between chunks: a single
 * read stuck on a dead network mount cannot be interrupted from here.
 */
export function readInputFile(file: string, fileName: string, ErrorType: typeof InputError = InputError): string {
	const fail = (detail: string): never => {
		throw new ErrorType(fileName, detail);
	};
	let fd: number | undefined;
	try {
		const before = refusal(statSync(file));
		if (before) return fail(before);
		// Non-blocking: a pipe swapped in since the stat opens at once, and fstat refuses it.
		fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
		const after = refusal(fstatSync(fd));
		if (after) return fail(after);
		const buffer = Buffer.alloc(largestFile + 1);
		const deadline = Date.now() + readTimeoutMs;
		let length = 0;
		for (let read = -1; read !== 0 && length <= largestFile; length += read) {
			if (Date.now() > deadline) return fail(`took longer than ${readTimeoutMs / 1000} s to read`);
			read = readSync(fd, buffer, length, Math.min(chunkSize, buffer.length - length), null);
		}
		if (length > largestFile) return fail('larger than 1 MiB (it grew while being read)');
		return buffer.toString('utf8', 0, length);
	} catch (error) {
		if (error instanceof InputError) throw error;
		return fail(`cannot read: ${plainFailure(error)}`);
	} finally {
		if (fd !== undefined) closeSync(fd);
	}
}

// Each alias expansion copies its anchor: a few lines can otherwise expand to gigabytes.
const maxAliasCount = 100;

export function readYaml(text: string, fileName: string, ErrorType: typeof InputError = InputError): unknown {
	const document = parseDocument(text);
	const [error] = document.errors;
	if (error) {
		const line = error.linePos?.[0].line;
		// yaml appends "at line N, column M:" and an excerpt over several lines.
		const message = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:$/, '');
		throw new ErrorType(fileName, line === undefined ? message : `line ${line}: ${message}`);
	}
	try {
		return document.toJS({maxAliasCount});
	} catch (error) {
		if (error instanceof ReferenceError) {
			throw new ErrorType(fileName, `too many YAML aliases (more than ${maxAliasCount} expansions): write the values out`);
		}
		throw error;
	}
}

/** `health[0].headers.Authorization` */
export function renderPath(at: readonly PropertyKey[]): string {
	return at.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('');
}

/** A value as a message shows it after "got", whole: `shortenEchoes` cuts it once secrets are masked. */
export function describe(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'an empty value';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'a mapping';
	return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

const longestEcho = 60;
const quotedEcho = /"(?:[^"\\]|\\.)*"/g;

/**
 * Cuts every quoted value in a message to a readable length. Masking must
 * come first: a secret cut in two no longer matches the masker.
 */
export function shortenEchoes(message: string): string {
	return message.replace(quotedEcho, echo => (echo.length > longestEcho ? `${echo.slice(0, longestEcho - 2)}…"` : echo));
}

/** A strict mapping whose unknown-key message lists the keys it takes. */
export function section<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
	const allowed = Object.keys(shape).join(', ');
	return z.strictObject(shape, {
		error: issue => (issue.code === 'unrecognized_keys' ? `unknown key (expected one of ${allowed})` : undefined),
	});
}

const nouns: Record<string, string> = {
	string: 'a string',
	number: 'a number',
	boolean: 'true or false',
	array: 'a list',
	object: 'a mapping',
};

/** The wording of every type mismatch that has no message of its own. */
export const describeInvalidType: z.core.$ZodErrorMap = issue => {
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
	const field = z.pipe(
		z.unknown(),
		z.transform((value, context) => {
			const ms = typeof value === 'string' || typeof value === 'number' ? parseDuration(String(value)) : undefined;
			if (ms !== undefined) return ms;
			// zod/mini's transform context has no addIssue: the issue goes on the payload as it is.
			context.issues.push({code: 'custom', input: value, message: `expected ${durationHint}, got ${describe(value)}`});
			return z.NEVER;
		}),
	);
	return fallbackMs === undefined ? field : z._default(field, fallbackMs);
}

/** Parses YAML text (an empty document is `{}`), validates it with `schema`, and cleans every string for the terminal. */
export function parseYamlAs<T>(text: string, fileName: string, schema: z.ZodMiniType<T>): T {
	const result = schema.safeParse(readYaml(text, fileName) ?? {}, {error: describeInvalidType});
	if (!result.success) throw new InputError(fileName, shortenEchoes(formatIssue(result.error.issues[0])));
	return cleanStrings(result.data);
}

/** A YAML mapping (key: value), as opposed to a list or a scalar. */
export const isMapping = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);
