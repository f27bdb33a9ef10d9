/**
 * The database as the built binary reads it: a real PostgreSQL server with
 * real sessions, chosen by a config's `postgres:` section. `snapshot` reports
 * it, the console draws it, and both survive the server going away.
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {cleanup, makeTempDir, runCli} from '../helpers/pty';
import {holdRow, postgresForThisFile, roles, updateRow, waitBehind} from '../helpers/postgres-server';
import {openConsole} from './steps';

const server = postgresForThisFile();

afterEach(cleanup);

/** A warroom.yaml reading the test server through `url`, queries older than half a second counting as long. */
function databaseConfig(url = server.url()): string {
	const config = join(makeTempDir('warroom-config-'), 'warroom.yaml');
	writeFileSync(config, `postgres:\n  url: ${JSON.stringify(url)}\n  longQuery: 500ms\n`);
	return config;
}

type PostgresSection = {
	state: string;
	error?: string;
	connections: {total: number; max: number; byState: Record<string, number>};
	longRunning: Array<Record<string, unknown>>;
	blocking: Array<{pid: number; blockedBy: number[]; waitSeconds: number; query: string}>;
};

it('snapshot reports the server: connections, a long query, and every waiter with whom it waits for', async () => {
	const holder = await holdRow(server, 'migration');
	const second = await waitBehind(server, 'api', updateRow);
	const third = await waitBehind(server, 'worker', updateRow);
	const sleeper = await server.session('app', 'report-job');
	void sleeper.query('SELECT pg_sleep(60)').catch(() => undefined);
	await new Promise(resolve => setTimeout(resolve, 700));
	const result = await runCli(['snapshot', '--format', 'json', '--config', databaseConfig(), '--data-dir', makeTempDir()]);
	expect(result.stderr).toBe('');
	expect(result.code).toBe(1);
	const {postgres} = JSON.parse(result.stdout) as {postgres: PostgresSection};
	expect(postgres.state).toBe('ok');
	expect(postgres.connections.max).toBe(60);
	expect(postgres.connections.byState['idle in transaction']).toBe(1);
	expect(postgres.blocking).toEqual([
		{pid: second, backendStart: expect.any(String), blockedBy: [holder], waitSeconds: expect.any(Number), query: updateRow},
		{pid: third, backendStart: expect.any(String), blockedBy: [second], waitSeconds: expect.any(Number), query: updateRow},
	]);
	expect(postgres.longRunning).toContainEqual(
		expect.objectContaining({
			pid: await server.pidOf(sleeper),
			user: roles.app.name,
			application: 'report-job',
			state: 'active',
			query: 'SELECT pg_sleep(60)',
		}),
	);
});

it('snapshot says the sign-in was refused, and a 200-character password appears nowhere', async () => {
	const password = `Pw${'q7'.repeat(99)}`;
	const result = await runCli([
		'snapshot',
		'--format',
		'json',
		'--config',
		databaseConfig(server.url('monitor', {password})),
		'--data-dir',
		makeTempDir(),
	]);
	expect(result.code).toBe(1);
	const {postgres} = JSON.parse(result.stdout) as {postgres: PostgresSection};
	expect(postgres).toMatchObject({
		state: 'error',
		error: `postgres: 127.0.0.1:${server.port} refused the sign-in: password authentication failed for user "${roles.monitor.name}"`,
	});
	expect(result.stdout + result.stderr).not.toContain(password.slice(0, 12));
});

it('the console draws the lock tree from the server, keeps it through a restart, and reads again by itself', async () => {
	const holder = await holdRow(server, 'migration');
	const waiter = await waitBehind(server, 'api', updateRow);
	const app = await openConsole({args: ['--config', databaseConfig()], cols: 200, rows: 40});
	await app.waitFor(new RegExp(`${holder}\\s+ROOT blocks 1\\s+${roles.app.name}\\s+migration\\s+idle in tx`), {timeout: 10_000});
	expect(app.screen().join('\n')).toMatch(
		new RegExp(`└ ${waiter}\\s+waits \\d+s\\s+${roles.app.name}\\s+api\\s+active\\s+Lock:transactionid`),
	);
	await server.endSessions();
	await server.stop();
	await app.waitFor(/error: postgres: (connection refused by|127\.0\.0\.1:\d+ is shutting down)/, {timeout: 10_000});
	expect(app.screen().join('\n')).toMatch(/STALE \d+s/);
	await server.start();
	await app.waitFor(/2 Database ─ ok \d+s/, {timeout: 10_000});
	expect(app.exit).toBeUndefined();
});

it('the console says the sign-in was refused, never showing the password', async () => {
	const password = `Pw${'z3'.repeat(99)}`;
	const app = await openConsole({args: ['--config', databaseConfig(server.url('monitor', {password}))], cols: 200, rows: 40});
	await app.waitFor('refused the sign-in: password authentication failed', {timeout: 10_000});
	expect(app.output).not.toContain(password.slice(0, 12));
});

it('a query written to attack the terminal reaches the screen as plain text', async () => {
	const attacker = await server.session('app', 'report-job');
	void attacker
		.query(`SELECT pg_sleep(60) /* \u001B]0;owned\u0007 \u202Eevil\u202C \u001B[31mred ${'x'.repeat(5000)} */`)
		.catch(() => undefined);
	const app = await openConsole({args: ['--config', databaseConfig()], cols: 200, rows: 40});
	await app.waitFor(/runs \d+s\s+shop_app\s+report-job\s+active\s+SELECT pg_sleep\(60\) \/\* evil red xxx/, {timeout: 10_000});
	expect(app.output).not.toContain('\u001B]0;owned');
	expect(app.output).not.toContain('\u202E');
	expect(app.output).not.toContain('\u001B[31mred');
});

it('with `postgres: {}` reads libpq’s PG* variables and the password file, and prints nothing else', async () => {
	const dir = makeTempDir('warroom-pgpass-');
	const passFile = join(dir, 'pgpass');
	writeFileSync(passFile, `127.0.0.1:${server.port}:shop:${roles.monitor.name}:${roles.monitor.password}\n`, {mode: 0o600});
	const config = join(dir, 'warroom.yaml');
	writeFileSync(config, 'postgres: {}\n');
	const env = {
		PGHOST: '127.0.0.1',
		PGPORT: String(server.port),
		PGUSER: roles.monitor.name,
		PGDATABASE: 'shop',
		PGPASSFILE: passFile,
	};
	const result = await runCli(['snapshot', '--format', 'json', '--config', config, '--data-dir', makeTempDir()], {env});
	expect(result.stderr).toBe('');
	expect(JSON.parse(result.stdout)).toMatchObject({postgres: {state: 'ok', server: {role: roles.monitor.name}}});
});

it('without a config, DATABASE_URL alone turns the database on', async () => {
	const result = await runCli(['snapshot', '--format', 'json', '--data-dir', makeTempDir()], {
		env: {DATABASE_URL: server.url()},
		cwd: makeTempDir(),
	});
	expect(JSON.parse(result.stdout)).toMatchObject({postgres: {state: 'ok', server: {role: roles.monitor.name}}});
});
