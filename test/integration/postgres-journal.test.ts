/**
 * The PostgreSQL journal against a real server (the tests' harness): ids and
 * seqs under concurrency, the server's stamp of who wrote what, the
 * append-only store, the schema check and `warroom db migrate`, the listener
 * across a restart, and a server stopped or frozen.
 */
import {afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, connect, type AddressInfo, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import pg from 'pg';
import {newEvent, type JournalEvent} from '../../source/incident/events';
import {DuplicateIncident, EventRefused, StoreUnreachable} from '../../source/incident/journal';
import {PostgresJournal} from '../../source/incident/postgres-journal';
import {knownVersion, migrateStore, StoreSchemaMismatch} from '../../source/incident/store-schema';
import {storeOptions} from '../../source/sources/postgres/connection';
import {incidentsDatabase, postgresForThisFile, prepareIncidentStore, roles, type Role} from '../helpers/postgres-server';

const server = postgresForThisFile();
const journals: PostgresJournal[] = [];

afterEach(async () => {
	await Promise.all(journals.splice(0).map(journal => journal.close()));
});

const declaration = newEvent.declared({title: 'Checkout errors', severity: 'P1', services: ['api-gateway']});

/** An administrator's client on a database: what a DBA (or an intruder with the admin role) does by hand. */
async function adminClient(database: string): Promise<pg.Client> {
	const client = new pg.Client({
		host: '127.0.0.1',
		port: server.port,
		user: roles.admin.name,
		password: roles.admin.password,
		database,
	});
	await client.connect();
	return client;
}

/** A fresh database with the store's schema and the roles' grants. */
async function migratedDatabase(database: string): Promise<void> {
	await server.asAdmin('postgres', [`CREATE DATABASE ${database}`]);
	await prepareIncidentStore(server, database);
}

function journalOf(role: Role = 'writer', database = incidentsDatabase, options: {url?: string} = {}): PostgresJournal {
	const journal = new PostgresJournal({
		url: options.url ?? server.url(role, {database}),
		reconnectMs: {first: 100, max: 400},
	});
	journals.push(journal);
	return journal;
}

beforeAll(() => prepareIncidentStore(server));

describe('numbering', () => {
	it('gives every declaration its own id when several consoles declare at once', async () => {
		const consoles = Array.from({length: 6}, () => journalOf());
		const declared = await Promise.all(consoles.flatMap(journal => [journal.create(declaration), journal.create(declaration)]));
		const ids = declared.map(({id}) => id);
		expect(new Set(ids).size).toBe(12);
		expect(declared.every(({event}) => event.seq === 1)).toBe(true);
		const listed = await journalOf().list();
		expect(listed).toEqual(expect.arrayContaining(ids));
		// Oldest first.
		expect(listed.map(id => Number(id.slice(4)))).toEqual(listed.map(id => Number(id.slice(4))).sort((a, b) => a - b));
	});

	it('8 writers × 200 appends on one incident: no duplicate, no gap, all read in order from another console', async () => {
		const {id} = await journalOf().create(declaration);
		const writers = Array.from({length: 8}, () => journalOf());
		const written = await Promise.all(
			writers.map(async (journal, writer) => {
				const seqs: number[] = [];
				for (let index = 0; index < 200; index++) seqs.push((await journal.append(id, newEvent.note(`w${writer} ${index}`))).seq);
				return seqs;
			}),
		);
		const seqs = written.flat().sort((a, b) => a - b);
		expect(seqs).toEqual(Array.from({length: 1600}, (_, index) => index + 2));
		const {events, problems} = await journalOf().read(id);
		expect(problems).toEqual([]);
		expect(events.map(event => event.seq)).toEqual(Array.from({length: 1601}, (_, index) => index + 1));
		// Each writer's notes in the order it wrote them.
		const ofWriter = events.flatMap(event => (event.type === 'note' && event.text.startsWith('w3 ') ? [event.text] : []));
		expect(ofWriter).toEqual(Array.from({length: 200}, (_, index) => `w3 ${index}`));
	});

	it('reads only what is new: a second read returns the same events plus the new one', async () => {
		const journal = journalOf();
		const {id} = await journal.create(declaration);
		expect((await journal.read(id)).events).toHaveLength(1);
		await journalOf().append(id, newEvent.note('from elsewhere'));
		const {events} = await journal.read(id);
		expect(events.map(event => event.seq)).toEqual([1, 2]);
		expect(events[1]).toMatchObject({type: 'note', text: 'from elsewhere'});
	});

	it('an unknown incident reads as empty; appending to one is refused naming it', async () => {
		const journal = journalOf();
		expect(await journal.read('INC-99999')).toEqual({id: 'INC-99999', events: [], problems: []});
		await expect(journal.append('INC-99999', newEvent.note('x'))).rejects.toThrow(
			/no incident INC-99999 in the incident store at 127\.0\.0\.1:\d+\/incidents/,
		);
		await expect(journal.read('../etc')).rejects.toThrow(/invalid incident id/);
	});
});

describe('what is stored', () => {
	it('a resend with the same stamp is kept once, under the same seq', async () => {
		const journal = journalOf();
		const {id} = await journal.create(declaration);
		const stamp = {eventId: crypto.randomUUID(), at: new Date().toISOString()};
		const first = await journal.append(id, newEvent.note('once'), stamp);
		const again = await journalOf().append(id, newEvent.note('once'), stamp);
		expect(again).toEqual(first);
		expect((await journal.read(id)).events.filter(event => event.type === 'note')).toHaveLength(1);
		const {id: other} = await journal.create(declaration);
		await expect(journal.append(other, newEvent.note('once'), stamp)).rejects.toThrow(
			`event ${stamp.eventId} is already in ${id}, not ${other}`,
		);
	});

	it('marks an event late when it is stamped older than one already there, and keeps its own time', async () => {
		const journal = journalOf();
		const {id} = await journal.create(declaration);
		const at = new Date(Date.now() - 60_000).toISOString();
		const late = await journal.append(id, newEvent.note('queued offline'), {eventId: crypto.randomUUID(), at, queued: true});
		expect(late).toMatchObject({seq: 2, at, late: true});
		const onTime = await journal.append(id, newEvent.note('now'), {
			eventId: crypto.randomUUID(),
			at: new Date().toISOString(),
			queued: true,
		});
		expect(onTime.late).toBeUndefined();
		expect((await journal.read(id)).events[1]).toEqual(late);
	});

	it('refuses for good an event stamped with no time: read() could not rebuild it, so sending it again cannot help', async () => {
		const journal = journalOf();
		const {id} = await journal.create(declaration);
		const error = await journal
			.append(id, newEvent.note('stamped badly'), {eventId: crypto.randomUUID(), at: 'no time'})
			.catch((thrown: unknown) => thrown);
		expect(error).toBeInstanceOf(EventRefused);
		expect((error as Error).message).toMatch(/could not be read back.*"at"/);
		expect((await journal.read(id)).events).toHaveLength(1);
	});

	it('the actor is the database role, whatever the payload or USER say', async () => {
		vi.stubEnv('USER', 'mallory');
		try {
			const journal = journalOf();
			const {id, event} = await journal.create({...declaration, actor: 'mallory@evil'} as typeof declaration);
			expect(event.actor).toBe(roles.writer.name);
			const forged = {type: 'note', text: 'hi', actor: 'mallory', seq: 999, importedBy: 'x'} as ReturnType<typeof newEvent.note>;
			const note = await journal.append(id, forged);
			expect(note).toMatchObject({seq: 2, actor: roles.writer.name, text: 'hi'});
			expect(note.importedBy).toBeUndefined();
			// Straight to the table, sending an actor: the trigger replaces it.
			const direct = new pg.Client({connectionString: server.url('writer', {database: incidentsDatabase})});
			await direct.connect();
			await direct.query(
				`INSERT INTO warroom.events (incident, seq, event_id, at, actor, type, payload) VALUES ($1, 3, gen_random_uuid(), $2, 'mallory', 'note', '{"text":"x"}')`,
				[Number(id.slice(4)), new Date().toISOString()],
			);
			await direct.end();
			expect((await journal.read(id)).events[2]?.actor).toBe(roles.writer.name);
		} finally {
			vi.unstubAllEnvs();
		}
	});

	it('keeps long values and escape sequences as they were written', async () => {
		const journal = journalOf();
		const {id} = await journal.create(declaration);
		const text = `${'x'.repeat(100_000)}\u001b[2J\u001b]52;c;aGk=\u0007"'\\`;
		await journal.append(id, newEvent.note(text));
		const {events} = await journalOf().read(id);
		expect(events[1]).toMatchObject({type: 'note', text});
	});

	it('refuses UPDATE, DELETE and TRUNCATE of events, even by the administrator', async () => {
		const {id} = await journalOf().create(declaration);
		const admin = await adminClient(incidentsDatabase);
		try {
			const number = Number(id.slice(4));
			await expect(admin.query("UPDATE warroom.events SET actor = 'x' WHERE incident = $1", [number])).rejects.toThrow(
				/append-only: UPDATE on warroom.events refused/,
			);
			await expect(admin.query('DELETE FROM warroom.events WHERE incident = $1', [number])).rejects.toThrow(
				/append-only: DELETE on warroom.events refused/,
			);
			await expect(admin.query('TRUNCATE warroom.events CASCADE')).rejects.toThrow(/append-only: TRUNCATE/);
		} finally {
			await admin.end();
		}
		expect((await journalOf().read(id)).events).toHaveLength(1);
	});

	it('a row a console cannot read is a problem on its seq, and the rest is read', async () => {
		const journal = journalOf();
		const {id} = await journal.create(declaration);
		const admin = await adminClient(incidentsDatabase);
		try {
			const number = Number(id.slice(4));
			await admin.query('UPDATE warroom.incidents SET last_seq = 4 WHERE number = $1', [number]);
			await admin.query(
				`INSERT INTO warroom.events (incident, seq, event_id, at, actor, type, payload) VALUES
					($1, 2, gen_random_uuid(), $2, 'x', 'note', '{"text": 42}'),
					($1, 3, gen_random_uuid(), 'yesterday', 'x', 'note', '{"text": "bad time"}'),
					($1, 4, gen_random_uuid(), $2, 'x', 'note', '[1, 2]')`,
				[number, new Date().toISOString()],
			);
		} finally {
			await admin.end();
		}
		await journal.append(id, newEvent.note('fine'));
		const {events, problems} = await journal.read(id);
		expect(events.map(event => event.seq)).toEqual([1, 5]);
		expect(problems).toEqual([
			{line: 2, message: expect.stringContaining('"text"')},
			{line: 3, message: expect.stringContaining('"at"')},
			{line: 4, message: 'event 4: payload is not a JSON object'},
		]);
	});

	it('imports an incident as it was: its seqs, times, actors and ids, stamped with the importer; twice is refused', async () => {
		const at = '2026-01-02T03:04:05.000Z';
		const events: JournalEvent[] = [
			{...declaration, seq: 1, at, actor: 'alice@bastion', eventId: crypto.randomUUID()},
			{...newEvent.note('from the file'), seq: 2, at, actor: 'bob@laptop', eventId: crypto.randomUUID()} as JournalEvent,
		];
		const journal = journalOf();
		const id = await journal.importIncident(events);
		const {events: read} = await journalOf().read(id);
		expect(read).toEqual(events.map(event => ({...event, importedBy: roles.writer.name})));
		const error = await journal.importIncident(events).catch((thrown: unknown) => thrown);
		expect(error).toBeInstanceOf(DuplicateIncident);
		expect(error).toMatchObject({existing: id, message: expect.stringContaining(`already, as ${id}`)});
		// The next append goes on from the imported seqs.
		expect((await journal.append(id, newEvent.note('after'))).seq).toBe(3);
	});
});

describe('roles and schema', () => {
	it('a role that may only read is read-only, says why, and its append is refused in words', async () => {
		const {id} = await journalOf().create(declaration);
		const reader = journalOf('reader');
		expect((await reader.read(id)).events).toHaveLength(1);
		expect(reader.link()).toMatchObject({
			store: 'postgres',
			state: 'live',
			readOnly: `the role ${roles.reader.name} may only read the incident store (no INSERT on warroom.events)`,
		});
		await expect(reader.append(id, newEvent.note('x'))).rejects.toThrow(
			/cannot write to the incident store at 127\.0\.0\.1:\d+\/incidents: the role incident_reader may only read/,
		);
		expect(journalOf().link().readOnly).toBeUndefined();
	});

	it('refuses a store whose schema is newer than this build knows, or that has none', async () => {
		await migratedDatabase('newer_store');
		await server.asAdmin('newer_store', [`INSERT INTO warroom.schema_migrations (version) VALUES (${knownVersion + 1})`]);
		const newer = journalOf('writer', 'newer_store');
		const error = await newer.open().catch((thrown: unknown) => thrown);
		expect(error).toBeInstanceOf(StoreSchemaMismatch);
		expect((error as Error).message).toMatch(
			new RegExp(
				`^the incident store at 127\\.0\\.0\\.1:\\d+/newer_store has schema version ${knownVersion + 1}; this warroom knows up to ${knownVersion}: upgrade warroom$`,
			),
		);
		await server.asAdmin('postgres', [
			'CREATE DATABASE bare_store',
			`GRANT CONNECT ON DATABASE bare_store TO ${roles.writer.name}`,
		]);
		await expect(journalOf('writer', 'bare_store').list()).rejects.toThrow(
			/^the incident store at 127\.0\.0\.1:\d+\/bare_store has no warroom schema: run warroom db migrate$/,
		);
	});

	it('two migrations at once both succeed, and each version is applied once', async () => {
		await server.asAdmin('postgres', ['CREATE DATABASE raced_store']);
		const [one, two] = await Promise.all([adminClient('raced_store'), adminClient('raced_store')]);
		try {
			const results = await Promise.all([migrateStore(one, 'raced_store'), migrateStore(two, 'raced_store')]);
			expect(results.map(result => result.version)).toEqual([knownVersion, knownVersion]);
			expect(results.map(result => result.applied).sort()).toEqual([0, knownVersion]);
			expect(await migrateStore(one, 'raced_store')).toEqual({version: knownVersion, applied: 0});
		} finally {
			await Promise.all([one.end(), two.end()]);
		}
		expect(await server.asAdmin('raced_store', ['SELECT version, applied_by FROM warroom.schema_migrations'])).toEqual([
			{version: 1, applied_by: roles.admin.name},
		]);
	});
});

describe("the store's timeouts", () => {
	const holdFor = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

	it("an append waits its turn on the incident's row lock, held 1 s by another writer", async () => {
		const journal = journalOf();
		const {id} = await journal.create(declaration);
		const holder = await adminClient(incidentsDatabase);
		try {
			await holder.query('BEGIN');
			await holder.query('SELECT 1 FROM warroom.incidents WHERE number = $1 FOR UPDATE', [Number(id.slice('INC-'.length))]);
			const appended = journal.append(id, newEvent.note('after the lock')).catch((error: unknown) => error);
			await vi.waitFor(async () => expect(await server.waitingPids()).toHaveLength(1));
			await holdFor(1000);
			await holder.query('COMMIT');
			expect(await appended).toMatchObject({seq: 2, text: 'after the lock'});
		} finally {
			await holder.end();
		}
	});

	it('two migrations both succeed while another host holds the migrate lock for 5 s', async () => {
		await server.asAdmin('postgres', ['CREATE DATABASE waited_store']);
		const holder = await adminClient('waited_store');
		// Connected as `warroom db migrate` connects.
		const migrators = [0, 1].map(() => new pg.Client(storeOptions(server.url('admin', {database: 'waited_store'}))));
		try {
			await holder.query("SELECT pg_advisory_lock(hashtext('warroom.schema_migrations'))");
			await Promise.all(migrators.map(client => client.connect()));
			const migrated = Promise.all(migrators.map(client => migrateStore(client, 'waited_store'))).catch(
				(error: unknown) => error,
			);
			await vi.waitFor(async () => expect(await server.waitingPids()).toHaveLength(2));
			await holdFor(5000);
			await holder.query("SELECT pg_advisory_unlock(hashtext('warroom.schema_migrations'))");
			expect(await migrated).toEqual([
				{version: knownVersion, applied: expect.any(Number) as number},
				{version: knownVersion, applied: expect.any(Number) as number},
			]);
		} finally {
			await Promise.all([holder, ...migrators].map(client => client.end()));
		}
	});
});

/** A TCP proxy to the server that can swallow the server's answers: a link cut after a query reached the server. */
async function answerDroppingProxy(): Promise<{
	port: number;
	dropAnswers: (drop: boolean) => void;
	connections: () => number;
	close: () => Promise<void>;
}> {
	let dropping = false;
	let connections = 0;
	const sockets = new Set<Socket>();
	const proxy = createServer(client => {
		connections++;
		const upstream = connect(server.port, '127.0.0.1');
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.on('error', () => undefined);
			socket.on('close', () => {
				client.destroy();
				upstream.destroy();
			});
		}
		client.on('data', data => upstream.write(data));
		upstream.on('data', data => {
			if (!dropping) client.write(data);
		});
	});
	await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
	return {
		port: (proxy.address() as AddressInfo).port,
		dropAnswers: drop => (dropping = drop),
		connections: () => connections,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise(resolve => proxy.close(resolve));
		},
	};
}

