import {render} from 'ink-testing-library';
import {describe, expect, it, vi} from 'vitest';
import {App} from '../../source/app';
import {createExecutor} from '../../source/actions/executor';
import {openOutput, outputLines, outputVisibleRows} from '../../source/actions/output';
import {registry} from '../../source/actions/registry';
import {newEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import {update, type Mode} from '../../source/store';
import {journalOf} from '../helpers/incidents';
import {testPod} from '../helpers/pods';
import {testControls, testStore} from '../helpers/store';

/** The screen asking to roll back the gateway on `context`. */
function askingUndo(context: string, mode: Partial<Mode> = {}) {
	const store = testStore({columns: 120, rows: 24, mode});
	store.setState({
		incident: replayIncident('INC-1', journalOf([0, newEvent.declared({title: 'Outage', severity: 'P1', services: []})])),
	});
	const history = [
		{revision: 7, replicaSet: 'api-gateway-7d9f8b6c5', images: ['gateway:2.15.0']},
		{revision: 6, replicaSet: 'api-gateway-5c8d7f9b4', images: ['gateway:2.14.3']},
	];
	const gateway = {namespace: 'production', name: 'api-gateway', desired: 3, ready: 0, updated: 3, available: 0};
	update.reading(store, 'kubernetes', {
		state: 'ok',
		data: {
			context,
			pods: [testPod('api-gateway-7d9f8b6c5-x2k4j')],
			healthyCount: 0,
			deployments: [{...gateway, revision: 7, images: ['gateway:2.15.0'], history}],
		},
		fetchedAt: 0,
	});
	const executor = createExecutor({
		store,
		record: vi.fn(),
		track: (_what, write) => write,
		services: {refresh: vi.fn()},
		redact: text => text,
	});
	executor.request(registry.find(action => action.id === 'rollout-undo')!);
	const view = render(<App store={store} controls={testControls()} />);
	return () => view.lastFrame() ?? '';
}

describe('the confirmation of a change to a cluster', () => {
	it('repeats the context and the namespace, and PROD for a production context', () => {
		const text = askingUndo('prod-eu')();
		expect(text).toContain('rollout undo · mutating');
		expect(text).toContain('Target: production/api-gateway');
		// Reverse video is checked end to end, where the terminal draws it (test/e2e/kubernetes-actions.test.ts).
		expect(text).toContain('Cluster:  PROD  context prod-eu · namespace production');
		expect(text).toContain(
			'Command: kubectl --context prod-eu -n production rollout undo deployment/api-gateway --to-revision=6',
		);
		expect(text).toContain('Will: roll api-gateway back from revision 7 (gateway:2.15.0) to revision 6 (gateway:2.14.3)');
	});

	it('does not say PROD for another context', () => {
		const text = askingUndo('staging-eu')();
		expect(text).toContain('Cluster: context staging-eu · namespace production');
		expect(text).not.toContain('PROD');
	});

	it("says a drill's command acts on the simulated cluster", () => {
		const text = askingUndo('drill-prod', {drill: {name: 'quick-outage', title: 'Gateway outage'}})();
		expect(text).toMatch(/context drill-prod · namespace production · drill: the drill's simulated cluster, nothing real/);
	});
});

describe('the output overlay', () => {
	it('shows the end of a log, scrolls with the keys, and Esc closes it', async () => {
		const rows = 24;
		const store = testStore({columns: 100, rows});
		const text = Array.from(
			{length: 100},
			(_, index) => `2026-11-27T03:01:${String(index).padStart(2, '0')}Z line ${index + 1}`,
		).join('\n');
		const lines = outputLines(text);
		update.ui(store, {
			overlay: {
				kind: 'output',
				output: openOutput(
					{title: 'logs production/api-x', command: 'kubectl --context prod -n production logs api-x --tail=200', lines},
					outputVisibleRows(rows),
					true,
				),
			},
		});
		const view = render(<App store={store} controls={testControls()} />);
		const frame = () => view.lastFrame() ?? '';
		expect(frame()).toContain('logs production/api-x · lines 86-100 of 100');
		expect(frame()).toContain('line 100');
		expect(frame()).toContain('$ kubectl --context prod -n production logs api-x --tail=200');
		expect(frame()).not.toContain('line 85 ');
		view.stdin.write('g');
		await vi.waitFor(() => expect(frame()).toContain('lines 1-15 of 100'));
		expect(frame()).toMatch(/Z line 1\b/);
		view.stdin.write('j');
		await vi.waitFor(() => expect(frame()).toContain('lines 2-16 of 100'));
		view.stdin.write('\u001B[6~');
		await vi.waitFor(() => expect(frame()).toContain('lines 17-31 of 100'));
		view.stdin.write('\u001B');
		await vi.waitFor(() => expect(frame()).not.toContain('lines 17-31'));
		expect(store.getState().ui.overlay).toBeUndefined();
	});
});
