/**
 * Whether an event sent late from the outbox undoes what someone decided
 * meanwhile: a status or severity change made offline from a value the
 * incident no longer had when it arrived (someone resolved it in between).
 * The event stays recorded, late; the responder who queued it is told. Pure.
 */
import {formatSpan} from '../text/duration';
import {toSingleLine} from '../text/sanitize';
import type {JournalEvent} from './events';
import type {Incident} from './incident';

/** The notice for `event` (just recorded, late) given the incident as it stood before it, or undefined when nothing clashed. */
export function outboxConflict(event: JournalEvent, incidentBefore: Incident | undefined, sentAt: number): string | undefined {
	if (!event.late || !incidentBefore) return undefined;
	if (event.type !== 'status' && event.type !== 'severity') return undefined;
	const current = event.type === 'status' ? incidentBefore.status : incidentBefore.severity;
	if (current === event.from) return undefined;
	const change = event.type === 'status' ? event.status : event.severity;
	const decided = incidentBefore.events.findLast(before => before.type === event.type);
	const who = decided ? toSingleLine(decided.actor) : 'someone';
	const what = event.type === 'status' && current === 'resolved' ? 'resolved it' : `set it to ${current}`;
	const queued = formatSpan(sentAt - Date.parse(event.at));
	return `${incidentBefore.id}: your ${event.type} change to ${change} (queued ${queued} offline) arrived after ${who} ${what}: recorded late`;
}
