/**
 * The errors that mean "fix what you gave me" (the console prints their one
 * line and exits 2), the message of anything thrown, and a failed system
 * call in words. Kept apart from the parsers so that checking for them
 * loads none of the parsing code.
 */

/** Bad input from a file: the message names the file, the place in it and what was expected. */
export class InputError extends Error {
	override name = 'InputError';

	constructor(fileName: string, detail: string) {
		super(`${fileName}: ${detail}`);
	}
}

/** A mistake in the config file; the message is one line a user can act on. */
export class ConfigError extends InputError {
	override name = 'ConfigError';
}

/** Bad usage of the command line. */
export class UsageError extends Error {
	override name = 'UsageError';
}

/** The one line to show for anything thrown. */
export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const isInputProblem = (error: unknown) => error instanceof InputError || error instanceof UsageError;

/**
 * System-call failures in words, for the one line a user reads. ENOSPC has
 * two: a journal file is on a disk that is full; standard output may be a
 * device (`/dev/full`).
 */
const reasons: Record<string, string | {onDisk: string; elsewhere: string}> = {
	EACCES: 'permission denied',
	EBADF: 'it is closed',
	EDQUOT: 'disk quota exceeded',
	EFBIG: 'file too large',
	EIO: 'input/output error',
	EISDIR: 'is a directory',
	EMFILE: 'too many open files',
	ENOENT: 'no such file',
	ENOSPC: {onDisk: 'disk full', elsewhere: 'no space left on device'},
	ENOTDIR: 'a folder on its path is a file',
	EPERM: 'operation not permitted',
	EPIPE: 'the reader went away',
	EROFS: 'read-only file system',
};

export function errorCode(error: unknown): string | undefined {
	return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * A failed system call in words, its code after: `disk full (ENOSPC)` on
 * disk, `no space left on device (ENOSPC)` elsewhere, never a raw `ENOSPC:
 * no space left on device, write`. A code not in the table keeps Node's own
 * words for it; an error without a code, its message.
 */
export function plainFailure(error: unknown, {onDisk = false} = {}): string {
	const code = errorCode(error);
	const message = messageOf(error);
	if (code === undefined) return message;
	const reason = reasons[code];
	if (reason === undefined) {
		// Node's form: `EXDEV: cross-device link not permitted, rename 'a' -> 'b'`.
		const words = message.startsWith(`${code}: `) ? message.slice(code.length + 2).split(', ')[0] : undefined;
		return words ? `${words} (${code})` : message;
	}
	return `${typeof reason === 'string' ? reason : onDisk ? reason.onDisk : reason.elsewhere} (${code})`;
}
