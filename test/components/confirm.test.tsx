import {render} from 'ink-testing-library';
import {describe, expect, it, vi} from 'vitest';
import {App} from '../../source/app';
import {createExecutor} from '../../source/actions/executor';
import {newEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import type {Mode} from '../../source/store';
import {nodeAction, testTarget} from '../helpers/actions';
import {journalOf} from '../helpers/incidents';
import {testControls, testStore} from '../helpers/store';

/** The screen asking to run the test command, as the executor puts the question. */
function asking(risk: 'mutating' | 'destructive', mode: Partial<Mode> = {}) {
	const store = testStore({columns: 100, rows: 24, mode});
	store.setState({
		incident: replayIncident('INC-1', journalOf([0, newEvent.declared({title: 'Outage', severity: 'P1', services: []})])),
	});
	const executor = createExecutor({
		store,
		record: vi.fn(),
		track: (_what, write) => write,
		services: {refresh: vi.fn()},
		redact: text => text.replaceAll('hunter2', '***'),
	});
	executor.request(nodeAction("console.log('token hunter2')", {risk}));
	const controls = testControls();
	const view = render(<App store={store} controls={controls} />);
	const text = () => view.lastFrame() ?? '';
	return {store, controls, view, text};
}

describe('the confirmation', () => {
	it('shows the exact command (secrets masked), the target, what will happen and y/N', () => {
		const {text} = asking('mutating');
		expect(text()).toContain('test command · mutating');
		expect(text()).toContain(`Target: ${testTarget}`);
		expect(text()).toContain(`Command: ${process.execPath} -e 'console.log('\\''token ***'\\'')'`);
		expect(text()).not.toContain('hunter2');
		expect(text()).toContain('Will: runs a test script');
		expect(text()).toContain('Run it? y/N (any other key: No)');
	});

	it('says a dry run will run nothing', () => {
		expect(asking('mutating', {dryRun: true}).text()).toContain('dry run: nothing will run, it is only recorded');
	});

	it('y/N: Enter is No; the notice says it was not run', async () => {
		const {view, text, controls} = asking('mutating');
		view.stdin.write('\r');
		await vi.waitFor(() => expect(text()).toContain(`not run: test command on ${testTarget}`));
		expect(text()).not.toContain('Run it?');
		expect(controls.actions.run).not.toHaveBeenCalled();
	});

	it('y/N: y runs it', async () => {
		const {view, controls} = asking('mutating');
		view.stdin.write('y');
		await vi.waitFor(() => expect(controls.actions.run).toHaveBeenCalledTimes(1));
	});

	it('destructive: asks for the name, shows what is typed, refuses a near miss, runs on the exact name', async () => {
		const {view, text, controls} = asking('destructive');
		expect(text()).toContain(`Type ${testTarget} to run it (Enter), Esc cancels:`);
		view.stdin.write('production/api');
		await vi.waitFor(() => expect(text()).toContain('> production/api'));
		view.stdin.write('\r');
		await vi.waitFor(() => expect(text()).toContain(`! "production/api" is not ${testTarget}: type the name exactly, or Esc`));
		expect(controls.actions.run).not.toHaveBeenCalled();
		view.stdin.write('-gateway\r');
		await vi.waitFor(() => expect(controls.actions.run).toHaveBeenCalledTimes(1));
	});
});

describe('what the confirmation knows of its target', () => {
	it("draws each line of it, a backend's query written to attack the terminal as plain text", () => {
		const store = testStore({columns: 100, rows: 24});
		const prepared = {
			target: 'backend 4242',
			command: {kind: 'run' as const, name: 'SELECT pg_terminate_backend(pid) …', run: async () => undefined},
			effect: 'end backend 4242',
			summary: 'pg_terminate_backend of backend 4242',
			details: [
				'pid 4242 · user migrator · state idle in transaction',
				"Query: UPDATE t SET a = '\u001b]0;pwned\u0007\u001b[2J\u202e'",
				'Server: db:5432/shop',
			],
		};
		store.setState(state => ({
			ui: {
				...state.ui,
				overlay: {
					kind: 'confirm',
					pending: {
						action: {id: 'terminate-backend', title: 'terminate backend', risk: 'destructive', timeoutMs: 1000, journals: []},
						prepared,
						shown: prepared.command.name,
						question: {confirmation: 'type-name', name: '4242', typed: ''},
						prepareAgain: () => prepared,
					},
				},
			},
		}));
		const frame = render(<App store={store} controls={testControls()} />).lastFrame() ?? '';
		expect(frame).toContain('Target: backend 4242');
		expect(frame).toContain('pid 4242 · user migrator · state idle in transaction');
		expect(frame).toContain("Query: UPDATE t SET a = ''");
		expect(frame).toContain('Server: db:5432/shop');
		expect(frame).toContain('Type 4242 to run it (Enter), Esc cancels:');
		expect(frame).not.toMatch(/[\u0007\u202e]|\u001b\]/);
	});
});
