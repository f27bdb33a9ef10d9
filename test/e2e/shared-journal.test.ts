/**
 * The "how to test it for real", with the built binary in ptys on a
 * real PostgreSQL store: consoles on different hosts (data directories) and
 * the command line sharing one incident live; the server stopped, or hung,
 * while they write; a console killed with a note in its outbox; a
 * notification missed while a listener was away; a role that may only read;
 * the role as the actor; a status change that arrives late; hostile pastes
 * kept offline. One console's link alone is cut through a TCP proxy.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {hostname, userInfo} from 'node:os';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {cleanup, keys, makeTempDir, runCli, startConsole, type ConsoleSession} from '../helpers/pty';
import {postgresForThisFile, roles} from '../helpers/postgres-server';
import {startTcpProxy} from '../helpers/tcp-proxy';
import {addNote} from './steps';
import {declaredStore, linkLive, listeners, notesIn, offlineMark, openOn, timelineShows} from './shared-store';

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
	// Why, in the help, with the password of the store's url nowhere.
	alice.press('?');
	const help = await alice.waitFor(/journal on 127\.0\.0\.1:\d+\/stopped_server: .*connection refused/);
	expect(help.join('\n')).not.toContain(roles.writer.password);
	alice.press(keys.esc);
	await alice.waitForGone('journal on 127.0.0.1');
	await alice.waitFor('(waiting) note: alice: failover to replica');
	await alice.waitFor('(waiting) note: alice: replica is read-only');
	await bob.waitFor('(waiting) note: bob: paging the DBA');

	await server.start();
	const texts = ['alice: failover to replica', 'bob: paging the DBA', 'alice: replica is read-only'];
	for (const responder of [alice, bob]) {
		await responder.waitFor(linkLive, {timeout: 10_000});
		for (const text of texts) await responder.waitFor(timelineShows(`note: ${text}`));
	}
	const rows = await server.asAdmin(store.database, ['SELECT seq FROM warroom.events ORDER BY seq']);
	expect(rows.map(row => row.seq)).toEqual([1, 2, 3, 4]);
	expect((await notesIn(server, store)).sort()).toEqual([...texts].sort());
});

it('a console killed with a note in its outbox: the next warroom on that data directory sends it, once, and empties the outbox', async () => {
	const store = await declaredStore(server, 'killed_console');
	const cache = await runCli(['declare', '--severity', 'P2', '--title', 'Cache down', ...store.args()], {env: store.env()});
	expect(cache).toMatchObject({code: 0, stdout: 'INC-2 declared: P2 Cache down\n'});
	const dataDir = makeTempDir();
	const alice = await openOn(store, {dataDir});
	await alice.waitFor('declared P2 "Cache down"');

	await server.stop();
	await addNote(alice, 'cache: flushed hot keys');
	await alice.waitFor('(waiting) note: cache: flushed hot keys');
	expect(outboxText(dataDir)).toContain('cache: flushed hot keys');
	expect(await alice.stop('SIGKILL')).toMatchObject({signal: 9});

	await server.start();
	// A command on the other incident, from the same data directory, sends what the killed console left.
	const note = await runCli(['note', 'INC-1', 'checkout recovered', '--config', store.config, '--data-dir', dataDir], {
		env: store.env(),
	});
	expect(note).toMatchObject({code: 0, stdout: 'INC-1: note recorded (event 2)\n', stderr: ''});
	const rows = await server.asAdmin(store.database, [
		"SELECT incident, seq, payload->>'text' AS text FROM warroom.events WHERE type = 'note' ORDER BY incident, seq",
	]);
	expect(rows).toEqual([
		{incident: 1, seq: 2, text: 'checkout recovered'},
		{incident: 2, seq: 2, text: 'cache: flushed hot keys'},
	]);
	expect(outboxText(dataDir)).toBe('');
});

it('a notification missed while a console’s listener was away is caught up when it reconnects', async () => {
	const store = await declaredStore(server, 'missed_notify');
	const proxy = await startTcpProxy({host: '127.0.0.1', port: server.port});
	try {
		const alice = await openOn(store);
		const bob = await openOn(store, {env: store.env('writer', {port: proxy.port})});
		for (const responder of [alice, bob]) await responder.waitFor('declared P1 "Checkout errors"');

		await listeners(server, store, 2);
		// A DBA ends the consoles' listening sessions; a note is written at once.
		const ended = await server.asAdmin(store.database, [
			"SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = 'warroom listener'",
		]);
		expect(ended).toEqual([{ended: true}, {ended: true}]);
		expect((await runCli(['note', 'INC-1', 'dba restarted pgbouncer', ...store.args()], {env: store.env()})).code).toBe(0);
		for (const responder of [alice, bob]) await responder.waitFor('note: dba restarted pgbouncer', {timeout: 5000});

		// Bob's link drops: a note written while it is down raises no notification he can hear.
		await proxy.cut();
		await bob.waitFor(/journal: offline/);
		expect((await runCli(['note', 'INC-1', 'written while bob was cut off', ...store.args()], {env: store.env()})).code).toBe(0);
		await alice.waitFor('note: written while bob was cut off', {timeout: 1000});
		expect(bob.screenText()).not.toContain('written while bob was cut off');
		await proxy.restore();
		await bob.waitFor('note: written while bob was cut off', {timeout: 10_000});
		await bob.waitFor(linkLive);
	} finally {
		await proxy.close();
	}
});

it('a server that hangs: the note waits in the outbox within seconds, keys still answer, and it is stored once when the server answers', async () => {
	const store = await declaredStore(server, 'hung_server');
	const alice = await openOn(store);
	await alice.waitFor('declared P1 "Checkout errors"');

	server.freeze();
	try {
		alice.press('n');
		await alice.waitFor('Add a note');
		await alice.type('sent to a hung server');
		alice.press(keys.enter);
		const sent = Date.now();
		// Keys answer while the append waits for a server that never answers.
		alice.press('?');
		await alice.waitFor('help: the keys live here');
		alice.press(keys.esc);
		// Given up on within 5 s and kept; shown then, not after reads of the hung store time out too (4 s + 3 s + 3 s: 11 s, before).
		await alice.waitFor('(waiting) note: sent to a hung server', {timeout: 10_000});
		expect(Date.now() - sent).toBeLessThan(9000);
		await alice.waitFor(offlineMark(1));
	} finally {
		server.thaw();
	}
	// The append given up on may still commit once the server wakes: the resend with its id is the same event.
	await alice.waitFor(linkLive, {timeout: 10_000});
	await alice.waitFor(timelineShows('note: sent to a hung server'));
	expect(await notesIn(server, store)).toEqual(['sent to a hung server']);
});

it('a role that may only read: the console is read-only and says why; n opens no form', async () => {
	const store = await declaredStore(server, 'reader_only');
	// Not openOn: the footer says why it is read-only where the key hints would be.
	const reader = startConsole({args: ['--config', store.config], env: store.env('reader'), cols: 120, rows: 30});
	await reader.waitFor('declared P1 "Checkout errors"');
	const why = 'the role incident_reader may only read the incident store (no INSERT on warroom.events)';
	await reader.waitFor(`read-only: ${why}`);
	await reader.waitFor('[READ-ONLY]');
	reader.press('n');
	await reader.waitFor('read-only: note is not available (the role incident_reader may only read the incident store');
	expect(reader.screenText()).not.toContain('Add a note');
	reader.press('?');
	await reader.waitFor(`why read-only: ${why}`);
});

it('who wrote an event is the role signed in to the store, not the USER of the console', async () => {
	const store = await declaredStore(server, 'actor_role');
	const mallory = await openOn(store, {env: {USER: 'mallory', LOGNAME: 'mallory'}});
	await mallory.waitFor('declared P1 "Checkout errors"');
	await addNote(mallory, 'i was never here');
	const rows = await server.asAdmin(store.database, ["SELECT actor FROM warroom.events WHERE type = 'note'"]);
	expect(rows).toEqual([{actor: roles.writer.name}]);
	// The WHO column cuts the role's name to its width.
	const text = (await mallory.waitFor(/incident_writ\S* +note: i was never here/)).join('\n');
	expect(text).not.toContain('mallory');
	// Nor who the console runs as (the file journal's actor).
	expect(text).not.toContain(`${userInfo().username}@${hostname()}`);
});

it('a status change queued offline after another console resolved the incident arrives late: it is told, marked, and the incident stays resolved', async () => {
	const store = await declaredStore(server, 'late_status');
	const proxy = await startTcpProxy({host: '127.0.0.1', port: server.port});
	try {
		const alice = await openOn(store, {env: store.env('writer', {port: proxy.port})});
		const bob = await openOn(store);
		for (const responder of [alice, bob]) await responder.waitFor('declared P1 "Checkout errors"');

		await proxy.cut();
		await alice.waitFor(/journal: offline/);
		await setStatus(alice, 'm');
		await alice.waitFor('(waiting) status investigating → monitoring');
		await setStatus(bob, 'r');
		await bob.waitFor(screen => /^ INC-1 {2}P1 {2}resolved/.test(screen[0]!));

		await proxy.restore();
		await alice.waitFor(/arrived after incident_writer resolved it: recorded late/, {timeout: 10_000});
		await alice.waitFor('(late) status investigating → monitoring');
		await bob.waitFor('(late) status investigating → monitoring');
		for (const responder of [alice, bob]) expect(responder.screen()[0]).toMatch(/^ INC-1 {2}P1 {2}resolved/);
		const statuses = await server.asAdmin(store.database, [
			"SELECT seq, payload->>'status' AS status, late FROM warroom.events WHERE type = 'status' ORDER BY seq",
		]);
		expect(statuses).toEqual([
			{seq: 2, status: 'resolved', late: null},
			{seq: 3, status: 'monitoring', late: true},
		]);
	} finally {
		await proxy.close();
	}
});

it('a 100 KB paste and a note full of escape sequences, written offline, survive the outbox and show cleaned', async () => {
	const store = await declaredStore(server, 'hostile_notes');
	const alice = await openOn(store);
	await alice.waitFor('declared P1 "Checkout errors"');

	await server.stop();
	// The note form keeps the first 500 characters of a paste, however long (`warroom note` needs the store to find the incident).
	const long = 'abcdefghij'.repeat(10_000);
	await pasteNote(alice, long, 'paste cut: only its first 64 KB was read');
	await alice.waitFor('(waiting) note: abcdefghijabcdefghij');
	const hostile = 'red \x1b[31malert\x1b[0m \x1b]0;pwned\x07 \u202egnp.exe\u200b done';
	// The terminal's parser drops the escapes' control bytes; what is left of them is plain text.
	const cleaned = 'red alert ]0;pwned gnp.exe done';
	await pasteNote(alice, hostile, `Note: ${cleaned}`);
	await alice.waitFor(offlineMark(2));

	await server.start();
	await alice.waitFor(linkLive, {timeout: 10_000});
	expect(await notesIn(server, store)).toEqual([long.slice(0, 500), cleaned]);
	await alice.waitFor(timelineShows('note: abcdefghijabcdefghij'));
	await alice.waitFor(timelineShows(`note: ${cleaned}`));
	// Nothing of the escapes reached the terminal: no window title, no reordering, no hidden characters.
	expect(alice.output).not.toMatch(/\x1b\]0;|\u202e|\u200b/);
});

/** S, the first letters of the status, Enter. */
async function setStatus(app: ConsoleSession, letters: string): Promise<void> {
	app.press('S');
	await app.waitFor('Change status');
	await app.type(letters);
	app.press(keys.enter);
	await app.waitForGone('Change status');
}

