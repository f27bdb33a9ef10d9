/**
 * `C` and `K`'s signals against a real server (test/helpers/postgres-server.ts)
 * with real sessions: the backend is named as the Database panel's row names
 * it (read by the console's own collector), and what the signal did, or why
 * it could not, is what the responder reads.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import pg from 'pg';
import {collectOnce} from '../../source/sources/collector';
import type {Backend, BackendSignal} from '../../source/sources/postgres/backend-signal';
import {databaseSignals} from '../../source/sources/postgres/database-signals';
import {postgresCollector} from '../../source/sources/postgres/collector';
import {backendKey, databaseRows} from '../../source/view-model/rows';
import {holdRow, postgresForThisFile, roles, updateRow, waitBehind, type Role} from '../helpers/postgres-server';

const server = postgresForThisFile();

/** The Database panel's row of `pid`, as the console signed in as `role` reads it: every query counts as long. */
async function rowOf(pid: number, role: Role = 'signaller'): Promise<Backend> {
	const reading = await collectOnce(postgresCollector({url: server.url(role), longQueryMs: 0}));
	const row = databaseRows(reading.data, '').find(candidate => backendKey(candidate).startsWith(`${pid}@`));
	if (!row) throw new Error(`backend ${pid} is not on the Database panel: ${JSON.stringify(reading)}`);
	const [, backendStart = ''] = backendKey(row).split('@');
	return {pid, backendStart};
}

const send = (kind: BackendSignal, backend: Backend, role: Role = 'signaller') =>
	databaseSignals(server.url(role)).signal(kind, backend, new AbortController().signal);

/** The error code a session's client is told of, by a failed query or the connection's end. */
const codeOf = (error: unknown) => (error as {code?: string}).code;

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
	const deadline = Date.now() + 5000;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`not within 5 s: ${what}`);
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

/** The superuser's connection the tests look at the server through, outside the sessions they play. */
let probe: pg.Client;
beforeAll(async () => {
	probe = new pg.Client({connectionString: server.url('admin'), application_name: 'probe'});
	await probe.connect();
});
afterAll(async () => {
	await probe.end();
});

/** What the server says of backend `pid` now: its state, or undefined once it is gone. */
async function stateOf(pid: number): Promise<string | undefined> {
	const {rows} = await probe.query<{state: string}>('SELECT state FROM pg_stat_activity WHERE pid = $1', [pid]);
	return rows[0]?.state;
}

/** A session of `role` running `sql`, left running; its client, pid, and how its statement ends. */
async function running(application: string, sql: string, role: Role = 'app') {
	const client = await server.session(role, application);
	const pid = await server.pidOf(client);
	const ended = client.query(sql).then(
		() => 'finished',
		(error: unknown) => codeOf(error),
	);
	await until(async () => (await stateOf(pid)) === 'active', `${application} runs its query`);
	return {client, pid, ended};
}

describe('cancel (C)', () => {
	it('cancels a long query: its client gets 57014, and the backend stays connected', async () => {
		const {client, pid, ended} = await running('report', 'SELECT pg_sleep(60)');
		await expect(send('cancel', await rowOf(pid))).resolves.toBe(
			`the query of backend ${pid} was cancelled: its client gets 57014 and the backend stays connected`,
		);
		expect(await ended).toBe('57014');
		expect((await client.query<{one: number}>('SELECT 1 AS one')).rows).toEqual([{one: 1}]);
	});

	it('on a blocker idle in transaction: returns true and frees nothing, and says to terminate it', async () => {
		const blocker = await holdRow(server, 'migration');
		const waiter = await waitBehind(server, 'checkout', updateRow);
		await expect(send('cancel', await rowOf(blocker))).resolves.toBe(
			'the backend was idle in transaction: cancel frees nothing; terminate it (K)',
		);
		// Read after the cancel has been answered: the waiter still waits on the same blocker.
		expect(await server.waitingPids()).toEqual([waiter]);
		expect((await rowOf(waiter)).pid).toBe(waiter);
	});
});

