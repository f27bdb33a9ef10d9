import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {App} from '../../source/app';
import type {Risk} from '../../source/actions/confirm';
import {newEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import type {JournalLink} from '../../source/incident/journal';
import {update, type Overlay} from '../../source/store';
import {declaredAt, journalOf, minute} from '../helpers/incidents';
import {testControls, testStore} from '../helpers/store';
import {storeLinksAt} from '../helpers/journal-link';

const contacts = [{role: 'SRE On-Call', primary: 'PagerDuty Auto', secondary: '@sre-team (Slack)'}];
const now = declaredAt + 2 * minute;
const link = storeLinksAt(now);

/** A P0 two minutes old on a production context, the escalation roster beside its deadline: the header at its fullest. */
function fullHeader(journal?: JournalLink) {
	const store = testStore({
		now,
		mode: {contacts, kubernetes: {production: 'prod', kubectl: 'kubectl', context: 'prod-eu-west-1'}},
	});
	store.setState({
		incident: replayIncident(
			'INC-12',
			journalOf([0, newEvent.declared({title: 'API gateway outage', severity: 'P0', services: []})]),
		),
	});
	if (journal) update.journalLink(store, journal);
	const controls = testControls();
	const view = render(<App store={store} controls={controls} />);
	return {store, controls, view, lines: () => (view.lastFrame() ?? '').split('\n')};
}

const fitsTheTerminal = (lines: string[]) => {
	expect(lines).toHaveLength(23);
	for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
};

describe('the journal link in the header at 80×24', () => {
	it('leads the deadline line when offline, the deadlines after it, the incident line untouched', () => {
		const quiet = fullHeader().lines();
		const {lines} = fullHeader(link({state: 'offline', since: now - 40_000, waiting: 2}));
		expect(lines()[0]).toBe(quiet[0]);
		expect(lines()[1]).toMatch(/^journal: offline 40s, 2 events waiting · {2}PROD {2}escalate in 3m/);
		fitsTheTerminal(lines());
	});

	it('says connecting, then sending what waited, then nothing once all is sent', async () => {
		const {store, lines} = fullHeader(link({state: 'connecting', waiting: 1}));
		expect(lines()[1]).toMatch(/^journal: connecting…, 1 event waiting · /);
		update.journalLink(store, link({waiting: 1}));
		await expect.poll(() => lines()[1]).toMatch(/^journal: sending 1 · /);
		update.journalLink(store, link({}));
		await expect.poll(() => lines()[1]).toMatch(/^ PROD {2}escalate in 3m/);
		fitsTheTerminal(lines());
	});

	it('? names the store and why it cannot be reached, on one line however hostile the error', async () => {
		const error = `connection refused\u001b[2J\n${'e'.repeat(100_000)}`;
		const {view, lines} = fullHeader(link({state: 'offline', since: now - 40_000, waiting: 2, error}));
		view.stdin.write('?');
		await expect.poll(() => lines().join('\n')).toContain('journal on db.internal:5432/warroom: connection refused');
		expect(lines().join('\n')).not.toContain('\u001b');
		fitsTheTerminal(lines());
	});

	it('says nothing for a file journal', () => {
		const {lines} = fullHeader(link({store: 'file', where: '/srv/warroom/incidents'}));
		expect(lines().join('\n')).not.toContain('journal:');
	});

	it('leads the second line with no incident too', () => {
		const store = testStore();
		update.journalLink(store, link({state: 'offline', since: Date.now() - 5_000}));
		store.setState({now: store.getState().journal!.since + 5_000});
		const view = render(<App store={store} controls={testControls()} />);
		expect((view.lastFrame() ?? '').split('\n')[1]).toBe('journal: offline 5s · watching the configured sources');
	});
});

describe('a journal store that lets this console only read', () => {
	const reason = 'role warroom_reader may only read the journal';

	it('makes the console read-only after the first frame: no writing key, the footer says why, ? repeats it', async () => {
		const {store, controls, view, lines} = fullHeader(link({state: 'connecting'}));
		expect(lines()[22]).not.toContain('[READ-ONLY]');
		update.journalLink(store, link({readOnly: reason}));
		await expect.poll(() => lines()[22]).toBe(`[READ-ONLY] read-only: ${reason}`);
		view.stdin.write('n');
		// A key it refuses says why too: the first notice may be long gone.
		await expect.poll(() => lines()[22]).toBe('[READ-ONLY] read-only: note is not available (role warroom_reader may only read…');
		expect(controls.actions.request).not.toHaveBeenCalled();
		update.journalLink(store, link({readOnly: reason, waiting: 0}));
		// The store's link changing again repeats nothing.
		expect(store.getState().ui.notice?.text).toBe(`read-only: note is not available (${reason})`);
		view.stdin.write('?');
		await expect.poll(() => lines().join('\n')).toContain(`why read-only: ${reason}`);
		fitsTheTerminal(lines());
	});

	it('closes a form open when it learns so, nothing saved', async () => {
		const {store, view, lines} = fullHeader(link({state: 'connecting'}));
		view.stdin.write('n');
		await expect.poll(() => store.getState().ui.overlay?.kind).toBe('form');
		update.journalLink(store, link({readOnly: reason}));
		expect(store.getState().ui.overlay).toBeUndefined();
		await expect.poll(() => lines()[22]).toMatch(/^\[READ-ONLY\] read-only: role warroom_reader may only read the journal; the/);
	});

	it('closes a confirmation of a change open when it learns so, nothing run; one of a read stays', () => {
		// Only what the action risks matters here: the rest of a confirmation is the executor's.
		const confirming = (risk: Risk) =>
			({kind: 'confirm', pending: {action: {id: 'rollout-restart', title: 'rollout restart', risk}}}) as unknown as Overlay;
		const store = testStore();
		update.ui(store, {overlay: confirming('mutating')});
		update.journalLink(store, link({readOnly: reason}));
		expect(store.getState().ui.overlay).toBeUndefined();
		expect(store.getState().ui.notice?.text).toBe(`read-only: ${reason}; the confirmation was closed, nothing run`);

		const reading = testStore();
		update.ui(reading, {overlay: confirming('read')});
		update.journalLink(reading, link({readOnly: reason}));
		expect(reading.getState().ui.overlay?.kind).toBe('confirm');
		expect(reading.getState().ui.notice?.text).toBe(`read-only: ${reason}`);
	});

	it('stays read-only for the session once told, even if a later link says nothing of it', () => {
		const {store} = fullHeader(link({readOnly: reason}));
		update.journalLink(store, link({state: 'offline'}));
		expect(store.getState().mode).toMatchObject({readOnly: true, readOnlyBecause: reason});
	});

	it('adds nothing to --read-only: no second notice', () => {
		const store = testStore({mode: {readOnly: true}});
		update.journalLink(store, link({readOnly: reason}));
		expect(store.getState().ui.notice).toBeUndefined();
		expect(store.getState().mode.readOnlyBecause).toBeUndefined();
	});

	it('shows a hostile reason on one line, cut to fit, with no escape sequence', async () => {
		const hostile = `\u001b[2J\u001b]0;pwned\u0007role\nreader ${'x'.repeat(100_000)}`;
		const {view, lines} = fullHeader(link({readOnly: hostile}));
		expect(lines()[22]).toMatch(/^\[READ-ONLY\] read-only: .*role reader x+…$/);
		view.stdin.write('?');
		await expect.poll(() => lines().join('\n')).toContain('why read-only: ');
		expect(lines().join('\n')).not.toContain('\u001b');
		expect(lines().join('\n')).not.toContain('\u0007');
		fitsTheTerminal(lines());
	});
});
