import {describe, expect, it} from 'vitest';
import {keepEvidence, playbookActions, runDiagnostic} from '../../source/actions/playbook-actions';
import {liveBindings} from '../../source/actions/keys';
import {newEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import type {Playbook} from '../../source/incident/playbook';
import {createWarroomStore, initialState, update, type Mode} from '../../source/store';
import {panelRows} from '../../source/view-model/panels';
import {recordingExecutor} from '../helpers/actions';
import {declaredAt, journalOf} from '../helpers/incidents';
import {testPod} from '../helpers/pods';
import {policy} from '../helpers/store';

// Red, a title change, a bidi override, and 100 KB on one line.
const hostileOutput =
	"process.stdout.write('\\u001b[31mred\\u001b[0m\\u001b]0;owned\\u0007 ok\\u202e\\n' + 'x'.repeat(100000) + '\\nlast line\\n')";

const playbook: Playbook = {
	id: 'ours',
	title: 'Ours',
	phase: 'assessment',
	file: 'ours.yaml',
	steps: [
		{
			title: 'Look',
			window: '0-5m',
			checklist: ['Looked'],
			diagnostics: [
				{label: 'print', argv: [process.execPath, '-e', hostileOutput]},
				{label: 'pod logs', argv: ['kubectl', 'logs', '-n', '{namespace}', '{pod}']},
				{label: 'pods', panel: 'pods'},
			],
			actions: [
				{
					key: 'Z',
					label: 'restart it',
					argv: ['kubectl', 'rollout', 'restart', 'deployment/{deployment}'],
					mutates: true,
					confirm: 'yes-no',
				},
			],
		},
	],
};

function setup(mode: Partial<Mode> = {}) {
	const store = createWarroomStore(
		initialState({
			now: declaredAt,
			policy,
			playbooks: [playbook],
			size: {columns: 100, rows: 30},
			mode: {colour: false, readOnly: false, dryRun: false, kubernetes: {production: 'prod', kubectl: 'kubectl'}, ...mode},
		}),
	);
	store.setState({
		incident: replayIncident('INC-1', journalOf([0, newEvent.declared({title: 'Outage', severity: 'P1', services: []})])),
	});
	update.ui(store, {focus: 'runbook'});
	const rowKey = (label: string) => {
		const row = panelRows(store.getState(), 'runbook').find(
			candidate => candidate.kind === 'diagnostic' && candidate.diagnostic.label === label,
		);
		return row && 'id' in row ? row.id : '';
	};
	const prepare = (label: string) => runDiagnostic.prepare(store.getState(), rowKey(label), {});
	return {store, rowKey, prepare};
}

describe('the runbook view', () => {
	it("lists the phase's checklist, then each playbook step with its own items and diagnostics", () => {
		const {store} = setup();
		const texts = panelRows(store.getState(), 'runbook').map(row =>
			row.kind === 'check' ? `[ ] ${row.item}` : row.kind === 'step' ? row.text : `> ${row.diagnostic.label}`,
		);
		expect(texts.slice(-5)).toEqual(['Ours: Look (0-5m)', '[ ] Looked', '> print', '> pod logs', '> pods']);
	});
});

describe('a diagnostic (o)', () => {
	it('runs, and its output shows sanitised with its exit code and duration; e journals it as evidence', async () => {
		const {store, rowKey} = setup();
		const {executor, recorded} = recordingExecutor(store);
		update.select(store, 'runbook', {key: rowKey('print'), index: 0, label: 'print'});
		executor.request(runDiagnostic);
		await expect.poll(() => store.getState().ui.overlay?.kind).toBe('output');
		const overlay = store.getState().ui.overlay;
		if (overlay?.kind !== 'output') throw new Error('no output');
		expect(overlay.output.lines[0]).toBe('red ok');
		expect(overlay.output.lines[1]).toHaveLength(1001);
		expect(overlay.output.ran).toMatchObject({outcome: 'ok', exitCode: 0});
		expect(recorded).toEqual([]);
		executor.request(keepEvidence);
		await expect.poll(() => recorded.length).toBe(1);
		expect(recorded[0]).toMatchObject({
			type: 'evidence',
			outcome: 'ok',
			exitCode: 0,
			command: expect.stringContaining(process.execPath),
		});
		const {output} = recorded[0] as {output: string};
		expect(output.startsWith('red ok\n')).toBe(true);
		expect(output.endsWith('last line')).toBe(true);
		expect(output).not.toMatch(/[\u001b\u0007\u202e]/);
	});

	it('is refused when the selected pod holds a hostile name, before any command is built', () => {
		const {store, prepare} = setup();
		update.reading(store, 'kubernetes', {
			state: 'ok',
			data: {context: 'prod-eu', pods: [{...testPod('--kubeconfig=/tmp/x'), namespace: 'production'}], healthyCount: 0},
			fetchedAt: 0,
		});
		update.select(store, 'pods', {key: 'production/--kubeconfig=/tmp/x', index: 0, label: 'x'});
		expect(prepare('pod logs')).toEqual({refused: expect.stringContaining('pod name "--kubeconfig=/tmp/x" is not')});
	});

	it("fills the selected pod's values", () => {
		const {store, prepare} = setup();
		update.reading(store, 'kubernetes', {
			state: 'ok',
			data: {context: 'prod-eu', pods: [testPod('api-x2k4j')], healthyCount: 0},
			fetchedAt: 0,
		});
		update.select(store, 'pods', {key: 'production/api-x2k4j', index: 0, label: 'x'});
		expect(prepare('pod logs')).toMatchObject({
			command: {kind: 'argv', argv: ['kubectl', 'logs', '-n', 'production', 'api-x2k4j']},
		});
	});

	it('points at the panel that shows it live instead of running it', () => {
		expect(setup().prepare('pods')).toEqual({refused: 'shown live in the Pods panel: press 1'});
	});

	it("never runs a runbook's kubectl in a drill", () => {
		const {store, prepare} = setup({drill: {name: 'd', title: 'D'}});
		update.reading(store, 'kubernetes', {
			state: 'ok',
			data: {context: 'drill', pods: [testPod('api-x2k4j')], healthyCount: 0},
			fetchedAt: 0,
		});
		update.select(store, 'pods', {key: 'production/api-x2k4j', index: 0, label: 'x'});
		expect(prepare('pod logs')).toEqual({refused: expect.stringContaining("a drill's cluster is simulated")});
	});
});

describe('a secret a diagnostic prints', () => {
	it('appears nowhere: not in the overlay, not in the evidence', async () => {
		const token = 'T'.repeat(200);
		const secretPlaybook: Playbook = {
			...playbook,
			steps: [
				{
					...playbook.steps[0]!,
					diagnostics: [{label: 'leak', argv: [process.execPath, '-e', `console.log('Authorization: Bearer ${token}')`]}],
				},
			],
		};
		const {store} = setup();
		store.setState({playbooks: [secretPlaybook]});
		const {executor, recorded} = recordingExecutor(store, {}, text => text.replaceAll(token, '***'));
		const row = panelRows(store.getState(), 'runbook').find(candidate => candidate.kind === 'diagnostic')!;
		update.select(store, 'runbook', {key: 'id' in row ? row.id : '', index: 0, label: 'leak'});
		executor.request(runDiagnostic);
		await expect.poll(() => store.getState().ui.overlay?.kind).toBe('output');
		executor.request(keepEvidence);
		await expect.poll(() => recorded.length).toBe(1);
		expect(JSON.stringify(store.getState().ui.overlay)).toContain('Bearer ***');
		expect(JSON.stringify([store.getState().ui, recorded])).not.toContain(token.slice(0, 20));
	});
});

describe("a playbook's action", () => {
	it('under --dry-run is journaled as what it would have run, and runs nothing', async () => {
		const {store} = setup({dryRun: true});
		update.reading(store, 'kubernetes', {
			state: 'ok',
			data: {context: 'prod-eu', pods: [testPod('api-x2k4j')], healthyCount: 0},
			fetchedAt: 0,
		});
		update.select(store, 'pods', {key: 'production/api-x2k4j', index: 0, label: 'x'});
		const {executor, recorded} = recordingExecutor(store);
		executor.request(playbookActions([playbook])[0]!);
		const overlay = store.getState().ui.overlay;
		if (overlay?.kind !== 'confirm') throw new Error('not asked');
		expect(overlay.pending.shown).toBe('kubectl rollout restart deployment/api-gateway');
		await executor.run(overlay.pending);
		expect(recorded).toEqual([
			expect.objectContaining({type: 'action_started', label: 'restart it', dryRun: true}),
			expect.objectContaining({type: 'action_finished', outcome: 'dry-run'}),
		]);
	});

	it('is bound under its key, listed in ? beside the built-in keys, and not in read-only mode', () => {
		const context = {focus: 'pods' as const, hasIncident: true, readOnly: false, zoomed: false, playbooks: [playbook]};
		expect(liveBindings(context).find(binding => binding.keys.includes('Z'))?.description).toBe('restart it (playbook ours)');
		expect(liveBindings({...context, readOnly: true}).some(binding => binding.keys.includes('Z'))).toBe(false);
		expect(playbookActions([playbook])[0]).toMatchObject({
			risk: 'mutating',
			confirmation: 'yes-no',
			journals: ['action_started', 'action_finished'],
		});
	});
});
