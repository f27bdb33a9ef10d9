/**
 * The decisions of the PostgreSQL source that need no server: which
 * database a run reads, what a failure says, and how the query rows become
 * what the panel shows. The server itself is in test/integration/postgres.test.ts.
 */
import {describe, expect, it} from 'vitest';
import {withDatabaseFromEnv} from '../../source/config/settings';
import {createRedactor} from '../../source/config/secrets';
import {emptyConfig} from '../../source/config/types';
import {connectionsFrom, lockTreeFrom, type LockTreeRow} from '../../source/sources/postgres/activity';
import {postgresFailure, storeLongTimeouts, storeTimeouts} from '../../source/sources/postgres/connection';
import {passwordFor} from '../../source/sources/postgres/password-file';
import {sourcesFor} from '../../source/sources/source-list';
import type {PostgresData} from '../../source/sources/types';
import {databaseSummary, formatBytes} from '../../source/view-model/database-summary';

describe('which database a run reads', () => {
	const url = 'postgres://ops:s3cr%40t-pw@db.internal:5432/shop';

	it('reads none without a postgres section or DATABASE_URL, even with PG* variables set', () => {
		const config = withDatabaseFromEnv(emptyConfig, {PGHOST: 'db.internal', PGUSER: 'ops'});
		expect(config.postgres).toBeUndefined();
		expect(sourcesFor({startedAt: 0, config}).postgres).toBeUndefined();
	});

	it('reads DATABASE_URL with the default threshold when the config says nothing, masking its password as sent and as written', () => {
		const config = withDatabaseFromEnv(emptyConfig, {DATABASE_URL: url});
		expect(config.postgres).toEqual({url, longQueryMs: 5 * 60_000});
		expect(sourcesFor({startedAt: 0, config}).postgres).toMatchObject({source: 'postgres'});
		const redact = createRedactor(config.secrets);
		expect(redact('auth failed for s3cr@t-pw and s3cr%40t-pw')).toBe('auth failed for ••• and •••');
	});

	it('gives a postgres section without a url DATABASE_URL, and a url of its own wins', () => {
		const section = {...emptyConfig, postgres: {longQueryMs: 1000}};
		expect(withDatabaseFromEnv(section, {DATABASE_URL: url}).postgres).toEqual({url, longQueryMs: 1000});
		const own = {...emptyConfig, postgres: {url: 'postgres://db.other/shop', longQueryMs: 1000}};
		expect(withDatabaseFromEnv(own, {DATABASE_URL: url}).postgres?.url).toBe('postgres://db.other/shop');
	});

	it('leaves a postgres section without a url to libpq variables, and masks PGPASSWORD', () => {
		const config = withDatabaseFromEnv({...emptyConfig, postgres: {longQueryMs: 1000}}, {PGPASSWORD: 'pg-pass-77'});
		expect(config.postgres).toEqual({longQueryMs: 1000});
		expect(createRedactor(config.secrets)('pg-pass-77')).toBe('•••');
	});
});

describe('the password file, read as libpq reads it', () => {
	const file = [
		'# the reporting replica',
		'replica.internal:5432:*:ops:replica-pw',
		'db.internal:5432:shop:ops:shop\\:pw\\\\1',
		'*:*:*:ops:any-pw',
		'localhost:5432:shop:warroom:socket-pw',
	].join('\n');
	const target = {host: 'db.internal', port: 5432, database: 'shop', user: 'ops'};

	it('gives the first line that matches, with its escaped colon and backslash', () => {
		expect(passwordFor(file, target)).toBe('shop:pw\\1');
	});

	it('matches * to anything, and a socket directory as localhost', () => {
		expect(passwordFor(file, {...target, host: 'other.internal'})).toBe('any-pw');
		expect(passwordFor(file, {host: '/var/run/postgresql', port: 5432, database: 'shop', user: 'warroom'})).toBe('socket-pw');
	});

	it('gives nothing when no line matches', () => {
		expect(passwordFor(file, {...target, user: 'nobody'})).toBeUndefined();
	});
});

