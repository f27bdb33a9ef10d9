/** Steps for the end-to-end tests on a shared PostgreSQL incident store: a migrated store, consoles on it, what it holds. */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect} from 'vitest';
import {makeTempDir, runCli, type ConsoleSession} from '../helpers/pty';
import {incidentStoreGrants, type PostgresServer, type Role} from '../helpers/postgres-server';
import {openConsole} from './steps';

export type SharedStore = {
	database: string;
	config: string;
	/** The environment signing in as `role` (the writer by default), or through `url` instead. */
	env(role?: Role, options?: {url?: string; port?: number}): Record<string, string>;
	/** `--config` and a data directory of its own: a command run from another host. */
	args(): string[];
};

/**
 * A store in a fresh database as the README sets one up: a config reading
 * its url from the environment, `warroom db migrate` as the administrator,
 * the roles' grants, and INC-1 declared from the command line.
 */
export async function declaredStore(server: PostgresServer, database: string): Promise<SharedStore> {
	await server.asAdmin('postgres', [`CREATE DATABASE ${database}`]);
	const config = join(makeTempDir('warroom-config-'), 'warroom.yaml');
	writeFileSync(config, 'incidents:\n  store: postgres\n  url: ${WARROOM_DB_URL}\n');
	const store: SharedStore = {
		database,
		config,
		env: (role = 'writer', {port} = {}) => {
			const url = server.url(role, {database});
			return {WARROOM_DB_URL: port === undefined ? url : url.replace(`:${server.port}/`, `:${port}/`)};
		},
		args: () => ['--config', config, '--data-dir', makeTempDir()],
	};
	expect(await runCli(['db', 'migrate', '--config', config], {env: store.env('admin')})).toMatchObject({code: 0});
	await server.asAdmin(database, incidentStoreGrants);
	const declared = await runCli(['declare', '--severity', 'P1', '--title', 'Checkout errors', ...store.args()], {
		env: store.env(),
	});
	expect(declared).toMatchObject({code: 0, stdout: 'INC-1 declared: P1 Checkout errors\n'});
	return store;
}

/** A console on the store, on a host (data directory) of its own unless `dataDir` names one; `env` adds to the writer's. */
export function openOn(
	store: SharedStore,
	options: {dataDir?: string; env?: Record<string, string>; cols?: number; rows?: number} = {},
): Promise<ConsoleSession> {
	return openConsole({
		args: ['--config', store.config],
		env: {...store.env(), ...options.env},
		cols: options.cols ?? 120,
		rows: options.rows ?? 30,
		...(options.dataDir === undefined ? {} : {dataDir: options.dataDir}),
	});
}

/** The header's mark while the store is away with `waiting` events kept: `journal: offline 3s, 2 events waiting`. */
export const offlineMark = (waiting: number) =>
	new RegExp(`journal: offline \\d+s, ${waiting} ${waiting === 1 ? 'event' : 'events'} waiting`);

/** The header's second line says nothing of the journal: the store is live and nothing waits to be sent. */
export const linkLive = (screen: string[]) => !(screen[1] ?? '').includes('journal: ');

/** A timeline line with `text` that reached the store: not `(waiting)` in the outbox any more. */
export const timelineShows = (text: string) => (screen: string[]) =>
	screen.some(line => line.includes(text) && !line.includes('(waiting)'));

/** The notes' texts in the store, in seq order. */
export async function notesIn(server: PostgresServer, store: SharedStore): Promise<string[]> {
	const rows = await server.asAdmin(store.database, [
		"SELECT payload->>'text' AS text FROM warroom.events WHERE type = 'note' ORDER BY incident, seq",
	]);
	return rows.map(row => row.text as string);
}

/** Waits until `count` consoles' listeners are signed in to the store and idle (listening), as pg_stat_activity shows them. */
export async function listeners(server: PostgresServer, store: SharedStore, count: number, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const [row] = await server.asAdmin(store.database, [
			"SELECT count(*)::int AS idle FROM pg_stat_activity WHERE application_name = 'warroom listener' AND state = 'idle' AND datname = current_database()",
		]);
		if (row?.idle === count) return;
		if (Date.now() > deadline)
			throw new Error(`${count} listeners on ${store.database}: ${String(row?.idle)} within ${timeoutMs} ms`);
		await new Promise(resolve => setTimeout(resolve, 50));
	}
}
