/**
 * An incident is what its journal says: `replayIncident` folds the events,
 * in order, into the state the console shows and into what the clock needs,
 * so the clock's once-a-second tick never walks the journal again. Pure.
 */
import {deadlineTriggers} from './deadline-triggers';
import {isCommunicationTemplate, type JournalEvent, type Status} from './events';
import type {DeadlineTrigger, Severity} from './policy';

export type Incident = {
	id: string;
	title: string;
	severity: Severity;
	status: Status;
	services: string[];
	commander?: string;
	/** Set when the incident belongs to a drill: never a real one. */
	drill?: string;
	declaredAt: number;
	/** Every severity the incident has had, from the declaration on. */
	severityChanges: Array<{severity: Severity; at: number}>;
	/** When it was last resolved, while it still is. */
	resolvedAt?: number;
	/** Checklist items ticked, by their text. */
	checked: Record<string, {by: string; at: number}>;
	/** The earliest time each deadline trigger happened, not before the declaration. */
	firstTriggers: Partial<Record<DeadlineTrigger, number>>;
	/** When the post-mortem draft was first written out after the last resolution. */
	postmortemAt?: number;
	/** Customer messages sent, in journal order, each with the severity in force when it was sent. */
	customerMessages: Array<{at: number; severity: Severity}>;
	/** What the timeline should warn about, e.g. events stamped before the declaration. */
	notices: string[];
	events: JournalEvent[];
};

/** The incident an event list describes, or undefined when it does not start with a declaration. */
export function replayIncident(id: string, events: readonly JournalEvent[]): Incident | undefined {
	const [first] = events;
	if (first?.type !== 'declared') return undefined;
	const declaredAt = Date.parse(first.at);
	const incident: Incident = {
		id,
		title: first.title,
		severity: first.severity,
		status: 'investigating',
		services: first.services,
		declaredAt,
		severityChanges: [{severity: first.severity, at: declaredAt}],
		checked: {},
		firstTriggers: {},
		customerMessages: [],
		notices: [],
		events: [...events],
	};
	if (first.commander !== undefined) incident.commander = first.commander;
	if (first.drill !== undefined) incident.drill = first.drill;
	const setAt: SetAt = {status: declaredAt, checked: new Map()};
	for (let index = 1; index < events.length; index++) applyEvent(incident, events[index]!, setAt);
	return incident;
}

/**
 * A status, severity or checklist tick sent late from an outbox that happened
 * before the change in force does not undo it: the newer change wins, whatever order
 * they reached the store in. The event stays in the timeline, marked late.
 */
const supersededLate = (event: JournalEvent, stampedAt: number, currentSetAt: number) =>
	event.late === true && stampedAt < currentSetAt;

/** When the status in force, and each checklist item's tick or untick, was set, as stamped: the severity's is the last of `severityChanges`. */
type SetAt = {status: number; checked: Map<string, number>};

function applyEvent(incident: Incident, event: JournalEvent, setAt: SetAt): void {
	const stampedAt = Date.parse(event.at);
	const early = stampedAt < incident.declaredAt;
	// An event before the declaration means a console's clock is behind: it still
	// changes the incident, but as of the declaration, and it meets no deadline.
	const at = early ? incident.declaredAt : stampedAt;
	if (early) incident.notices.push(`clock skew: event ${event.seq} is before the declaration`);
	else {
		for (const trigger of deadlineTriggers(event)) {
			const first = incident.firstTriggers[trigger];
			if (first === undefined || at < first) incident.firstTriggers[trigger] = at;
		}
	}
	switch (event.type) {
		case 'declared':
		case 'note':
		case 'escalated':
		case 'action_started':
		case 'action_finished':
		case 'check_failed':
		case 'check_recovered':
		case 'evidence':
		case 'notify_queued':
		case 'notify_sent':
		case 'notify_failed':
			return;
		case 'severity':
			if (supersededLate(event, stampedAt, incident.severityChanges.at(-1)!.at)) return;
			if (event.severity === incident.severity) return;
			incident.severity = event.severity;
			incident.severityChanges.push({severity: event.severity, at});
			return;
		case 'status':
			if (supersededLate(event, stampedAt, setAt.status)) return;
			setAt.status = stampedAt;
			incident.status = event.status;
			if (event.status === 'resolved') incident.resolvedAt = at;
			else {
				delete incident.resolvedAt;
				delete incident.postmortemAt;
			}
			return;
		case 'communicated':
			if (!early) addCustomerMessage(incident, at);
			return;
		case 'message_produced':
			if (!early && isCommunicationTemplate(event.template)) addCustomerMessage(incident, at);
			if (event.template === 'postmortem' && incident.resolvedAt !== undefined) incident.postmortemAt ??= at;
			return;
		case 'checked':
			if (supersededLate(event, stampedAt, setAt.checked.get(event.item) ?? -Infinity)) return;
			setAt.checked.set(event.item, stampedAt);
			if (event.done) incident.checked[event.item] = {by: event.actor, at};
			else delete incident.checked[event.item];
			return;
		default:
			event satisfies never;
	}
}

/**
 * Keeps the customer messages in time order, which the update deadlines count
 * on: a message sent late from an outbox goes where it happened.
 */
function addCustomerMessage(incident: Incident, at: number): void {
	const message = {at, severity: severityAt(incident, at)};
	const after = incident.customerMessages.findLastIndex(sent => sent.at <= at);
	incident.customerMessages.splice(after + 1, 0, message);
}

/** The severity in force at `at`, by the changes recorded so far. */
function severityAt(incident: Incident, at: number): Severity {
	let severity = incident.severityChanges[0]!.severity;
	for (const change of incident.severityChanges) if (change.at <= at) severity = change.severity;
	return severity;
}

/** The newest incident that is not resolved, else undefined. */
export function currentIncident(incidents: readonly Incident[]): Incident | undefined {
	return incidents.filter(incident => incident.status !== 'resolved').sort((a, b) => b.declaredAt - a.declaredAt)[0];
}
