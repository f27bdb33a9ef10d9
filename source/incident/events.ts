/**
 * The journal's events: what each type carries, how a console builds one, and
 * the check every line read back passes before anything replays it. A line
 * that fails is a journal problem (with its line number), never a crash or a
 * `NaN` on screen. Hand-written rather than a schema library: replaying a
 * long journal must stay fast, and start-up loads no validation library.
 */
import {isSeverity, severityLevels, type Severity} from './policy';

export const statuses = ['investigating', 'identified', 'fixing', 'monitoring', 'resolved'] as const;
export type Status = (typeof statuses)[number];
export const isStatus = (value: string): value is Status => (statuses as readonly string[]).includes(value);

/** The messages customers receive: producing one is a customer message, and starts the wait for the next update. */
export const communicationTemplates = ['initial', 'update', 'resolution'] as const;
export type CommunicationTemplate = (typeof communicationTemplates)[number];
export const isCommunicationTemplate = (value: string): value is CommunicationTemplate =>
	(communicationTemplates as readonly string[]).includes(value);

/** The texts a console produces from the journal: the messages (templates/NAME.md) and the post-mortem draft. */
export const messageTemplates = [...communicationTemplates, 'internal'] as const;
export type MessageTemplate = (typeof messageTemplates)[number];
export const isMessageTemplate = (value: string): value is MessageTemplate =>
	(messageTemplates as readonly string[]).includes(value);
export const producedTexts = [...messageTemplates, 'postmortem'] as const;
export type ProducedText = (typeof producedTexts)[number];
const isProducedText = (value: string): value is ProducedText => (producedTexts as readonly string[]).includes(value);

/** How a text left the console: copied to the clipboard (OSC 52), or written to a file. */
export const producedHow = ['copied', 'file'] as const;
export type ProducedHow = (typeof producedHow)[number];
const isProducedHow = (value: string): value is ProducedHow => (producedHow as readonly string[]).includes(value);

/** How a command ended: exit 0, another exit code, an error (it could not start), killed at its timeout or aborted; or, for `--dry-run`, never run. */
export const actionOutcomes = ['ok', 'failed', 'error', 'timed-out', 'aborted', 'dry-run'] as const;
export type ActionOutcome = (typeof actionOutcomes)[number];
const isActionOutcome = (value: string): value is ActionOutcome => (actionOutcomes as readonly string[]).includes(value);

/**
 * The event format this console writes, stamped on `declared` as `v`. A
 * declaration without `v` predates versioning and reads as version 1; a later
 * reader migrates by it.
 */
export const eventFormat = 1;

/** What a caller appends: a type and its payload. */
export type NewEvent =
	| {
			type: 'declared';
			v?: typeof eventFormat;
			title: string;
			severity: Severity;
			services: string[];
			commander?: string;
			/** Set when the incident belongs to a drill: never a real one. */
			drill?: string;
	  }
	| {type: 'severity'; severity: Severity; from: Severity}
	| {type: 'status'; status: Status; from: Status}
	| {type: 'note'; text: string}
	| {type: 'escalated'; to: string}
	| {type: 'communicated'; template: CommunicationTemplate}
	| {type: 'checked'; item: string; done: boolean}
	| {
			type: 'message_produced';
			template: ProducedText;
			how: ProducedHow;
			/** SHA-256 of the text, in hex: which text went out, without a second copy of it in the journal. */
			sha256: string;
			/** The file written, for `how: file`. */
			file?: string;
	  }
	| {
			type: 'action_started';
			/** The registry's id for the action, and its name as the timeline writes it. */
			action: string;
			label: string;
			/** The row acted on, by name; absent for an action on no row. */
			target?: string;
			/** The exact command, as the confirmation showed it. */
			command: string;
			/** True when nothing was run: `--dry-run` records what would have been. */
			dryRun: boolean;
			/** Set when it ran in a drill, on the drill's simulated cluster: nothing real was touched. */
			drill?: boolean;
	  }
	| {
			type: 'action_finished';
			action: string;
			label: string;
			target?: string;
			outcome: ActionOutcome;
			exitCode?: number;
			error?: string;
			/** The last lines the command wrote to stderr, cleaned of controls and secrets. */
			stderrTail?: string;
			/** What work in the console said it did (a signal sent to a backend, and its effect). */
			result?: string;
			durationMs: number;
	  }
	| {
			/** A health check turned failing (after its damping): written by the console, not typed by anyone. */
			type: 'check_failed';
			check: string;
			/** When its first failure in a row was seen, UTC ISO-8601: the outage's start, before the damping confirmed it. */
			since: string;
			error?: string;
	  }
	| {
			/** A failing health check turned ok again (after its damping). */
			type: 'check_recovered';
			check: string;
			/** How long it was failing, when this console saw it fail. */
			failedForMs?: number;
	  }
	| {
			/** A command's output kept as evidence (`e` in the output overlay): what ran, how it ended, and its last lines. */
			type: 'evidence';
			command: string;
			outcome: ActionOutcome;
			exitCode?: number;
			durationMs: number;
			/** The output's last lines, cleaned of controls and secrets. */
			output: string;
	  }
	| {
			/**
			 * A notification to send (PagerDuty, a webhook): the outbox. `id` is
			 * made from the event that caused it, so every console queues the same
			 * one under the same id. The payload holds no secret: the routing key
			 * and the URL are added when it is sent.
			 */
			type: 'notify_queued';
			id: string;
			/** `pagerduty`, or the webhook's name. */
			target: string;
			kind: NotifyKind;
			payload: Record<string, unknown>;
			/** Queued by `--dry-run`: never sent, by any console. */
			dryRun?: boolean;
	  }
	| {type: 'notify_sent'; id: string; status: number}
	| {
			type: 'notify_failed';
			id: string;
			error: string;
			/** 1 for the first try. */
			attempt: number;
			/** Set when retrying cannot help (the endpoint refused it as bad): not tried again. */
			final?: boolean;
	  };

