import {describe, expect, it} from 'vitest';
import {render} from 'ink-testing-library';
import {App} from '../../source/app';
import {newEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import {declaredAt, journalOf, minute} from '../helpers/incidents';
import {testControls, testStore} from '../helpers/store';

const contacts = [
	{role: 'Incident Commander', primary: '@alice.chen (Slack)', secondary: '@bob.smith (Slack)'},
	{role: 'Engineering Manager', primary: '+1-555-0101', secondary: '+1-555-0102'},
	{role: 'SRE On-Call', primary: 'PagerDuty Auto', secondary: '@sre-team (Slack)'},
	{role: 'Security Team', primary: '@security-team (Slack)', secondary: 'security@terragonlabs.com'},
	{role: 'Executive Escalation', primary: '@cto (Slack)', secondary: '@ceo (Slack)'},
];

function p0Screen(minutes: number) {
	const store = testStore({mode: {contacts}, now: declaredAt + minutes * minute});
	store.setState({
		incident: replayIncident('INC-1', journalOf([0, newEvent.declared({title: 'API down', severity: 'P0', services: []})])),
	});
	const controls = testControls();
	const view = render(<App store={store} controls={controls} />);
	return {view, lines: () => (view.lastFrame() ?? '').split('\n')};
}

describe('the escalation roster at 80×24', () => {
	it('names whom to call beside the escalation deadline as it nears, on the deadline line', () => {
		const {lines} = p0Screen(2);
		expect(lines()[1]).toMatch(/^escalate in 3m → SRE On-Call PagerDuty Auto \(else @sre-team \(Slack\)\)/);
		expect(lines()).toHaveLength(23);
		expect(lines().every(line => line.length <= 80)).toBe(true);
	});

	it('lists every contact, primary and secondary, under the keys in ?', async () => {
		const {view, lines} = p0Screen(2);
		view.stdin.write('?');
		await expect.poll(() => lines().join('\n')).toContain('Contacts (primary, else secondary)');
		const text = lines().join('\n');
		for (const contact of contacts) expect(text).toContain(`${contact.role} ${contact.primary} (else ${contact.secondary})`);
		expect(lines()).toHaveLength(23);
	});
});
