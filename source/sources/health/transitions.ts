/**
 * The journal events for the checks whose damped state changed between two
 * readings: `check_failed` when one turns failing, `check_recovered` when a
 * failing one turns ok again. Pure. Only checks with a damped `state` count:
 * a drill's scripted checks journal nothing.
 */
import {newEvent, type JournalEvent, type NewEvent} from '../../incident/events';
import type {HealthResult} from '../types';

export type CheckEvent = Extract<NewEvent, {type: 'check_failed' | 'check_recovered'}>;

export function checkEvents(before: readonly HealthResult[] | undefined, after: readonly HealthResult[]): CheckEvent[] {
	const previous = new Map((before ?? []).map(check => [check.name, check]));
	return after.flatMap((check): CheckEvent[] => {
		if (check.state === undefined || check.state === 'unknown') return [];
		const was = previous.get(check.name);
		const wasFailing = was?.state === 'failing';
		if (check.state === 'failing' && !wasFailing && check.since !== undefined)
			return [newEvent.checkFailed(check.name, check.since, check.error)];
		if (check.state !== 'failing' && wasFailing) {
			const failedFor = was.since !== undefined && check.since !== undefined ? check.since - was.since : undefined;
			return [newEvent.checkRecovered(check.name, failedFor)];
		}
		return [];
	});
}

/**
 * Whether the journal already says it: the last check event for the same
 * check is of the same type. Two consoles on one incident see the same
 * change; the second to read the other's event writes nothing.
 */
export function alreadyJournaled(events: readonly JournalEvent[], event: CheckEvent): boolean {
	const last = events.findLast(
		recorded => (recorded.type === 'check_failed' || recorded.type === 'check_recovered') && recorded.check === event.check,
	);
	return last?.type === event.type;
}
