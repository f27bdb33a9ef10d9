import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {createExecutor, freshReadingWaitMs, runArgv} from '../../source/actions/executor';
import {defineAction, type Action} from '../../source/actions/action';
import {actionOfForm, registry} from '../../source/actions/registry';
import {IncidentDesk} from '../../source/incident/desk';
import {FileJournal} from '../../source/incident/file-journal';
import {newEvent, type JournalEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import {openForm} from '../../source/actions/forms';
import type {RefreshReason} from '../../source/sources/collector';
import {update, type Mode} from '../../source/store';
import {nodeAction, testTarget} from '../helpers/actions';
import {journalOf} from '../helpers/incidents';
import {testStore} from '../helpers/store';
import {isAlive} from '../helpers/processes';

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true});
});

const tempDir = () => {
	const dir = mkdtempSync(join(tmpdir(), 'warroom-executor-'));
	dirs.push(dir);
	return dir;
};

/** A console's executor on a real journal in a temp dir, with INC-1 declared and on screen. */
async function setup(mode: Partial<Mode> = {}) {
	const dataDir = tempDir();
	const store = testStore({mode});
	const journal = new FileJournal({dir: dataDir, actor: 'alice@bastion'});
	const desk = new IncidentDesk(journal, view => store.setState({incident: view.incident}));
	await desk.declare(newEvent.declared({title: 'API gateway outage', severity: 'P1', services: ['api-gateway']}));
	const refresh = vi.fn(async (_reason?: RefreshReason) => {});
	const executor = createExecutor({
		store,
		record: async event => (await desk.record(event)).incident,
		track: (_what, write) => write,
		services: {refresh},
		redact: text => text.replaceAll('hunter2', '***'),
	});
	/** Asks for the action and answers its confirmation yes; settles once it is over. */
	const confirmAndRun = async (action: Action) => {
		executor.request(action);
		const overlay = store.getState().ui.overlay;
		if (overlay?.kind !== 'confirm') throw new Error(`no confirmation: ${JSON.stringify(store.getState().ui)}`);
		await executor.run(overlay.pending);
	};
	const events = async (): Promise<JournalEvent[]> => (await journal.read('INC-1')).events;
	const actionEvents = async () => (await events()).filter(event => event.type.startsWith('action_'));
	return {store, executor, refresh, confirmAndRun, events, actionEvents, dataDir};
}

/** A script that writes its pid to `file`, then never exits. */
const hangs = (file: string) =>
	`require('fs').writeFileSync(${JSON.stringify(file)}, String(process.pid)); setInterval(() => {}, 1000)`;

