/**
 * Paging and notifications as an outbox in the journal, decided here and
 * pure: which notifications an incident's events call for (`planned`), what
 * the journal says of each (`outboxOf`), which to send now and when to try
 * again (`dueNow`, `nextRetryAt`), and the bodies sent. A notification's id
 * is made from the event that caused it, so every console plans the same ids
 * and one queued twice is still one notification.
 */
import {deadlineTriggers} from '../incident/deadline-triggers';
import type {JournalEvent, NewEvent, NotifyKind} from '../incident/events';
import type {Incident} from '../incident/incident';
import type {Severity} from '../incident/policy';
import type {NotifyConfig, Webhook, WebhookMoment} from '../config/types';
import {toSingleLine} from '../text/sanitize';

/** What the journal's `notify_queued` holds, before it is written. */
export type Notification = Omit<Extract<NewEvent, {type: 'notify_queued'}>, 'type'>;
type Queued = Extract<JournalEvent, {type: 'notify_queued'}>;

/** The target name PagerDuty's events go under; no webhook may take it. */
export const pagerDutyTarget = 'pagerduty';
/** The seed pages the on-call engineer for these. */
const pagedSeverities: ReadonlySet<Severity> = new Set(['P0', 'P1']);
/** PagerDuty's severities for ours. */
const pagerDutySeverity: Partial<Record<Severity, string>> = {P0: 'critical', P1: 'error'};
/**
 * A cause older than this is not queued: a console opened on an old incident
 * must not page for it. It is long enough for a console killed before it
 * queued to queue on its restart.
 */
export const queueWithinMs = 60 * 60_000;
/** Retries wait twice as long each time, up to this. */
const longestBackoffMs = 5 * 60_000;

/** What an event is for the notifications: the moment webhooks hear of, and what PagerDuty is told. */
type Cause = {event: JournalEvent; moment?: WebhookMoment; paging?: NotifyKind};

/** The events that call for a notification, in journal order. */
function causes(incident: Incident): Cause[] {
	const found: Cause[] = [];
	let triggered = false;
	let acknowledged = false;
	for (const event of incident.events) {
		const wasTriggered = triggered;
		if (event.type === 'declared') {
			triggered = pagedSeverities.has(event.severity);
			found.push({event, moment: 'declared', ...(triggered ? {paging: 'trigger' as const} : {})});
			continue;
		}
		if (event.type === 'severity') {
			const raised = pagedSeverities.has(event.severity) && !pagedSeverities.has(event.from);
			found.push({event, moment: 'update', ...(raised ? {paging: 'trigger' as const} : {})});
			triggered ||= raised;
		} else if (event.type === 'status' && event.status === 'resolved') {
			found.push({event, moment: 'resolved', ...(triggered ? {paging: 'resolve' as const} : {})});
			continue;
		} else if (event.type === 'status') found.push({event, moment: 'update'});
		// The respond deadline's rule: the first work recorded after the page answers it (a resolution resolves it instead).
		if (wasTriggered && !acknowledged && deadlineTriggers(event).includes('followUp')) {
			acknowledged = true;
			found.push({event, paging: 'acknowledge'});
		}
	}
	return found;
}

/** `INC-4 [P1] Checkout errors`; the title was typed by someone, and is cleaned of controls before it leaves. */
const headline = (incident: Incident) => `${incident.id} [${incident.severity}] ${toSingleLine(incident.title)}`;

/** One line that says what happened, for a webhook when the message template cannot be filled yet. */
export function summaryText(incident: Incident, moment: WebhookMoment): string {
	const head = headline(incident);
	if (moment === 'declared')
		return `${head}: declared${incident.services.length > 0 ? ` (${incident.services.join(', ')})` : ''}`;
	if (moment === 'resolved') return `${head}: resolved`;
	return `${head}: ${incident.status}`;
}

function pagerDutyPayload(incident: Incident, kind: NotifyKind, at: string): Record<string, unknown> {
	const base = {event_action: kind, dedup_key: incident.id};
	if (kind !== 'trigger') return base;
	return {
		...base,
		client: 'warroom',
		payload: {
			summary: headline(incident),
			source: 'warroom',
			severity: pagerDutySeverity[incident.severity] ?? 'error',
			timestamp: at,
			custom_details: {services: incident.services, status: incident.status, commander: incident.commander ?? 'not named'},
		},
	};
}

function webhookPayload(
	hook: Webhook,
	incident: Incident,
	moment: WebhookMoment,
	at: string,
	text: string,
): Record<string, unknown> {
	if (hook.format === 'slack') return {text};
	return {incident: incident.id, event: moment, severity: incident.severity, status: incident.status, text, at};
}