export type EventType = NewEvent['type'];

/** Where a notification goes: PagerDuty's Events API, or a webhook of the config, by its name. */
export const notifyKinds = ['trigger', 'acknowledge', 'resolve', 'declared', 'update', 'resolved'] as const;
export type NotifyKind = (typeof notifyKinds)[number];
const isNotifyKind = (value: string): value is NotifyKind => (notifyKinds as readonly string[]).includes(value);

/** The first event of every incident. */
export type Declared = Extract<NewEvent, {type: 'declared'}>;

/**
 * One recorded event: `{seq, at, actor, type, ...payload}`; `at` is UTC
 * ISO-8601. The journal owns the envelope fields, never the payload.
 */
export type JournalEvent = NewEvent & {
	seq: number;
	at: string;
	actor: string;
	/** A UUID made by the console that wrote the event first: a resend is the same event. Lines written before it existed have none. */
	eventId?: string;
	/** Sent from an outbox after others had written: recorded at its own time, later in the order. */
	late?: boolean;
	/** Still in this console's outbox, not yet in the store: shown, never stored. */
	pending?: boolean;
	/** Who moved the event into this store (`warroom journal import`): the store's role, where `actor` is who did it. */
	importedBy?: string;
};

/** The fields a journal sets on every event; a payload cannot carry them. */
const envelopeFields = new Set(['seq', 'at', 'actor', 'type', 'eventId', 'late', 'pending', 'importedBy']);

/** What an event carries besides the envelope the journal owns: a payload can never set seq, at, actor, type or the rest. */
export const payloadOf = (event: object): Record<string, unknown> =>
	Object.fromEntries(Object.entries(event).filter(([key]) => !envelopeFields.has(key)));

