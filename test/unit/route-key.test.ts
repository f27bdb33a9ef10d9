import {describe, expect, it, vi} from 'vitest';
import {journalLoaded, routeInput} from '../../source/actions/route-key';
import {newEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import {noticeLine, update} from '../../source/store';
import {findRow, selectedKey} from '../../source/view-model/selection';
import {createExecutor} from '../../source/actions/executor';
import {nodeAction, testTarget} from '../helpers/actions';
import {declaredAt, journalOf, minute} from '../helpers/incidents';
import {testControls, testStore} from '../helpers/store';
import {testPod} from '../helpers/pods';

function setup(options: Parameters<typeof testStore>[0] = {}) {
	const store = testStore(options);
	const controls = testControls();
	const press = (...names: string[]) => {
		for (const name of names) routeInput(store, controls, {kind: 'key', name, input: name.length === 1 ? name : ''});
	};
	/** A bracketed paste, `cut` when it was longer than the console reads. */
	const paste = (text: string, cut?: boolean) => routeInput(store, controls, {kind: 'paste', text, ...(cut ? {cut} : {})});
	/** The actions keys asked for, by id, with their form's values. */
	const requested = () => controls.actions.request.mock.calls.map(([action, request]) => [action.id, request?.values]);
	return {store, controls, press, paste, requested};
}

const pod = testPod;

/** A cluster reading listing these pods, as the collector publishes it. */
const readPods = (store: ReturnType<typeof testStore>, pods: ReturnType<typeof pod>[], fetchedAt: number, healthyCount = 1) =>
	update.reading(store, 'kubernetes', {state: 'ok', data: {pods, healthyCount}, fetchedAt});

const withIncident = (store: ReturnType<typeof testStore>, ...extra: Array<[number, ReturnType<typeof newEvent.note>]>) =>
	store.setState({
		incident: replayIncident(
			'INC-1',
			journalOf([0, newEvent.declared({title: 'Outage', severity: 'P1', services: []})], ...extra),
		),
	});

describe('moving around', () => {
	it('Tab and Shift-Tab cycle the panels; digits jump', () => {
		const {store, press} = setup();
		press('tab');
		expect(store.getState().ui.focus).toBe('database');
		press('shift-tab', 'shift-tab');
		expect(store.getState().ui.focus).toBe('runbook');
		press('3');
		expect(store.getState().ui.focus).toBe('health');
	});

	it('Enter zooms the focused panel and Esc comes back', () => {
		const {store, press} = setup();
		press('enter');
		expect(store.getState().ui.zoomed).toBe(true);
		press('esc');
		expect(store.getState().ui.zoomed).toBe(false);
	});

	it('j and k move the selection within the rows there are', () => {
		const {store, press} = setup();
		readPods(store, [pod('a'), pod('b'), pod('c')], 0);
		press('j', 'j', 'j', 'j');
		expect(store.getState().ui.selection.pods?.key).toBe('production/c');
		press('k');
		expect(store.getState().ui.selection.pods?.key).toBe('production/b');
	});

	it('the selection stays on its pod when a reading lists the pods in another order', () => {
		const {store, press} = setup();
		readPods(store, [pod('a'), pod('b'), pod('c')], 0);
		press('j');
		readPods(store, [pod('new'), pod('c'), pod('a'), pod('b')], 1);
		expect(selectedKey(store.getState(), 'pods')).toBe('production/b');
		press('k');
		expect(selectedKey(store.getState(), 'pods')).toBe('production/a');
		expect(store.getState().ui.notice).toBeUndefined();
	});

	it('a chosen pod that is gone moves the selection to the pod in its place, with a notice naming both', () => {
		const {store, press} = setup();
		readPods(store, [pod('a'), pod('b'), pod('c')], 0);
		press('j');
		readPods(store, [pod('a'), pod('c')], 1);
		expect(selectedKey(store.getState(), 'pods')).toBe('production/c');
		expect(store.getState().ui.notice).toEqual({
			text: '',
			moved: 'the selected pod production/b is gone: selection moved to production/c',
			tone: 'info',
		});
		// Both moves stay said until a key is pressed.
		readPods(store, [], 2, 3);
		expect(store.getState().ui.notice?.moved).toBe(
			'the selected pod production/b is gone: selection moved to production/c · the selected pod production/c is gone: no pod left to select',
		);
		press('j');
		expect(store.getState().ui.notice).toBeUndefined();
	});

	it('an action’s result and the selection’s move, said at the same moment, both stay on the footer until a key', () => {
		const {store, press} = setup();
		readPods(store, [pod('a'), pod('b'), pod('c')], 0);
		press('j');
		update.notice(store, {text: 'ran rollout undo on production/api: exit 0 in 90ms', tone: 'info'});
		readPods(store, [pod('a'), pod('c')], 1);
		const moved = 'the selected pod production/b is gone: selection moved to production/c';
		expect(store.getState().ui.notice).toEqual({text: 'ran rollout undo on production/api: exit 0 in 90ms', moved, tone: 'info'});
		update.notice(store, {text: 'ran scale on production/api: exit 1 in 80ms', tone: 'error'});
		const both = {text: 'ran scale on production/api: exit 1 in 80ms', moved, tone: 'error' as const};
		expect(store.getState().ui.notice).toEqual(both);
		expect(noticeLine(both)).toBe(`ran scale on production/api: exit 1 in 80ms · ${moved}`);
		press('k');
		expect(store.getState().ui.notice).toBeUndefined();
		update.notice(store, {text: 'note added to the timeline', tone: 'info'});
		expect(store.getState().ui.notice?.text).toBe('note added to the timeline');
	});

	it('a row nobody chose is the first row, whatever a reading puts there, without a notice', () => {
		const {store} = setup();
		readPods(store, [pod('a'), pod('b')], 0);
		readPods(store, [pod('b')], 1);
		expect(selectedKey(store.getState(), 'pods')).toBe('production/b');
		expect(store.getState().ui.notice).toBeUndefined();
	});

	it('/ filters the focused panel as you type; Esc clears it', () => {
		const {store, press} = setup();
		readPods(store, [pod('api-1'), pod('worker-1', 'Pending')], 0, 0);
		press('/', 'p', 'e', 'n');
		expect(store.getState().ui.filters.pods).toBe('pen');
		expect(store.getState().ui.filtering).toBe(true);
		press('enter', 'j', 'j');
		// One pod matches: the selection cannot leave it.
		expect(store.getState().ui.selection.pods?.key).toBe('production/worker-1');
		press('esc');
		expect(store.getState().ui.filters.pods).toBe('');
	});

	it('the timeline follows the newest event until scrolled back, and again past the end', () => {
		const {store, press} = setup();
		withIncident(store, [1, newEvent.note('one')], [2, newEvent.note('two')]);
		press('4');
		expect(store.getState().ui.selection.timeline).toBeUndefined();
		press('k');
		expect(findRow(store.getState(), 'timeline', selectedKey(store.getState(), 'timeline') ?? '')?.text).toBe('note: one');
		press('j');
		expect(store.getState().ui.selection.timeline).toBeUndefined();
	});

	it('the timeline still follows the newest event after / then Esc, or a filter typed and cleared', () => {
		const {store, press} = setup();
		withIncident(store, [1, newEvent.note('one')], [2, newEvent.note('two')]);
		press('4', '/', 'esc');
		expect(store.getState().ui.selection.timeline).toBeUndefined();
		press('/', 'o', 'backspace', 'enter', 'esc');
		expect(store.getState().ui.selection.timeline).toBeUndefined();
	});
});

describe('overlays and controls', () => {
	it('? opens the help and any key closes it without acting', () => {
		const {store, controls, press} = setup();
		press('?');
		expect(store.getState().ui.overlay).toEqual({kind: 'help'});
		press('q');
		expect(store.getState().ui.overlay).toBeUndefined();
		expect(controls.quit).not.toHaveBeenCalled();
	});

	it('q quits and so does Ctrl+C, even inside a form', () => {
		const {controls, press} = setup();
		press('d', 'ctrl-c');
		expect(controls.quit).toHaveBeenCalledTimes(1);
	});

	it('d opens the declare form; keys edit it and Enter submits it', () => {
		const {store, controls, press, requested} = setup();
		press('d');
		expect(store.getState().ui.overlay).toMatchObject({kind: 'form', form: {kind: 'declare'}});
		// Typing q in a form is text, not quit.
		press('tab', 'q', 'enter');
		expect(controls.quit).not.toHaveBeenCalled();
		expect(requested()).toEqual([['declare', {severity: 'P1', title: 'q', services: ''}]]);
		expect(store.getState().ui.overlay).toBeUndefined();
	});

	it('n does nothing before an incident exists, and says so', () => {
		const {store, press} = setup();
		press('n');
		expect(store.getState().ui.overlay).toBeUndefined();
		expect(store.getState().ui.notice).toEqual({text: 'note: no incident: declare one first (d)', tone: 'error'});
	});

	it('Space in the runbook asks for the tick; the item is read from the selection when it runs', () => {
		const {press, store, requested} = setup();
		withIncident(store);
		press('5', 'j', 'space');
		expect(requested()).toEqual([['tick', undefined]]);
		expect(selectedKey(store.getState(), 'runbook')).toBe('Are critical services (auth, pipeline, database) healthy?');
	});

	it('Space ticks the item selected even when the checklist changed under it', () => {
		const {press, store} = setup();
		// Two phases sharing an item at another place: the list changes at the minute boundary.
		const phases = [
			{id: 'first', label: 'First', from: 0, until: minute, checklist: ['Page the on-call', 'Roll back']},
			{id: 'second', label: 'Second', from: minute, checklist: ['Roll back', 'Scale up', 'Tell customers']},
		];
		store.setState({policy: {...store.getState().policy, phases}});
		withIncident(store);
		press('5', 'j');
		store.setState({now: declaredAt + 2 * minute});
		press('space');
		expect(selectedKey(store.getState(), 'runbook')).toBe('Roll back');
	});

	it('read-only mode opens no form, and says so', () => {
		const {store, press} = setup({mode: {readOnly: true}});
		press('d');
		expect(store.getState().ui.overlay).toBeUndefined();
		expect(store.getState().ui.notice?.text).toBe('read-only: declare is not available');
	});

	it("s opens the scale form on the selected pod's deployment and its replicas now", () => {
		const {store, press} = setup();
		withIncident(store);
		const history = [{revision: 1, replicaSet: 'api-gateway-1', images: ['gateway:1']}];
		const deployment = {namespace: 'production', name: 'api-gateway', desired: 3, ready: 1, updated: 3, available: 1};
		update.reading(store, 'kubernetes', {
			state: 'ok',
			data: {
				context: 'prod',
				pods: [pod('api-x')],
				healthyCount: 0,
				deployments: [{...deployment, revision: 1, images: [], history}],
			},
			fetchedAt: 0,
		});
		press('s');
		expect(store.getState().ui.overlay).toMatchObject({
			kind: 'form',
			form: {kind: 'scale', values: {replicas: '3'}, note: 'production/api-gateway: 3 replicas now, 1 ready (0 to 1000)'},
		});
	});

	it('s on a pod no deployment owns opens nothing and says why', () => {
		const {store, press} = setup();
		withIncident(store);
		const job = {...pod('migrate-x'), owner: {kind: 'Job', name: 'migrate'}};
		update.reading(store, 'kubernetes', {state: 'ok', data: {context: 'prod', pods: [job], healthyCount: 0}, fetchedAt: 0});
		press('s');
		expect(store.getState().ui.overlay).toBeUndefined();
		expect(store.getState().ui.notice?.text).toBe('production/migrate-x belongs to Job migrate, not to a Deployment');
	});

	it('the output overlay takes the keys: j scrolls, q closes it and quits nothing', () => {
		const {store, controls, press} = setup({rows: 24});
		const lines = Array.from({length: 40}, (_, index) => `line ${index}`);
		update.ui(store, {overlay: {kind: 'output', output: {title: 'logs', command: 'kubectl logs api-x', lines, top: 0}}});
		press('j', 'j');
		expect(store.getState().ui.overlay).toMatchObject({kind: 'output', output: {top: 2}});
		press('q');
		expect(store.getState().ui.overlay).toBeUndefined();
		expect(controls.quit).not.toHaveBeenCalled();
	});

	it('r asks for a refresh, in read-only mode too', () => {
		const {press, requested} = setup({mode: {readOnly: true}});
		press('r');
		expect(requested()).toEqual([['refresh', undefined]]);
	});
});

describe('a paste', () => {
	it('goes into the note being typed as one line: its newlines neither submit nor run keys', () => {
		const {store, controls, press, paste, requested} = setup();
		withIncident(store);
		press('n', 'a', 'space');
		paste('first line\r\nd\nq second');
		expect(store.getState().ui.overlay).toMatchObject({kind: 'form', form: {values: {text: 'a first line d q second'}}});
		press('enter');
		expect(requested()).toEqual([['note', {text: 'a first line d q second'}]]);
		expect(controls.quit).not.toHaveBeenCalled();
	});

	it('folds every kind of line break to a space, never gluing the words either side', () => {
		const {store, press, paste} = setup();
		withIncident(store);
		press('n');
		paste('one\u2028two\u2029three\u0085four\vfive\fsix');
		expect(store.getState().ui.overlay).toMatchObject({form: {values: {text: 'one two three four five six'}}});
	});

	it("is cut to the field's length", () => {
		const {store, press, paste} = setup();
		withIncident(store);
		press('n');
		paste('x'.repeat(600));
		expect(store.getState().ui.overlay).toMatchObject({form: {values: {text: 'x'.repeat(500)}}});
	});

	it('cut by the reader goes in, with a notice that the rest of it was dropped', () => {
		const {store, press, paste} = setup();
		withIncident(store);
		press('n');
		paste('the start of a long paste', true);
		expect(store.getState().ui.overlay).toMatchObject({form: {values: {text: 'the start of a long paste'}}});
		expect(store.getState().ui.notice).toEqual({text: 'paste cut: only its first 64 KB was read', tone: 'error'});
	});

	it('outside a text field is ignored with a notice', () => {
		const {store, controls, press, paste} = setup();
		withIncident(store);
		paste('d\nq');
		expect(store.getState().ui.overlay).toBeUndefined();
		expect(store.getState().ui.notice).toEqual({text: 'paste ignored: not in a text field', tone: 'error'});
		press('S');
		paste('fixing');
		expect(store.getState().ui.overlay).toMatchObject({form: {values: {status: 'investigating'}}});
		expect(store.getState().ui.notice?.text).toBe('paste ignored: not in a text field');
		expect(controls.quit).not.toHaveBeenCalled();
	});

	it('types into the filter being typed', () => {
		const {store, press, paste} = setup();
		press('/');
		paste('api\ngateway');
		expect(store.getState().ui.filters.pods).toBe('api gateway');
	});
});

describe('on the way out', () => {
	it('Ctrl+Z suspends, from anywhere', () => {
		const {store, controls, press} = setup();
		withIncident(store);
		press('n', 'ctrl-z');
		expect(controls.suspend).toHaveBeenCalledTimes(1);
	});

	it('keys and pastes do nothing once quitting', () => {
		const {store, controls, press, paste} = setup();
		withIncident(store);
		store.setState({quitting: true});
		press('n', 'q');
		paste('text');
		expect(store.getState().ui.overlay).toBeUndefined();
		expect(store.getState().ui.notice).toBeUndefined();
		expect(controls.quit).not.toHaveBeenCalled();
	});
});

describe('keys typed while the journal is being read', () => {
	it('wait, then run in the order typed against the incident the journal gave', () => {
		const {store, controls, press, requested} = setup({journalRead: false});
		press('n', 'h', 'i', 't', 'enter');
		expect(store.getState().ui.overlay).toBeUndefined();
		expect(requested()).toEqual([]);
		withIncident(store);
		journalLoaded(store, controls);
		expect(requested()).toEqual([['note', {text: 'hit'}]]);
		// Handled once: a later key is a key of its own.
		press('?');
		expect(store.getState().ui.overlay).toEqual({kind: 'help'});
		expect(requested()).toHaveLength(1);
	});

	it('a paste among them waits too, and lands in the note opened before it', () => {
		const {store, controls, press, paste, requested} = setup({journalRead: false});
		press('n');
		paste('pasted\nline');
		press('enter');
		expect(store.getState().ui.notice).toBeUndefined();
		withIncident(store);
		journalLoaded(store, controls);
		expect(requested()).toEqual([['note', {text: 'pasted line'}]]);
	});

	it('never quit on a q that may be the start of a note; Ctrl+C quits at once', () => {
		const {controls, press} = setup({journalRead: false});
		press('q');
		expect(controls.quit).not.toHaveBeenCalled();
		press('ctrl-c');
		expect(controls.quit).toHaveBeenCalledTimes(1);
	});
});

describe('a confirmation', () => {
	/** The console asking to run the test command (risk as given), with an incident on screen. */
	function asking(risk: 'mutating' | 'destructive') {
		const context = setup();
		withIncident(context.store);
		const executor = createExecutor({
			store: context.store,
			record: vi.fn(),
			track: (_what, write) => write,
			services: {refresh: vi.fn()},
			redact: text => text,
		});
		executor.request(nodeAction('process.exit(0)', {risk}));
		const overlay = context.store.getState().ui.overlay;
		if (overlay?.kind !== 'confirm') throw new Error('no confirmation');
		return {...context, pending: overlay.pending};
	}

	it.each(['n', 'enter', 'space', 'esc', 'Y'])('y/N: %s is No, the default; nothing runs and the notice says so', name => {
		const {store, controls, press} = asking('mutating');
		press(name);
		expect(store.getState().ui.overlay).toBeUndefined();
		expect(controls.actions.run).not.toHaveBeenCalled();
		expect(store.getState().ui.notice).toEqual({text: `not run: test command on ${testTarget}`, tone: 'info'});
	});

	it('y/N: y runs exactly what was shown', () => {
		const {store, controls, press, pending} = asking('mutating');
		press('y');
		expect(store.getState().ui.overlay).toBeUndefined();
		expect(controls.actions.run).toHaveBeenCalledWith(pending);
	});

	it('destructive: y is a letter of the name, and only the exact name then Enter runs it', () => {
		const {store, controls, press} = asking('destructive');
		press('y', 'enter');
		expect(store.getState().ui.overlay).toMatchObject({
			kind: 'confirm',
			pending: {question: {typed: 'y', error: expect.stringContaining('is not')}},
		});
		press('backspace', ...testTarget, 'enter');
		expect(controls.actions.run).toHaveBeenCalledTimes(1);
		expect(store.getState().ui.overlay).toBeUndefined();
	});
});

describe('a text written from the journal, in the output overlay', () => {
	const produced = {what: 'initial' as const, text: '🚨 INCIDENT ALERT\n'};
	const showText = (store: ReturnType<typeof testStore>) =>
		update.ui(store, {
			overlay: {
				kind: 'output',
				output: {title: 'initial message', command: 'templates/initial.md', lines: ['🚨 INCIDENT ALERT'], top: 0, produced},
			},
		});

	it('c copies it and w writes it, the overlay staying open', () => {
		const {store, controls, press} = setup();
		showText(store);
		press('c', 'w');
		expect(controls.produce.mock.calls).toEqual([
			[produced, 'copied'],
			[produced, 'file'],
		]);
		expect(store.getState().ui.overlay?.kind).toBe('output');
	});

	it('lets nothing leave the console in read-only mode, and says so', () => {
		const {store, controls, press} = setup({mode: {readOnly: true}});
		showText(store);
		press('c');
		expect(controls.produce).not.toHaveBeenCalled();
		expect(store.getState().ui.notice?.text).toBe('read-only: nothing leaves the console');
	});

	it('c and w are plain keys over a command output, which has no text to produce', () => {
		const {store, controls, press} = setup();
		update.ui(store, {overlay: {kind: 'output', output: {title: 'logs', command: 'kubectl logs', lines: ['a'], top: 0}}});
		press('c', 'w');
		expect(controls.produce).not.toHaveBeenCalled();
		expect(store.getState().ui.overlay?.kind).toBe('output');
	});
});