describe('the executor, running a real command', () => {
	it('shows the exact command and the target before it runs, and runs nothing until yes', async () => {
		const {store, executor, actionEvents} = await setup();
		executor.request(nodeAction('process.exit(0)'));
		expect(store.getState().ui.overlay).toMatchObject({
			kind: 'confirm',
			pending: {
				shown: `${process.execPath} -e 'process.exit(0)'`,
				prepared: {target: testTarget},
				question: {confirmation: 'yes-no', name: testTarget},
			},
		});
		expect(await actionEvents()).toEqual([]);
	});

	it('journals the start and an exit 0, and says so', async () => {
		const {store, confirmAndRun, actionEvents} = await setup();
		await confirmAndRun(nodeAction('process.exit(0)'));
		const [started, finished, ...more] = await actionEvents();
		expect(more).toEqual([]);
		expect(started).toMatchObject({
			type: 'action_started',
			actor: 'alice@bastion',
			action: 'test-mutating',
			label: 'test command',
			target: testTarget,
			command: `${process.execPath} -e 'process.exit(0)'`,
			dryRun: false,
		});
		expect(finished).toMatchObject({type: 'action_finished', outcome: 'ok', exitCode: 0, target: testTarget});
		expect(finished).not.toHaveProperty('stderrTail');
		expect(store.getState().ui.notice).toEqual({
			text: expect.stringMatching(/^ran test command on production\/api-gateway: exit 0 in (\d+ms|\d+\.\ds)$/),
			tone: 'info',
		});
	});

	it('journals exit 3 with the last 20 lines of stderr, controls stripped and secrets masked', async () => {
		const {store, confirmAndRun, actionEvents} = await setup();
		const script = `for (let i = 1; i <= 25; i++) console.error('line ' + i + (i === 25 ? ' token=hunter2 \\u001b[31mred' : '')); process.exit(3)`;
		await confirmAndRun(nodeAction(script));
		const finished = (await actionEvents()).at(-1);
		expect(finished).toMatchObject({outcome: 'failed', exitCode: 3});
		const tail = (finished as {stderrTail: string}).stderrTail.split('\n');
		expect(tail).toHaveLength(20);
		expect(tail[0]).toBe('line 6');
		expect(tail.at(-1)).toBe('line 25 token=*** red');
		expect(store.getState().ui.notice).toMatchObject({text: expect.stringContaining('exit 3'), tone: 'error'});
	});

	it('says why a command failed on the footer: its last line of stderr, cleaned and masked, or its own words for it', async () => {
		const {store, confirmAndRun} = await setup();
		const script = `console.error('client log'); console.error('Error: refused token=hunter2 \\u001b[31mred'); process.exit(1)`;
		await confirmAndRun(nodeAction(script));
		expect(store.getState().ui.notice?.text).toMatch(/: exit 1 in \S+: Error: refused token=\*\*\* red$/);
		await confirmAndRun(nodeAction(script, {explain: stderr => `refused (${stderr.split('\n').length} lines)`}));
		expect(store.getState().ui.notice?.text).toMatch(/: exit 1 in \S+: refused \(2 lines\)$/);
	});

	it('says a change is done only once the sources are read again, so what the panels show is what it made', async () => {
		const {store, executor, refresh, confirmAndRun} = await setup();
		let readAgain = () => {};
		refresh.mockImplementation(() => new Promise<void>(done => (readAgain = done)));
		executor.request(nodeAction('process.exit(0)'));
		const overlay = store.getState().ui.overlay;
		if (overlay?.kind !== 'confirm') throw new Error('no confirmation');
		const running = executor.run(overlay.pending);
		await vi.waitFor(() => expect(refresh).toHaveBeenCalledTimes(1));
		expect(refresh).toHaveBeenCalledWith('changed');
		expect(store.getState().ui.notice).toBeUndefined();
		readAgain();
		await running;
		expect(store.getState().ui.notice?.text).toMatch(/^ran test command on production\/api-gateway: exit 0 in /);
		// A source that never answers holds the result back no longer than freshReadingWaitMs.
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
		try {
			const held = confirmAndRun(nodeAction('process.exit(0)'));
			await vi.waitFor(() => expect(refresh).toHaveBeenCalledTimes(2), {timeout: 10_000});
			await vi.advanceTimersByTimeAsync(freshReadingWaitMs);
			await held;
		} finally {
			vi.useRealTimers();
		}
		expect(refresh).toHaveBeenCalledTimes(2);
		// A read changes nothing: nothing to read again for.
		await confirmAndRun(nodeAction('process.exit(0)', {risk: 'read', confirmation: 'yes-no'}));
		expect(refresh).toHaveBeenCalledTimes(2);
	});

	it('kills a command that hangs past its timeout, leaves no process behind, and journals it', async () => {
		const {confirmAndRun, actionEvents} = await setup();
		const pidFile = join(tempDir(), 'pid');
		await confirmAndRun(nodeAction(hangs(pidFile), {timeoutMs: 500}));
		expect((await actionEvents()).at(-1)).toMatchObject({outcome: 'timed-out'});
		expect(isAlive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
	});

	it('stops a running command when the console closes (abortAll), and journals it aborted', async () => {
		const {executor, confirmAndRun, actionEvents} = await setup();
		const pidFile = join(tempDir(), 'pid');
		const running = confirmAndRun(nodeAction(hangs(pidFile)));
		await vi.waitFor(() => expect(existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '').toBe(true));
		executor.abortAll();
		await running;
		expect((await actionEvents()).at(-1)).toMatchObject({outcome: 'aborted'});
		expect(isAlive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
	});

	it('once the console closes, a refresh asked for reads nothing and says it was aborted', async () => {
		const {store, executor, refresh} = await setup();
		executor.abortAll();
		executor.request(registry.find(action => action.id === 'refresh')!);
		await vi.waitFor(() =>
			expect(store.getState().ui.notice).toMatchObject({text: expect.stringContaining('aborted'), tone: 'error'}),
		);
		expect(refresh).not.toHaveBeenCalled();
	});

	it('journals a command that cannot start as an error', async () => {
		const result = await runArgv(['/nonexistent/kubectl', 'version'], {timeoutMs: 5000, signal: new AbortController().signal});
		expect(result).toMatchObject({outcome: 'error', error: expect.stringContaining('ENOENT')});
	});

	it('starts nothing once its AbortSignal has fired', async () => {
		const result = await runArgv(['/nonexistent/kubectl', 'version'], {timeoutMs: 5000, signal: AbortSignal.abort()});
		expect(result).toEqual({outcome: 'aborted', stderr: '', durationMs: 0});
	});

	it('stops at an AbortSignal', async () => {
		const pidFile = join(tempDir(), 'pid');
		const controller = new AbortController();
		const result = runArgv([process.execPath, '-e', hangs(pidFile)], {timeoutMs: 30_000, signal: controller.signal});
		await vi.waitFor(() => expect(existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '').toBe(true));
		controller.abort();
		expect(await result).toMatchObject({outcome: 'aborted'});
		expect(isAlive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
	});
});

describe('a target that changes while the question is on screen', () => {
	/** An action on whichever row the test names as present, like a pod that can vanish between the question and the answer. */
	function actionOnRow(rows: {present: Set<string>}, marker: string): Action {
		return defineAction<string>({
			id: 'test-on-row',
			title: 'test command',
			keys: ['T'],
			keyLabel: 'T',
			description: 'run a test command on a row',
			risk: 'mutating',
			journals: ['action_started', 'action_finished'],
			target: () => (rows.present.has(testTarget) ? {value: testTarget, name: testTarget} : {refused: `${testTarget} is gone`}),
			build: ({target}) => ({
				command: {
					kind: 'argv',
					argv: [process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, ${JSON.stringify(target)})`],
				},
				effect: 'writes a marker',
				summary: 'test command',
			}),
		});
	}

	it('runs nothing when the row is gone by the time yes is answered, and says why', async () => {
		const {store, executor, dataDir, actionEvents} = await setup();
		const marker = join(dataDir, 'ran');
		const rows = {present: new Set([testTarget])};
		executor.request(actionOnRow(rows, marker));
		const overlay = store.getState().ui.overlay;
		if (overlay?.kind !== 'confirm') throw new Error('no confirmation');
		rows.present.delete(testTarget);

		await executor.run(overlay.pending);

		expect(store.getState().ui.notice).toEqual({text: `not run: ${testTarget} is gone`, tone: 'error'});
		expect(existsSync(marker)).toBe(false);
		expect(await actionEvents()).toEqual([]);
	});

	it('says on the open question, as soon as a reading shows the row gone, that yes would run nothing', async () => {
		const {store, executor, dataDir} = await setup();
		const rows = {present: new Set([testTarget])};
		executor.request(actionOnRow(rows, join(dataDir, 'ran')));
		rows.present.delete(testTarget);
		expect(store.getState().ui.overlay).not.toHaveProperty('pending.changed');
		update.reading(store, 'kubernetes', {state: 'ok', data: {pods: [], healthyCount: 0}, fetchedAt: 1});
		expect(store.getState().ui.overlay).toMatchObject({
			kind: 'confirm',
			pending: {changed: `not run: ${testTarget} is gone`},
		});
	});

	it('runs what was confirmed when the row is still there', async () => {
		const {store, executor, dataDir} = await setup();
		const marker = join(dataDir, 'ran');
		executor.request(actionOnRow({present: new Set([testTarget])}, marker));
		const overlay = store.getState().ui.overlay;
		if (overlay?.kind !== 'confirm') throw new Error('no confirmation');
		await executor.run(overlay.pending);
		expect(readFileSync(marker, 'utf8')).toBe(testTarget);
	});
});

describe('--dry-run', () => {
	it('journals what would have run, and runs nothing', async () => {
		const {store, confirmAndRun, actionEvents} = await setup({dryRun: true});
		const marker = join(tempDir(), 'ran');
		await confirmAndRun(nodeAction(`require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`));
		const [started, finished] = await actionEvents();
		expect(started).toMatchObject({type: 'action_started', dryRun: true, target: testTarget});
		expect(finished).toMatchObject({type: 'action_finished', outcome: 'dry-run', durationMs: 0});
		expect(existsSync(marker)).toBe(false);
		expect(store.getState().ui.notice?.text).toMatch(/^would run test command on production\/api-gateway: .* \(dry run\)$/);
	});

	it('still records what only writes the journal: a note', async () => {
		const {store, executor, events} = await setup({dryRun: true});
		executor.request(actionOfForm('note')!, {values: {text: 'rolled back by hand'}});
		await vi.waitFor(() => expect(store.getState().ui.notice?.text).toBe('note added to the timeline'));
		expect((await events()).at(-1)).toMatchObject({type: 'note', text: 'rolled back by hand'});
	});
});

describe('--read-only', () => {
	it('refuses anything but a read, even asked directly, and journals nothing', async () => {
		const {store, executor, events, refresh} = await setup({readOnly: true});
		for (const action of [nodeAction('process.exit(0)'), actionOfForm('note')!]) {
			executor.request(action, {values: {text: 'x'}});
			expect(store.getState().ui.overlay).toBeUndefined();
			expect(store.getState().ui.notice).toEqual({text: `read-only: ${action.title} is not available`, tone: 'error'});
		}
		executor.request(registry.find(action => action.id === 'refresh')!);
		await vi.waitFor(() => expect(refresh).toHaveBeenCalled());
		expect((await events()).map(event => event.type)).toEqual(['declared']);
	});
});

describe('when the journal cannot write', () => {
	function failingExecutor() {
		const store = testStore();
		store.setState({
			incident: replayIncident('INC-1', journalOf([0, newEvent.declared({title: 'Outage', severity: 'P1', services: []})])),
		});
		const executor = createExecutor({
			store,
			record: () => Promise.reject(new Error('no space left on device (ENOSPC)')),
			track: (_what, write) => write,
			services: {refresh: vi.fn()},
			redact: text => text,
		});
		return {store, executor};
	}

	it('a form comes back with what was typed and why it was not saved', async () => {
		const {store, executor} = failingExecutor();
		const form = openForm('note', store.getState().incident, store.getState().policy);
		executor.request(actionOfForm('note')!, {values: {text: 'rolled back'}, form});
		await vi.waitFor(() =>
			expect(store.getState().ui.overlay).toMatchObject({
				kind: 'form',
				form: {kind: 'note', values: {text: 'rolled back'}, error: 'not saved: no space left on device (ENOSPC)'},
			}),
		);
	});

	it('a command whose start cannot be recorded does not run', async () => {
		const {store, executor} = failingExecutor();
		const marker = join(tempDir(), 'ran');
		executor.request(nodeAction(`require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`));
		const overlay = store.getState().ui.overlay;
		if (overlay?.kind !== 'confirm') throw new Error('no confirmation');
		await executor.run(overlay.pending);
		expect(store.getState().ui.notice).toEqual({text: 'no space left on device (ENOSPC)', tone: 'error'});
		expect(existsSync(marker)).toBe(false);
	});
});

describe('a form whose values are refused', () => {
	it('comes back with what was chosen and why, and nothing is journaled', async () => {
		const {store, executor, events} = await setup();
		const form = openForm('status', store.getState().incident, store.getState().policy);
		executor.request(actionOfForm('status')!, {values: form.values, form});
		expect(store.getState().ui.overlay).toEqual({
			kind: 'form',
			form: {...form, values: {status: 'investigating'}, error: 'INC-1 is already investigating'},
		});
		expect((await events()).map(event => event.type)).toEqual(['declared']);
	});
});

describe('a change made inside the console (a drill, a database signal)', () => {
	it('reads the sources again once, after it is done, outside its own timeout', async () => {
		const {store, executor, refresh} = await setup();
		const change = defineAction({
			id: 'test-inside',
			title: 'inside change',
			keys: ['I'],
			keyLabel: 'I',
			description: 'inside change',
			risk: 'mutating',
			journals: ['action_started', 'action_finished'],
			build: () => ({
				command: {kind: 'run', name: 'change inside', run: async () => undefined},
				effect: 'changes',
				summary: 'inside change',
			}),
		});
		executor.request(change);
		const overlay = store.getState().ui.overlay;
		if (overlay?.kind !== 'confirm') throw new Error('no confirmation');
		await executor.run(overlay.pending);
		expect(refresh.mock.calls).toEqual([['changed']]);
	});
});

/** A read command (no question, no journal) that shows what `node -e script` prints. */
const printingAction = (script: string) =>
	defineAction({
		id: 'test-print',
		title: 'print',
		keys: ['P'],
		keyLabel: 'P',
		description: 'print',
		risk: 'read',
		journals: [],
		build: () => ({
			command: {kind: 'argv', argv: [process.execPath, '-e', script], output: {title: 'printed', atEnd: true}},
			effect: 'prints',
			summary: 'print',
		}),
	});

/** Asks for a read action and waits for its output overlay. */
async function outputOf(store: Awaited<ReturnType<typeof setup>>['store'], run: () => void) {
	run();
	await vi.waitFor(() => expect(store.getState().ui.overlay?.kind).toBe('output'), {timeout: 5000});
	const overlay = store.getState().ui.overlay;
	return overlay?.kind === 'output' ? overlay.output : undefined;
}

describe("a read command's output", () => {
	it('opens in the output overlay at its end, cleaned and with secrets masked, and journals nothing', async () => {
		const {store, executor, actionEvents} = await setup();
		const script = `for (let i = 1; i <= 30; i++) console.log('line ' + i); console.log('\\u001b]0;pwned\\u0007token=hunter2 \\u202eevil')`;
		const output = await outputOf(store, () => executor.request(printingAction(script)));
		expect(output?.title).toBe('printed');
		expect(output?.lines.at(-1)).toBe('token=*** evil');
		expect(output?.lines).toHaveLength(31);
		expect(output?.top).toBeGreaterThan(0);
		expect(await actionEvents()).toEqual([]);
	});

	it('says why it failed, from its stderr', async () => {
		const {store, executor} = await setup();
		const script = `console.error('Error from server (NotFound): pods "api-x" not found'); process.exit(1)`;
		const output = await outputOf(store, () => executor.request(printingAction(script)));
		expect(output?.title).toBe('printed · failed');
		expect(output?.lines[0]).toMatch(/^ran print: exit 1 in \d/);
		expect(output?.lines.slice(1)).toEqual(['Error from server (NotFound): pods "api-x" not found']);
		expect(store.getState().ui.notice?.tone).toBe('error');
	});

	it('never counts a change that flooded stdout, and was stopped for it, as done', async () => {
		const {confirmAndRun, actionEvents} = await setup();
		await confirmAndRun(nodeAction(`process.stdout.write('x'.repeat(1_500_000)); setInterval(() => {}, 1000)`));
		const finished = (await actionEvents()).find(event => event.type === 'action_finished');
		expect(['failed', 'error']).toContain((finished as {outcome: string}).outcome);
	});

	it('keeps what a command printed up to 2 MB, stops it there and says it was cut', async () => {
		const {store, executor} = await setup();
		const script = `const line = 'x'.repeat(999) + '\\n'; for (let i = 0; i < 3000; i++) process.stdout.write(line); setInterval(() => {}, 1000)`;
		const output = await outputOf(store, () => executor.request(printingAction(script)));
		expect(output?.title).toBe('printed');
		expect(output?.lines.at(-1)).toBe('… cut: more than 2 MB');
		expect(output?.lines.length).toBeGreaterThan(1900);
	});
});
