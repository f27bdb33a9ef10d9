import {describe, expect, it} from 'vitest';
import {join} from 'node:path';
import {formKey, formPaste, openForm, parseServices, type FormState, type FormStep} from '../../source/actions/forms';
import {keyName, keyPresses} from '../../source/actions/input';
import {loadPolicy} from '../../source/incident/policy-file';
import {builtInRunbooksDir} from '../../source/paths';

const policy = loadPolicy(join(builtInRunbooksDir, 'severity.yaml'));

/** Types `keys` into a form the way the app routes them: one press at a time. */
function type(form: FormState, chunk: string): FormStep {
	let step: FormStep = {state: form};
	for (const press of keyPresses(chunk, {})) {
		if (!('state' in step)) break;
		step = formKey(step.state, press.name, press.input);
	}
	return step;
}

describe('the declare form', () => {
	it('starts at P1 and moves the severity with the arrows', () => {
		const form = openForm('declare', undefined, policy);
		expect(form.values.severity).toBe('P1');
		const left = formKey(form, 'left', '');
		expect('state' in left && left.state.values.severity).toBe('P0');
		const wrapped = formKey(form, 'right', '');
		expect('state' in wrapped && wrapped.state.values.severity).toBe('P2');
	});

	it('takes a title and services typed quickly in one chunk, Tab and Enter included', () => {
		const step = type(openForm('declare', undefined, policy), '\tAPI gateway outage\tapi-gateway, auth\r');
		expect(step).toEqual({submit: {severity: 'P1', title: 'API gateway outage', services: 'api-gateway, auth'}});
	});

	it('keeps the form open on the title field with an error when the title is empty', () => {
		const step = type(openForm('declare', undefined, policy), '\t\t\r');
		expect(step).toMatchObject({state: {active: 1, error: 'a title is needed: what is broken, in a few words'}});
	});

	it('rejects a service name a person mistyped', () => {
		const step = type(openForm('declare', undefined, policy), '\tOutage\tapi gateway/v2\r');
		expect(step).toMatchObject({state: {error: '"gateway/v2" is not a service name (lower-case letters, digits and -)'}});
	});

	it('drops control characters from pasted text', () => {
		const step = type(openForm('declare', undefined, policy), '\tbad\u0007 title\u001B');
		expect('state' in step && step.state.values.title).toBe('bad title');
	});

	it('Esc cancels', () => {
		expect(formKey(openForm('note', undefined, policy), 'esc', '')).toEqual({cancel: true});
	});

	it('backspace deletes the last character', () => {
		expect(type(openForm('note', undefined, policy), 'abc\u007F')).toMatchObject({state: {values: {text: 'ab'}}});
	});
});

describe('forms that change the incident', () => {
	it('escalation is prefilled with whom the severity escalates to', () => {
		const form = openForm('escalate', {severity: 'P0'} as never, policy);
		expect(form.values.to).toBe('SRE team lead');
	});

	it('status choices can be picked by their first letter', () => {
		const form = openForm('status', {status: 'investigating'} as never, policy);
		expect(formKey(form, 'm', 'm')).toMatchObject({state: {values: {status: 'monitoring'}}});
	});

	it('an empty note is refused', () => {
		expect(type(openForm('note', undefined, policy), '  \r')).toMatchObject({state: {error: 'the note is empty'}});
	});
});

describe('the scale form', () => {
	it('takes digits only, typed or pasted', () => {
		const form = openForm('scale', undefined, policy);
		expect(type(form, '1a2-')).toMatchObject({state: {values: {replicas: '12'}}});
		expect(formPaste(form, ' 3 replicas\n')).toMatchObject({values: {replicas: '3'}});
	});

	it('submits what was typed, even nothing: the scale action says which counts it takes, and the form comes back with it', () => {
		expect(formKey(openForm('scale', undefined, policy), 'enter', '')).toEqual({submit: {replicas: ''}});
		expect(type(openForm('scale', undefined, policy), '0\r')).toEqual({submit: {replicas: '0'}});
	});
});

describe('key names', () => {
	it.each([
		[{tab: true}, '', 'tab'],
		[{tab: true, shift: true}, '', 'shift-tab'],
		[{return: true}, '\r', 'enter'],
		[{upArrow: true}, '', 'up'],
		[{ctrl: true}, 'c', 'ctrl-c'],
		[{}, ' ', 'space'],
		[{}, 'K', 'K'],
	])('%o %j is %s', (key, input, name) => {
		expect(keyName(input, key)).toBe(name);
	});

	it('splits services and drops duplicates', () => {
		expect(parseServices('api, auth api  db')).toEqual(['api', 'auth', 'db']);
	});
});

describe('recording a customer message', () => {
	it('offers the initial message first, then updates', () => {
		expect(openForm('communicate', {events: [{type: 'declared'}]} as never, policy).values.template).toBe('initial');
		expect(openForm('communicate', {events: [{type: 'communicated'}]} as never, policy).values.template).toBe('update');
	});
});
