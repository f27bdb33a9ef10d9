/**
 * The actions that change the incident and nothing else: declare, note,
 * status, severity, escalate, communicate (each behind its form) and the
 * checklist tick. All `safe`: they write one event to the incident journal.
 */
import {eventFor, type Change} from '../incident/changes';
import {newEvent} from '../incident/events';
import {isSeverity} from '../incident/policy';
import {findRow} from '../view-model/selection';
import type {Incident} from '../incident/incident';
import {defineAction, type Action, type Values} from './action';
import type {Prepared, Refusal} from './command';
import {parseServices, type FormKind} from './forms';

/** A change to the incident on screen as a journal command; a change that changes nothing is refused. */
function changeCommand(incident: Incident, change: Change, done: string, summary: string): Omit<Prepared, 'target'> | Refusal {
	const outcome = eventFor(change, incident);
	if ('refused' in outcome) return outcome;
	return {command: {kind: 'journal', event: outcome.event, done: () => done}, effect: done, summary};
}

type FormAction<T extends Change['type']> = {
	id: FormKind;
	key: string;
	description: string;
	hint?: boolean;
	/** The one event its form writes, declared so the registry knows it without building one: its change must be of it. */
	writes: T;
	/** The change asked for; what the notice says once it is written, and the write in a few words if it is not. */
	change: (values: Values) => {change: Extract<Change, {type: NoInfer<T>}>; done: string; summary: string};
};

const formAction = <T extends Change['type']>({id, key, description, hint, writes, change}: FormAction<T>): Action =>
	defineAction({
		id,
		title: id,
		keys: [key],
		keyLabel: key,
		description,
		...(hint ? {hint} : {}),
		risk: 'safe',
		needsIncident: true,
		form: id,
		journals: [writes],
		build: ({incident, values}) => {
			const {change: asked, done, summary} = change(values);
			return changeCommand(incident, asked, done, summary);
		},
	});

const declare = defineAction({
	id: 'declare',
	title: 'declare',
	keys: ['d'],
	keyLabel: 'd',
	description: 'declare an incident',
	hint: true,
	risk: 'safe',
	form: 'declare',
	journals: ['declared'],
	build: ({values}) => {
		const {severity = ''} = values;
		if (!isSeverity(severity)) return {refused: `no severity "${severity}"`};
		const title = values.title?.trim() ?? '';
		const event = newEvent.declared({title, severity, services: parseServices(values.services ?? '')});
		return {
			command: {kind: 'journal', event, done: id => `${id} declared: ${severity} ${title}`},
			effect: `declare a ${severity} incident`,
			summary: `declaration: ${severity} "${title}"`,
		};
	},
});

const tick = defineAction({
	id: 'tick',
	title: 'tick',
	keys: ['space', 'x'],
	keyLabel: 'Space/x',
	description: 'tick the checklist item',
	panels: ['runbook'],
	risk: 'safe',
	needsIncident: true,
	journals: ['checked'],
	// Found by its key on the checklist shown now: a phase change never turns the tick onto another item.
	target: (state, selectedKey) => {
		const row = selectedKey === undefined ? undefined : findRow(state, 'runbook', selectedKey);
		return row?.kind === 'check' ? {value: row.item, name: row.item} : {refused: 'no checklist item selected'};
	},
	build: ({incident, target: item = ''}) => {
		const what = `${incident.checked[item] === undefined ? 'ticked' : 'unticked'}: ${item}`;
		return changeCommand(incident, {type: 'checked', item}, what, what);
	},
});

export const incidentActions: readonly Action[] = [
	tick,
	declare,
	formAction({
		id: 'severity',
		key: 'p',
		description: 'change severity',
		hint: true,
		writes: 'severity',
		change: values => {
			const done = `severity: ${values.severity}`;
			return {change: {type: 'severity', severity: values.severity ?? ''}, done, summary: done};
		},
	}),
	formAction({
		id: 'status',
		key: 'S',
		description: 'change status',
		hint: true,
		writes: 'status',
		change: values => {
			const done = `status: ${values.status}`;
			return {change: {type: 'status', status: values.status ?? ''}, done, summary: done};
		},
	}),
	formAction({
		id: 'note',
		key: 'n',
		description: 'add a note to the timeline',
		hint: true,
		writes: 'note',
		change: values => ({
			change: {type: 'note', text: values.text ?? ''},
			done: 'note added to the timeline',
			summary: `note: "${values.text?.trim()}"`,
		}),
	}),
	formAction({
		id: 'escalate',
		key: 'e',
		description: 'record an escalation',
		writes: 'escalated',
		change: values => ({
			change: {type: 'escalated', to: values.to ?? ''},
			done: `escalation to ${values.to?.trim()} recorded`,
			summary: `escalation to ${values.to?.trim()}`,
		}),
	}),
	formAction({
		id: 'communicate',
		key: 'T',
		description: 'record a customer message as sent some other way',
		writes: 'communicated',
		change: values => ({
			change: {type: 'communicated', template: values.template ?? ''},
			done: `${values.template} customer message recorded as sent`,
			summary: `${values.template} customer message`,
		}),
	}),
];
