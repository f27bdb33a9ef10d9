/**
 * Whether the journal can be kept in the data directory: it is a directory
 * (or can be made), a file written there reaches the disk (created, fsync'd,
 * removed), and the journal's lock (`file-lock.ts`) can be taken and given
 * back there. What doctor makes to find out, it removes: a directory it had
 * to create is gone again afterwards.
 */
import {randomUUID} from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import {errorCode, plainFailure} from '../errors';
import {withLock} from '../incident/file-lock';
import type {JournalLink} from '../incident/journal';
import type {Finding} from './finding';

export const elsewhere = 'point --data-dir (or WARROOM_DATA_DIR, incidents.dir in warroom.yaml) at another directory';

/** The fix for a directory that refuses a write, by why. */
function writeFix(dir: string, error: unknown): string {
	switch (errorCode(error)) {
		case 'EACCES':
		case 'EPERM':
			return `chmod u+w ${dir} (or chown it to this user), or ${elsewhere}`;
		case 'EROFS':
			return `its file system is read-only: ${elsewhere}`;
		case 'ENOSPC':
		case 'EDQUOT':
			return `free some space (df -h ${dir}), or ${elsewhere}`;
		default:
			return elsewhere;
	}
}

/** A file written and synced to the disk, then removed. */
async function writeProbe(dir: string): Promise<void> {
	const file = path.join(dir, `.warroom-doctor-${process.pid}-${randomUUID()}`);
	const handle = await fs.open(file, 'wx');
	try {
		await handle.write('warroom doctor\n');
		await handle.sync();
	} finally {
		await handle.close();
		await fs.rm(file, {force: true});
	}
}

async function lockProbe(dir: string): Promise<void> {
	await withLock(path.join(dir, `.warroom-doctor-${process.pid}-${randomUUID()}`), {staleMs: 5000}, async () => undefined);
}

/** What the data directory holds for the journal: the incidents themselves, or, beside a shared store, its outbox. */
const keptThere: Record<JournalLink['store'], string> = {
	file: "the journal's incidents are kept there",
	postgres: 'the outbox is kept there while the incident store cannot be reached',
};

export async function dataDirFindings(dir: string, store: JournalLink['store']): Promise<Finding[]> {
	const stat = await fs.stat(dir).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
	if (!(stat instanceof Error) && !stat.isDirectory())
		return [{check: 'data dir', status: 'missing', detail: `${dir} is not a directory`, fix: `remove it, or ${elsewhere}`}];
	let created: string | undefined;
	try {
		if (stat instanceof Error) {
			if (errorCode(stat) !== 'ENOENT') throw stat;
			created = await fs.mkdir(dir, {recursive: true});
		}
		await writeProbe(dir);
	} catch (error) {
		if (created) await fs.rm(created, {recursive: true, force: true});
		return [
			{
				check: 'data dir',
				status: 'missing',
				detail: `${dir}: cannot write there: ${plainFailure(error, {onDisk: true})}`,
				fix: writeFix(dir, error),
			},
		];
	}
	const findings: Finding[] = [
		{
			check: 'data dir',
			status: 'ok',
			detail: created
				? `${dir} does not exist yet; it can be created, and written to (the first write creates it): ${keptThere[store]}`
				: `${dir} is writable (a file written, synced and removed): ${keptThere[store]}`,
		},
	];
	try {
		await lockProbe(dir);
		findings.push({check: 'journal lock', status: 'ok', detail: 'taken and released'});
	} catch (error) {
		findings.push({
			check: 'journal lock',
			status: 'missing',
			detail: error instanceof Error ? error.message : String(error),
			fix: elsewhere,
		});
	} finally {
		if (created) await fs.rm(created, {recursive: true, force: true});
	}
	return findings;
}
