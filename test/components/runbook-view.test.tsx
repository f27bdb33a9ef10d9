import {describe, expect, it} from 'vitest';
import {render} from 'ink-testing-library';
import {App} from '../../source/app';
import {reservedKeys} from '../../source/actions/keys';
import {newEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import {loadPlaybooks} from '../../source/incident/playbook-file';
import {builtInRunbooksDir} from '../../source/paths';
import {update} from '../../source/store';
import {journalOf, minute} from '../helpers/incidents';
import {testControls, testStore} from '../helpers/store';

const playbooks = loadPlaybooks([builtInRunbooksDir], reservedKeys());

/** The Runbook panel zoomed, `minutes` after a P1 was declared, with these events after the declaration. */
function runbookView(minutes: number, ...events: Parameters<typeof journalOf>) {
	const store = testStore({columns: 100, rows: 30});
	store.setState(state => ({
		playbooks,
		now: state.now + minutes * minute,
		incident: replayIncident(
			'INC-1',
			journalOf([0, newEvent.declared({title: 'Outage', severity: 'P1', services: []})], ...events),
		),
	}));
	update.ui(store, {focus: 'runbook', zoomed: true});
	const view = render(<App store={store} controls={testControls()} />);
	return (view.lastFrame() ?? '').split('\n');
}

describe('the runbook view', () => {
	it("shows the assessment's questions, ticks and the diagnostics the panels show live, in the first minutes", () => {
		const text = runbookView(2, [1, newEvent.checked('Is the main API responding?', true)]).join('\n');
		expect(text).toContain('Initial assessment 0-5m');
		expect(text).toMatch(/\[x\] +Is the main API responding\?/);
		expect(text).toMatch(/\[ \] +What is the blast radius \(how many users affected\)\?/);
		expect(text).toContain('Initial assessment: Quick health check (0-5m)');
		expect(text).toMatch(/→3 +main API health/);
		expect(text).toMatch(/→1 +pods not Running/);
	});

	it("moves to the mitigation playbook's steps by the clock, with the diagnostics o runs", () => {
		const text = runbookView(12).join('\n');
		expect(text).toContain('Initial mitigation 10-30m');
		expect(text).toContain('Initial mitigation: API/service issues (10-30m)');
		expect(text).toMatch(/ o +recent commits/);
		expect(text).toMatch(/→2 +long-running queries/);
		expect(text).not.toContain('Quick health check');
	});
});
