import {describe, expect, it} from 'vitest';
import {render} from 'ink-testing-library';
import {App} from '../../source/app';
import {newEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import {update} from '../../source/store';
import {drillReadingAt} from '../../source/sources/drill/drill';
import {loadDrill} from '../../source/sources/drill/drill-file';
import {builtInRunbooksDir} from '../../source/paths';
import {declaredAt, journalOf, minute} from '../helpers/incidents';
import {testStore, testControls} from '../helpers/store';

const controls = testControls();
const drill = loadDrill('api-gateway-outage', [builtInRunbooksDir]);

function screen(store: ReturnType<typeof testStore>) {
	const view = render(<App store={store} controls={controls} />);
	return {...view, lines: () => (view.lastFrame() ?? '').split('\n')};
}

function withDrillData(store: ReturnType<typeof testStore>, elapsedMs: number) {
	const reading = drillReadingAt(drill, elapsedMs);
	update.reading(store, 'kubernetes', {state: 'ok', data: reading.kubernetes, fetchedAt: store.getState().now});
	update.reading(store, 'postgres', {state: 'ok', data: reading.postgres, fetchedAt: store.getState().now});
	update.reading(store, 'health', {state: 'ok', data: reading.health, fetchedAt: store.getState().now});
}

const declare = (store: ReturnType<typeof testStore>, severity: 'P0' | 'P1' = 'P1') =>
	store.setState({
		incident: replayIncident(
			'INC-1',
			journalOf([0, newEvent.declared({title: 'API gateway outage', severity, services: ['api']})]),
		),
	});

describe('the screen at 80×24', () => {
	it('is one line shorter than the terminal, with every panel framed and titled', () => {
		const {lines} = screen(testStore({mode: {drill: {name: 'api-gateway-outage', title: 'API gateway outage'}}}));
		expect(lines()).toHaveLength(23);
		const text = lines().join('\n');
		for (const title of ['1 Pods', '2 Database', '3 Health', '4 Timeline', '5 Severities']) expect(text).toContain(title);
		expect(lines()[0]).toContain('DRILL');
		expect(lines()[0]).toContain('no incident declared: press d to declare one');
		expect(lines()[22]).toMatch(/^\? help · q quit/);
		expect(lines().every(line => line.length <= 80)).toBe(true);
	});

	it('says the journal is being read until it is, never "no incident declared"', () => {
		const store = testStore({journalRead: false});
		const {lines, rerender} = screen(store);
		expect(lines()[0]).toContain('loading journal…');
		expect(lines().join('\n')).not.toContain('no incident');
		declare(store);
		store.setState({journalRead: true});
		rerender(<App store={store} controls={controls} />);
		expect(lines()[0]).toMatch(/^ INC-1 {2}P1 /);
	});

	it('shows the drill: crash-looping pods, the failing check, the lock chain', () => {
		const store = testStore({columns: 100, rows: 30});
		withDrillData(store, 30_000);
		const text = screen(store).lines().join('\n');
		expect(text).toContain('CrashLoopBackOff');
		expect(text).toMatch(/api\s+FAIL/);
		expect(text).toMatch(/4242\s+ROOT blocks 3/);
		expect(text).toMatch(/└ 5117\s+waits 14s/);
		expect(text).toContain('connections 147/200 74%');
	});

	it('says the sources are off when nothing is configured', () => {
		const text = screen(testStore()).lines().join('\n');
		expect(text).toContain('off: no cluster configured');
		expect(text).toContain('off: no database configured');
	});

	it('keeps stale data on screen with its age and the error', () => {
		const store = testStore({now: declaredAt + 40_000});
		update.reading(store, 'health', {
			state: 'error',
			error: 'connect ECONNREFUSED',
			data: drillReadingAt(drill, 10_000).health,
			fetchedAt: declaredAt,
		});
		const text = screen(store).lines().join('\n');
		expect(text).toContain('STALE 40s');
		expect(text).toContain('error: connect ECONNREFUSED');
		expect(text).toContain('api-cert');
	});

	it('draws the incident, its clock and every deadline, overdue ones in words', () => {
		const store = testStore({now: declaredAt + 16 * minute + 3000});
		declare(store, 'P0');
		const [first, second] = screen(store).lines();
		expect(first).toContain('INC-1');
		expect(first).toContain(' P0 ');
		expect(first).toContain('investigating 16:03');
		expect(first).toContain('next: escalate OVERDUE +11:03');
		expect(second).toBe('escalate OVERDUE 11m · respond OVERDUE 1m · customer in 13m');
	});

	it('says on the footer what was noticed, then where the selection moved', () => {
		const store = testStore();
		store.setState(state => ({
			ui: {...state.ui, notice: {text: 'ran scale: exit 0', moved: 'selection moved to production/c', tone: 'info'}},
		}));
		const {lines} = screen(store);
		expect(lines()[22]).toBe('ran scale: exit 0 · selection moved to production/c');
	});

	it('uses no colour codes when colour is off, and says every state in words', () => {
		const store = testStore({now: declaredAt + 16 * minute});
		declare(store, 'P0');
		withDrillData(store, 30_000);
		const frame = screen(store).lastFrame() ?? '';
		expect(frame).not.toMatch(/\u001B\[(3[0-7]|9[0-7]|38;)/);
		expect(frame).toContain('OVERDUE');
		expect(frame).toContain('FAIL');
	});
});

describe('sizes', () => {
	it('below 80×24 says so instead of drawing', () => {
		expect(screen(testStore({columns: 60, rows: 20})).lastFrame()).toBe('terminal too small: need 80×24, have 60×20');
	});

	it('drops low-priority columns in a narrow panel instead of wrapping', () => {
		const store = testStore();
		withDrillData(store, 30_000);
		const text = screen(store).lines().join('\n');
		expect(text).toMatch(/NAME\s+STATUS/);
		expect(text).not.toContain('READY');
		expect(text).not.toContain('NODE');
		const wide = testStore({columns: 100, rows: 30});
		withDrillData(wide, 30_000);
		expect(screen(wide).lines().join('\n')).toMatch(/NAME\s+STATUS\s+READY\s+RESTARTS/);
	});

	it('zooms the focused panel to the whole body', () => {
		const store = testStore();
		update.ui(store, {focus: 'database', zoomed: true});
		const text = screen(store).lines().join('\n');
		expect(text).toContain('2 Database');
		expect(text).not.toContain('1 Pods');
	});
});

describe('overlays', () => {
	it('help lists the live keys, and in read-only mode nothing that writes', () => {
		const store = testStore();
		update.ui(store, {overlay: {kind: 'help'}});
		const text = screen(store).lines().join('\n');
		expect(text).toMatch(/d\s+declare an incident/);
		expect(text).toMatch(/q\s+quit/);
		expect(text).not.toContain('add a note');

		const readOnly = testStore({mode: {readOnly: true}});
		update.ui(readOnly, {overlay: {kind: 'help'}});
		const readOnlyText = screen(readOnly).lines().join('\n');
		expect(readOnlyText).toContain('read-only: nothing that writes is bound');
		expect(readOnlyText).not.toContain('declare an incident');
		expect(readOnlyText).not.toContain('press d');
	});

	it('a form shows its validation error inside it', () => {
		const store = testStore();
		update.ui(store, {
			overlay: {
				kind: 'form',
				form: {
					kind: 'declare',
					values: {severity: 'P1', title: '', services: ''},
					active: 1,
					error: 'a title is needed: what is broken, in a few words',
				},
			},
		});
		const text = screen(store).lines().join('\n');
		expect(text).toContain('Declare an incident');
		expect(text).toContain('! a title is needed');
		expect(text).toMatch(/> Title:/);
	});

	it("a form shows an empty field's example as an example, not as a value typed", () => {
		const store = testStore();
		update.ui(store, {
			overlay: {kind: 'form', form: {kind: 'declare', values: {severity: 'P1', title: '', services: ''}, active: 0}},
		});
		const text = screen(store).lines().join('\n');
		expect(text).toContain('Title: e.g. API gateway outage');
		expect(text).toContain('Affected services: e.g. api-gateway, auth');
	});
});

describe('moving the focus', () => {
	it('redraws both frames without shifting their contents', async () => {
		const store = testStore();
		withDrillData(store, 30_000);
		const view = screen(store);
		const before = view.lines();
		update.ui(store, {focus: 'runbook'});
		await new Promise(resolve => setTimeout(resolve, 100));
		const after = view.lines();
		// The Pods frame loses its double border, and only that: its rows stay where they were.
		expect(after[2]).toMatch(/^┌─ 1 Pods/);
		expect(after.slice(3, 8).map(line => line.slice(1, 47))).toEqual(before.slice(3, 8).map(line => line.slice(1, 47)));
		expect(after[3]).toMatch(/NAME\s+STATUS/);
	});
});
