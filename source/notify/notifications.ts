/**
 * Paging and webhooks in the console (config `notify:`): every console that
 * may write queues in the journal what the incident's events call for
 * (outbox.ts); the sender posts it. A drill pages nobody; `--read-only`, or
 * a journal store that lets the console only read, queues and sends nothing;
 * `--dry-run` queues, marked so that no console ever sends it, and the
 * timeline says what would have been sent.
 */
import type {Config, WebhookMoment} from '../config/types';
import {newEvent} from '../incident/events';
import type {Incident} from '../incident/incident';
import type {Journal} from '../incident/journal';
import {fillTemplate, messageValues} from '../incident/messages';
import type {Policy} from '../incident/policy';
import {readerTimeZone} from '../incident/timeline';
import type {WarroomState, WarroomStore} from '../store';
import {planned, summaryText} from './outbox';
import {startSender} from './sender';

export type NotificationsOptions = {
	config: Config;
	policy: Policy;
	store: WarroomStore;
	journal: Journal;
	/** The journal's directory. */
	dir: string;
	drill?: unknown;
	readOnly: boolean;
	dryRun: boolean;
	redact: (text: string) => string;
	/** Every journal write goes through it, so the way out waits for it. */
	track: <T>(what: string, write: Promise<T>) => Promise<T>;
	/** Says a failed send on the footer. */
	warn: (text: string) => void;
	/** Says a failed journal write on the footer. */
	failed: (error: unknown) => void;
};

/** The message a webhook carries at each moment, when the journal alone fills it. */
const messageFor = {declared: 'initial', update: 'update', resolved: 'resolution'} as const;

/**
 * The incident to plan notifications for after a store change: once the
 * templates are read, whenever it or they change; none on a read-only
 * console, which the journal's store can make it after the start.
 */
export function incidentToQueue(state: WarroomState, previous: WarroomState): Incident | undefined {
	if (state.mode.readOnly || !state.incident || !state.templates) return undefined;
	return state.incident !== previous.incident || state.templates !== previous.templates ? state.incident : undefined;
}

/** Starts queueing and sending; returns the stop, which aborts a post in flight (it is sent again on the next start). */
export function startNotifications(options: NotificationsOptions): () => void {
	const {notify} = options.config;
	if (!notify || options.readOnly || options.store.getState().mode.readOnly || options.drill) return () => undefined;
	const {store, journal, redact} = options;
	const sender = options.dryRun
		? undefined
		: startSender({journal, dir: options.dir, notify, track: options.track, redact, onFailure: options.warn});
	/** Ids this console queued: the journal on screen may not have them yet. */
	const queued = new Set<string>();
	const textFor = (incident: Incident) => (moment: WebhookMoment) => {
		const template = store.getState().templates?.[messageFor[moment]];
		const values = messageValues({
			policy: options.policy,
			incident,
			given: {},
			now: Date.now(),
			zone: readerTimeZone.zone,
			redact,
		});
		const filled = template === undefined ? undefined : fillTemplate(template, values);
		return filled && 'text' in filled ? filled.text : redact(summaryText(incident, moment));
	};
	// One append after another, so the journal queues them in the order planned (the cause's order).
	let appending = Promise.resolve();
	const queue = (incident: Incident) => {
		for (const notification of planned({incident, notify, now: Date.now(), textFor: textFor(incident)})) {
			if (queued.has(notification.id)) continue;
			queued.add(notification.id);
			const event = newEvent.notifyQueued({...notification, ...(options.dryRun ? {dryRun: true} : {})});
			appending = appending.then(() =>
				options.track(`queue ${notification.id}`, journal.append(incident.id, event)).then(
					() => void sender?.kick(incident.id),
					(error: unknown) => {
						queued.delete(notification.id);
						options.failed(error);
					},
				),
			);
		}
		void sender?.kick(incident.id);
	};
	// Once the templates are read, so that a webhook carries the filled message whenever the journal can fill it.
	const unsubscribe = store.subscribe((state, previous) => {
		// A console that may no longer write sends nothing either: it could not record what it sent, and would send it again.
		if (state.mode.readOnly && !previous.mode.readOnly) sender?.stop();
		const incident = incidentToQueue(state, previous);
		if (incident) queue(incident);
	});
	return () => {
		unsubscribe();
		sender?.stop();
	};
}
