/**
 * The Database panel drawn from a reading shaped as the collector makes it:
 * the summary lines, the lock tree with who every backend is, and text from
 * the server that must not reach the terminal as it came.
 */
import {describe, expect, it} from 'vitest';
import {render} from 'ink-testing-library';
import {App} from '../../source/app';
import {update} from '../../source/store';
import type {PostgresData} from '../../source/sources/types';
import {declaredAt} from '../helpers/incidents';
import {testControls, testStore} from '../helpers/store';

const started = (second: number) => `2026-11-27 02:5${second}:00.123+00`;

/** A migration left idle in transaction, an API call waiting on it, a worker waiting on the API call. */
const chain: PostgresData = {
	connections: {total: 48, max: 100, byState: {idle: 40, active: 7, 'idle in transaction': 1}},
	longRunning: [],
	blocking: [
		{pid: 5117, backendStart: started(1), blockedBy: [4242], waitSeconds: 14, query: 'UPDATE accounts SET balance = 1'},
		{pid: 5188, backendStart: started(2), blockedBy: [5117], waitSeconds: 9, query: 'UPDATE accounts SET balance = 2'},
	],
	sessions: [
		{
			pid: 4242,
			backendStart: started(0),
			user: 'migrator',
			application: 'flyway',
			state: 'idle in transaction',
			waitEvent: 'Client:ClientRead',
			transactionSeconds: 340,
			query: 'ALTER TABLE accounts ADD COLUMN note text',
		},
		{
			pid: 5117,
			backendStart: started(1),
			user: 'api',
			application: 'gateway',
			state: 'active',
			waitEvent: 'Lock:transactionid',
			transactionSeconds: 14,
			query: 'UPDATE accounts SET balance = 1',
		},
		{
			pid: 5188,
			backendStart: started(2),
			user: 'worker',
			application: 'jobs',
			state: 'active',
			waitEvent: 'Lock:tuple',
			transactionSeconds: 9,
			query: 'UPDATE accounts SET balance = 2',
		},
	],
	server: {version: '15.18 (Debian 15.18-0+deb12u1)', inRecovery: false, roundTripMs: 0.4, role: 'warroom', readsAllStats: true},
	top: {users: [{name: 'api', count: 40}], applications: [{name: 'gateway', count: 40}]},
	sizes: {
		readAt: declaredAt,
		database: {name: 'shop', bytes: 1.5 * 1024 ** 3},
		tables: [{schema: 'public', name: 'accounts', bytes: 800 * 1024 ** 2}],
	},
};

function databaseScreen(data: PostgresData, options: {rows?: number} = {}) {
	// ink-testing-library's terminal is 100 columns wide.
	const store = testStore({columns: 100, rows: options.rows ?? 40});
	update.ui(store, {focus: 'database', zoomed: true});
	update.reading(store, 'postgres', {state: 'ok', data, fetchedAt: declaredAt});
	const view = render(<App store={store} controls={testControls()} />);
	return (view.lastFrame() ?? '').split('\n');
}

describe('the Database panel', () => {
	it('says whether it can connect and how full the server is, then the tree with who every backend is', () => {
		const text = databaseScreen(chain).join('\n');
		expect(text).toContain('PostgreSQL 15.18 primary · up 0.4ms · connections 48/100 48% · idle 40 · active 7 · idle in tx');
		expect(text).toMatch(/║ 4242\s+ROOT blocks 2\s+migrator\s+idle in tx\s+Client:ClientRead\s+ALTER TABLE/);
		expect(text).toMatch(/║ └ 5117\s+waits 14s\s+api\s+active\s+Lock:transactionid\s+UPDATE accounts/);
		expect(text).toMatch(/║ │ └ 5188\s+waits 9s\s+worker\s+active\s+Lock:tuple\s+UPDATE accounts/);
		expect(text).toContain('users api 40 · apps gateway 40 · shop 1.5 GB · largest accounts 800 MB');
	});

	it('calls out a chain whose root is idle in transaction: cancelling its query would free nothing', () => {
		expect(databaseScreen(chain, {rows: 40}).join('\n')).toContain(
			'4242 (migrator) is idle in transaction 5m, blocking 2: cancel frees nothing, only terminate does',
		);
	});

	it('names the missing privilege instead of showing emptiness', () => {
		const hidden: PostgresData = {
			...chain,
			connections: {total: 12, max: 100, byState: {hidden: 11, active: 1}},
			server: {...chain.server!, role: 'ops', readsAllStats: false},
		};
		const text = databaseScreen(hidden).join('\n');
		expect(text).toContain('role ops lacks pg_read_all_stats: 11 backends of other roles hidden · GRANT pg_monitor TO ops');
	});

	it('keeps escape sequences, bidi overrides and a 100 KB query out of the terminal, the frame in its columns', () => {
		const hostile: PostgresData = {
			...chain,
			sessions: chain.sessions!.map(session => ({
				...session,
				user: 'evil\u001B]0;owned\u0007user',
				application: 'app\u202Eroot',
				query: `SELECT 1 /* \u001B[31mred\u001B[0m\u200B */ ${'x'.repeat(100_000)}`,
			})),
		};
		const lines = databaseScreen(hostile, {rows: 30});
		const text = lines.join('\n');
		expect(text).not.toContain('\u001B');
		expect(text).not.toContain('\u202E');
		expect(text).not.toContain('\u200B');
		expect(text).toMatch(/4242\s+ROOT blocks 2\s+eviluser\s+idle in tx/);
		expect(text).toContain('4242 (eviluser) is idle in transaction');
		expect(text).toContain('SELECT 1 /* red */ xxx');
		expect(lines.every(line => line.length <= 100)).toBe(true);
		expect(lines).toHaveLength(29);
	});

	it('at 80×24 keeps the connections line and two rows of the tree', () => {
		const store = testStore();
		update.reading(store, 'postgres', {state: 'ok', data: chain, fetchedAt: declaredAt});
		const text = (render(<App store={store} controls={testControls()} />).lastFrame() ?? '').split('\n').join('\n');
		expect(text).toContain('connections 48/100');
		expect(text).toMatch(/4242\s+ROOT blocks 2/);
		expect(text).toMatch(/└ 5117/);
	});
});
