/**
 * (f) Appending to one incident from 8 writers at once, 200 appends each:
 * the PostgreSQL journal as built (the incident's row lock hands out seqs,
 * one round trip, `warroom.append_event`), the alternative it was measured
 * against (the next seq taken as max + 1, the primary key refusing a taken
 * one, retried on 23505), and the file journal (its lock file, fsync). The
 * server is the tests' harness: fsync off, so the figures are what the
 * numbering costs, not the disk; the file journal does fsync.
 */
import {randomUUID} from 'node:crypto';
import {register} from 'node:module';
import pg from 'pg';
import {
	incidentsDatabase,
	prepareIncidentStore,
	roles,
	startPostgres,
	type PostgresServer,
} from '../test/helpers/postgres-server';
import {tempDir} from './harness';

// The journal's schema is imported as text, as the build does.
register('./sql-as-text.mjs', import.meta.url);
const [{PostgresJournal}, {FileJournal}, {newEvent}] = await Promise.all([
	import('../source/incident/postgres-journal'),
	import('../source/incident/file-journal'),
	import('../source/incident/events'),
]);

export const journalLoad = {writers: 8, appends: 200};

export type AppendResult = {name: string; totalMs: number; latenciesMs: number[]; retries?: number};

const declaration = newEvent.declared({title: 'bench', severity: 'P1', services: []});

/** Every writer appends its share in turn, all writers at once; each append's latency. */
async function race(
	append: (writer: number, index: number) => Promise<unknown>,
): Promise<{totalMs: number; latenciesMs: number[]}> {
	const latenciesMs: number[] = [];
	const started = performance.now();
	await Promise.all(
		Array.from({length: journalLoad.writers}, async (_, writer) => {
			for (let index = 0; index < journalLoad.appends; index++) {
				const before = performance.now();
				await append(writer, index);
				latenciesMs.push(performance.now() - before);
			}
		}),
	);
	return {totalMs: performance.now() - started, latenciesMs};
}

async function rowLock(server: PostgresServer): Promise<AppendResult> {
	const journals = Array.from(
		{length: journalLoad.writers},
		() => new PostgresJournal({url: server.url('writer', {database: incidentsDatabase})}),
	);
	try {
		const {id} = await journals[0]!.create(declaration);
		// Connected and checked before the clock starts, as a running console is.
		await Promise.all(journals.map(journal => journal.read(id)));
		return {
			name: 'PostgreSQL, row lock (as built)',
			...(await race((writer, index) => journals[writer]!.append(id, newEvent.note(`${writer}/${index}`)))),
		};
	} finally {
		await Promise.all(journals.map(journal => journal.close()));
	}
}

/** max(seq) + 1, and again when another writer took it first: one statement a try. */
const uniqueRetry = `WITH taken AS (
	INSERT INTO warroom.events (incident, seq, event_id, at, actor, type, payload)
	SELECT $1, coalesce(max(seq), 0) + 1, $2::uuid, $3, current_user, 'note', $4::jsonb FROM warroom.events WHERE incident = $1
	RETURNING seq
) SELECT seq, pg_notify('warroom', format('INC-%s:%s', $1::int, seq)) FROM taken`;

async function uniqueAndRetry(server: PostgresServer): Promise<AppendResult> {
	const clients = Array.from(
		{length: journalLoad.writers},
		() => new pg.Client({connectionString: server.url('writer', {database: incidentsDatabase})}),
	);
	const declaring = new PostgresJournal({url: server.url('writer', {database: incidentsDatabase})});
	try {
		await Promise.all(clients.map(client => client.connect()));
		const {id} = await declaring.create(declaration);
		const incident = Number(id.slice('INC-'.length));
		let retries = 0;
		const append = async (writer: number, index: number) => {
			const eventId = randomUUID();
			for (;;) {
				try {
					return await clients[writer]!.query(uniqueRetry, [
						incident,
						eventId,
						new Date().toISOString(),
						JSON.stringify({text: `${writer}/${index}`}),
					]);
				} catch (error) {
					if ((error as {code?: string}).code !== '23505') throw error;
					retries++;
				}
			}
		};
		return {name: 'PostgreSQL, unique + retry on 23505', ...(await race(append)), retries};
	} finally {
		await Promise.all([...clients.map(client => client.end()), declaring.close()]);
	}
}

async function fileJournal(): Promise<AppendResult> {
	const dir = tempDir();
	const journals = Array.from({length: journalLoad.writers}, (_, writer) => new FileJournal({dir, actor: `bench${writer}@host`}));
	const {id} = await journals[0]!.create(declaration);
	return {
		name: 'file journal (fsync)',
		...(await race((writer, index) => journals[writer]!.append(id, newEvent.note(`${writer}/${index}`)))),
	};
}

export async function measureJournalAppend(): Promise<AppendResult[]> {
	const server = await startPostgres();
	try {
		await prepareIncidentStore(server);
		// The alternative writes the table itself, as the role does.
		await server.asAdmin(incidentsDatabase, [`GRANT SELECT ON warroom.events TO ${roles.writer.name}`]);
		// Each twice, alternating; the second round counts (the first warms the server and the disk).
		await rowLock(server);
		await uniqueAndRetry(server);
		return [await rowLock(server), await uniqueAndRetry(server), await fileJournal()];
	} finally {
		await server.close();
	}
}

export const percentile = (values: number[], fraction: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
};
