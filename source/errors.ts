/**
 * The errors that mean "fix what you gave me" (the console prints their one
 * line and exits 2), and the message of anything thrown. Kept apart from the
 * parsers so that checking for them loads none of the parsing code.
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

const plainReasons: Record<string, string> = {
	ENOENT: 'no such file',
	EACCES: 'permission denied',
	EISDIR: 'it is a directory',
	ENOTDIR: 'a folder on its path is a file',
	ENOSPC: 'no space left on device',
	EPIPE: 'the reader went away',
	EBADF: 'it is closed',
	EIO: 'input/output error',
};

/** A failed system call in words, its code after: `no space left on device (ENOSPC)`. */
export function plainFailure(error: NodeJS.ErrnoException): string {
	const reason = error.code === undefined ? undefined : plainReasons[error.code];
	return reason === undefined ? error.message : `${reason} (${error.code})`;
}
