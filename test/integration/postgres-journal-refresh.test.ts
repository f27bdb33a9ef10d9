/**
 * What a console's refresh costs on a shared store with history: while its
 * listener is live, the PostgreSQL journal knows from the notifications
 * which incidents changed, so reading an unchanged one, or listing when no
 * incident was declared, asks the server nothing; whatever it could have
 * missed (a cut, a notification it cannot read) is caught up. Statements are
 * counted as the desk's role sends them, on the real server.
 */
import {afterEach, beforeAll, describe, expect, it, onTestFinished, vi} from 'vitest';
import pg from 'pg';
import {IncidentDesk, type DeskView} from '../../source/incident/desk';
import {newEvent} from '../../source/incident/events';
import {PostgresJournal} from '../../source/incident/postgres-journal';
import {incidentsDatabase, postgresForThisFile, prepareIncidentStore, roles} from '../helpers/postgres-server';

const server = postgresForThisFile();
/** Long enough for a notification to arrive on a busy machine. */
const heard = {timeout: 5000};
const journals: PostgresJournal[] = [];

beforeAll(() => prepareIncidentStore(server));

afterEach(async () => {
	vi.restoreAllMocks();
	await Promise.all(journals.splice(0).map(journal => journal.close()));
});

const declaration = (title: string) => newEvent.declared({title, severity: 'P2', services: ['api']});

/** The console under test signs in as the role that may only read, so every statement that role sends is its own. */
function consoleJournal(reconnectMs = {first: 100, max: 400}): PostgresJournal {
	const journal = new PostgresJournal({url: server.url('reader', {database: incidentsDatabase}), reconnectMs});
	journals.push(journal);
	return journal;
}

/** Another console, somewhere else, that writes. */
function elsewhere(): PostgresJournal {
	const journal = new PostgresJournal({url: server.url('writer', {database: incidentsDatabase})});
	journals.push(journal);
	return journal;
}

type Statement = {text: string; values: unknown[]};

/** Every statement the reader role sends from now on, as sent (the server runs them all). */
function statementsOfTheConsole(): Statement[] {
	const sent: Statement[] = [];
	const query = pg.Client.prototype.query;
	vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
		if (this.user === roles.reader.name) {
			const [first, values] = args as [string | {text: string; values?: unknown[]}, unknown[] | undefined];
			sent.push(typeof first === 'string' ? {text: first, values: values ?? []} : {text: first.text, values: first.values ?? []});
		}
		return (query as (...rest: unknown[]) => unknown).apply(this, args);
	} as typeof query);
	return sent;
}

/** The incidents a console's statements read events of. */
const incidentsRead = (statements: Statement[]) =>
	statements.filter(({text}) => text.includes('FROM warroom.events')).map(({values}) => `INC-${String(values[0])}`);

/** Three incidents the console has listed and read, and is listening for changes to; `told` counts what it heard. */
async function listeningConsole(reconnectMs?: {first: number; max: number}) {
	const writer = elsewhere();
	const ids = [];
	for (const title of ['one', 'two', 'three']) ids.push((await writer.create(declaration(title))).id);
	const journal = consoleJournal(reconnectMs);
	let told = 0;
	journal.watch(() => told++);
	await vi.waitFor(() => expect(journal.link().state).toBe('live'), heard);
	await readEverything(journal);
	return {writer, journal, ids, told: () => told};
}

/** What a console's refresh does: list, then read every incident. */
async function readEverything(journal: PostgresJournal) {
	const ids = await journal.list();
	return Promise.all(ids.map(id => journal.read(id)));
}

