/** Journal events for tests, written the way the console writes them. */
import {mkdirSync, rmSync, utimesSync, writeFileSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import type {JournalEvent, NewEvent} from '../../source/incident/events';

export const minute = 60_000;
export const hour = 60 * minute;
export const declaredAt = Date.parse('2026-11-27T03:00:00.000Z');

/** Builds a journal: each entry is [minutes after the declaration, event]. */
export function journalOf(...entries: Array<[number, NewEvent]>): JournalEvent[] {
	return entries.map(([minutes, event], index) => ({
		seq: index + 1,
		at: new Date(declaredAt + minutes * minute).toISOString(),
		actor: 'alice@bastion',
		...event,
	}));
}

/**
 * Holds `INC-1.jsonl`'s lock in `dir` as a live process on this host (this
 * test) would, touched in the future: no writer may take it over, so an
 * append waits for it. Returns the release.
 */
export function holdIncidentLock(dir: string): () => void {
	const lock = join(dir, 'INC-1.jsonl.lock');
	mkdirSync(lock);
	writeFileSync(join(lock, 'owner'), `${hostname()} ${process.pid}`);
	const later = new Date(Date.now() + hour);
	utimesSync(lock, later, later);
	return () => rmSync(lock, {recursive: true, force: true});
}

/**
 * INC-1, by default a P1 "API gateway outage" declared a minute ago, written
 * into `dir` (made when missing) as `warroom declare` would. Returns when it
 * was declared, as written.
 */
export function writeOpenIncident(
	dir: string,
	options: {title?: string; severity?: string; services?: string[]; ageMs?: number} = {},
): string {
	const {title = 'API gateway outage', severity = 'P1', services = ['api-gateway'], ageMs = minute} = options;
	const at = new Date(Date.now() - ageMs).toISOString();
	const event = {seq: 1, at, actor: 'alice@bastion', type: 'declared', title, severity, services};
	mkdirSync(dir, {recursive: true});
	writeFileSync(join(dir, 'INC-1.jsonl'), `${JSON.stringify(event)}\n`);
	return at;
}