describe('terminate (K)', () => {
	it('ends the blocker: its client gets 57P01, the waiter gets its lock and finishes', async () => {
		const holder = await server.session('app', 'migration');
		await holder.query('BEGIN');
		await holder.query('UPDATE accounts SET balance = balance + 1 WHERE id = 1');
		const blocker = await server.pidOf(holder);
		const told = new Promise<string | undefined>(resolve => holder.once('error', error => resolve(codeOf(error))));
		const waiting = await server.session('app', 'checkout');
		const waiter = await server.pidOf(waiting);
		const update = waiting.query(updateRow);
		await until(async () => (await server.waitingPids()).includes(waiter), 'checkout waits behind the migration');

		await expect(send('terminate', await rowOf(blocker))).resolves.toBe(
			`backend ${blocker} was terminated: its transaction rolls back and its locks are freed`,
		);
		expect(await told).toBe('57P01');
		expect((await update).rowCount).toBe(1);
		expect(await server.waitingPids()).toEqual([]);
	});

	it('never hits a later backend with the same pid: a start time that is not its own is refused, and it lives', async () => {
		const {pid} = await running('report', 'SELECT pg_sleep(60)');
		const {backendStart} = await rowOf(pid);
		// What the row of an ended backend names once the server gave its pid to a new one: the same pid, an earlier start.
		const earlier = new Date(Date.parse(backendStart.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')) - 1000).toISOString();
		await expect(send('terminate', {pid, backendStart: earlier})).rejects.toThrow(
			`backend ${pid} (started ${earlier}) is gone: nothing was signalled (a new backend with its pid, if any, was left alone)`,
		);
		expect(await stateOf(pid)).toBe('active');
	});

	it('says a backend that ended is gone', async () => {
		const {pid} = await running('report', 'SELECT pg_sleep(60)');
		const backend = await rowOf(pid);
		// Ended by someone else while its row was on screen.
		await probe.query('SELECT pg_terminate_backend($1)', [pid]);
		await until(async () => (await stateOf(pid)) === undefined, 'the backend ends');
		await expect(send('terminate', backend)).rejects.toThrow(`backend ${pid} (started ${backend.backendStart}) is gone`);
	});
});

describe('what a role may signal', () => {
	it('without pg_signal_backend: the error names it, and membership in the backend role', async () => {
		const {pid} = await running('report', 'SELECT pg_sleep(60)');
		await expect(send('cancel', await rowOf(pid), 'monitor')).rejects.toThrow(
			`postgres: not allowed to cancel the query of backend ${pid}: the console's role needs pg_signal_backend (GRANT pg_signal_backend TO it) or membership in the backend's role`,
		);
		await expect(send('terminate', await rowOf(pid), 'monitor')).rejects.toThrow('needs pg_signal_backend');
		// Read after both refusals were answered: nothing reached it.
		expect(await stateOf(pid)).toBe('active');
	});

	it('without pg_read_all_stats, when a backend started cannot be read: nothing is sent, and the error names the grant', async () => {
		const blocker = await holdRow(server, 'migration');
		await waitBehind(server, 'checkout', updateRow);
		const backend = await rowOf(blocker, 'plain');
		expect(backend.backendStart).toBe('');
		await expect(send('terminate', backend, 'plain')).rejects.toThrow(
			`backend ${blocker}: when it started cannot be read (the console's role lacks pg_read_all_stats: GRANT pg_monitor; or it is gone)`,
		);
		expect(await stateOf(blocker)).toBe('idle in transaction');
	});

	it("a superuser's backend: only a superuser may signal it, even with pg_signal_backend", async () => {
		const {pid} = await running('dba', 'SELECT pg_sleep(60)', 'admin');
		await expect(send('terminate', await rowOf(pid))).rejects.toThrow(
			`postgres: only a superuser may terminate backend ${pid}: it is a superuser's, and the console's role is not one`,
		);
		await expect(send('terminate', await rowOf(pid), 'admin')).resolves.toContain('was terminated');
	});

	it('a refused sign-in says so without the password', async () => {
		const {pid} = await running('report', 'SELECT pg_sleep(60)');
		const backend = await rowOf(pid);
		const error = await databaseSignals(server.url('signaller', {password: 'wrong-pw-77aa'}))
			.signal('cancel', backend, new AbortController().signal)
			.then(
				() => undefined,
				(failure: unknown) => String(failure),
			);
		expect(error).toContain('refused the sign-in');
		expect(error).not.toContain('wrong-pw-77aa');
		expect(error).not.toContain(roles.signaller.password);
	});

	it('a server that does not answer: the signal gives up at the connect timeout and says so', async () => {
		const {pid} = await running('report', 'SELECT pg_sleep(60)');
		const backend = await rowOf(pid);
		server.freeze();
		try {
			await expect(send('cancel', backend)).rejects.toThrow(`postgres: no answer from 127.0.0.1:${server.port} within 3s`);
		} finally {
			server.thaw();
		}
	});
});
