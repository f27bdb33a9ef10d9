/**
 * The built binary on a shared incident store: `warroom db migrate`, then
 * consoles on four hosts (four data directories) noting at once.
 */
import {readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {cleanup, makeTempDir, runCli} from '../helpers/pty';
import {addNote, openConsole} from './steps';
import {incidentStoreGrants, postgresForThisFile, roles} from '../helpers/postgres-server';

afterEach(cleanup);

const server = postgresForThisFile();

/** A config reading the store's url from the environment, as the README shows. */
function configFile(): string {
	const file = join(makeTempDir(), 'warroom.yaml');
	writeFileSync(file, 'incidents:\n  store: postgres\n  url: ${WARROOM_DB_URL}\n');
	return file;
}

it('migrates once, then four notes at once from four hosts get four gap-free seqs', async () => {
	await server.asAdmin('postgres', ['CREATE DATABASE cli_store']);
	const config = configFile();
	const as = (role: 'admin' | 'writer') => ({env: {WARROOM_DB_URL: server.url(role, {database: 'cli_store'})}});
	const migrate = await runCli(['db', 'migrate', '--config', config], as('admin'));
	expect(migrate).toMatchObject({
		code: 0,
		stdout: expect.stringMatching(/^incident store 127\.0\.0\.1:\d+\/cli_store: schema at version 1 \(1 applied\)\n$/),
	});
	expect(await runCli(['db', 'migrate', '--config', config], as('admin'))).toMatchObject({
		code: 0,
		stdout: expect.stringMatching(/: already at version 1\n$/),
	});
	await server.asAdmin('cli_store', incidentStoreGrants);

	const declared = await runCli(
		['declare', '--severity', 'P1', '--title', 'Checkout errors', '--config', config, '--data-dir', makeTempDir()],
		as('writer'),
	);
	expect(declared).toMatchObject({code: 0, stdout: 'INC-1 declared: P1 Checkout errors\n'});
	const dataDirs = [1, 2, 3, 4].map(() => makeTempDir());
	const notes = await Promise.all(
		dataDirs.map((dataDir, host) =>
			runCli(['note', 'INC-1', `from host ${host}`, '--config', config, '--data-dir', dataDir], as('writer')),
		),
	);
	expect(notes.map(note => note.code)).toEqual([0, 0, 0, 0]);
	const seqs = notes.map(note => Number(/event (\d+)\)/.exec(note.stdout)?.[1])).sort();
	expect(seqs).toEqual([2, 3, 4, 5]);
	const rows = await server.asAdmin('cli_store', ['SELECT seq, actor, payload FROM warroom.events ORDER BY seq']);
	expect(rows.map(row => row.seq)).toEqual([1, 2, 3, 4, 5]);
	expect(new Set(rows.map(row => row.actor))).toEqual(new Set([roles.writer.name]));
	for (const note of notes) expect(note.stderr).toBe('');
	// The store holds the incident: nothing was written to the hosts' data directories.
	for (const dir of dataDirs) expect(readdirSync(dir)).toEqual([]);
});

it('refuses to start on a store without the schema, and on a store newer than it knows, with exit 2', async () => {
	await server.asAdmin('postgres', ['CREATE DATABASE bare_cli']);
	const config = configFile();
	const env = {env: {WARROOM_DB_URL: server.url('admin', {database: 'bare_cli'})}};
	const bare = await runCli(['note', 'INC-1', 'x', '--config', config, '--data-dir', makeTempDir()], env);
	expect(bare).toMatchObject({
		code: 2,
		stderr: expect.stringMatching(
			/^warroom: the incident store at 127\.0\.0\.1:\d+\/bare_cli has no warroom schema: run warroom db migrate\n$/,
		),
	});
	expect((await runCli(['db', 'migrate', '--config', config], env)).code).toBe(0);
	await server.asAdmin('bare_cli', ['INSERT INTO warroom.schema_migrations (version) VALUES (99)']);
	const newer = await runCli(['snapshot', '--config', config, '--data-dir', makeTempDir()], env);
	expect(newer).toMatchObject({
		code: 2,
		stderr: expect.stringMatching(/has schema version 99; this warroom knows up to 1: upgrade warroom\n$/),
	});
	expect(newer.stderr).not.toContain(roles.admin.password);
});

