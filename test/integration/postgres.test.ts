/**
 * The PostgreSQL collector against a real server (test/helpers/postgres-server.ts)
 * with real sessions: what it reads of connections, long queries and lock
 * trees, with and without the privilege to see other roles, and each way
 * the database can fail it, in words a responder can act on.
 */
import {afterEach, describe, expect, it, vi} from 'vitest';
import pg from 'pg';
import {collectOnce, runCollector, type CollectorHandle} from '../../source/sources/collector';
import {postgresCollector} from '../../source/sources/postgres/collector';
import {poolOptions} from '../../source/sources/postgres/connection';
import {queries} from '../../source/sources/postgres/queries';
import type {PostgresData, Reading} from '../../source/sources/types';
import {databaseSummary} from '../../source/view-model/database-summary';
import {databaseRows} from '../../source/view-model/rows';
import {
	holdRow as holdRowOn,
	postgresForThisFile,
	roles,
	updateRow,
	waitBehind as waitBehindOn,
	type Role,
} from '../helpers/postgres-server';

const server = postgresForThisFile();

/** One reading, as the console's collector makes it, signed in as `role`. */
const readAs = (role: Role = 'monitor', longQueryMs = 60_000) =>
	collectOnce(postgresCollector({url: server.url(role), longQueryMs}));

const holdRow = (application: string) => holdRowOn(server, application);
const waitBehind = (application: string, sql: string, role?: Role) => waitBehindOn(server, application, sql, role);

/** The lock tree as the panel lists it: each backend by its application, indented under the one it waits for. */
const tree = (data: PostgresData | undefined) =>
	databaseRows(data, '').flatMap(row =>
		row.kind === 'lock'
			? [`${'  '.repeat(row.lock.depth)}${row.lock.application}${row.lock.alsoWaitsFor.length > 0 ? ' (also another)' : ''}`]
			: [],
	);

