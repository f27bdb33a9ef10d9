import {describe, expect, it} from 'vitest';
import {confirmationFor, risks} from '../../source/actions/confirm';
import {commandText} from '../../source/actions/command';
import {formKinds} from '../../source/actions/forms';
import {actionBinding, bindings, isLive, liveBindings, type KeyContext} from '../../source/actions/keys';
import {registry} from '../../source/actions/registry';
import {panelIds} from '../../source/view-model/panels';
import {newEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import {nodeAction} from '../helpers/actions';
import {journalOf} from '../helpers/incidents';
import {testStore} from '../helpers/store';

/** Every context a key can be pressed in. */
const contexts: KeyContext[] = panelIds.flatMap(focus =>
	[true, false].flatMap(hasIncident =>
		[true, false].flatMap(readOnly => [true, false].map(zoomed => ({focus, hasIncident, readOnly, zoomed}))),
	),
);

describe('the action registry', () => {
	it('gives every action its own id', () => {
		const ids = registry.map(action => action.id);
		expect(new Set(ids).size).toBe(ids.length);
	});

	it('gives every key one binding at most in every panel and mode, moving around included', () => {
		for (const context of contexts) {
			const keys = liveBindings(context).flatMap(binding => binding.keys);
			expect(
				keys.filter((key, index) => keys.indexOf(key) !== index),
				JSON.stringify(context),
			).toEqual([]);
		}
	});

	it('asks in proportion to risk: nothing for read and safe, y/N for mutating, the name for destructive', () => {
		expect(risks.map(risk => [risk, confirmationFor(risk)])).toEqual([
			['read', 'none'],
			['safe', 'none'],
			['mutating', 'yes-no'],
			['destructive', 'type-name'],
		]);
		for (const action of registry) expect(action.confirmation, action.id).toBe(confirmationFor(action.risk));
	});

	it('lets an entry ask more than its risk does', () => {
		expect(nodeAction('', {risk: 'mutating'}).confirmation).toBe('yes-no');
		expect(nodeAction('', {risk: 'mutating', confirmation: 'type-name'}).confirmation).toBe('type-name');
	});

	it('binds only read actions in read-only mode, whatever the registry holds', () => {
		const all = [
			...bindings,
			...(['safe', 'mutating', 'destructive', 'read'] as const).map((risk, index) =>
				actionBinding(nodeAction('', {risk, key: `F${index}`})),
			),
		];
		for (const context of contexts.filter(({readOnly}) => readOnly)) {
			expect(all.filter(binding => isLive(binding, context) && binding.risk !== 'read')).toEqual([]);
		}
		const context: KeyContext = {focus: 'pods', hasIncident: true, readOnly: true, zoomed: false};
		const live = all.filter(binding => isLive(binding, context)).map(binding => binding.action);
		expect(live).toContain('test-read');
		expect(live).toContain('refresh');
		expect(live).not.toContain('test-mutating');
	});

	it('journals by risk: a read nothing, a safe action its one incident event, a command its start and end', () => {
		for (const action of registry) {
			if (action.risk === 'read') expect(action.journals, action.id).toEqual([]);
			else if (action.risk === 'safe') {
				expect(action.journals, action.id).toHaveLength(1);
				expect(action.journals[0], action.id).not.toMatch(/^action_/);
			} else expect(action.journals, action.id).toEqual(['action_started', 'action_finished']);
		}
		expect(nodeAction('').journals).toEqual(['action_started', 'action_finished']);
	});

	it('records every change to an incident in one: all but the declaration need an incident on screen', () => {
		expect(registry.filter(action => action.risk !== 'read' && !action.needsIncident).map(action => action.id)).toEqual([
			'declare',
		]);
	});

	it('puts every form behind exactly one action', () => {
		for (const kind of formKinds)
			expect(registry.filter(action => action.form === kind).map(action => action.id)).toEqual([kind]);
	});

	it('gives every action a timeout', () => {
		for (const action of registry) expect(action.timeoutMs, action.id).toBeGreaterThan(0);
	});
});

describe('a command as shown', () => {
	it('is the argument array as a shell would need it quoted, so what is shown is exactly what runs', () => {
		expect(commandText({kind: 'argv', argv: ['kubectl', 'rollout', 'undo', 'deployment/api-gateway', '-n', 'production']})).toBe(
			'kubectl rollout undo deployment/api-gateway -n production',
		);
		expect(commandText({kind: 'argv', argv: ['node', '-e', "console.log('a b')", '']})).toBe(
			`node -e 'console.log('\\''a b'\\'')' ''`,
		);
	});
});

describe('the checklist tick', () => {
	const tick = registry.find(action => action.id === 'tick')!;
	const state = () => {
		const store = testStore();
		store.setState({
			incident: replayIncident('INC-1', journalOf([0, newEvent.declared({title: 'Outage', severity: 'P1', services: []})])),
		});
		return store.getState();
	};

	it('ticks the item whose key is selected when it runs, and names it', () => {
		const item = 'Are critical services (auth, pipeline, database) healthy?';
		expect(tick.prepare(state(), item, {})).toMatchObject({
			target: item,
			command: {kind: 'journal', event: {type: 'checked', item, done: true}},
			summary: `ticked: ${item}`,
		});
	});

	it('refuses an item that is no longer on the checklist, never ticking another', () => {
		expect(tick.prepare(state(), 'An item of another phase', {})).toEqual({refused: 'no checklist item selected'});
		expect(tick.prepare(state(), undefined, {})).toEqual({refused: 'no checklist item selected'});
	});
});
