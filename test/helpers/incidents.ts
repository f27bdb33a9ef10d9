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

/** INC-1, a P1 "API gateway outage" declared a minute ago, written into `dataDir` as `warroom declare` would. */
export function writeOpenIncident(dataDir: string): void {
	const at = new Date(Date.now() - minute).toISOString();
	const event = {
		seq: 1,
		at,
		actor: 'alice@bastion',
		type: 'declared',
		title: 'API gateway outage',
		severity: 'P1',
		services: ['api-gateway'],
	};
	writeFileSync(join(dataDir, 'INC-1.jsonl'), `${JSON.stringify(event)}\n`);
}