describe('a console whose listener is live', () => {
	it('after another console’s note, reads that incident from the server and nothing else', async () => {
		const {writer, journal, ids, told} = await listeningConsole();
		const before = told();
		const statements = statementsOfTheConsole();
		await writer.append(ids[1]!, newEvent.note('rolled back'));
		await vi.waitFor(() => expect(told()).toBeGreaterThan(before), heard);
		const logs = await readEverything(journal);
		expect(logs.find(log => log.id === ids[1])?.events.at(-1)).toMatchObject({type: 'note', text: 'rolled back'});
		expect(incidentsRead(statements)).toEqual([ids[1]]);
		expect(statements).toHaveLength(1);
	});

	it('asks nothing at all when nothing changed, however often it reads', async () => {
		const {journal} = await listeningConsole();
		const statements = statementsOfTheConsole();
		for (let round = 0; round < 3; round++) await readEverything(journal);
		expect(statements).toEqual([]);
	});

	it('lists an incident declared elsewhere once it is told of it', async () => {
		const {writer, journal, told} = await listeningConsole();
		const before = told();
		const {id} = await writer.create(declaration('four'));
		await vi.waitFor(() => expect(told()).toBeGreaterThan(before), heard);
		const logs = await readEverything(journal);
		expect(logs.map(log => log.id)).toContain(id);
		expect(logs.find(log => log.id === id)?.events[0]).toMatchObject({type: 'declared', title: 'four'});
	});

	it('does not take a notification it cannot read on trust: lists and reads everything once more', async () => {
		const {journal, ids, told} = await listeningConsole();
		const before = told();
		const statements = statementsOfTheConsole();
		const sender = new pg.Client({connectionString: server.url('writer', {database: incidentsDatabase})});
		await sender.connect();
		onTestFinished(() => sender.end());
		// 7,999 bytes (the most a NOTIFY carries) of escape sequences, then an incident that does not exist.
		await sender.query("SELECT pg_notify('warroom', $1)", ['\u001b[2J'.repeat(1999) + 'x'.repeat(3)]);
		await sender.query("SELECT pg_notify('warroom', 'INC-424242:3')");
		await vi.waitFor(() => expect(told()).toBeGreaterThan(before), heard);
		const logs = await readEverything(journal);
		expect(logs.map(log => log.id)).not.toContain('INC-424242');
		expect(new Set(incidentsRead(statements))).toEqual(new Set(logs.map(log => log.id)));
		expect(logs.map(log => log.id)).toEqual(expect.arrayContaining(ids));
		// Trusted again once both are heard (the second may come after the first refresh).
		await vi.waitFor(
			async () => {
				const before = statements.length;
				await readEverything(journal);
				expect(statements).toHaveLength(before);
			},
			{timeout: 5000},
		);
	});
});

describe('a console whose listener was cut', () => {
	it('catches up on what was appended and declared while it was away, reading only those', async () => {
		// Slow to reconnect, so that another console writes while it is away.
		const {journal, ids, told} = await listeningConsole({first: 2000, max: 2000});
		await server.stop();
		await vi.waitFor(() => expect(journal.link().state).toBe('offline'), heard);
		await server.start();
		const writer = elsewhere();
		await writer.append(ids[2]!, newEvent.note('while away'));
		const {id: declaredAway} = await writer.create(declaration('declared while away'));
		expect(journal.link().state).toBe('offline');
		const before = told();
		await vi.waitFor(() => expect(journal.link().state).toBe('live'), {timeout: 8000});
		await vi.waitFor(() => expect(told()).toBeGreaterThan(before), heard);
		const statements = statementsOfTheConsole();
		const logs = await readEverything(journal);
		expect(logs.find(log => log.id === ids[2])?.events.at(-1)).toMatchObject({type: 'note', text: 'while away'});
		expect(logs.find(log => log.id === declaredAway)?.events[0]).toMatchObject({title: 'declared while away'});
		expect(incidentsRead(statements).sort()).toEqual([ids[2], declaredAway].sort());
	});

	it('reads from the server while the listener is down, so nothing is shown from a cache that may be behind', async () => {
		const {journal, ids} = await listeningConsole({first: 60_000, max: 60_000});
		const sender = await server.session('admin', 'cut-the-listener');
		await sender.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [roles.reader.name]);
		await vi.waitFor(() => expect(journal.link().state).toBe('offline'), heard);
		await elsewhere().append(ids[0]!, newEvent.note('unheard'));
		const statements = statementsOfTheConsole();
		const logs = await readEverything(journal);
		expect(logs.find(log => log.id === ids[0])?.events.at(-1)).toMatchObject({type: 'note', text: 'unheard'});
		expect(new Set(incidentsRead(statements))).toEqual(new Set(logs.map(log => log.id)));
	});
});

describe('the desk on the shared store', () => {
	it('refreshes after a note elsewhere with one statement, and shows it', async () => {
		const {writer, journal} = await listeningConsole();
		const views: DeskView[] = [];
		const desk = new IncidentDesk(journal, view => views.push(view));
		await desk.refresh();
		const statements = statementsOfTheConsole();
		const stop = desk.watch();
		try {
			// Declared in the same millisecond, any of the three may be the one shown.
			await writer.append(views.at(-1)!.incident!.id, newEvent.note('seen by the desk'));
			await vi.waitFor(() => expect(views.at(-1)?.incident?.events.at(-1)).toMatchObject({text: 'seen by the desk'}), heard);
		} finally {
			stop();
		}
		expect(statements).toHaveLength(1);
	});
});
