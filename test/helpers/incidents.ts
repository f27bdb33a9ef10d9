/** Journal events for tests, written the way the console writes them. */
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