/** n, a bracketed paste of `text`, Enter once the screen `shows` it was taken. */
async function pasteNote(app: ConsoleSession, text: string, shows: string): Promise<void> {
	app.press('n');
	await app.waitFor('Add a note');
	app.press(`\x1b[200~${text}\x1b[201~`);
	await app.waitFor(shows);
	app.press(keys.enter);
	await app.waitFor('note added to the timeline');
}

/** What the data directory's outbox holds now; '' when it is empty or gone. */
function outboxText(dataDir: string): string {
	const dir = join(dataDir, 'outbox');
	if (!existsSync(dir)) return '';
	return readdirSync(dir)
		.filter(name => name.endsWith('.jsonl'))
		.map(name => readFileSync(join(dir, name), 'utf8'))
		.join('');
}

it('journal export while the store cannot be reached says so, never that the incident is not there', async () => {
	const store = await declaredStore(server, 'export_offline');
	await server.stop();
	try {
		const exported = await runCli(['journal', 'export', 'INC-1', ...store.args()], {env: store.env()});
		expect(exported.code).not.toBe(0);
		expect(exported.stdout).toBe('');
		expect(exported.stderr).toMatch(/127\.0\.0\.1:\d+\/export_offline/);
		expect(exported.stderr).not.toContain('no incident');
		expect(exported.stderr).not.toContain(roles.writer.password);
	} finally {
		await server.start();
	}
});
