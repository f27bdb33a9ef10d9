import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {buildSnapshot, isUnhealthy, snapshotText} from '../../source/cli/snapshot-report';
import {readSnapshotIncident} from '../../source/cli/subcommands';
import {UsageError} from '../../source/errors';
import {FileJournal} from '../../source/incident/file-journal';
import {newEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import {StoreUnreachable, type JournalLink} from '../../source/incident/journal';
import type {Readings} from '../../source/sources/types';
import {declaredAt, journalOf, minute} from '../helpers/incidents';
import {policy} from '../helpers/store';
import {testPod} from '../helpers/pods';

/** A file journal read in 3 ms. */
const journal = {
	link: {store: 'file', where: '/srv/incidents', state: 'live', since: declaredAt, waiting: 0} satisfies JournalLink,
	read: {tookMs: 3},
};
const disabled: Readings = {kubernetes: {state: 'disabled'}, postgres: {state: 'disabled'}, health: {state: 'disabled'}};
const incident = replayIncident(
	'INC-7',
	journalOf([0, newEvent.declared({title: 'API down', severity: 'P0', services: ['api']})]),
)!;

describe('the snapshot contract', () => {
	it('has every documented field, with deadlines and their overdue flag', () => {
		const report = buildSnapshot({policy, journal, incident, readings: disabled, now: declaredAt + 10 * minute});
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
			journal: {store: 'file', where: '/srv/incidents', state: 'live', lagMs: 3, waiting: 0},
		});
		expect(isUnhealthy(report)).toBe(false);
	});

	it('reports incident files it could not read, and is unhealthy for them', () => {
		const skipped = [{incident: 'INC-8', message: 'cannot read /srv/incidents/INC-8.jsonl: permission denied (EACCES)'}];
		const now = declaredAt + 10 * minute;
		const report = buildSnapshot({policy, journal, incident, readings: disabled, now, skipped});
		expect(report.journalProblems).toEqual(skipped);
		expect(isUnhealthy(report)).toBe(true);
		expect(snapshotText(report, now).split('\n')).toContain(
			'journal: INC-8 skipped: cannot read /srv/incidents/INC-8.jsonl: permission denied (EACCES)',
		);
	});

	it('reports "incident": null when there is none', () => {
		expect(buildSnapshot({policy, journal, readings: disabled, now: declaredAt}).incident).toBeNull();
	});

	it('is unhealthy when a check fails or a source errors', () => {
		const failing: Readings = {
			...disabled,
			health: {state: 'ok', data: {checks: [{name: 'api', kind: 'http', ok: false, status: '503'}]}},
		};
		expect(isUnhealthy(buildSnapshot({policy, journal, readings: failing, now: declaredAt}))).toBe(true);
		const erroring: Readings = {...disabled, postgres: {state: 'error', error: 'connection refused'}};
		const report = buildSnapshot({policy, journal, readings: erroring, now: declaredAt});
		expect(report.postgres).toMatchObject({state: 'error', error: 'connection refused'});
		expect(isUnhealthy(report)).toBe(true);
	});

	it('reports a failed health source with its state and error, and is unhealthy for it', () => {
		const failed: Readings = {...disabled, health: {state: 'error', error: 'cannot run the checks: too many open files'}};
		const now = declaredAt + 10 * minute;
		const report = buildSnapshot({policy, journal, readings: failed, now});
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
		const report = buildSnapshot({policy, journal, readings: {...disabled, health: checks}, now});
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
		const report = buildSnapshot({policy, journal, readings: {...disabled, postgres}, now});
		expect(snapshotText(report, now).split('\n').slice(-5, -1)).toEqual([
			'postgres: ok',
			'  PostgreSQL 15.18, round trip 0.4ms',
			'  connections 48/100, 0 long-running, 1 waiting on locks',
			'  5117 waits 14s for 4242: UPDATE accounts SET balance = 1',
		]);
	});

	it('reads as text for a chat message', () => {
		const now = declaredAt + 10 * minute;
		const text = snapshotText(buildSnapshot({policy, journal, incident, readings: disabled, now}), now);
		expect(text.split('\n')).toEqual([
			'warroom snapshot 2026-11-27T03:10:00.000Z',
			'INC-7 P0 investigating: API down (declared 2026-11-27T03:00:00.000Z)',
			'  escalate to SRE team lead OVERDUE 5m',
			'  respond in 5m',
			'  tell customers in 20m',
			'journal: file /srv/incidents, live, read in 3ms',
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
		const report = buildSnapshot({policy, journal, readings: {...disabled, kubernetes: {state: 'ok', data: kubernetes}}, now});
		expect(report.kubernetes).toEqual({state: 'ok', ...kubernetes});
		expect(snapshotText(report, now).split('\n').slice(-5, -2)).toEqual([
			'kubernetes: ok',
			'  context prod-eu (cluster eu-1)',
			'  production/api-1 CrashLoopBackOff ready 0/1 restarts 3: back-off 5m0s restarting',
		]);
	});
});

describe("the snapshot's journal section", () => {
	const postgresLink: JournalLink = {
		store: 'postgres',
		where: 'db.internal:5432/warroom',
		state: 'live',
		since: declaredAt,
		waiting: 0,
	};
	const now = declaredAt;

	it('gives a shared store live with its lag, healthy', () => {
		const report = buildSnapshot({policy, readings: disabled, now, journal: {link: postgresLink, read: {tookMs: 12}}});
		expect(report.journal).toEqual({store: 'postgres', where: 'db.internal:5432/warroom', state: 'live', lagMs: 12, waiting: 0});
		expect(isUnhealthy(report)).toBe(false);
		expect(snapshotText(report, now).split('\n')).toContain('journal: postgres db.internal:5432/warroom, live, read in 12ms');
	});

	it('gives a store offline with why and what waits in the outbox, and is unhealthy for it', () => {
		const link: JournalLink = {...postgresLink, state: 'offline', error: 'connection refused by db.internal:5432', waiting: 3};
		const report = buildSnapshot({policy, readings: disabled, now, journal: {link, read: {tookMs: 40}}});
		expect(report.journal).toEqual({
			store: 'postgres',
			where: 'db.internal:5432/warroom',
			state: 'offline',
			error: 'connection refused by db.internal:5432',
			lagMs: 40,
			waiting: 3,
		});
		expect(isUnhealthy(report)).toBe(true);
		expect(snapshotText(report, now).split('\n')).toContain(
			'journal: postgres db.internal:5432/warroom, offline (connection refused by db.internal:5432), 3 events waiting to be sent, read in 40ms',
		);
	});

	it('gives a store this snapshot could not read as offline with the reason, and no lag, whatever the link heard last', () => {
		const read = {unreachable: 'the connection to db.internal:5432 was cut'};
		const report = buildSnapshot({policy, readings: disabled, now, journal: {link: {...postgresLink, waiting: 1}, read}});
		expect(report.journal).toEqual({
			store: 'postgres',
			where: 'db.internal:5432/warroom',
			state: 'offline',
			error: 'the connection to db.internal:5432 was cut',
			waiting: 1,
		});
		expect(isUnhealthy(report)).toBe(true);
		expect(snapshotText(report, now).split('\n')).toContain(
			'journal: postgres db.internal:5432/warroom, offline (the connection to db.internal:5432 was cut), 1 event waiting to be sent',
		);
	});

	it('keeps a hostile error and directory to one short line of text, escapes and all', () => {
		const error = `\u001b[2J\u001b]0;owned\u0007${'x'.repeat(100_000)}`;
		const link: JournalLink = {
			store: 'file',
			where: '/srv/\u001b[31mincidents\nsecond',
			state: 'offline',
			since: now,
			waiting: 0,
			error,
		};
		const report = buildSnapshot({policy, readings: disabled, now, journal: {link, read: {tookMs: 1}}});
		const line = snapshotText(report, now)
			.split('\n')
			.find(text => text.startsWith('journal: file'))!;
		expect(line).toMatch(/^journal: file \/srv\/incidents second, offline \(x{200}…\), read in 1ms$/);
		expect(line.length).toBeLessThan(300);
		expect(line).not.toMatch(/[\u0000-\u001f]/);
		// The JSON keeps the error whole: JSON.stringify escapes its controls.
		expect(report.journal.error).toBe(error);
	});
});

describe('reading the incident a snapshot reports', () => {
	let dir: string;
	beforeEach(async () => {
		dir = await mkdtemp(join(tmpdir(), 'warroom-snapshot-'));
	});
	afterEach(async () => {
		await rm(dir, {recursive: true, force: true});
	});

	it('times listing and reading the journal, and gives the file store its link', async () => {
		const journal = new FileJournal({dir, actor: 'alice@bastion'});
		await journal.create(newEvent.declared({title: 'API down', severity: 'P1', services: []}));
		const {lookup, read, link} = await readSnapshotIncident(journal);
		expect(lookup.found?.incident.title).toBe('API down');
		expect(read).toEqual({tookMs: expect.any(Number)});
		expect(link).toMatchObject({store: 'file', where: dir, state: 'live', waiting: 0});
	});

	it('reports a store that cannot be reached as the reason, not as bad usage, even for a named incident', async () => {
		const cut = new StoreUnreachable('postgres: connection refused by db.internal:5432: is the server up?');
		const unreachable = Object.assign(new FileJournal({dir, actor: 'alice@bastion'}), {
			list: () => Promise.reject(cut),
			read: () => Promise.reject(cut),
		});
		for (const id of [undefined, 'INC-4']) {
			const {lookup, read} = await readSnapshotIncident(unreachable, id);
			expect(lookup).toEqual({skipped: []});
			expect(read).toEqual({unreachable: cut.message});
		}
	});

	it('still refuses a named incident that is not there as bad usage', async () => {
		await expect(readSnapshotIncident(new FileJournal({dir, actor: 'alice@bastion'}), 'INC-4')).rejects.toBeInstanceOf(
			UsageError,
		);
	});
});