export type PlanInput = {
	incident: Incident;
	notify: NotifyConfig;
	now: number;
	/** The message a webhook carries for a moment: the filled template, else `summaryText`. Already masked. */
	textFor: (moment: WebhookMoment) => string;
};

/** Every notification the incident's events call for that the journal has not queued yet, oldest cause first. */
export function planned({incident, notify, now, textFor}: PlanInput): Notification[] {
	const queued = new Set(incident.events.flatMap(event => (event.type === 'notify_queued' ? [event.id] : [])));
	const wanted: Notification[] = [];
	// Checked before a payload is built: a message is filled only for what is still to queue.
	const add = (id: string, target: string, kind: NotifyKind, payload: () => Record<string, unknown>) => {
		if (!queued.has(id)) wanted.push({id, target, kind, payload: payload()});
	};
	for (const {event, moment, paging} of causes(incident)) {
		if (Date.parse(event.at) < now - queueWithinMs) continue;
		if (paging && notify.pagerduty)
			add(`${pagerDutyTarget}/${paging}/${event.seq}`, pagerDutyTarget, paging, () =>
				pagerDutyPayload(incident, paging, event.at),
			);
		if (!moment) continue;
		for (const hook of notify.webhooks)
			if (hook.on.includes(moment))
				add(`${hook.name}/${moment}/${event.seq}`, hook.name, moment, () =>
					webhookPayload(hook, incident, moment, event.at, textFor(moment)),
				);
	}
	return wanted;
}

/** What the journal says of one notification: the first time it was queued, whether it was sent, how its tries failed. */
export type OutboxEntry = {
	queued: Queued;
	sent: boolean;
	failures: Array<{at: number; attempt: number; final: boolean}>;
};

/** The outbox as the journal has it, by id, in the order queued. */
export function outboxOf(events: readonly JournalEvent[]): Map<string, OutboxEntry> {
	const outbox = new Map<string, OutboxEntry>();
	for (const event of events) {
		if (event.type === 'notify_queued') {
			if (!outbox.has(event.id)) outbox.set(event.id, {queued: event, sent: false, failures: []});
			continue;
		}
		if (event.type !== 'notify_sent' && event.type !== 'notify_failed') continue;
		const entry = outbox.get(event.id);
		if (!entry) continue;
		if (event.type === 'notify_sent') entry.sent = true;
		else entry.failures.push({at: Date.parse(event.at), attempt: event.attempt, final: event.final === true});
	}
	return outbox;
}

/** How long to wait after the `attempt`th failed try: `baseMs`, doubling each time, at most five minutes. */
export const backoffMs = (attempt: number, baseMs: number) => Math.min(longestBackoffMs, baseMs * 2 ** Math.max(0, attempt - 1));

/** Waiting to be sent: not sent, not a dry run's, not given up. */
const isOpen = (entry: OutboxEntry) => !entry.sent && entry.queued.dryRun !== true && !entry.failures.some(({final}) => final);

/** When an open entry may be tried: at once, or once its backoff after the last failure has passed. */
function tryAt(entry: OutboxEntry, baseMs: number): number {
	const last = entry.failures.at(-1);
	return last === undefined ? 0 : last.at + backoffMs(entry.failures.length, baseMs);
}

/** What to send now, in the order queued. */
export const dueNow = (outbox: ReadonlyMap<string, OutboxEntry>, now: number, baseMs: number) =>
	[...outbox.values()].filter(entry => isOpen(entry) && tryAt(entry, baseMs) <= now);

/** When the next retry is due, or undefined when nothing waits. */
export function nextRetryAt(outbox: ReadonlyMap<string, OutboxEntry>, baseMs: number): number | undefined {
	const times = [...outbox.values()].filter(isOpen).map(entry => tryAt(entry, baseMs));
	return times.length === 0 ? undefined : Math.min(...times);
}

/** Whether a reply's status is worth another try: the server's trouble, or too many requests. */
export const isRetryable = (status: number) => status >= 500 || status === 429 || status === 408;

/** Where a queued notification goes and the exact body, secrets added; undefined when the config no longer names its target. */
export function requestFor(queued: Queued, notify: NotifyConfig): {url: string; body: Record<string, unknown>} | undefined {
	if (queued.target === pagerDutyTarget)
		return notify.pagerduty && {url: notify.pagerduty.url, body: {routing_key: notify.pagerduty.routingKey, ...queued.payload}};
	const hook = notify.webhooks.find(({name}) => name === queued.target);
	return hook && {url: hook.url, body: queued.payload};
}
