import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {createRedactor} from '../../source/config/secrets';
import {computeClock} from '../../source/incident/clock';
import {newEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import {loadPolicy} from '../../source/incident/policy-file';
import {postmortemMarkdown} from '../../source/incident/postmortem';
import {describeEvent} from '../../source/incident/timeline';
import {declaredAt, journalOf, minute} from '../helpers/incidents';

const policy = loadPolicy(join(import.meta.dirname, '../../runbooks/severity.yaml'));
const token = 'tok_' + 'y'.repeat(196);
const rollout = {action: 'rollout-undo', label: 'rollout undo', target: 'production/api-gateway'};
const events = journalOf(
	[0, newEvent.declared({title: 'API gateway outage', severity: 'P1', services: ['api-gateway'], commander: 'alice'})],
	[3, newEvent.escalated('SRE team lead')],
	[6, newEvent.severity('P0', 'P1')],
	[12, newEvent.communicated('initial')],
	[15, newEvent.actionStarted({...rollout, command: 'kubectl rollout undo deployment/api-gateway -n production', dryRun: false})],
	[16, newEvent.actionFinished({...rollout, outcome: 'ok', exitCode: 0, durationMs: 2400})],
	[20, newEvent.note(`gateway healthy again \u001B[31m| ${token}`)],
	[36, newEvent.status('resolved', 'investigating')],
);
const incident = replayIncident('INC-4', events)!;
const markdown = postmortemMarkdown({
	policy,
	incident,
	given: {},
	now: declaredAt + 2 * 60 * minute,
	zone: 'UTC',
	redact: createRedactor([token]),
});
const section = (heading: string) => markdown.split(`## ${heading}\n\n`)[1]!.split('\n\n')[0]!.trimEnd();

describe('the post-mortem draft', () => {
	it('sums up the incident and the time it spent in each severity', () => {
		expect(markdown.startsWith('# Post-mortem: INC-4 — API gateway outage\n')).toBe(true);
		expect(section('Summary')).toContain('- Declared: 2026-11-27 03:00 UTC\n- Resolved: 2026-11-27 03:36 UTC\n- Duration: 36m');
		expect(section('Impact')).toBe('- P1: 6m\n- P0: 30m');
	});

	it('computes the response figures from the journal', () => {
		expect(section('Detection and response').split('\n')).toEqual([
			'- Detection to declaration: not in the journal, which starts at the declaration',
			'- Declaration to first response: 3m',
			'- Declaration to escalation: 3m',
			'- Declaration to first customer message: 12m',
			'- Declaration to first mitigation: 15m',
			'- Declaration to resolution: 36m',
		]);
	});

	it('has one timeline row per journal event, in order, as the timeline describes it', () => {
		const rows = section('Timeline (UTC)').split('\n').slice(2);
		expect(rows).toHaveLength(events.length);
		rows.forEach((row, index) => expect(row.startsWith(`| ${events[index]!.at} | alice@bastion | `)).toBe(true));
		expect(rows[4]).toContain(describeEvent(events[4]!));
	});

	it('lists the actions with their commands and results', () => {
		expect(section('Actions taken').split('\n')[2]).toBe(
			'| 2026-11-27T03:15:00.000Z | rollout undo on production/api-gateway | `kubectl rollout undo deployment/api-gateway -n production` | exit 0 in 2.4s |',
		);
	});

	it('gives each action its own result, whatever its target holds, and says a dry run ran nothing', () => {
		const cancel = {action: 'cancel-query', label: 'cancel query', target: 'orders: pid 4242'};
		const withMore = replayIncident('INC-4', [
			...events,
			...journalOf(
				[40, newEvent.actionStarted({...cancel, command: 'SELECT pg_cancel_backend(4242)', dryRun: false})],
				[41, newEvent.actionFinished({...cancel, outcome: 'ok', durationMs: 120, result: 'query cancelled'})],
				[42, newEvent.actionStarted({...rollout, command: 'kubectl rollout undo deployment/api-gateway', dryRun: true})],
				[42, newEvent.actionFinished({...rollout, outcome: 'dry-run', durationMs: 0})],
			).map((event, index) => ({...event, seq: events.length + index + 1})),
		])!;
		const rows = postmortemMarkdown({
			policy,
			incident: withMore,
			given: {},
			now: declaredAt + 2 * 60 * minute,
			zone: 'UTC',
			redact: text => text,
		})
			.split('## Actions taken\n\n')[1]!
			.split('\n\n')[0]!
			.split('\n');
		expect(rows[3]).toMatch(/\| cancel query on orders: pid 4242 \| .* \| done in 120ms: query cancelled \|$/);
		expect(rows[4]).toMatch(/\| rollout undo on production\/api-gateway \| .* \| not run \(dry run\) \|$/);
	});

	it('leaves what only the review can write under its heading, saying so, with no placeholder token', () => {
		for (const heading of ['Root cause', 'Lessons learned'])
			expect(section(heading)).toBe('To be written at the incident review.');
		expect(section('Action items')).toContain('| incident commander | 2026-12-04 03:36 UTC |');
		expect(markdown).not.toMatch(/\{[A-Za-z]+\}|\[[A-Z_]+\]/);
	});

	it('keeps journal text from breaking the Markdown or the terminal, and masks secrets', () => {
		expect(markdown).not.toContain('\u001B');
		expect(markdown).not.toContain(token);
		expect(markdown).toContain('note: gateway healthy again \\| •••');
	});
});

describe('the post-mortem deadline', () => {
	const hours = 60 * minute;
	const deadline = (...more: Parameters<typeof journalOf>) =>
		computeClock(
			policy,
			replayIncident('INC-4', [
				...events,
				...journalOf(...more).map((event, index) => ({...event, seq: events.length + index + 1})),
			])!,
			declaredAt + 50 * hours,
		).deadlines.find(({id}) => id === 'post-mortem');

	it('is due 48 hours after the resolution, as the seed promises customers, and is the next one once resolved', () => {
		expect(computeClock(policy, incident, declaredAt + 40 * minute).next).toMatchObject({
			id: 'post-mortem',
			label: 'post-mortem',
			dueAt: declaredAt + 36 * minute + 48 * hours,
			status: 'pending',
		});
		expect(deadline()).toMatchObject({status: 'overdue'});
	});

	it('is met by the draft copied or written out after the resolution, and not before it', () => {
		const draft = newEvent.messageProduced({template: 'postmortem', how: 'file', sha256: 'cd'.repeat(32), file: '/d/INC-4.md'});
		expect(deadline([40 * 60, draft])).toMatchObject({status: 'met', metAt: declaredAt + 40 * hours});
		expect(deadline([49 * 60, draft])).toMatchObject({status: 'late'});
		const draftedEarly = replayIncident('INC-4', [
			...events.slice(0, -1),
			...journalOf([30, draft], [36, newEvent.status('resolved', 'investigating')]).map((event, index) => ({
				...event,
				seq: events.length + index,
			})),
		])!;
		expect(computeClock(policy, draftedEarly, declaredAt + 40 * minute).next).toMatchObject({
			id: 'post-mortem',
			status: 'pending',
		});
	});

	it('is not there while the incident is open', () => {
		const open = replayIncident('INC-4', events.slice(0, -1))!;
		expect(computeClock(policy, open, declaredAt + 40 * minute).deadlines.map(({id}) => id)).not.toContain('post-mortem');
	});
});
