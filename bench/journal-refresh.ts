/**
 * (g) What one note costs every console on a journal with history: 200 past
 * incidents × 50 events, one desk (as the console builds it: the PostgreSQL
 * store behind the outbox, or the file journal) refreshing after each of 100
 * notes another console writes. Per refresh: its wall time, the statements
 * the desk's role ran on the server (pg_stat_statements, counted by the
 * server itself) and the incidents it read from its journal.
 */
import {randomUUID} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {register} from 'node:module';
import pg from 'pg';
import type {Journal} from '../source/incident/journal';
import type {JournalEvent} from '../source/incident/events';
import {incidentsDatabase, prepareIncidentStore, roles, startPostgres} from '../test/helpers/postgres-server';
import {tempDir} from './harness';

// The journal's schema is imported as text, as the build does.
register('./sql-as-text.mjs', import.meta.url);
const [{PostgresJournal}, {OutboxJournal}, {FileJournal}, {IncidentDesk}, {newEvent}] = await Promise.all([
	import('../source/incident/postgres-journal'),
	import('../source/incident/outbox-journal'),
	import('../source/incident/file-journal'),
	import('../source/incident/desk'),
	import('../source/incident/events'),
]);

export const refreshLoad = {incidents: 200, eventsEach: 50, notes: 100};

export type RefreshResult = {
	name: string;
	refreshMs: number[];
	/** Statements the desk's role ran on the server per refresh; undefined for the file journal. */
	queriesPerRefresh?: number;
	readsPerRefresh: number;
};

/** One past incident: a declaration and notes, stamped as a console stamps them. */
function pastIncident(number: number): JournalEvent[] {
	const at = new Date(Date.UTC(2026, 0, 1) + number * 3_600_000);
	return Array.from({length: refreshLoad.eventsEach}, (_, index) => {
		const fields =
			index === 0
				? newEvent.declared({title: `past incident ${number}`, severity: 'P2', services: ['api']})
				: index === refreshLoad.eventsEach - 1
					? newEvent.status('resolved', 'investigating')
					: newEvent.note(`step ${index} of incident ${number}`);
		const stamp = {seq: index + 1, at: new Date(at.getTime() + index * 1000).toISOString(), actor: 'alice@bastion'};
		return {...fields, ...stamp, eventId: randomUUID()} as JournalEvent;
	});
}

/**
 * Times the desk's refresh after each note the writer appends, one note at a
 * time (the next once the desk has shown the last): the one incident still
 * open gets every fifth note, the past ones the rest.
 */
async function refreshAfterNotes(
	journal: Journal,
	writer: Journal,
	count: {queries?: () => Promise<number>},
): Promise<Omit<RefreshResult, 'name'>> {
	const ids = await journal.list();
	let reads = 0;
	const read = journal.read.bind(journal);
	journal.read = id => {
		reads++;
		return read(id);
	};
	const desk = new IncidentDesk(journal, () => undefined);
	await desk.refresh();
	const refreshMs: number[] = [];
	let refreshed: (() => void) | undefined;
	const stop = journal.watch(() => {
		const started = performance.now();
		void desk.refresh().then(() => {
			refreshMs.push(performance.now() - started);
			refreshed?.();
		});
	});
	try {
		while (journal.link().state !== 'live') await new Promise(resolve => setTimeout(resolve, 10));
		// Whatever the first connect caught up on is done before counting.
		await desk.refresh();
		refreshMs.length = 0;
		reads = 0;
		const queriesBefore = await count.queries?.();
		for (let note = 0; note < refreshLoad.notes; note++) {
			const shown = new Promise<void>(resolve => (refreshed = resolve));
			const id = note % 5 === 0 ? ids.at(-1)! : ids[note % (ids.length - 1)]!;
			await writer.append(id, newEvent.note(`note ${note}`));
			await shown;
		}
		const queriesAfter = await count.queries?.();
		return {
			refreshMs: [...refreshMs],
			readsPerRefresh: reads / refreshMs.length,
			...(queriesBefore === undefined || queriesAfter === undefined
				? {}
				: {queriesPerRefresh: (queriesAfter - queriesBefore) / refreshMs.length}),
		};
	} finally {
		stop();
	}
}

/** `outbox`: the store behind the outbox, as the console opens it; without, what the store itself costs. */
async function postgresDesk(outbox: boolean): Promise<RefreshResult> {
	const server = await startPostgres({settings: {shared_preload_libraries: "'pg_stat_statements'"}});
	// Counts the statements the desk's role ran (pg_stat_statements).
	const admin = new pg.Client({connectionString: server.url('admin', {database: incidentsDatabase})});
	await admin.connect();
	const writer = new PostgresJournal({url: server.url('writer', {database: incidentsDatabase})});
	// The desk signs in as the role that may only read: every statement that role runs is the desk's.
	const store = new PostgresJournal({url: server.url('reader', {database: incidentsDatabase})});
	const journal = outbox ? new OutboxJournal({store, dataDir: tempDir(), actor: 'bob@laptop'}) : store;
	try {
		await prepareIncidentStore(server);
		await admin.query('CREATE EXTENSION pg_stat_statements');
		for (let number = 1; number < refreshLoad.incidents; number++) await writer.importIncident(pastIncident(number));
		await writer.create(newEvent.declared({title: 'open incident', severity: 'P1', services: ['api']}));
		const queries = async () => {
			const {rows} = await admin.query<{calls: string | null}>(
				'SELECT sum(calls) AS calls FROM pg_stat_statements WHERE userid = $1::regrole',
				[roles.reader.name],
			);
			return Number(rows[0]!.calls ?? 0);
		};
		const name = outbox ? 'PostgreSQL store, behind the outbox (the console)' : 'PostgreSQL store alone';
		return {name, ...(await refreshAfterNotes(journal, writer, {queries}))};
	} finally {
		await Promise.all([journal.close(), writer.close()]);
		await admin.end();
		await server.close();
	}
}

async function fileDesk(): Promise<RefreshResult> {
	const dir = tempDir();
	for (let number = 1; number < refreshLoad.incidents; number++)
		writeFileSync(
			join(dir, `INC-${number}.jsonl`),
			pastIncident(number)
				.map(event => `${JSON.stringify(event)}\n`)
				.join(''),
		);
	const writer = new FileJournal({dir, actor: 'alice@bastion'});
	await writer.create(newEvent.declared({title: 'open incident', severity: 'P1', services: ['api']}));
	const journal = new FileJournal({dir, actor: 'bob@laptop'});
	try {
		return {name: 'file journal', ...(await refreshAfterNotes(journal, writer, {}))};
	} finally {
		await journal.close();
	}
}

export async function measureJournalRefresh(): Promise<RefreshResult[]> {
	return [await postgresDesk(true), await postgresDesk(false), await fileDesk()];
}
