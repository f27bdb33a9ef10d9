import {describe, expect, it, vi} from 'vitest';
import type {Action} from '../../source/actions/action';
import type {Pending, Prepared, Refusal} from '../../source/actions/command';
import {bindingFor, unboundReason} from '../../source/actions/keys';
import {registry} from '../../source/actions/registry';
import {newEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import {update, type Mode} from '../../source/store';
import {backendProblem, signalFailure, signalOutcome, type BackendSignals} from '../../source/sources/postgres/backend-signal';
import {signalStatement} from '../../source/sources/postgres/database-signals';
import {serverOf} from '../../source/sources/postgres/connection';
import type {PostgresData} from '../../source/sources/types';
import {journalOf} from '../helpers/incidents';
import {signalEffect} from '../../source/sources/postgres/actions';
import {recordingExecutor} from '../helpers/actions';
import {testStore} from '../helpers/store';

const started = '2026-11-27 03:01:08.412907+00';
const backend = {pid: 4242, backendStart: started};

describe('the backend a row names', () => {
	it.each([
		[0, started, 'pid "0" is not a positive whole number'],
		[-7, started, 'pid "-7" is not a positive whole number'],
		[1.5, started, 'pid "1.5" is not a positive whole number'],
		[2 ** 31, started, 'pid "2147483648" is not a positive whole number'],
		[Number.NaN, started, 'pid "NaN" is not a positive whole number'],
		[
			4242,
			"2026-11-27'; SELECT pg_terminate_backend(1); --",
			`backend 4242: its start time "2026-11-27'; SELECT pg_terminate_backend… (47 characters)" is not an ISO timestamp`,
		],
		[4242, '2026-11-27 03:01:08\u001b[2J+00', 'backend 4242: its start time "2026-11-27 03:01:08+00" is not an ISO timestamp'],
		[
			4242,
			'x'.repeat(100_000),
			'backend 4242: its start time "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (100000 characters)" is not an ISO timestamp',
		],
		[
			4242,
			'',
			"backend 4242: when it started cannot be read (the console's role lacks pg_read_all_stats: GRANT pg_monitor; or it is gone), so it cannot be told from a later backend with its pid",
		],
	])('refuses pid %s started %j before any SQL', (pid, backendStart, problem) => {
		expect(backendProblem({pid, backendStart})).toContain(problem);
	});

	it.each([started, '2026-11-27 03:01:08+05:30', '2026-11-27T03:01:08.000Z', '2026-11-27 03:01:08.4-08'])(
		'takes the server text %j',
		backendStart => expect(backendProblem({pid: 4242, backendStart})).toBeUndefined(),
	);
});

describe('the statement', () => {
	it('is the exact SQL with the pid and start time written in, checked in the statement that signals', () => {
		expect(signalStatement('cancel', backend)).toBe(
			`SELECT pg_cancel_backend(pid) AS signalled, coalesce(state, '') AS state FROM pg_stat_activity WHERE pid = 4242 AND backend_start = '${started}'::timestamptz`,
		);
		expect(signalStatement('terminate', backend)).toBe(
			`SELECT pg_terminate_backend(pid) AS signalled, coalesce(state, '') AS state FROM pg_stat_activity WHERE pid = 4242 AND backend_start = '${started}'::timestamptz`,
		);
	});
});

describe('what a signal did, in words', () => {
	it.each([
		[
			'cancel',
			{signalled: true, state: 'active'},
			{done: 'the query of backend 4242 was cancelled: its client gets 57014 and the backend stays connected'},
		],
		[
			'cancel',
			{signalled: true, state: 'idle in transaction'},
			{done: 'the backend was idle in transaction: cancel frees nothing; terminate it (K)'},
		],
		[
			'cancel',
			{signalled: true, state: 'idle in transaction (aborted)'},
			{done: 'the backend was idle in transaction: cancel frees nothing; terminate it (K)'},
		],
		['cancel', {signalled: true, state: 'idle'}, {done: 'backend 4242 was idle: it ran no query to cancel'}],
		[
			'terminate',
			{signalled: true, state: 'idle in transaction'},
			{done: 'backend 4242 was terminated: its transaction rolls back and its locks are freed'},
		],
		[
			'terminate',
			{signalled: false, state: 'active'},
			{failed: 'pg_terminate_backend returned false for backend 4242: it was not signalled (it may have just ended)'},
		],
		[
			'cancel',
			undefined,
			{
				failed: `backend 4242 (started ${started}) is gone: nothing was signalled (a new backend with its pid, if any, was left alone)`,
			},
		],
	] as const)('%s, row %j', (kind, row, outcome) => {
		expect(signalOutcome(kind, backend, row)).toEqual(outcome);
	});

	it('names the privilege a refusal lacks, for PostgreSQL 15 and older servers alike', () => {
		const where = '10.0.0.5:5432';
		const superuser15 = {
			code: '42501',
			message: 'permission denied to terminate process',
			detail: 'Only roles with the SUPERUSER attribute may terminate processes of roles with the SUPERUSER attribute.',
		};
		const superuser14 = {code: '42501', message: 'must be a superuser to terminate superuser process'};
		const member15 = {
			code: '42501',
			message: 'permission denied to cancel query',
			detail:
				'Only roles with privileges of the role whose process is being terminated or with privileges of the "pg_signal_backend" role may cancel this query.',
		};
		expect(signalFailure(superuser15, 'terminate', backend, where)).toBe(
			"postgres: only a superuser may terminate backend 4242: it is a superuser's, and the console's role is not one",
		);
		expect(signalFailure(superuser14, 'terminate', backend, where)).toContain('only a superuser may terminate backend 4242');
		expect(signalFailure(member15, 'cancel', backend, where)).toBe(
			"postgres: not allowed to cancel the query of backend 4242: the console's role needs pg_signal_backend (GRANT pg_signal_backend TO it) or membership in the backend's role",
		);
		expect(
			signalFailure({code: '57014', message: 'canceling statement due to statement timeout'}, 'cancel', backend, where),
		).toBe('postgres: pg_cancel_backend ran past its statement timeout on 10.0.0.5:5432: the server is slow');
		expect(signalFailure({code: 'ECONNREFUSED'}, 'cancel', backend, where)).toBe(
			'postgres: connection refused by 10.0.0.5:5432: is the server up?',
		);
	});
});

describe('which server the confirmation names', () => {
	it('host, port and database, never the user or the password', () => {
		expect(serverOf('postgres://ops:s3cret-pw@db.internal:6432/shop?sslmode=require', {})).toBe('db.internal:6432/shop');
		expect(serverOf('postgresql:///shop?host=/var/run/postgresql', {})).toBe('/var/run/postgresql/.s.PGSQL.5432/shop');
		expect(serverOf(undefined, {PGHOST: 'replica.internal', PGPORT: '5433', PGDATABASE: 'orders', PGPASSWORD: 'pw'})).toBe(
			'replica.internal:5433/orders',
		);
		expect(serverOf('not a url with s3cret-pw', {})).toBe('the database of postgres.url');
		expect(serverOf('not a url with s3cret-pw', {}, 'incidents.url')).toBe('the database of incidents.url');
	});
});

const entry = (id: string): Action => registry.find(action => action.id === id)!;

const hostileQuery = "UPDATE orders SET note = '\u001b]0;pwned\u0007\u001b[2J\u202e' WHERE id = 1";

/** A reading with the migration idle in transaction blocking checkout, and a long report outside the tree. */
const reading = (blockerStart = started): PostgresData => ({
	connections: {total: 3, max: 100, byState: {active: 2, 'idle in transaction': 1}},
	longRunning: [
		{
			pid: 7001,
			backendStart: '2026-11-27 02:00:00+00',
			user: 'analyst',
			application: 'psql',
			state: 'active',
			durationSeconds: 3720,
			query: 'SELECT * FROM big_report',
		},
	],
	blocking: [{pid: 5117, backendStart: '2026-11-27 03:02:00+00', blockedBy: [4242], waitSeconds: 65, query: hostileQuery}],
	sessions: [
		{
			pid: 4242,
			backendStart: blockerStart,
			user: 'migrator',
			application: 'schema-migrate',
			state: 'idle in transaction',
			waitEvent: 'Client:ClientRead',
			transactionSeconds: 754,
			query: 'ALTER TABLE orders ADD COLUMN gateway_region text',
		},
		{
			pid: 5117,
			backendStart: '2026-11-27 03:02:00+00',
			user: 'api',
			application: 'api-gateway',
			state: 'active',
			waitEvent: 'Lock:transactionid',
			transactionSeconds: 65,
			query: hostileQuery,
		},
	],
});

function setup(options: {mode?: Partial<Mode>; data?: PostgresData; incident?: boolean} = {}) {
	const store = testStore({mode: {database: 'db.internal:5432/shop', ...options.mode}});
	update.reading(store, 'postgres', {state: 'ok', data: options.data ?? reading(), fetchedAt: 0});
	if (options.incident !== false)
		store.setState({
			incident: replayIncident('INC-1', journalOf([0, newEvent.declared({title: 'Outage', severity: 'P1', services: []})])),
		});
	const prepare = (id: string, key: string) => entry(id).prepare(store.getState(), key, {});
	return {store, prepare};
}

function prepared(result: Prepared | Refusal): Prepared {
	if ('refused' in result) throw new Error(`refused: ${result.refused}`);
	return result;
}

describe('C and K on the Database panel', () => {
	it('K on the blocker: the pid typed, the backend, its query and the server shown, what will happen said', () => {
		const terminate = prepared(setup().prepare('terminate-backend', `4242@${started}`));
		expect(terminate).toMatchObject({
			target: 'backend 4242',
			ask: {confirmation: 'type-name', name: '4242'},
			effect:
				'end backend 4242: its connection closes (its client gets 57P01), its open transaction rolls back and its locks are freed',
			details: [
				'pid 4242 · user migrator · application schema-migrate · state idle in transaction · age 12m',
				'Query: ALTER TABLE orders ADD COLUMN gateway_region text',
				'Server: db.internal:5432/shop',
			],
			summary: 'pg_terminate_backend of backend 4242',
		});
		expect(terminate.command).toMatchObject({kind: 'run', name: signalStatement('terminate', backend)});
	});

	it('C on a blocker idle in transaction says before it runs that it frees nothing, and offers K', () => {
		expect(prepared(setup().prepare('cancel-query', `4242@${started}`)).effect).toBe(
			'nothing useful: backend 4242 is idle in transaction, it runs no query, so cancel frees none of its locks; terminate it (K)',
		);
		expect(entry('cancel-query').confirmation).toBe('yes-no');
		expect(signalEffect('cancel', {...backend, user: 'ops', application: 'psql', state: 'idle', query: ''})).toBe(
			'nothing useful: backend 4242 is idle, it runs no query, so cancel frees nothing it holds; terminate it (K)',
		);
	});

	it('C on a long query outside the tree: its age is the query’s', () => {
		const cancel = prepared(setup().prepare('cancel-query', '7001@2026-11-27 02:00:00+00'));
		expect(cancel.details?.[0]).toBe('pid 7001 · user analyst · application psql · state active · age 1h02m');
		expect(cancel.effect).toBe('cancel the query backend 7001 runs (its client gets 57014); the backend stays connected');
	});

	it('a query written to attack the terminal is shown as plain text', () => {
		const details = prepared(setup().prepare('cancel-query', '5117@2026-11-27 03:02:00+00')).details ?? [];
		expect(details[1]).toBe("Query: UPDATE orders SET note = '' WHERE id = 1");
		expect(details.join('')).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
	});

	it('refuses a row whose start time is not a timestamp, without an incident, or with no row', () => {
		const bad = "2026'); SELECT pg_terminate_backend(1); --";
		expect(setup({data: reading(bad)}).prepare('terminate-backend', `4242@${bad}`)).toEqual({
			refused: `backend 4242: its start time "2026'); SELECT pg_terminate_backend(1); … (42 characters)" is not an ISO timestamp`,
		});
		expect(setup({incident: false}).prepare('terminate-backend', `4242@${started}`)).toEqual({
			refused: 'no incident: declare one first (d)',
		});
		expect(setup().prepare('terminate-backend', '9999@2026-11-27 03:00:00+00')).toEqual({refused: 'no backend selected'});
	});
});

describe('C and K through the executor', () => {
	function executorOn(mode: Partial<Mode> = {}) {
		const {store} = setup({mode});
		const signal = vi.fn<BackendSignals['signal']>(
			async () => 'the backend was idle in transaction: cancel frees nothing; terminate it (K)',
		);
		const {executor, recorded} = recordingExecutor(store, {database: {signal}});
		store.setState(state => ({
			ui: {
				...state.ui,
				focus: 'database',
				selection: {...state.ui.selection, database: {key: `4242@${started}`, index: 0, label: '4242'}},
			},
		}));
		const confirm = async (action: string, typed?: string) => {
			executor.request(entry(action));
			const overlay = store.getState().ui.overlay as {kind: 'confirm'; pending: Pending};
			expect(overlay.kind).toBe('confirm');
			if (typed !== undefined) expect(overlay.pending.question).toMatchObject({confirmation: 'type-name', name: typed});
			await executor.run(overlay.pending);
		};
		return {store, recorded, signal, confirm};
	}

	it('journals the exact statement and what the signal did, and shows it', async () => {
		const {store, recorded, signal, confirm} = executorOn();
		await confirm('cancel-query');
		expect(signal).toHaveBeenCalledWith('cancel', expect.objectContaining(backend), expect.any(AbortSignal));
		expect(recorded).toEqual([
			expect.objectContaining({
				type: 'action_started',
				action: 'cancel-query',
				target: 'backend 4242',
				command: signalStatement('cancel', backend),
				dryRun: false,
			}),
			expect.objectContaining({
				type: 'action_finished',
				outcome: 'ok',
				result: 'the backend was idle in transaction: cancel frees nothing; terminate it (K)',
			}),
		]);
		expect(store.getState().ui.notice?.text).toMatch(
			/^ran cancel query on backend 4242: done in \d+ms: the backend was idle in transaction: cancel frees nothing; terminate it \(K\)$/,
		);
	});

	it('--dry-run journals what K would run and sends nothing', async () => {
		const {recorded, signal, confirm} = executorOn({dryRun: true});
		await confirm('terminate-backend', '4242');
		expect(signal).not.toHaveBeenCalled();
		expect(recorded).toEqual([
			expect.objectContaining({type: 'action_started', command: signalStatement('terminate', backend), dryRun: true}),
			expect.objectContaining({type: 'action_finished', outcome: 'dry-run'}),
		]);
	});
});

describe('the keys', () => {
	const context = {focus: 'database' as const, hasIncident: true, readOnly: false, zoomed: false};

	it('C and K act on the Database panel only', () => {
		expect(['C', 'K'].map(key => bindingFor(key, context)?.action)).toEqual(['cancel-query', 'terminate-backend']);
		expect(['C', 'K'].map(key => bindingFor(key, {...context, focus: 'pods'}))).toEqual([undefined, undefined]);
	});

	it('--read-only binds neither, and says so', () => {
		const readOnly = {...context, readOnly: true};
		expect(['C', 'K'].map(key => bindingFor(key, readOnly))).toEqual([undefined, undefined]);
		expect(unboundReason('K', readOnly)).toBe('read-only: terminate backend is not available');
		expect(unboundReason('C', readOnly)).toBe('read-only: cancel query is not available');
	});
});
