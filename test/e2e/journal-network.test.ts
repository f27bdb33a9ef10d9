/**
 * The shared incident store over a real network: the server in one network
 * namespace, consoles on two hosts in two others (test/helpers/netns.ts),
 * and hostA's link cut with `ip link set down`, so its packets vanish with
 * no reset: only the store's timeouts can tell. A keeps its notes in its
 * outbox meanwhile, B keeps working live; once the link is back, A's notes
 * reach the store exactly once and B's made meanwhile reach A.
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, expect, it} from 'vitest';
import {createNetwork, type TestNetwork} from '../helpers/netns';
import {incidentStoreGrants, roles, startPostgres, type PostgresServer} from '../helpers/postgres-server';
import {cleanup, makeTempDir, runCli, type ConsoleSession} from '../helpers/pty';
import {addNote, openConsole} from './steps';

let network: TestNetwork;
let server: PostgresServer;

beforeAll(async () => {
	network = createNetwork({hub: 'server', hosts: ['hostA', 'hostB']});
	server = await startPostgres({
		namespace: {launcher: network.launcher('server'), address: network.address('server')},
	});
});

afterAll(async () => {
	await server?.close();
	network?.remove();
});

afterEach(cleanup);

/** A config reading the store's url from the environment, as the README shows. */
function configFile(): string {
	const file = join(makeTempDir(), 'warroom.yaml');
	writeFileSync(file, 'incidents:\n  store: postgres\n  url: ${WARROOM_DB_URL}\n');
	return file;
}

/** The texts of the notes the store holds, in its order. */
async function storedNotes(database: string): Promise<string[]> {
	const rows = await server.asAdmin(database, [
		"SELECT payload->>'text' AS text FROM warroom.events WHERE type = 'note' ORDER BY seq",
	]);
	return rows.map(row => String(row.text));
}

/** Milliseconds from `start` until `app` shows `target`. */
async function timeUntil(app: ConsoleSession, target: string | RegExp, start: number, timeout: number): Promise<number> {
	await app.waitFor(target, {timeout});
	return Date.now() - start;
}

it('a cut link: A goes offline and keeps its notes, B stays live; restored, each sees the other’s notes, stored once', async () => {
	const database = 'network_store';
	await server.asAdmin('postgres', [`CREATE DATABASE ${database}`]);
	const config = configFile();
	const url = (role: 'admin' | 'writer') => server.url(role, {database});
	const onA = network.launcher('hostA');
	const migrate = await runCli(['db', 'migrate', '--config', config], {env: {WARROOM_DB_URL: url('admin')}, launcher: onA});
	expect(migrate).toMatchObject({code: 0, stdout: expect.stringContaining(`incident store ${network.address('server')}:`)});
	await server.asAdmin(database, incidentStoreGrants);
	const env = {WARROOM_DB_URL: url('writer')};
	const declared = await runCli(['declare', '--severity', 'P2', '--title', 'Checkout latency', '--config', config], {
		env,
		launcher: onA,
	});
	expect(declared).toMatchObject({code: 0, stdout: 'INC-1 declared: P2 Checkout latency\n'});

	const size = {cols: 140, rows: 36};
	const alice = await openConsole({args: ['--config', config], env, launcher: onA, ...size});
	const bob = await openConsole({args: ['--config', config], env, launcher: network.launcher('hostB'), ...size});
	for (const responder of [alice, bob]) await responder.waitFor('declared P2 "Checkout latency"');
	await addNote(alice, 'before the cut');
	await bob.waitFor('note: before the cut', {timeout: 3000});

	const cutAt = Date.now();
	network.cut('hostA');
	const toOffline = await timeUntil(alice, 'journal: offline', cutAt, 30_000);
	console.log(`cut → "journal: offline" on A's screen: ${toOffline} ms`);
	// A heartbeat every 3 s, unanswered within the 4 s query timeout.
	expect(toOffline).toBeLessThan(10_000);
	// Why, in the help: the store by address, the timeout that told, never the password.
	alice.press('?');
	const why = (await alice.waitFor('journal on ')).join('\n');
	expect(why).toMatch(
		new RegExp(
			`journal on ${network.address('server').replaceAll('.', '\\.')}:\\d+/${database}: postgres: no answer from .* within 4s`,
		),
	);
	alice.press('x');
	await alice.waitForGone('Keys · ');

	// Offline known: each note is kept at once, never after the store's timeouts.
	for (const text of ['written while cut', 'second while cut']) {
		const typedAt = Date.now();
		await addNote(alice, text);
		const took = Date.now() - typedAt;
		console.log(`note "${text}" typed while cut: done in ${took} ms`);
		expect(took).toBeLessThan(2000);
	}
	await alice.waitFor(/\(waiting\) note: written while cut[\s\S]*\(waiting\) note: second while cut/);
	await alice.waitFor('2 events waiting');
	await addNote(bob, 'B meanwhile');
	await bob.waitFor('note: B meanwhile');
	expect(bob.screenText()).not.toContain('journal: offline');
	expect(await storedNotes(database)).toEqual(['before the cut', 'B meanwhile']);

	const restoredAt = Date.now();
	network.restore('hostA');
	const toB = await timeUntil(bob, 'note: second while cut', restoredAt, 30_000);
	console.log(`restore → A's note on B's screen: ${toB} ms`);
	const toA = await timeUntil(alice, 'note: B meanwhile', restoredAt, 30_000);
	console.log(`restore → B's note on A's screen: ${toA} ms`);
	// The outbox retries every second; its first answer brings A's listener back at once.
	expect(Math.max(toA, toB)).toBeLessThan(10_000);
	await alice.waitForGone('journal: offline', {timeout: 30_000});
	await alice.waitForGone('(waiting)', {timeout: 10_000});
	expect(await storedNotes(database)).toEqual(['before the cut', 'B meanwhile', 'written while cut', 'second while cut']);
	for (const responder of [alice, bob]) expect(responder.output).not.toContain(roles.writer.password);
}, 120_000);
