/**
 * `C` and `K` as a responder uses them in the built console: on a real
 * server, the blocker of a lock chain selected on the Database panel, `K`,
 * its pid typed, Enter, and the chain clears on screen; in a drill, the same
 * keys on the drill's simulated database, `C` freeing nothing from the
 * migration idle in transaction and `K` clearing its chain.
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {cleanup, keys, makeTempDir, type ConsoleSession} from '../helpers/pty';
import {postgresForThisFile, roles, updateRow, waitBehind} from '../helpers/postgres-server';
import {declareIncident, journalEvents, openConsole, quickDrill, quickDrillArgs} from './steps';

const server = postgresForThisFile();

afterEach(cleanup);

/** A warroom.yaml reading the test server as a role that may signal the application's backends. */
function signallerConfig(): string {
	const config = join(makeTempDir('warroom-config-'), 'warroom.yaml');
	writeFileSync(config, `postgres:\n  url: ${JSON.stringify(server.url('signaller'))}\n  longQuery: 500ms\n`);
	return config;
}

/** The Database panel focused and filtered down to backend `pid`'s row. */
async function selectBackend(app: ConsoleSession, pid: number): Promise<void> {
	app.press('2');
	app.press('/');
	await app.type(String(pid));
	app.press(keys.enter);
	await app.waitFor(screen => screen.some(line => line.includes(`${pid} `) && line.includes('ROOT')));
}

/** K, the pid typed, Enter; returns the confirmation as it was shown. */
async function terminate(app: ConsoleSession, pid: number): Promise<string> {
	app.press('K');
	const asked = (await app.waitFor('to run it (Enter), Esc cancels')).join('\n');
	await app.type(String(pid));
	app.press(keys.enter);
	return asked;
}

it(
	'K on the blocker of a real lock chain, its pid typed: the chain clears on screen and the timeline has it',
	{timeout: 40_000},
	async () => {
		const holder = await server.session('app', 'migration');
		await holder.query('BEGIN');
		await holder.query('UPDATE accounts SET balance = balance + 1 WHERE id = 1');
		const blocker = await server.pidOf(holder);
		const told = new Promise<unknown>(resolve => holder.once('error', error => resolve((error as {code?: string}).code)));
		const waiter = await waitBehind(server, 'checkout', updateRow);

		const app = await openConsole({args: ['--config', signallerConfig()], cols: 200, rows: 40});
		await declareIncident(app, {title: 'Orders locked'});
		await app.waitFor(new RegExp(`${blocker}\\s+ROOT blocks 1`), {timeout: 10_000});
		await selectBackend(app, blocker);

		const asked = await terminate(app, blocker);
		expect(asked).toContain('terminate backend · destructive');
		expect(asked).toContain(`Target: backend ${blocker}`);
		expect(asked).toMatch(
			new RegExp(`pid ${blocker} · user ${roles.app.name} · application migration · state idle in transaction · age \\d+s`),
		);
		expect(asked).toContain('Query: UPDATE accounts SET balance = balance + 1 WHERE id = 1');
		expect(asked).toContain(`Server: 127.0.0.1:${server.port}/shop`);
		expect(asked).toMatch(
			new RegExp(
				`Command: SELECT pg_terminate_backend\\(pid\\) AS signalled, .* WHERE pid = ${blocker} AND backend_start = '[^']+'::timestamptz`,
			),
		);
		expect(asked).toContain(`Will: end backend ${blocker}: its connection closes (its client gets 57P01)`);
		expect(asked).not.toContain(roles.signaller.password);

		await app.waitFor(`ran terminate backend on backend ${blocker}: done`, {timeout: 10_000});
		expect(await told).toBe('57P01');
		// The waiter got its lock and finished: the chain is gone from the panel, filter cleared.
		app.press('/');
		app.press(keys.esc);
		await app.waitFor('no locks waited on', {timeout: 10_000});
		expect(await server.waitingPids()).not.toContain(waiter);

		app.press('4');
		app.press(keys.enter);
		await app.waitFor(new RegExp(`started terminate backend on backend ${blocker}: SELECT pg_terminate_backend`));
		// The timeline's line, read back from the journal: its time and actor, then what the signal did.
		await app.waitFor(
			new RegExp(
				`\\d\\d:\\d\\d:\\d\\d \\S+@\\S+ +ran terminate backend on backend ${blocker}: done in \\d+ms: backend ${blocker} was terminated: its transaction rolls back and its locks are freed`,
			),
		);
	},
);

it(
	'in a drill: C on the migration frees nothing and says so, K clears its chain, and the journal says drill',
	{timeout: 40_000},
	async () => {
		const app = await openConsole({args: quickDrillArgs(), cols: 200, rows: 40});
		await declareIncident(app, {title: 'Orders locked'});
		await app.waitFor(/4242\s+ROOT blocks 3/, {timeout: 10_000});
		await selectBackend(app, 4242);

		app.press('C');
		const asked = (await app.waitFor('Run it? y/N')).join('\n');
		expect(asked).toContain('pid 4242 · user migrator · application schema-migrate · state idle in transaction');
		expect(asked).toContain("Server: the drill's simulated database, nothing real");
		expect(asked).toContain('Will: nothing useful: backend 4242 is idle in transaction');
		app.press('y');
		await app.waitFor('the backend was idle in transaction: cancel frees nothing; terminate it (K)');
		// Read again once the cancel was answered: the chain is still there.
		await app.waitFor(/4242\s+ROOT blocks 3/);

		await terminate(app, 4242);
		await app.waitFor('backend 4242 was terminated', {timeout: 10_000});
		app.press('/');
		app.press(keys.esc);
		await app.waitFor('no locks waited on', {timeout: 10_000});

		const events = journalEvents(join(app.dataDir!, 'drills', quickDrill));
		expect(events.filter(event => event.type.startsWith('action_'))).toMatchObject([
			{type: 'action_started', action: 'cancel-query', target: 'backend 4242', drill: true, dryRun: false},
			{
				type: 'action_finished',
				outcome: 'ok',
				result: 'the backend was idle in transaction: cancel frees nothing; terminate it (K)',
			},
			{type: 'action_started', action: 'terminate-backend', target: 'backend 4242', drill: true},
			{
				type: 'action_finished',
				outcome: 'ok',
				result: 'backend 4242 was terminated: its transaction rolls back and its locks are freed',
			},
		]);
	},
);