describe('declaring over a link that drops', () => {
	it('a declaration whose answer is lost after the commit is asked for again: one incident, the id it got', async () => {
		const proxy = await answerDroppingProxy();
		try {
			const url = server.url('writer', {database: incidentsDatabase}).replace(`:${server.port}/`, `:${proxy.port}/`);
			const journal = journalOf('writer', incidentsDatabase, {url});
			await journal.list();
			const title = `answer lost ${crypto.randomUUID()}`;
			proxy.dropAnswers(true);
			const created = journal.create({...declaration, title}).catch((error: unknown) => error);
			const stored = async () =>
				server.asAdmin(incidentsDatabase, [`SELECT incident FROM warroom.events WHERE payload->>'title' = '${title}'`]);
			await vi.waitFor(async () => expect(await stored()).toHaveLength(1), {timeout: 5000});
			proxy.dropAnswers(false);
			const [{incident}] = (await stored()) as [{incident: number}];
			expect(await created).toMatchObject({id: `INC-${incident}`, event: {seq: 1, title}});
			expect(await stored()).toHaveLength(1);
		} finally {
			await proxy.close();
		}
	});

	it('a declaration never sent (a server that never answers the connection) is not tried again: the responder hears within the connect timeout', async () => {
		const proxy = await answerDroppingProxy();
		try {
			const url = server.url('writer', {database: incidentsDatabase}).replace(`:${server.port}/`, `:${proxy.port}/`);
			const journal = journalOf('writer', incidentsDatabase, {url});
			proxy.dropAnswers(true);
			const startedAt = Date.now();
			const error = await journal.create(declaration).catch((thrown: unknown) => thrown);
			expect(error).toBeInstanceOf(StoreUnreachable);
			expect((error as Error).message).toMatch(/no answer from .* within 3s$/);
			// The connect timeout is 3 s (source/sources/postgres/connection.ts): once, not twice.
			expect(Date.now() - startedAt).toBeLessThan(5000);
			expect(proxy.connections()).toBe(1);
		} finally {
			await proxy.close();
		}
	});
});

