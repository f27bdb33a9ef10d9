import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {computeClock} from '../../source/incident/clock';
import {newEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import {loadPolicy} from '../../source/incident/policy-file';
import {escalationContacts, escalationRoster} from '../../source/incident/roster';
import {declaredAt, journalOf, minute} from '../helpers/incidents';

const policy = loadPolicy(join(import.meta.dirname, '../../runbooks/severity.yaml'));
// The seed runbook's Emergency Contacts.
const contacts = [
	{role: 'Incident Commander', primary: '@alice.chen (Slack)', secondary: '@bob.smith (Slack)'},
	{role: 'Engineering Manager', primary: '+1-555-0101', secondary: '+1-555-0102'},
	{role: 'SRE On-Call', primary: 'PagerDuty Auto', secondary: '@sre-team (Slack)'},
	{role: 'Security Team', primary: '@security-team (Slack)', secondary: 'security@terragonlabs.com'},
	{role: 'Executive Escalation', primary: '@cto (Slack)'},
];

const rosterAt = (severity: 'P0' | 'P1', minutes: number, ...later: Parameters<typeof journalOf>) => {
	const incident = replayIncident('INC-1', journalOf([0, newEvent.declared({title: 'x', severity, services: []})], ...later))!;
	const now = declaredAt + minutes * minute;
	return escalationRoster(contacts, policy, severity, computeClock(policy, incident, now), now);
};

describe('the escalation roster', () => {
	it("finds the contacts for each severity's escalation by the role's words", () => {
		expect(escalationContacts(contacts, policy, 'P0').map(contact => contact.role)).toEqual(['SRE On-Call']);
		expect(escalationContacts(contacts, policy, 'P1').map(contact => contact.role)).toEqual(['Engineering Manager']);
	});

	it('shows whom to call, primary and secondary, once the escalation deadline is near or overdue', () => {
		expect(rosterAt('P0', 1)).toBe('SRE On-Call PagerDuty Auto (else @sre-team (Slack))');
		expect(rosterAt('P0', 9)).toBe('SRE On-Call PagerDuty Auto (else @sre-team (Slack))');
		expect(rosterAt('P1', 100)).toBe('Engineering Manager +1-555-0101 (else +1-555-0102)');
	});

	it('says nothing while the deadline is far, once the escalation is recorded, or when nobody is configured for it', () => {
		expect(rosterAt('P1', 10)).toBeUndefined();
		expect(rosterAt('P0', 4, [2, newEvent.escalated('SRE team lead')])).toBeUndefined();
		const incident = replayIncident('INC-1', journalOf([0, newEvent.declared({title: 'x', severity: 'P0', services: []})]))!;
		expect(
			escalationRoster([contacts[0]!], policy, 'P0', computeClock(policy, incident, declaredAt), declaredAt),
		).toBeUndefined();
	});

	it('keeps a contact to one clean line', () => {
		const hostile = [{role: 'SRE\u001B[2J On-Call', primary: '@sre\n\u202Eevil'}];
		expect(escalationContacts(hostile, policy, 'P0')).toHaveLength(1);
		const incident = replayIncident('INC-1', journalOf([0, newEvent.declared({title: 'x', severity: 'P0', services: []})]))!;
		expect(escalationRoster(hostile, policy, 'P0', computeClock(policy, incident, declaredAt), declaredAt)).toBe(
			'SRE On-Call @sre evil',
		);
	});
});
