import {describe, expect, it} from 'vitest';
import {buildSnapshot, isUnhealthy, snapshotText} from '../../source/cli/snapshot-report';
import {newEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import type {Readings} from '../../source/sources/types';
import {declaredAt, journalOf, minute} from '../helpers/incidents';
import {policy} from '../helpers/store';
import {testPod} from '../helpers/pods';

const disabled: Readings = {kubernetes: {state: 'disabled'}, postgres: {state: 'disabled'}, health: {state: 'disabled'}};
const incident = replayIncident(
	'INC-7',
	journalOf([0, newEvent.declared({title: 'API down', severity: 'P0', services: ['api']})]),
)!;

describe('the snapshot contract', () => {
	it('has every documented field, with deadlines and their overdue flag', () => {
		const report = buildSnapshot({policy, incident, readings: disabled, now: declaredAt + 10 * minute});
		expect(report).toEqual({
			takenAt: '2026-11-27T03:10:00.000Z',
			incident: {
				id: 'INC-7',
				title: 'API down',
				severity: 'P0',
				status: 'investigating',
				declaredAt: '2026-11-27T03:00:00.000Z',
				deadlines: [
					{
						name: 'escalate',
						label: 'escalate to SRE team lead',
						status: 'overdue',
						dueAt: '2026-11-27T03:05:00.000Z',
						overdue: true,
					},
					{name: 'respond', label: 'respond', status: 'pending', dueAt: '2026-11-27T03:15:00.000Z', overdue: false},
					{name: 'customer', label: 'tell customers', status: 'pending', dueAt: '2026-11-27T03:30:00.000Z', overdue: false},
				],
			},
			kubernetes: {state: 'disabled', pods: []},
			postgres: {state: 'disabled', connections: {total: 0, max: 0, byState: {}}, longRunning: [], blocking: []},
			health: {state: 'disabled', checks: []},
			journalProblems: [],
		});
		expect(isUnhealthy(report)).toBe(false);
	});

	it('reports incident files it could not read, and is unhealthy for them', () => {
		const skipped = [{incident: 'INC-8', message: 'cannot read /srv/incidents/INC-8.jsonl: permission denied (EACCES)'}];
		const now = declaredAt + 10 * minute;
		const report = buildSnapshot({policy, incident, readings: disabled, now, skipped});
		expect(report.journalProblems).toEqual(skipped);
		expect(isUnhealthy(report)).toBe(true);
		expect(snapshotText(report, now).split('\n')).toContain(
			'journal: INC-8 skipped: cannot read /srv/incidents/INC-8.jsonl: permission denied (EACCES)',
		);
	});

	it('reports "incident": null when there is none', () => {
		expect(buildSnapshot({policy, readings: disabled, now: declaredAt}).incident).toBeNull();
	});

	it('is unhealthy when a check fails or a source errors', () => {
		const failing: Readings = {
			...disabled,
			health: {state: 'ok', data: {checks: [{name: 'api', kind: 'http', ok: false, status: '503'}]}},
		};
		expect(isUnhealthy(buildSnapshot({policy, readings: failing, now: declaredAt}))).toBe(true);
		const erroring: Readings = {...disabled, postgres: {state: 'error', error: 'connection refused'}};
		const report = buildSnapshot({policy, readings: erroring, now: declaredAt});
		expect(report.postgres).toMatchObject({state: 'error', error: 'connection refused'});
		expect(isUnhealthy(report)).toBe(true);
	});

	it('reports a failed health source with its state and error, and is unhealthy for it', () => {
		const failed: Readings = {...disabled, health: {state: 'error', error: 'cannot run the checks: too many open files'}};
		const now = declaredAt + 10 * minute;
		const report = buildSnapshot({policy, readings: failed, now});
		expect(report.health).toEqual({state: 'error', error: 'cannot run the checks: too many open files', checks: []});
		expect(isUnhealthy(report)).toBe(true);
		expect(snapshotText(report, now).split('\n')).toContain('health: error (cannot run the checks: too many open files)');
	});

	it('lists the health checks under their state', () => {
		const checks: Readings['health'] = {
			state: 'ok',
			data: {
				checks: [
					{name: 'api', kind: 'http', ok: true, status: '200'},
					{name: 'db', kind: 'tcp', ok: false, error: 'refused'},
				],
			},
		};
		const now = declaredAt + 10 * minute;
		const report = buildSnapshot({policy, readings: {...disabled, health: checks}, now});
		expect(report.health).toEqual({state: 'ok', checks: checks.data?.checks});
		expect(snapshotText(report, now).split('\n').slice(-3)).toEqual(['health: ok', '  ok   api 200', '  FAIL db refused']);
	});

	it('says in text which server it read and who waits for whom', () => {
		const postgres: Readings['postgres'] = {
			state: 'ok',
			data: {
				connections: {total: 48, max: 100, byState: {idle: 47, active: 1}},
				longRunning: [],
				blocking: [{pid: 5117, blockedBy: [4242], waitSeconds: 14, query: 'UPDATE accounts\n SET balance = 1'}],
				server: {version: '15.18', inRecovery: false, roundTripMs: 0.4, role: 'warroom', readsAllStats: true},
			},
		};
		const now = declaredAt + 10 * minute;
		const report = buildSnapshot({policy, readings: {...disabled, postgres}, now});
		expect(snapshotText(report, now).split('\n').slice(-5, -1)).toEqual([
			'postgres: ok',
			'  PostgreSQL 15.18, round trip 0.4ms',
			'  connections 48/100, 0 long-running, 1 waiting on locks',
			'  5117 waits 14s for 4242: UPDATE accounts SET balance = 1',
		]);
	});

	it('reads as text for a chat message', () => {
		const now = declaredAt + 10 * minute;
		const text = snapshotText(buildSnapshot({policy, incident, readings: disabled, now}), now);
		expect(text.split('\n')).toEqual([
			'warroom snapshot 2026-11-27T03:10:00.000Z',
			'INC-7 P0 investigating: API down (declared 2026-11-27T03:00:00.000Z)',
			'  escalate to SRE team lead OVERDUE 5m',
			'  respond in 5m',
			'  tell customers in 20m',
			'kubernetes: disabled',
			'postgres: disabled',
			'health: disabled',
		]);
	});

	it('carries the cluster read: context, cluster, pods with uid and detail, counts, deployments, warnings and usage', () => {
		const now = declaredAt;
		const gateway = {...testPod('api-1'), uid: 'uid-1', lastRestartSeconds: 120, detail: 'back-off 5m0s\u001b[2J restarting'};
		const kubernetes = {
			context: 'prod-eu',
			cluster: 'eu-1',
			pods: [gateway],
			healthyCount: 40,
			healthyByNamespace: {production: 40},
			startingCount: 1,
			terminatingCount: 0,
			deployments: [],
			warnings: [],
			usage: {available: false as const, reason: 'no metrics API (metrics.k8s.io) in this cluster'},
		};
		const report = buildSnapshot({policy, readings: {...disabled, kubernetes: {state: 'ok', data: kubernetes}}, now});
		expect(report.kubernetes).toEqual({state: 'ok', ...kubernetes});
		expect(snapshotText(report, now).split('\n').slice(-5, -2)).toEqual([
			'kubernetes: ok',
			'  context prod-eu (cluster eu-1)',
			'  production/api-1 CrashLoopBackOff ready 0/1 restarts 3: back-off 5m0s restarting',
		]);
	});
});
