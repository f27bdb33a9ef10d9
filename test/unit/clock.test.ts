import {describe, expect, it} from 'vitest';
import {join} from 'node:path';
import {computeClock, type Deadline} from '../../source/incident/clock';
import {newEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import {loadPolicy} from '../../source/incident/policy-file';
import type {Severity} from '../../source/incident/policy';
import {declaredAt, hour, journalOf, minute} from '../helpers/incidents';

const policy = loadPolicy(join(import.meta.dirname, '../../runbooks/severity.yaml'));

const declare = (severity: Severity) => newEvent.declared({title: 'API gateway outage', severity, services: ['api']});

function clockAt(minutes: number, ...entries: Parameters<typeof journalOf>) {
	const incident = replayIncident('INC-1', journalOf(...entries))!;
	return computeClock(policy, incident, declaredAt + minutes * minute);
}

/** `id status +due` for each deadline, due in minutes after the declaration. */
const summary = (deadlines: Deadline[]) =>
	deadlines.map(({id, status, dueAt}) => `${id} ${status} +${(dueAt - declaredAt) / minute}m`);

describe('deadlines of each severity, from the seed runbook', () => {
	it('P0: respond in 15 min, escalate to the SRE lead at once, tell customers in 30 min', () => {
		expect(summary(clockAt(1, [0, declare('P0')]).deadlines)).toEqual([
			'escalate pending +5m',
			'respond pending +15m',
			'customer pending +30m',
		]);
	});

	it('P1: respond in 1 h, escalate and notify customers within 2 h', () => {
		expect(summary(clockAt(1, [0, declare('P1')]).deadlines)).toEqual([
			'respond pending +60m',
			'escalate pending +120m',
			'customer pending +120m',
		]);
	});

	it('P2: respond in 4 h, escalate if unresolved after 8 h', () => {
		expect(summary(clockAt(1, [0, declare('P2')]).deadlines)).toEqual(['respond pending +240m', 'escalate pending +480m']);
	});

	it('P3: respond in 24 h and nothing else', () => {
		expect(summary(clockAt(1, [0, declare('P3')]).deadlines)).toEqual(['respond pending +1440m']);
	});

	it('P2 escalation is also met by resolving the incident in time', () => {
		const clock = clockAt(600, [0, declare('P2')], [30, newEvent.status('resolved', 'investigating')]);
		expect(summary(clock.deadlines)).toEqual(['respond met +240m', 'escalate met +480m', 'post-mortem pending +2910m']);
	});
});

describe('meeting and missing deadlines', () => {
	it('a note answers the respond deadline; the next open one is what the header shows', () => {
		const clock = clockAt(3, [0, declare('P0')], [2, newEvent.note('looking at api-gateway pods')]);
		expect(clock.deadlines.find(deadline => deadline.id === 'respond')).toMatchObject({
			status: 'met',
			metAt: declaredAt + 2 * minute,
		});
		expect(clock.next?.id).toBe('escalate');
	});

	it('an action taken answers the respond deadline; one only rehearsed with --dry-run does not', () => {
		const action = {
			action: 'rollout-undo',
			label: 'rollout undo',
			target: 'production/api-gateway',
			command: 'kubectl rollout undo',
			dryRun: true,
		};
		const respond = (...entries: Parameters<typeof journalOf>) =>
			clockAt(5, [0, declare('P0')], ...entries).deadlines.find(deadline => deadline.id === 'respond');
		expect(
			respond([1, newEvent.actionStarted(action)], [1, newEvent.actionFinished({...action, outcome: 'dry-run', durationMs: 0})]),
		).toMatchObject({
			status: 'pending',
		});
		expect(respond([1, newEvent.actionStarted(action)], [3, newEvent.actionStarted({...action, dryRun: false})])).toMatchObject({
			status: 'met',
			metAt: declaredAt + 3 * minute,
		});
	});

	it('an open deadline past due is overdue', () => {
		const clock = clockAt(16, [0, declare('P0')]);
		expect(clock.deadlines.filter(deadline => deadline.status === 'overdue').map(deadline => deadline.id)).toEqual([
			'escalate',
			'respond',
		]);
	});

	it('a deadline met after it was due stays red as late', () => {
		const clock = clockAt(20, [0, declare('P0')], [7, newEvent.escalated('SRE team lead')]);
		expect(clock.deadlines.find(deadline => deadline.id === 'escalate')).toMatchObject({status: 'late'});
	});

	it('resolving closes open deadlines, keeps the overdue ones as missed, and opens the 48-hour post-mortem', () => {
		const clock = clockAt(90, [0, declare('P0')], [20, newEvent.status('resolved', 'investigating')]);
		// Resolving is recorded work too: it answers "respond", late.
		expect(summary(clock.deadlines)).toEqual(['escalate missed +5m', 'respond late +15m', 'post-mortem pending +2900m']);
		expect(clock.next?.id).toBe('post-mortem');
		expect(clock.elapsedMs).toBe(20 * minute);
	});
});

describe('customer updates', () => {
	it('each message sent starts the 30 minute wait for the next one', () => {
		const clock = clockAt(100, [0, declare('P1')], [10, newEvent.communicated('initial')], [50, newEvent.communicated('update')]);
		const updates = clock.deadlines.filter(deadline => deadline.label === 'next update');
		expect(summary(updates)).toEqual(['update-1 late +40m', 'update-2 overdue +80m']);
	});

	it('P2 and P3 promise no customer updates', () => {
		const clock = clockAt(100, [0, declare('P2')], [10, newEvent.communicated('initial')]);
		expect(clock.deadlines.some(deadline => deadline.label === 'next update')).toBe(false);
	});
});

describe('a severity change mid-incident', () => {
	it('raising P2 to P0 at 50 min gives the P0 windows from the change, not from the declaration', () => {
		const clock = clockAt(51, [0, declare('P2')], [50, newEvent.severity('P0', 'P2')]);
		// The severity change is itself recorded work, so it answers "respond".
		expect(summary(clock.deadlines)).toEqual(['escalate pending +55m', 'customer pending +80m', 'respond met +240m']);
	});

	it('raising never buys time: an earlier due time is kept', () => {
		const clock = clockAt(101, [0, declare('P1')], [5, newEvent.note('on it')], [100, newEvent.severity('P0', 'P1')]);
		expect(clock.deadlines.find(deadline => deadline.id === 'escalate')).toMatchObject({
			status: 'pending',
			dueAt: declaredAt + 105 * minute,
		});
		expect(clock.deadlines.find(deadline => deadline.id === 'customer')).toMatchObject({
			dueAt: declaredAt + 120 * minute,
		});
	});

	it('lowering P1 to P2 measures the P2 windows from the declaration and drops customer notice', () => {
		const clock = clockAt(31, [0, declare('P1')], [30, newEvent.severity('P2', 'P1')]);
		expect(summary(clock.deadlines)).toEqual(['respond met +60m', 'escalate pending +480m']);
	});

	it('a deadline overdue at the change stays missed beside the new one', () => {
		const clock = clockAt(21, [0, declare('P0')], [3, newEvent.note('on it')], [20, newEvent.severity('P1', 'P0')]);
		expect(summary(clock.deadlines)).toEqual([
			'escalate missed +5m',
			'respond met +15m',
			'customer pending +120m',
			'escalate pending +140m',
		]);
	});

	it('counts the time spent in each severity', () => {
		const clock = clockAt(90, [0, declare('P2')], [20, newEvent.severity('P0', 'P2')], [50, newEvent.severity('P2', 'P0')]);
		expect(clock.timeInSeverity).toEqual([
			{severity: 'P2', ms: 60 * minute},
			{severity: 'P0', ms: 30 * minute},
		]);
	});
});

describe('response phases', () => {
	it.each([
		[0, 'assessment'],
		[4, 'assessment'],
		[5, 'declaration'],
		[12, 'mitigation'],
		[45, 'investigation'],
		[(2 * hour) / minute, 'investigation'],
	])('at %i min the phase is %s', (minutes, phase) => {
		expect(clockAt(minutes, [0, declare('P1')]).phase.id).toBe(phase);
	});

	it('a resolved incident is in post-incident', () => {
		expect(clockAt(40, [0, declare('P1')], [30, newEvent.status('resolved', 'fixing')]).phase.id).toBe('post-incident');
	});
});

describe('a clock a moment behind the declaration', () => {
	it('is still in the first phase, never past the last', () => {
		const incident = replayIncident('INC-1', journalOf([0, declare('P1')]))!;
		expect(computeClock(policy, incident, declaredAt - 800).phase.id).toBe('assessment');
	});
});

describe('clock skew between consoles', () => {
	it('an event stamped before the declaration meets no deadline', () => {
		const clock = clockAt(3, [0, declare('P0')], [-2, newEvent.note('typed on a console whose clock is behind')]);
		expect(clock.deadlines.find(deadline => deadline.id === 'respond')).toMatchObject({status: 'pending'});
	});

	it('a declaration stamped in the future shows no time elapsed, never a countdown', () => {
		const incident = replayIncident('INC-1', journalOf([0, declare('P1')]))!;
		expect(computeClock(policy, incident, declaredAt - 10 * minute).elapsedMs).toBe(0);
	});

	it('a resolution stamped before the declaration shows no time elapsed', () => {
		const clock = clockAt(30, [0, declare('P1')], [-5, newEvent.status('resolved', 'investigating')]);
		expect(clock.elapsedMs).toBe(0);
	});

	it('says which events are stamped before the declaration', () => {
		const incident = replayIncident(
			'INC-1',
			journalOf([0, declare('P1')], [-2, newEvent.note('early')], [1, newEvent.note('fine')], [-1, newEvent.escalated('lead')]),
		)!;
		expect(incident.notices).toEqual([
			'clock skew: event 2 is before the declaration',
			'clock skew: event 4 is before the declaration',
		]);
	});
});

describe('a journal of 200,000 events', () => {
	it('replays, and the clock answers without running out of stack', () => {
		const events = journalOf([0, declare('P1')]);
		for (let index = 0; index < 200_000; index++) {
			events.push({
				seq: index + 2,
				at: new Date(declaredAt + minute + index * 1000).toISOString(),
				actor: 'bob@bastion',
				type: 'note',
				text: `note ${index}`,
			});
		}
		const incident = replayIncident('INC-1', events)!;
		const clock = computeClock(policy, incident, declaredAt + 72 * hour);
		expect(clock.deadlines.find(deadline => deadline.id === 'respond')).toMatchObject({
			status: 'met',
			metAt: declaredAt + minute,
		});
		expect(clock.elapsedMs).toBe(72 * hour);
	});
});
