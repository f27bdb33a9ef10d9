/**
 * Writes that survive a crash or a power cut, shared by the file journal and
 * the outbox: an append that leaves either a whole line or nothing, and a
 * replacement that is either the old file or the new one, never half of each.
 */
import {randomUUID} from 'node:crypto';
import {constants} from 'node:fs';
import fs, {type FileHandle} from 'node:fs/promises';
import path from 'node:path';
import {errorCode, plainFailure} from '../errors';

/**
 * Writes `buffer` at `offset` (where the last complete line ends), cutting
 * off the `size - offset` bytes of a torn line first, and fsyncs. One write
 * normally; a short one (a disk filling up) is followed by another to learn
 * why. On any failure the file is cut back to `offset`: a failed append
 * leaves no line behind for a reader to replay, and a retry no duplicate.
 */
export async function appendAt(file: string, handle: FileHandle, buffer: Buffer, offset: number, size: number): Promise<void> {
	try {
		if (size > offset) await handle.truncate(offset);
		for (let written = 0; written < buffer.length;) {
			const {bytesWritten} = await handle.write(buffer, written, buffer.length - written, offset + written);
			if (bytesWritten === 0) throw new Error('nothing could be written');
			written += bytesWritten;
		}
		await handle.sync();
	} catch (error) {
		const cutBack = await handle.truncate(offset).then(
			() => '',
			(cutError: unknown) => `; cutting it back failed too (${plainFailure(cutError, {onDisk: true})})`,
		);
		throw new Error(`could not write to ${file}: ${plainFailure(error, {onDisk: true})}${cutBack}`, {cause: error});
	}
}

/** Replaces `file` at once with `text`: written beside it, fsync'd, renamed over it, the directory fsync'd. */
export async function replaceFile(file: string, text: string): Promise<void> {
	const temporary = `${file}.${randomUUID()}.tmp`;
	const handle = await fs.open(temporary, 'wx');
	try {
		await handle.writeFile(text);
		await handle.sync();
	} finally {
		await handle.close();
	}
	await fs.rename(temporary, file);
	await syncDirectory(path.dirname(file));
}

/**
 * Appends `line` to a file of lines whose last complete line ends at
 * `completeBytes` of its `size`, as appendAt does: a torn line cut off, never
 * merged with `line`, whole or not at all, fsync'd. A file it creates is
 * durable only once its directory entry is, so that is fsync'd too.
 */
export async function appendLine(file: string, line: Buffer, {completeBytes, size}: {completeBytes: number; size: number}) {
	const handle = await fs.open(file, constants.O_WRONLY | constants.O_CREAT).catch(cannotWrite(file));
	try {
		await appendAt(file, handle, line, completeBytes, size);
	} finally {
		await handle.close();
	}
	if (size === 0) await syncDirectory(path.dirname(file));
}

/** appendLine for a caller that has not read the file: it is read here to find where its last complete line ends. */
export async function appendDurably(file: string, text: string): Promise<void> {
	const bytes = await fs.readFile(file).catch((error: unknown) => {
		if (errorCode(error) === 'ENOENT') return Buffer.alloc(0);
		return cannotWrite(file)(error);
	});
	await appendLine(file, Buffer.from(text), {completeBytes: bytes.lastIndexOf(0x0a) + 1, size: bytes.length});
}

/** A failure to open or read `file` before appending to it, worded as appendAt words its own. */
const cannotWrite =
	(file: string) =>
	(error: unknown): never => {
		throw new Error(`could not write to ${file}: ${plainFailure(error, {onDisk: true})}`, {cause: error});
	};

/** Makes a rename or a new file in `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
	let handle: FileHandle | undefined;
	try {
		handle = await fs.open(dir, constants.O_RDONLY);
		await handle.sync();
	} finally {
		await handle?.close();
	}
}
