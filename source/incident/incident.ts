/**
 * An incident is what its journal says: `replayIncident` folds the events,
 * in order, into the state the console shows. Pure.
 */
import type {JournalEvent, NewEvent} from './journal';
import {isSeverity, type Severity} from './policy';

export const statuses = ['investigating', 'identified', 'fixing', 'monitoring', 'resolved'] as const;
export type Status = (typeof statuses)[number];
export const isStatus = (value: string): value is Status => (statuses as readonly string[]).includes(value);

export const communicationTemplates = ['initial', 'update', 'resolution'] as const;
export type CommunicationTemplate = (typeof communicationTemplates)[number];

/** The events a console writes; later issues add mitigation actions. */
export const newEvent = {
	declared: (fields: {title: string; severity: Severity; services: string[]; commander?: string; drill?: string}): NewEvent => ({
		type: 'declared',
		...fields,
	}),
	severity: (severity: Severity, from: Severity): NewEvent => ({type: 'severity', severity, from}),
	status: (status: Status, from: Status): NewEvent => ({type: 'status', status, from}),
	note: (text: string): NewEvent => ({type: 'note', text}),
	escalated: (to: string): NewEvent => ({type: 'escalated', to}),
	communicated: (template: CommunicationTemplate): NewEvent => ({type: 'communicated', template}),
	checked: (item: string, done: boolean): NewEvent => ({type: 'checked', item, done}),
};

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
	events: JournalEvent[];
};

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The incident an event list describes, or undefined when it does not start with a declaration. */
export function replayIncident(id: string, events: readonly JournalEvent[]): Incident | undefined {
	const [first] = events;
	if (first?.type !== 'declared' || !isSeverity(text(first.severity))) return undefined;
	const declaredAt = Date.parse(first.at);
	const incident: Incident = {
		id,
		title: text(first.title),
		severity: first.severity as Severity,
		status: 'investigating',
		services: Array.isArray(first.services) ? first.services.map(String) : [],
		declaredAt,
		severityChanges: [{severity: first.severity as Severity, at: declaredAt}],
		checked: {},
		events: [...events],
	};
	if (typeof first.commander === 'string') incident.commander = first.commander;
	if (typeof first.drill === 'string') incident.drill = first.drill;
	for (const event of events.slice(1)) applyEvent(incident, event);
	return incident;
}

function applyEvent(incident: Incident, event: JournalEvent): void {
	const at = Date.parse(event.at);
	const value = text(event.type === 'severity' ? event.severity : event.type === 'status' ? event.status : '');
	if (event.type === 'severity' && isSeverity(value) && value !== incident.severity) {
		incident.severity = value;
		incident.severityChanges.push({severity: value, at});
	} else if (event.type === 'status' && isStatus(value)) {
		incident.status = value;
		if (value === 'resolved') incident.resolvedAt = at;
		else delete incident.resolvedAt;
	} else if (event.type === 'checked') {
		const item = text(event.item);
		if (event.done === true) incident.checked[item] = {by: event.actor, at};
		else delete incident.checked[item];
	}
}

/** The newest incident that is not resolved, else undefined. */
export function currentIncident(incidents: readonly Incident[]): Incident | undefined {
	return incidents.filter(incident => incident.status !== 'resolved').sort((a, b) => b.declaredAt - a.declaredAt)[0];
}
