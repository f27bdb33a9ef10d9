/** Journal events as the timeline writes them: one line each, in the reader's time zone, which the timeline names. */
import {formatTook} from '../text/duration';
import type {ActionOutcome, JournalEvent, NewEvent} from './events';

type ActionStarted = Omit<Extract<NewEvent, {type: 'action_started'}>, 'type'>;
type ActionFinished = Omit<Extract<NewEvent, {type: 'action_finished'}>, 'type'>;

/** `rollout undo on production/api-gateway`: an action and the row it acted on. */
export const onTarget = (event: {label: string; target?: string}) =>
	event.target === undefined ? event.label : `${event.label} on ${event.target}`;

/** How a command ended, in a few words: `exit 0`, `timed out, killed`. */
export function resultText(outcome: ActionOutcome, exitCode: number | undefined, error: string | undefined): string {
	switch (outcome) {
		case 'ok':
		case 'failed':
			// Work in the console (a drill's command on its simulated cluster) has no exit code.
			return exitCode === undefined ? (outcome === 'ok' ? 'done' : 'failed') : `exit ${exitCode}`;
		case 'error':
			return `error: ${error ?? 'unknown'}`;
		case 'timed-out':
			return 'timed out, killed';
		case 'aborted':
			return 'aborted';
		case 'dry-run':
			return 'not run (dry run)';
	}
}

export function describeEvent(event: JournalEvent): string {
	switch (event.type) {
		case 'declared': {
			const services = event.services.length > 0 ? ` (${event.services.join(', ')})` : '';
			return `declared ${event.severity} "${event.title}"${services}`;
		}
		case 'severity':
			return `severity ${event.from} → ${event.severity}`;
		case 'status':
			return `status ${event.from} → ${event.status}`;
		case 'note':
			return `note: ${event.text}`;
		case 'escalated':
			return `escalated to ${event.to}`;
		case 'communicated':
			return `sent the ${event.template} customer message`;
		case 'message_produced': {
			const what = event.template === 'postmortem' ? 'the post-mortem draft' : `the ${event.template} message`;
			return event.how === 'copied'
				? `copied ${what} (sha256 ${event.sha256.slice(0, 12)})`
				: `wrote ${what} to ${event.file ?? 'a file'}`;
		}
		case 'checked':
			return `${event.done ? 'ticked' : 'unticked'} "${event.item}"`;
		case 'action_started':
			return actionStartedText(event);
		case 'action_finished':
			return actionFinishedText(event);
		case 'check_failed':
			return `check ${event.check} failing since ${localTime(event.since)}${event.error === undefined ? '' : `: ${event.error}`}`;
		case 'check_recovered':
			return `check ${event.check} recovered${event.failedForMs === undefined ? '' : ` after ${formatTook(event.failedForMs)}`}`;
		case 'evidence':
			return `evidence kept: ${event.command}: ${resultText(event.outcome, event.exitCode, undefined)} in ${formatTook(event.durationMs)}`;
		case 'notify_queued':
			return event.dryRun ? `would send ${event.id} (dry run)` : `queued ${event.id}`;
		case 'notify_sent':
			return `sent ${event.id}: HTTP ${event.status}`;
		case 'notify_failed':
			return `could not send ${event.id} (attempt ${event.attempt}): ${event.error}${event.final ? ': given up' : ''}`;
	}
}

/**
 * The timeline's line for an event, with how it reached the store: `(waiting)`
 * while it is still in this console's outbox, `(late)` when the outbox sent
 * it after others had written. Both lead, so a long line never cuts them off;
 * who imported it, as long as the role's name may be, follows.
 */
export function timelineText(event: JournalEvent): string {
	const marks = [event.pending ? '(waiting)' : '', event.late ? '(late)' : ''].filter(Boolean);
	const imported = event.importedBy === undefined ? '' : ` (imported by ${event.importedBy})`;
	return `${[...marks, describeEvent(event)].join(' ')}${imported}`;
}

/** `started rollout undo on production/api-gateway: kubectl rollout undo …`, or what a dry run would have run; a drill's says so. */
export const actionStartedText = (event: ActionStarted) =>
	(event.dryRun ? `would run ${onTarget(event)}: ${event.command} (dry run)` : `started ${onTarget(event)}: ${event.command}`) +
	(event.drill ? ' (drill)' : '');

/** `ran rollout undo on production/api-gateway: exit 0 in 1.2s`, and what it did when it says: the timeline's line, and the notice when it ends. */
export const actionFinishedText = (event: ActionFinished) =>
	event.outcome === 'dry-run'
		? `would run ${onTarget(event)} (dry run)`
		: `ran ${onTarget(event)}: ${resultText(event.outcome, event.exitCode, event.error)} in ${formatTook(event.durationMs)}` +
			(event.result === undefined ? '' : `: ${event.result}`);

/** The zone the timeline's times are in, and how its header names it. */
export type ReaderZone = {zone: string; label: string};

function isKnownZone(name: string): boolean {
	try {
		new Intl.DateTimeFormat('en', {timeZone: name});
		return true;
	} catch {
		return false;
	}
}

/**
 * The zone `TZ` names (`resolved` is what the clock library made of it), or
 * UTC. The library falls back to UTC without a word when TZ names no zone it
 * knows (`Mars/Olympus`, POSIX rules like `CET-1CEST`): the label says so.
 */
export function readerZone(tz: string | undefined, resolved: string | undefined): ReaderZone {
	const known = resolved !== undefined && resolved !== 'Etc/Unknown' ? resolved : 'UTC';
	if (tz === undefined || tz === '' || isKnownZone(tz.replace(/^:/, ''))) return {zone: known, label: known};
	return {zone: 'UTC', label: 'UTC: TZ invalid'};
}

/** The reader's zone, read once: the environment does not change while the console runs. */
export const readerTimeZone = readerZone(process.env.TZ, new Intl.DateTimeFormat().resolvedOptions().timeZone);

/**
 * One formatter a zone: toLocaleTimeString builds a new one on every call,
 * which cost a console following a busy shared timeline 8% of its CPU (every
 * visible row's time, on every redraw).
 */
const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** `HH:MM:SS` in `timeZone`, by default the reader's. */
export function localTime(at: string, timeZone = readerTimeZone.zone): string {
	let format = timeFormats.get(timeZone);
	if (!format) {
		// The options toLocaleTimeString adds to these: the same text.
		format = new Intl.DateTimeFormat('en-GB', {hour12: false, timeZone, hour: 'numeric', minute: 'numeric', second: 'numeric'});
		timeFormats.set(timeZone, format);
	}
	const date = new Date(at);
	// format() throws on an invalid date, where toLocaleTimeString said so.
	return Number.isNaN(date.getTime()) ? 'Invalid Date' : format.format(date);
}