describe('watching and the link', () => {
	it('watch, stop and watch again in one tick, then close: no listener is left connected', async () => {
		const application = 'warroom-relisten';
		const journal = journalOf('writer', incidentsDatabase, {
			url: `${server.url('writer', {database: incidentsDatabase})}?application_name=${application}`,
		});
		const backends = async () =>
			(
				await server.asAdmin('postgres', [
					`SELECT count(*)::int AS count FROM pg_stat_activity WHERE application_name = '${application}'`,
				])
			)[0]!.count;
		journal.watch(() => undefined)();
		journal.watch(() => undefined);
		await vi.waitFor(() => expect(journal.link().state).toBe('live'));
		expect(await backends()).toBeGreaterThan(0);
		await journal.close();
		expect(await backends()).toBe(0);
	});

	it('hears another console append, goes offline when the server stops, and catches up when it is back', async () => {
		// Slow to reconnect, so that another console appends while it is away.
		const watcher = new PostgresJournal({
			url: server.url('writer', {database: incidentsDatabase}),
			reconnectMs: {first: 2000, max: 2000},
		});
		journals.push(watcher);
		const {id} = await watcher.create(declaration);
		let changes = 0;
		const links: string[] = [];
		watcher.onLink(() => links.push(watcher.link().state));
		watcher.watch(() => changes++);
		await vi.waitFor(() => expect(watcher.link().state).toBe('live'));
		const heardBefore = changes;
		await journalOf().append(id, newEvent.note('heard'));
		await vi.waitFor(() => expect(changes).toBeGreaterThan(heardBefore));

		await server.stop();
		await vi.waitFor(() => expect(watcher.link().state).toBe('offline'));
		expect(watcher.link().error).toMatch(/127\.0\.0\.1:\d+\/incidents/);
		expect(watcher.link().error).not.toContain(roles.writer.password);
		await server.start();
		// Appended while the listener is still down, from another console: heard only by the catch-up.
		await journalOf().append(id, newEvent.note('while away'));
		expect(watcher.link().state).toBe('offline');
		const whileAway = changes;
		await vi.waitFor(() => expect(watcher.link().state).toBe('live'), {timeout: 8000});
		expect(links.slice(-3)).toEqual(['offline', 'connecting', 'live']);
		await vi.waitFor(() => expect(changes).toBeGreaterThan(whileAway));
		const {events} = await watcher.read(id);
		expect(events.at(-1)).toMatchObject({type: 'note', text: 'while away'});
	});

	it('on its first connect, catches up only on what was appended since this console last read', async () => {
		const {id} = await journalOf().create(declaration);
		const quiet = journalOf();
		await quiet.list();
		await quiet.read(id);
		let quietChanges = 0;
		quiet.watch(() => quietChanges++);
		await vi.waitFor(() => expect(quiet.link().state).toBe('live'));
		expect(quietChanges).toBe(0);

		const behind = journalOf();
		await behind.list();
		await behind.read(id);
		await journalOf().append(id, newEvent.note('before it listened'));
		let behindChanges = 0;
		behind.watch(() => behindChanges++);
		await vi.waitFor(() => expect(behind.link().state).toBe('live'));
		expect(behindChanges).toBe(1);
		// The quiet one heard that append as it happened.
		await vi.waitFor(() => expect(quietChanges).toBe(1));
	});

	it('a stopped server: an append throws StoreUnreachable naming host:port, never the password', async () => {
		const journal = journalOf();
		const {id} = await journal.create(declaration);
		await server.stop();
		try {
			const error = await journal.append(id, newEvent.note('lost?')).catch((thrown: unknown) => thrown);
			expect(error).toBeInstanceOf(StoreUnreachable);
			const {message} = error as Error;
			expect(message).toMatch(/127\.0\.0\.1:\d+\/incidents/);
			expect(message).not.toContain(roles.writer.password);
			expect(journal.link()).toMatchObject({state: 'offline', error: message});
		} finally {
			await server.start();
		}
	});

	it('a stopped server: reads and lists answer from what was last read and written, asked for the cache or not; never made up', async () => {
		const journal = journalOf();
		const {id} = await journal.create(declaration);
		await journal.list();
		await journal.append(id, newEvent.note('written before the stop'));
		const neverRead = journalOf();
		await server.stop();
		try {
			for (const options of [{cached: true}, {}]) {
				expect((await journal.read(id, options)).events.map(event => event.type)).toEqual(['declared', 'note']);
				expect(await journal.list(options)).toContain(id);
			}
			// Nothing read before: the store is asked, and says it cannot be reached, rather than an empty list.
			await expect(neverRead.list({cached: true})).rejects.toBeInstanceOf(StoreUnreachable);
			await expect(neverRead.read(id, {cached: true})).rejects.toBeInstanceOf(StoreUnreachable);
		} finally {
			await server.start();
		}
	});

	it('an event written after another console appended: cached reads show it until a read of the store fills the gap', async () => {
		const journal = journalOf();
		const other = journalOf();
		const {id} = await journal.create(declaration);
		await journal.read(id);
		await other.append(id, newEvent.note('from the other console'));
		// Numbered 3, past the cache's seq 1: an outbox trims it now, so a cached read must still show it.
		const mine = await journal.append(id, newEvent.note('mine'));
		expect(mine.seq).toBe(3);
		const cached = await journal.read(id, {cached: true});
		expect(cached.events.map(event => [event.seq, event.type])).toEqual([
			[1, 'declared'],
			[3, 'note'],
		]);
		const read = await journal.read(id);
		expect(read.events.map(event => event.seq)).toEqual([1, 2, 3]);
		expect((await journal.read(id, {cached: true})).events.map(event => event.seq)).toEqual([1, 2, 3]);
	});

	it('a frozen server: StoreUnreachable within the timeout; live again once it answers', async () => {
		const journal = journalOf();
		const {id} = await journal.create(declaration);
		journal.watch(() => undefined);
		await vi.waitFor(() => expect(journal.link().state).toBe('live'));
		server.freeze();
		const started = Date.now();
		try {
			const error = await journal.append(id, newEvent.note('frozen')).catch((thrown: unknown) => thrown);
			expect(error).toBeInstanceOf(StoreUnreachable);
			expect((error as Error).message).toMatch(/no answer from 127\.0\.0\.1:\d+\/incidents within \d+s/);
			expect(Date.now() - started).toBeLessThan(6000);
			expect(journal.link().state).toBe('offline');
		} finally {
			server.thaw();
		}
		// The next append goes through; the listener's heartbeat may have gone unanswered too, and it listens again at once.
		await journal.append(id, newEvent.note('thawed'));
		await vi.waitFor(() => expect(journal.link()).toMatchObject({state: 'live'}));
		expect(journal.link().error).toBeUndefined();
	});

	it('an idle console notices a server that stops answering: offline within a heartbeat and the query timeout, live once it answers', async () => {
		const heartbeatMs = 500;
		const journal = new PostgresJournal({
			url: server.url('writer', {database: incidentsDatabase}),
			reconnectMs: {first: 100, max: 400},
			heartbeatMs,
		});
		journals.push(journal);
		journal.watch(() => undefined);
		await vi.waitFor(() => expect(journal.link().state).toBe('live'));
		// Nothing is asked of the journal from here on: only its listener can notice.
		server.freeze();
		const frozenAt = Date.now();
		try {
			await vi.waitFor(() => expect(journal.link().state).toBe('offline'), {timeout: 10_000, interval: 50});
			// The query timeout is 4 s (source/sources/postgres/connection.ts).
			expect(Date.now() - frozenAt).toBeLessThan(heartbeatMs + 4000 + 1000);
			expect(journal.link().error).toMatch(/^postgres: no answer from 127\.0\.0\.1:\d+\/incidents within 4s$/);
		} finally {
			server.thaw();
		}
		await vi.waitFor(() => expect(journal.link()).toMatchObject({state: 'live'}), {timeout: 8000});
	});

	it('listens again as soon as the store answers a query, not after its reconnect backoff', async () => {
		const journal = new PostgresJournal({
			url: server.url('writer', {database: incidentsDatabase}),
			reconnectMs: {first: 60_000, max: 60_000},
		});
		journals.push(journal);
		const {id} = await journal.create(declaration);
		journal.watch(() => undefined);
		await vi.waitFor(() => expect(journal.link().state).toBe('live'));
		await server.stop();
		await vi.waitFor(() => expect(journal.link().state).toBe('offline'));
		await server.start();

		// What an outbox sending its waiting events does.
		await journal.append(id, newEvent.note('sent from the outbox'));

		await vi.waitFor(() => expect(journal.link().state).toBe('live'), {timeout: 3000});
	});

	it("without a url, signs in as libpq's PG* variables and password file say", async () => {
		const passwordFile = join(mkdtempSync(join(tmpdir(), 'warroom-pgpass-')), 'pgpass');
		writeFileSync(passwordFile, `127.0.0.1:${server.port}:${incidentsDatabase}:${roles.writer.name}:${roles.writer.password}\n`, {
			mode: 0o600,
		});
		const env = {
			PGHOST: '127.0.0.1',
			PGPORT: String(server.port),
			PGDATABASE: incidentsDatabase,
			PGUSER: roles.writer.name,
			PGPASSFILE: passwordFile,
		};
		for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
		try {
			const journal = new PostgresJournal({});
			journals.push(journal);
			const {event} = await journal.create(declaration);
			expect(event.actor).toBe(roles.writer.name);
			expect(journal.link().where).toBe(`127.0.0.1:${server.port}/${incidentsDatabase}`);
		} finally {
			vi.unstubAllEnvs();
			rmSync(dirname(passwordFile), {recursive: true, force: true});
		}
	});

	it.each([
		['a wrong password', (secret: string) => server.url('writer', {database: incidentsDatabase, password: secret})],
		[
			// The server quotes the database it has not got, and the journal names the server by it.
			'a URL pasted whole as the database name',
			(secret: string) =>
				`${server.url('writer', {database: ''})}postgres://${roles.writer.name}:${secret}@127.0.0.1:${server.port}/${incidentsDatabase}`,
		],
	])('%s: no error of any method, nor the link, holds its 200-character password', async (_, urlWith) => {
		const secret = `pw${'x7'.repeat(99)}`;
		const journal = journalOf('writer', incidentsDatabase, {url: urlWith(secret)});
		const imported = {...declaration, seq: 1, at: new Date().toISOString(), actor: 'alice@bastion'} as JournalEvent;
		const errors = await Promise.all(
			[
				() => journal.open(),
				() => journal.list(),
				() => journal.create(declaration),
				() => journal.append('INC-1', newEvent.note('noted')),
				() => journal.read('INC-1'),
				() => journal.importIncident([imported]),
			].map(call =>
				call().then(
					() => undefined,
					(thrown: unknown) => thrown as Error,
				),
			),
		);
		expect(errors.every(error => error instanceof Error)).toBe(true);
		for (const error of errors) expect(`${error!.message}\n${error!.stack}`).not.toContain(secret);
		expect(JSON.stringify(journal.link())).not.toContain(secret);
	});

	it('a wrong password is refused in words, masked, and is not an unreachable store', async () => {
		const secret = 'wrong-pw-5e1f';
		const journal = journalOf('writer', incidentsDatabase, {
			url: server.url('writer', {database: incidentsDatabase, password: secret}),
		});
		const error = await journal.list().catch((thrown: unknown) => thrown);
		expect(error).not.toBeInstanceOf(StoreUnreachable);
		expect(String((error as Error).message)).not.toContain(secret);
	});
});
