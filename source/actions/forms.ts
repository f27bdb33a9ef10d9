/**
 * The console's forms (declare, note, status, severity, escalate): their
 * fields, how keys and pastes edit them, and how their values are checked. Pure; the
 * Form component only draws this state.
 */
import {communicationTemplates, messageTemplates, statuses} from '../incident/events';
import {askedFields} from '../incident/messages';
import type {Incident} from '../incident/incident';
import {severityLevels, type Policy} from '../incident/policy';
import {pastedLine, typedText} from './input';

export const formKinds = ['declare', 'note', 'status', 'severity', 'escalate', 'communicate', 'message', 'scale'] as const;
export type FormKind = (typeof formKinds)[number];

export type Field =
	| {name: string; label: string; kind: 'text'; placeholder?: string; maxLength: number; digitsOnly?: boolean}
	| {name: string; label: string; kind: 'choice'; options: readonly string[]};

export type FormSpec = {title: string; fields: Field[]};

export type FormState = {
	kind: FormKind;
	values: Record<string, string>;
	active: number;
	error?: string;
	/** A line under the title about what the form acts on: `production/api-gateway: 3 replicas now`. */
	note?: string;
};

export const formSpecs: Record<FormKind, FormSpec> = {
	declare: {
		title: 'Declare an incident',
		fields: [
			{name: 'severity', label: 'Severity', kind: 'choice', options: severityLevels},
			{name: 'title', label: 'Title', kind: 'text', placeholder: 'API gateway outage', maxLength: 120},
			{name: 'services', label: 'Affected services', kind: 'text', placeholder: 'api-gateway, auth', maxLength: 200},
		],
	},
	note: {title: 'Add a note', fields: [{name: 'text', label: 'Note', kind: 'text', maxLength: 500}]},
	status: {title: 'Change status', fields: [{name: 'status', label: 'Status', kind: 'choice', options: statuses}]},
	severity: {title: 'Change severity', fields: [{name: 'severity', label: 'Severity', kind: 'choice', options: severityLevels}]},
	escalate: {title: 'Record an escalation', fields: [{name: 'to', label: 'Escalated to', kind: 'text', maxLength: 120}]},
	communicate: {
		title: 'Record a customer message as sent',
		fields: [{name: 'template', label: 'Message', kind: 'choice', options: communicationTemplates}],
	},
	message: {
		title: 'Write a message from the journal (blank: derived when it can be)',
		fields: [
			{name: 'template', label: 'Message', kind: 'choice', options: messageTemplates},
			...(['eta', 'impact', 'rootCause', 'resolution'] as const).map(name => ({
				name,
				label: askedFields[name].label,
				kind: 'text' as const,
				maxLength: 300,
			})),
		],
	},
	scale: {
		title: 'Scale a deployment',
		fields: [{name: 'replicas', label: 'Replicas', kind: 'text', maxLength: 4, digitsOnly: true}],
	},
};

/** A new form, its choices starting at what the incident has now. */
export function openForm(kind: FormKind, incident: Incident | undefined, policy: Policy): FormState {
	return {kind, values: initialValues(kind, incident, policy), active: 0};
}

function initialValues(kind: FormKind, incident: Incident | undefined, policy: Policy): Record<string, string> {
	switch (kind) {
		case 'declare':
			return {severity: 'P1', title: '', services: ''};
		case 'note':
			return {text: ''};
		case 'status':
			return {status: incident?.status ?? 'investigating'};
		case 'severity':
			return {severity: incident?.severity ?? 'P1'};
		case 'escalate':
			return {to: incident ? policy.severities[incident.severity].escalateTo : ''};
		case 'communicate':
			return {template: incident?.events.some(event => event.type === 'communicated') ? 'update' : 'initial'};
		case 'message':
			return {template: nextMessage(incident), eta: '', impact: '', rootCause: '', resolution: ''};
		case 'scale':
			return {replicas: ''};
	}
}

/** The message due next: the resolution once resolved, an update once customers were told, else the initial alert. */
function nextMessage(incident: Incident | undefined): string {
	if (incident?.resolvedAt !== undefined) return 'resolution';
	return incident !== undefined && incident.customerMessages.length > 0 ? 'update' : 'initial';
}

export type FormStep = {state: FormState} | {submit: Record<string, string>} | {cancel: true};

const cycle = (options: readonly string[], current: string, step: number) =>
	options[(options.indexOf(current) + step + options.length) % options.length]!;

/** What one key does to a form: edit, move, submit (when valid) or cancel. */
export function formKey(state: FormState, name: string, input: string): FormStep {
	const spec = formSpecs[state.kind];
	const field = spec.fields[state.active]!;
	const value = state.values[field.name] ?? '';
	const withValue = (next: string): FormStep => ({
		state: {...state, values: {...state.values, [field.name]: next}, error: undefined},
	});
	const move = (step: number): FormStep => ({
		state: {...state, active: (state.active + step + spec.fields.length) % spec.fields.length},
	});

	if (name === 'esc') return {cancel: true};
	if (name === 'enter') {
		const problem = validateForm(state.kind, state.values);
		return problem
			? {state: {...state, error: problem.message, active: fieldIndex(spec, problem.field)}}
			: {submit: state.values};
	}
	if (name === 'tab' || name === 'down') return move(1);
	if (name === 'shift-tab' || name === 'up') return move(-1);
	if (field.kind === 'choice') {
		if (name === 'left') return withValue(cycle(field.options, value, -1));
		if (name === 'right' || name === 'space') return withValue(cycle(field.options, value, 1));
		const chosen = field.options.find(option => option.toLowerCase().startsWith(input.toLowerCase()) && input !== '');
		return chosen ? withValue(chosen) : {state};
	}
	if (name === 'backspace') return withValue(value.slice(0, -1));
	const typed = fieldText(field, typedText(name, input));
	if (typed === '') return {state};
	return withValue((value + typed).slice(0, field.maxLength));
}

/** A paste into the active field, as one line; undefined when that field is a choice, which takes no text. */
export function formPaste(state: FormState, text: string): FormState | undefined {
	const field = formSpecs[state.kind].fields[state.active]!;
	if (field.kind !== 'text') return undefined;
	const value = `${state.values[field.name] ?? ''}${fieldText(field, pastedLine(text))}`.slice(0, field.maxLength);
	return {...state, values: {...state.values, [field.name]: value}, error: undefined};
}

/** What a text field takes of what was typed or pasted: a number field, its digits only. */
const fieldText = (field: Extract<Field, {kind: 'text'}>, text: string) => (field.digitsOnly ? text.replace(/\D/g, '') : text);

const fieldIndex = (spec: FormSpec, name: string) =>
	Math.max(
		0,
		spec.fields.findIndex(field => field.name === name),
	);

const serviceName = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Services typed as `a, b c`: lower-case names, no duplicates. */
export const parseServices = (text: string) => [...new Set(text.split(/[\s,]+/).filter(Boolean))];

/** The first problem with a form's values, if any. */
export function validateForm(kind: FormKind, values: Record<string, string>): {field: string; message: string} | undefined {
	if (kind === 'declare') {
		if (values.title?.trim() === '') return {field: 'title', message: 'a title is needed: what is broken, in a few words'};
		const bad = parseServices(values.services ?? '').find(service => !serviceName.test(service));
		if (bad) return {field: 'services', message: `"${bad}" is not a service name (lower-case letters, digits and -)`};
	}
	if (kind === 'note' && values.text?.trim() === '') return {field: 'text', message: 'the note is empty'};
	return undefined;
}
