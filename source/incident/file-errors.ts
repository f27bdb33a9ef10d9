/**
 * File-system errors in words, for the one line a responder reads: "disk
 * full (ENOSPC)", never a raw `ENOSPC: no space left on device, write`.
 */

const reasons: Record<string, string> = {
	EACCES: 'permission denied',
	EDQUOT: 'disk quota exceeded',
	EFBIG: 'file too large',
	EIO: 'input/output error',
	EISDIR: 'is a directory',
	EMFILE: 'too many open files',
	ENOENT: 'no such file or directory',
	ENOSPC: 'disk full',
	ENOTDIR: 'a parent is not a directory',
	EPERM: 'operation not permitted',
	EROFS: 'read-only file system',
};

export function errorCode(error: unknown): string | undefined {
	return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** `disk full (ENOSPC)`; the message itself for an error without a code. */
export function reasonOf(error: unknown): string {
	const code = errorCode(error);
	if (code) return `${reasons[code] ?? 'failed'} (${code})`;
	return error instanceof Error ? error.message : String(error);
}