/** The events a console writes. */
export const newEvent = {
	declared: (fields: {title: string; severity: Severity; services: string[]; commander?: string; drill?: string}): Declared => ({
		type: 'declared',
		v: eventFormat,
		...fields,
	}),
	severity: (severity: Severity, from: Severity): NewEvent => ({type: 'severity', severity, from}),
	status: (status: Status, from: Status): NewEvent => ({type: 'status', status, from}),
	note: (text: string): NewEvent => ({type: 'note', text}),
	escalated: (to: string): NewEvent => ({type: 'escalated', to}),
	communicated: (template: CommunicationTemplate): NewEvent => ({type: 'communicated', template}),
	checked: (item: string, done: boolean): NewEvent => ({type: 'checked', item, done}),
	messageProduced: (fields: Omit<Extract<NewEvent, {type: 'message_produced'}>, 'type'>): NewEvent => ({
		type: 'message_produced',
		...fields,
	}),
	actionStarted: (fields: Omit<Extract<NewEvent, {type: 'action_started'}>, 'type'>): NewEvent => ({
		type: 'action_started',
		...fields,
	}),
	actionFinished: (fields: Omit<Extract<NewEvent, {type: 'action_finished'}>, 'type'>): NewEvent => ({
		type: 'action_finished',
		...fields,
	}),
	checkFailed: (check: string, since: number, error?: string): Extract<NewEvent, {type: 'check_failed'}> => ({
		type: 'check_failed',
		check,
		since: new Date(since).toISOString(),
		...(error === undefined ? {} : {error}),
	}),
	checkRecovered: (check: string, failedForMs?: number): Extract<NewEvent, {type: 'check_recovered'}> => ({
		type: 'check_recovered',
		check,
		...(failedForMs === undefined ? {} : {failedForMs}),
	}),
	evidence: (fields: Omit<Extract<NewEvent, {type: 'evidence'}>, 'type'>): NewEvent => ({type: 'evidence', ...fields}),
	notifyQueued: (fields: Omit<Extract<NewEvent, {type: 'notify_queued'}>, 'type'>): NewEvent => ({
		type: 'notify_queued',
		...fields,
	}),
	notifySent: (id: string, status: number): NewEvent => ({type: 'notify_sent', id, status}),
	notifyFailed: (fields: Omit<Extract<NewEvent, {type: 'notify_failed'}>, 'type'>): NewEvent => ({
		type: 'notify_failed',
		...fields,
	}),
};

type Fields = Record<string, unknown>;
/** The problem with a field, or undefined when it is fine. */
type Check = (event: Fields) => string | undefined;

const text =
	(field: string): Check =>
	event =>
		typeof event[field] === 'string' ? undefined : `"${field}" is not a string`;

const optionalText =
	(field: string): Check =>
	event =>
		event[field] === undefined ? undefined : text(field)(event);

const oneOf =
	(field: string, values: readonly string[], accepts: (value: string) => boolean): Check =>
	event => {
		const value = event[field];
		return typeof value === 'string' && accepts(value) ? undefined : `"${field}" is not one of ${values.join(', ')}`;
	};

const severity = (field: string) => oneOf(field, severityLevels, isSeverity);
const status = (field: string) => oneOf(field, statuses, isStatus);

const version: Check = event => {
	const {v} = event;
	if (v === undefined || v === eventFormat) return undefined;
	return Number.isSafeInteger(v) && (v as number) > eventFormat
		? `event format v${String(v)} is newer than this warroom reads (v${eventFormat}): upgrade warroom`
		: `"v" is not a known event format`;
};

const flag =
	(field: string): Check =>
	event =>
		typeof event[field] === 'boolean' ? undefined : `"${field}" is not true or false`;

const utcTimeField =
	(field: string): Check =>
	event =>
		isUtcTime(event[field]) ? undefined : `"${field}" is not a valid ISO-8601 UTC time`;

const optionalFlag =
	(field: string): Check =>
	event =>
		event[field] === undefined ? undefined : flag(field)(event);

const count =
	(field: string, optional = false): Check =>
	event =>
		(optional && event[field] === undefined) || (Number.isSafeInteger(event[field]) && (event[field] as number) >= 0)
			? undefined
			: `"${field}" is not a whole number of at least 0`;

const services: Check = event => {
	const {services: list} = event;
	return Array.isArray(list) && list.every(item => typeof item === 'string') ? undefined : '"services" is not a list of strings';
};

const mapping =
	(field: string): Check =>
	event => {
		const value = event[field];
		return typeof value === 'object' && value !== null && !Array.isArray(value) ? undefined : `"${field}" is not a JSON object`;
	};

const all =
	(...checks: Check[]): Check =>
	event => {
		for (const check of checks) {
			const problem = check(event);
			if (problem !== undefined) return problem;
		}
		return undefined;
	};