describe('what the collector reads', () => {
	it('can connect: the round trip, the version, primary or replica, who it signs in as', async () => {
		const reading = await readAs();
		expect(reading.error).toBeUndefined();
		expect(reading.data?.server).toMatchObject({
			version: expect.stringMatching(/^\d+\.\d+/),
			inRecovery: false,
			role: roles.monitor.name,
			readsAllStats: true,
		});
		expect(reading.data?.server?.roundTripMs).toBeGreaterThan(0);
		expect(reading.data?.server?.roundTripMs).toBeLessThan(1000);
	});

	it('counts connections against max_connections, by state, user and application', async () => {
		await server.session('app', 'checkout');
		await server.session('app', 'checkout');
		await holdRow('billing');
		const {data} = await readAs();
		expect(data?.connections.max).toBe(60);
		expect(data?.connections.byState['idle in transaction']).toBe(1);
		expect(data?.connections.byState['idle']).toBeGreaterThanOrEqual(2);
		expect(data?.connections.total).toBe(Object.values(data?.connections.byState ?? {}).reduce((sum, count) => sum + count, 0));
		expect(data?.top?.applications).toContainEqual({name: 'checkout', count: 2});
		expect(data?.top?.users).toContainEqual({name: roles.app.name, count: 3});
	});

	it('lists a query running past postgres.longQuery with who runs it, and leaves out a short one', async () => {
		const sleeper = await server.session('app', 'report-job');
		void sleeper.query('SELECT pg_sleep(60) /* nightly report */').catch(() => undefined);
		const pid = await server.pidOf(sleeper);
		await server.session('app', 'quick');
		await vi.waitFor(
			async () => {
				const {data} = await readAs('monitor', 300);
				expect(data?.longRunning).toEqual([
					{
						pid,
						backendStart: expect.stringMatching(/^\d{4}-\d\d-\d\d /),
						user: roles.app.name,
						application: 'report-job',
						state: 'active',
						durationSeconds: expect.any(Number),
						query: 'SELECT pg_sleep(60) /* nightly report */',
					},
				]);
			},
			{timeout: 5000, interval: 200},
		);
	});

	it('draws a chain of three sessions on one row: the idle transaction first, each waiter under the one it waits for', async () => {
		const holder = await holdRow('migration');
		const second = await waitBehind('api', updateRow);
		const third = await waitBehind('worker', updateRow);
		const {data} = await readAs();
		expect(data?.blocking).toEqual([
			expect.objectContaining({pid: second, blockedBy: [holder], query: updateRow}),
			expect.objectContaining({pid: third, blockedBy: [second], query: updateRow}),
		]);
		expect(tree(data)).toEqual(['migration', '  api', '    worker']);
		const [root, api, worker] = databaseRows(data, '').map(row => (row.kind === 'lock' ? row.lock : undefined));
		expect(root).toMatchObject({pid: holder, root: true, blocking: 2, state: 'idle in transaction', user: roles.app.name});
		expect(root?.transactionSeconds).toBeGreaterThanOrEqual(0);
		// Every backend of the tree says who it is and what it waits on, young or not.
		expect(api).toMatchObject({root: false, user: roles.app.name, state: 'active', waitEvent: 'Lock:transactionid'});
		expect(worker).toMatchObject({root: false, user: roles.app.name, state: 'active', waitEvent: 'Lock:tuple'});
		expect(worker?.waitSeconds).toBeGreaterThanOrEqual(0);
		expect(databaseSummary(data!).map(line => line.text)).toContainEqual(
			expect.stringMatching(
				new RegExp(
					`^${holder} \\(${roles.app.name}\\) is idle in transaction \\d+s, blocking 2: cancel frees nothing, only terminate does$`,
				),
			),
		);
	});

	it('draws four sessions queued on one row without a false pair: the last waits on both before it', async () => {
		const holder = await holdRow('migration');
		const second = await waitBehind('api', updateRow);
		const third = await waitBehind('worker', updateRow);
		const fourth = await waitBehind('cron', updateRow);
		const {data} = await readAs();
		expect(data?.blocking.map(({pid, blockedBy}) => ({pid, blockedBy}))).toEqual([
			{pid: second, blockedBy: [holder]},
			{pid: third, blockedBy: [second]},
			{pid: fourth, blockedBy: [second, third]},
		]);
		expect(tree(data)).toEqual(['migration', '  api', '    worker', '    cron (also another)']);
	});

	it('draws an ALTER TABLE queued behind a reader, and the readers queued behind the ALTER TABLE', async () => {
		const reader = await server.session('app', 'report');
		await reader.query('BEGIN');
		await reader.query('SELECT count(*) FROM accounts');
		const readerPid = await server.pidOf(reader);
		const ddl = await waitBehind('migration', 'ALTER TABLE accounts ADD COLUMN note text', 'admin');
		const first = await waitBehind('api', 'SELECT count(*) FROM accounts');
		const second = await waitBehind('worker', 'SELECT count(*) FROM accounts');
		const {data} = await readAs();
		expect(data?.blocking.map(({pid, blockedBy}) => ({pid, blockedBy}))).toEqual([
			{pid: ddl, blockedBy: [readerPid]},
			{pid: first, blockedBy: [ddl]},
			{pid: second, blockedBy: [ddl]},
		]);
		expect(tree(data)).toEqual(['report', '  migration', '    api', '    worker']);
		expect(databaseRows(data, '')[1]).toMatchObject({lock: {user: roles.admin.name, waitEvent: 'Lock:relation'}});
	});

	it('reads the database size and the largest tables on the slow interval only', async () => {
		const collector = postgresCollector({url: server.url(), longQueryMs: 60_000}, {sizesEveryMs: 60_000});
		const first = await collectOnce(collector);
		const second = await collectOnce(collector, first);
		expect(first.data?.sizes?.database).toEqual({name: 'shop', bytes: expect.any(Number)});
		expect(first.data?.sizes?.tables).toContainEqual({schema: 'public', name: 'accounts', bytes: expect.any(Number)});
		expect(second.data?.sizes?.readAt).toBe(first.data?.sizes?.readAt);
	});

	it('runs every query of queries/ on its own, as a role with pg_monitor', async () => {
		const client = new pg.Client({connectionString: server.url()});
		await client.connect();
		try {
			for (const [name, sql] of Object.entries(queries)) {
				const result = await client.query(sql, name === 'longRunning' ? [0] : []);
				expect(result.fields.length, name).toBeGreaterThan(0);
			}
		} finally {
			await client.end();
		}
	});
});

describe('without the privilege to read other roles', () => {
	it('says the role lacks pg_read_all_stats, counts the backends it cannot see as hidden, and still draws the tree', async () => {
		const holder = await holdRow('migration');
		const waiter = await waitBehind('api', updateRow);
		const {data} = await readAs('plain');
		expect(data?.server).toMatchObject({role: roles.plain.name, readsAllStats: false});
		expect(data?.connections.byState['hidden']).toBeGreaterThanOrEqual(2);
		expect(data?.blocking).toEqual([expect.objectContaining({pid: waiter, blockedBy: [holder]})]);
		expect(data?.sessions?.find(session => session.pid === holder)).toMatchObject({
			state: '',
			query: '<insufficient privilege>',
		});
	});
});