describe('what a failure says', () => {
	const where = 'db.internal:5432';
	const failure = (fields: Record<string, string>) => postgresFailure(Object.assign(new Error(fields.message), fields), where);

	it.each([
		[
			{code: 'ECONNREFUSED', message: 'connect ECONNREFUSED'},
			'postgres: connection refused by db.internal:5432: is the server up?',
		],
		[
			{code: 'ENOTFOUND', hostname: 'db.internal', message: 'getaddrinfo ENOTFOUND db.internal'},
			'postgres: cannot resolve db.internal: no such host (DNS ENOTFOUND)',
		],
		[
			{code: '28P01', message: 'password authentication failed for user "ops"'},
			'postgres: db.internal:5432 refused the sign-in: password authentication failed for user "ops"',
		],
		[
			{code: '57P01', message: 'terminating connection due to administrator command'},
			'postgres: db.internal:5432 is shutting down or starting up: terminating connection due to administrator command',
		],
		[
			{code: '57014', message: 'canceling statement due to statement timeout'},
			'postgres: a monitoring query ran past the statement timeout (2s): the server is slow',
		],
		[{message: 'Connection terminated due to connection timeout'}, 'postgres: no answer from db.internal:5432 within 3s'],
		[{message: 'Query read timeout'}, 'postgres: no answer from db.internal:5432 within 4s'],
		[{message: 'Connection terminated unexpectedly'}, 'postgres: the connection to db.internal:5432 was cut'],
		[{code: '3D000', message: 'database "shopp" does not exist'}, 'postgres: database "shopp" does not exist'],
	])('%o', (fields, message) => {
		expect(failure(fields)).toBe(message);
	});

	it("names the incident store's queries and their own timeouts, never a monitoring query", () => {
		const lockWait = Object.assign(new Error('canceling statement due to lock timeout'), {code: '55P03'});
		expect(postgresFailure(lockWait, where, storeTimeouts)).toBe(
			'postgres: an incident store query waited past the lock timeout (3s)',
		);
		expect(postgresFailure(lockWait, where, storeLongTimeouts)).toBe(
			'postgres: an incident store migration or import waited past the lock timeout (30s)',
		);
		expect(postgresFailure(new Error('Query read timeout'), where, storeLongTimeouts)).toBe(
			'postgres: no answer from db.internal:5432 within 65s',
		);
	});
});

describe('the rows made into the panel’s data', () => {
	it('counts connections by state and names the five users and applications holding the most', () => {
		const users = ['api', 'batch', 'cron', 'etl', 'ops', 'web'].map((name, index) => ({
			dimension: 'user' as const,
			name,
			count: index + 1,
		}));
		const {connections, top} = connectionsFrom(
			[
				{dimension: 'state', name: 'idle', count: 14},
				{dimension: 'state', name: 'active', count: 6},
				{dimension: 'state', name: 'idle in transaction', count: 1},
				...users,
				{dimension: 'application', name: '', count: 21},
			],
			100,
		);
		expect(connections).toEqual({total: 21, max: 100, byState: {idle: 14, active: 6, 'idle in transaction': 1}});
		expect(top?.users.map(user => user.name)).toEqual(['web', 'ops', 'etl', 'cron', 'batch']);
		expect(top?.applications).toEqual([{name: '', count: 21}]);
	});

	it('lists each waiter with whom it waits for, and every backend of the tree', () => {
		const row = (pid: number, blockedBy: number[] | null): LockTreeRow => ({
			pid,
			backend_start: `2026-11-27 03:00:0${pid}+00`,
			blocked_by: blockedBy,
			wait_seconds: 12.7,
			usename: 'app',
			application_name: 'shop',
			state: blockedBy ? 'active' : 'idle in transaction',
			wait_event: blockedBy ? 'Lock:tuple' : 'Client:ClientRead',
			transaction_seconds: blockedBy ? 12.7 : null,
			query: `q${pid}`,
		});
		const {blocking, sessions} = lockTreeFrom([row(4, [3, 2]), row(1, null), row(2, [1])]);
		expect(blocking).toEqual([
			{pid: 2, backendStart: '2026-11-27 03:00:02+00', blockedBy: [1], waitSeconds: 12, query: 'q2'},
			{pid: 4, backendStart: '2026-11-27 03:00:04+00', blockedBy: [2, 3], waitSeconds: 12, query: 'q4'},
		]);
		expect(sessions?.map(session => [session.pid, session.state, session.transactionSeconds])).toEqual([
			[1, 'idle in transaction', undefined],
			[2, 'active', 12],
			[4, 'active', 12],
		]);
	});
});

describe('the summary above the rows', () => {
	const data: PostgresData = {
		connections: {total: 95, max: 100, byState: {active: 95}},
		longRunning: [],
		blocking: [],
		server: {version: '16.4', inRecovery: true, roundTripMs: 1.2, role: 'ops', readsAllStats: true},
	};

	it('says a replica is one, and turns red past 90% of max_connections', () => {
		expect(databaseSummary(data)).toEqual([
			{text: 'PostgreSQL 16.4 replica (in recovery) · up 1.2ms · connections 95/100 95% · active 95', tone: 'bad'},
		]);
	});

	it('writes sizes as a responder reads them', () => {
		expect([0, 812 * 1024, 1.5 * 1024 ** 3, 12 * 1024 ** 4].map(formatBytes)).toEqual(['0 B', '812 kB', '1.5 GB', '12 TB']);
	});
});