it('a store that is down: db migrate and note say so in one line, masked, exit 1', async () => {
	const config = configFile();
	const env = {env: {WARROOM_DB_URL: 'postgres://ops:pw-ab12cd@127.0.0.1:1/nowhere'}};
	const refused = 'warroom: postgres: connection refused by 127.0.0.1:1/nowhere: is the server up?\n';
	expect(await runCli(['db', 'migrate', '--config', config], env)).toMatchObject({code: 1, stderr: refused});
	expect(await runCli(['note', 'INC-1', 'lost?', '--config', config, '--data-dir', makeTempDir()], env)).toMatchObject({
		code: 1,
		stderr: refused,
	});
});

it('two consoles on two hosts share one incident through the store, each hearing the other within 2 s', async () => {
	await server.asAdmin('postgres', ['CREATE DATABASE console_store']);
	const config = configFile();
	const url = (role: 'admin' | 'writer') => server.url(role, {database: 'console_store'});
	expect((await runCli(['db', 'migrate', '--config', config], {env: {WARROOM_DB_URL: url('admin')}})).code).toBe(0);
	await server.asAdmin('console_store', incidentStoreGrants);
	const env = {WARROOM_DB_URL: url('writer')};
	const declared = await runCli(['declare', '--severity', 'P2', '--title', 'Checkout latency', '--config', config], {env});
	expect(declared).toMatchObject({code: 0, stdout: 'INC-1 declared: P2 Checkout latency\n'});

	const alice = await openConsole({args: ['--config', config], env, cols: 120, rows: 30});
	const bob = await openConsole({args: ['--config', config], env, cols: 120, rows: 30});
	for (const responder of [alice, bob]) await responder.waitFor('declared P2 "Checkout latency"');
	await addNote(bob, 'p99 back under 300ms');
	await alice.waitFor('note: p99 back under 300ms', {timeout: 2000});
	const text = (await alice.settledScreen()).join('\n');
	expect(text).not.toContain(roles.writer.password);
	// The actor is the role the console signed in as.
	const rows = await server.asAdmin('console_store', ['SELECT actor FROM warroom.events WHERE seq = 2']);
	expect(rows).toEqual([{actor: roles.writer.name}]);
	// Nothing in the hosts' data directories: the incident is in the store.
	for (const responder of [alice, bob]) expect(readdirSync(responder.dataDir!)).toEqual([]);
});

it('a store that hangs: db migrate gives up within its timeout, in one line, exit 1', async () => {
	const config = configFile();
	server.freeze();
	try {
		const started = Date.now();
		const result = await runCli(['db', 'migrate', '--config', config], {
			env: {WARROOM_DB_URL: server.url('admin', {database: 'postgres'})},
		});
		expect(result).toMatchObject({
			code: 1,
			stderr: expect.stringMatching(/^warroom: postgres: no answer from 127\.0\.0\.1:\d+\/postgres within \ds\n$/),
		});
		expect(result.stderr).not.toContain(roles.admin.password);
		expect(Date.now() - started).toBeLessThan(10_000);
	} finally {
		server.thaw();
	}
});

it('doctor on a migrated store: the writer may write, the reader is told it may only read, and nothing waits', async () => {
	await server.asAdmin('postgres', ['CREATE DATABASE doctor_store']);
	const config = configFile();
	const url = (role: 'admin' | 'writer' | 'reader') => server.url(role, {database: 'doctor_store'});
	expect((await runCli(['db', 'migrate', '--config', config], {env: {WARROOM_DB_URL: url('admin')}})).code).toBe(0);
	await server.asAdmin('doctor_store', incidentStoreGrants);
	const doctor = (role: 'writer' | 'reader') =>
		runCli(['doctor', '--config', config, '--data-dir', makeTempDir()], {env: {WARROOM_DB_URL: url(role)}});

	const writer = await doctor('writer');
	expect(writer.stdout).toMatch(/ok +journal: postgres store at 127\.0\.0\.1:\d+\/doctor_store answers as incident_writer/);
	expect(writer.stdout).toMatch(/ok +journal schema: .*version 1/);
	expect(writer.stdout).toMatch(/ok +journal writes: role incident_writer may write/);
	expect(writer.stdout).toMatch(/ok +journal outbox: nothing waiting to be sent/);

	const reader = await doctor('reader');
	expect(reader.stdout).toMatch(/WARN +journal writes: .*incident_reader/);
	for (const result of [writer, reader]) {
		expect(result.stdout).not.toContain(roles.writer.password);
		expect(result.stdout).not.toContain(roles.reader.password);
	}
});