/** One entry per type: the compiler refuses a type without its check. */
const payloadChecks: Record<EventType, Check> = {
	declared: all(version, text('title'), severity('severity'), services, optionalText('commander'), optionalText('drill')),
	severity: all(severity('severity'), severity('from')),
	status: all(status('status'), status('from')),
	note: text('text'),
	escalated: text('to'),
	communicated: oneOf('template', communicationTemplates, isCommunicationTemplate),
	checked: all(text('item'), flag('done')),
	message_produced: all(
		oneOf('template', producedTexts, isProducedText),
		oneOf('how', producedHow, isProducedHow),
		text('sha256'),
		optionalText('file'),
	),
	action_started: all(
		text('action'),
		text('label'),
		optionalText('target'),
		text('command'),
		flag('dryRun'),
		optionalFlag('drill'),
	),
	action_finished: all(
		text('action'),
		text('label'),
		optionalText('target'),
		oneOf('outcome', actionOutcomes, isActionOutcome),
		count('exitCode', true),
		optionalText('error'),
		optionalText('stderrTail'),
		optionalText('result'),
		count('durationMs'),
	),
	check_failed: all(text('check'), utcTimeField('since'), optionalText('error')),
	check_recovered: all(text('check'), count('failedForMs', true)),
	evidence: all(
		text('command'),
		oneOf('outcome', actionOutcomes, isActionOutcome),
		count('exitCode', true),
		count('durationMs'),
		text('output'),
	),
	notify_queued: all(
		text('id'),
		text('target'),
		oneOf('kind', notifyKinds, isNotifyKind),
		mapping('payload'),
		optionalFlag('dryRun'),
	),
	notify_sent: all(text('id'), count('status')),
	notify_failed: all(text('id'), text('error'), count('attempt'), optionalFlag('final')),
};

const isKnownType = (type: string): type is EventType => Object.hasOwn(payloadChecks, type);

const utcTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z$/;
const daysIn = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/** The number written by `count` ASCII digits from `from`; the caller has matched them as digits. */
function digitsAt(text: string, from: number, count: number): number {
	let value = 0;
	for (let index = from; index < from + count; index++) value = value * 10 + text.charCodeAt(index) - 48;
	return value;
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.fff]Z` naming a real moment. The ranges are checked
 * here because `Date.parse` rolls `02-30` and `24:00` over to another day
 * instead of refusing them. Read digit by digit: this runs once per event
 * replayed.
 */
function isUtcTime(value: unknown): value is string {
	if (typeof value !== 'string' || !utcTime.test(value)) return false;
	const year = digitsAt(value, 0, 4);
	const month = digitsAt(value, 5, 2);
	const day = digitsAt(value, 8, 2);
	const lastDay = month === 2 && !isLeapYear(year) ? 28 : daysIn[month - 1];
	return (
		lastDay !== undefined &&
		day >= 1 &&
		day <= lastDay &&
		digitsAt(value, 11, 2) <= 23 &&
		digitsAt(value, 14, 2) <= 59 &&
		digitsAt(value, 17, 2) <= 59
	);
}

/**
 * `event` exactly as `read` will see it, before it is written: an event
 * `read` would report as a problem (a stamp whose time is no time) is
 * refused, naming `what`, and never written.
 */
export function readBack(what: string, event: unknown): JournalEvent {
	const parsed = parseEvent(event);
	if (typeof parsed === 'string') throw new Error(`${what}: not written, it could not be read back: ${parsed}`);
	return parsed;
}

/** Shown in a problem line; the timeline strips control characters from it. */
const quoted = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

/**
 * The event a parsed journal line holds, or the problem with it. Fields this
 * version does not know are kept as they are, so a newer writer's additions
 * survive being read.
 */
export function parseEvent(value: unknown): JournalEvent | string {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
	const event = value as Fields;
	if (!Number.isSafeInteger(event.seq) || (event.seq as number) < 1) return '"seq" is not a positive safe integer';
	const problem = envelopeProblem(event);
	return problem === undefined ? (value as JournalEvent) : `event ${event.seq as number}: ${problem}`;
}

function envelopeProblem(event: Fields): string | undefined {
	if (!isUtcTime(event.at)) return '"at" is not a valid ISO-8601 UTC time';
	if (typeof event.actor !== 'string') return '"actor" is not a string';
	if (event.eventId !== undefined && typeof event.eventId !== 'string') return '"eventId" is not a string';
	if (event.late !== undefined && typeof event.late !== 'boolean') return '"late" is not true or false';
	if (event.importedBy !== undefined && typeof event.importedBy !== 'string') return '"importedBy" is not a string';
	const {type} = event;
	if (typeof type !== 'string') return '"type" is not a string';
	if (!isKnownType(type)) return `unknown event type ${quoted(type)} (written by a newer warroom?)`;
	return payloadChecks[type](event);
}
