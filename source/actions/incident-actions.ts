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
import {parseServices, writeSummary, type FormKind} from './forms';

/** A change to the incident on screen as a journal command; a change that changes nothing is refused. */
function changeCommand(incident: Incident, change: Change, done: string, summary: string): Omit<Prepared, 'target'> | Refusal {
	const outcome = eventFor(change, incident);
	if ('refused' in outcome) return outcome;
	return {command: {kind: 'journal', event: outcome.event, done: () => done}, effect: done, summary};
}

type FormAction = {
	id: FormKind;
	key: string;
	description: string;
	hint?: boolean;
	change: (values: Values) => {change: Change; done: string};
};

const formAction = ({id, key, description, hint, change}: FormAction): Action =>
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
		journals: [change({}).change.type],
		build: ({incident, values}) => {
			const {change: asked, done} = change(values);
			return changeCommand(incident, asked, done, writeSummary(id, values));
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
			summary: writeSummary('declare', values),
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
		return row ? {value: row.item, name: row.item} : {refused: 'no checklist item selected'};
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
		change: values => ({change: {type: 'severity', severity: values.severity ?? ''}, done: `severity: ${values.severity}`}),
	}),
	formAction({
		id: 'status',
		key: 'S',
		description: 'change status',
		hint: true,
		change: values => ({change: {type: 'status', status: values.status ?? ''}, done: `status: ${values.status}`}),
	}),
	formAction({
		id: 'note',
		key: 'n',
		description: 'add a note to the timeline',
		hint: true,
		change: values => ({change: {type: 'note', text: values.text ?? ''}, done: 'note added to the timeline'}),
	}),
	formAction({
		id: 'escalate',
		key: 'e',
		description: 'record an escalation',
		change: values => ({change: {type: 'escalated', to: values.to ?? ''}, done: `escalation to ${values.to?.trim()} recorded`}),
	}),
	formAction({
		id: 'communicate',
		key: 't',
		description: 'record a customer message as sent',
		change: values => ({
			change: {type: 'communicated', template: values.template ?? ''},
			done: `${values.template} customer message recorded as sent`,
		}),
	}),
];