describe('when the database fails', () => {
	let handle: CollectorHandle | undefined;
	afterEach(() => handle?.stop());

	it('says the connection was refused when nothing listens', async () => {
		const closed = new URL(server.url());
		closed.port = String(server.port === 65_535 ? 1 : server.port + 1);
		const reading = await collectOnce(postgresCollector({url: closed.toString(), longQueryMs: 60_000}));
		expect(reading).toMatchObject({
			state: 'error',
			error: `postgres: connection refused by 127.0.0.1:${closed.port}: is the server up?`,
		});
	});

	it('says the sign-in was refused, and never quotes the password, even a 200-character one', async () => {
		const password = `Wrong${'x9'.repeat(97)}!`;
		const reading = await collectOnce(postgresCollector({url: server.url('monitor', {password}), longQueryMs: 60_000}));
		expect(reading.error).toBe(
			`postgres: 127.0.0.1:${server.port} refused the sign-in: password authentication failed for user "${roles.monitor.name}"`,
		);
		expect(JSON.stringify(reading)).not.toContain(password.slice(0, 20));
	});

	it('says the host name does not resolve', async () => {
		const reading = await collectOnce(
			postgresCollector({url: 'postgres://warroom:secret@db.invalid:5432/shop', longQueryMs: 60_000}),
		);
		expect(reading.error).toMatch(/^postgres: cannot resolve db\.invalid: no such host \(DNS (ENOTFOUND|EAI_AGAIN)\)$/);
	});

	it('gives up on a server that accepts connections and never answers, and reads again once it does', async () => {
		const collector = postgresCollector({url: server.url(), longQueryMs: 60_000});
		server.freeze();
		let reading: Reading<PostgresData>;
		try {
			reading = await collectOnce(collector);
		} finally {
			server.thaw();
		}
		expect(reading.error).toBe(`postgres: no answer from 127.0.0.1:${server.port} within 3s`);
		expect((await collectOnce(collector, reading)).state).toBe('ok');
	});

	it('is not held by a lock on a table it sizes: the reading comes, the sizes say what stopped them', async () => {
		const locker = await server.session('admin', 'vacuum-full');
		await locker.query('BEGIN');
		await locker.query('LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE');
		const started = Date.now();
		const reading = await collectOnce(postgresCollector({url: server.url(), longQueryMs: 60_000}));
		expect(reading.state).toBe('ok');
		expect(reading.data?.sizes?.error).toBe('postgres: a monitoring query waited past the lock timeout (0.5s)');
		expect(Date.now() - started).toBeLessThan(2000);
	});

	it('gives up on a catalog locked under it at the lock timeout instead of hanging, and reads again once it is free', async () => {
		const collector = postgresCollector({url: server.url(), longQueryMs: 60_000});
		const first = await collectOnce(collector);
		expect(first.state).toBe('ok');
		// pg_stat_activity reads pg_authid: a role change held open (or a VACUUM FULL of it) stops every monitoring query.
		const locker = await server.session('admin', 'role-change');
		await locker.query('BEGIN');
		await locker.query('LOCK TABLE pg_authid IN ACCESS EXCLUSIVE MODE');
		let blocked: Reading<PostgresData>;
		const started = Date.now();
		try {
			blocked = await collectOnce(collector, first);
		} finally {
			await locker.query('ROLLBACK');
		}
		expect(blocked).toMatchObject({state: 'error', error: 'postgres: a monitoring query waited past the lock timeout (0.5s)'});
		expect(blocked.data).toBe(first.data);
		expect(Date.now() - started).toBeLessThan(2000);
		expect((await collectOnce(collector, blocked)).state).toBe('ok');
	});

	it('signs in as application warroom, with a statement timeout and a lock timeout on every connection', async () => {
		const pool = new pg.Pool(poolOptions(server.url()));
		try {
			const {rows} = await pool.query<Record<string, string>>(
				"SELECT current_setting('application_name') AS application, current_setting('statement_timeout') AS statement, current_setting('lock_timeout') AS lock",
			);
			expect(rows[0]).toEqual({application: 'warroom', statement: '2s', lock: '500ms'});
		} finally {
			await pool.end();
		}
	});

	it('keeps the last data through a restart of the server, and reads again by itself once it is back', async () => {
		let latest: Reading<PostgresData> = {state: 'loading'};
		handle = runCollector({...postgresCollector({url: server.url(), longQueryMs: 60_000}), intervalMs: 100}, reading => {
			latest = reading;
		});
		await vi.waitFor(() => expect(latest.state).toBe('ok'), {timeout: 5000});
		const before = latest.fetchedAt;
		// The pool's idle connection is ended by the shutdown: without the pool's error handler, this kills the process.
		await server.stop();
		await vi.waitFor(() => expect(latest.state).toBe('error'), {timeout: 5000});
		expect(latest.error).toMatch(/^postgres: (connection refused by|127\.0\.0\.1:\d+ is shutting down)/);
		expect(latest.data?.server?.role).toBe(roles.monitor.name);
		expect(latest.fetchedAt).toBe(before);
		await server.start();
		await vi.waitFor(() => expect(latest.state).toBe('ok'), {timeout: 5000});
		expect(latest.fetchedAt).toBeGreaterThan(before ?? 0);
	});
});
