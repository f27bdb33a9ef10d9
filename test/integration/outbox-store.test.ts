/**
 * The outbox in front of a real PostgreSQL store (the tests' harness): what
 * the server refuses for a while (a lock held past lock_timeout) keeps an
 * event waiting; what it refuses for the event itself sets it aside.
 */
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import pg from 'pg';
import {afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {newEvent, type JournalEvent} from '../../source/incident/events';
import {EventRefused} from '../../source/incident/journal';
import {outboxPaths} from '../../source/incident/outbox-file';
import {OutboxJournal} from '../../source/incident/outbox-journal';
import {PostgresJournal} from '../../source/incident/postgres-journal';
import {incidentsDatabase, postgresForThisFile, prepareIncidentStore, roles} from '../helpers/postgres-server';

const server = postgresForThisFile();
const closing: Array<{close(): Promise<void>}> = [];
let dataDir: string;

beforeAll(() => prepareIncidentStore(server));

afterEach(async () => {
	vi.restoreAllMocks();
	await Promise.all(closing.splice(0).map(journal => journal.close()));
	if (dataDir) await rm(dataDir, {recursive: true, force: true});
});

function store(): PostgresJournal {
	const journal = new PostgresJournal({url: server.url('writer', {database: incidentsDatabase})});
	closing.push(journal);
	return journal;
}

function outboxJournal(notices: string[] = [], retryMs = 100): OutboxJournal {
	const journal = new OutboxJournal({store: store(), dataDir, actor: 'alice@bastion', retryMs});
	journal.onNotice(text => notices.push(text));
	closing.push(journal);
	return journal;
}

const outboxFile = (journal: OutboxJournal) => outboxPaths(dataDir, journal.link().where).file;
const noteTexts = (events: readonly JournalEvent[]) => events.flatMap(event => (event.type === 'note' ? [event.text] : []));

/** INC-N declared, and `texts` kept in the outbox by a console that found the server stopped. */
async function queuedWhileStopped(texts: Array<{id?: string; text: string}>): Promise<string> {
	dataDir = await mkdtemp(join(tmpdir(), 'warroom-outbox-store-'));
	const {id} = await store().create(newEvent.declared({title: 'Checkout errors', severity: 'P1', services: []}));
	await server.stop();
	try {
		const offline = new OutboxJournal({store: store(), dataDir, actor: 'alice@bastion', retryMs: 60_000});
		for (const {id: to = id, text} of texts) expect(await offline.append(to, newEvent.note(text))).toMatchObject({pending: true});
		await offline.close();
	} finally {
		await server.start();
	}
	return id;
}

describe('the outbox against a real store', () => {
	it('keeps an event waiting while its incident row is held past the lock timeout, and stores it once the row is free', async () => {
		const id = await queuedWhileStopped([{text: 'queued while the link was down'}, {text: 'behind it'}]);
		const incidents = new pg.Client({
			host: '127.0.0.1',
			port: server.port,
			user: roles.admin.name,
			password: roles.admin.password,
			database: incidentsDatabase,
		});
		await incidents.connect();
		try {
			await incidents.query('BEGIN');
			await incidents.query('SELECT * FROM warroom.incidents WHERE number = $1 FOR UPDATE', [Number(id.slice(4))]);

			const notices: string[] = [];
			const journal = outboxJournal(notices);
			const sends = vi.spyOn(PostgresJournal.prototype, 'append');
			// Tried again and again, each time past the lock timeout: told once why it waits.
			await vi.waitFor(() => expect(sends.mock.calls.length).toBeGreaterThanOrEqual(3), {timeout: 15_000, interval: 50});
			expect(notices).toEqual([
				expect.stringMatching(
					new RegExp(
						`^${id}: your queued note waits, with any behind it: the store did not take it now \\(.*lock timeout.*\\); it is tried again$`,
					),
				),
			]);
			expect(journal.link().waiting).toBe(2);
			expect((await readFile(outboxFile(journal), 'utf8')).split('\n')).toHaveLength(3);

			await incidents.query('COMMIT');
			await vi.waitFor(() => expect(journal.link().waiting).toBe(0), {timeout: 10_000, interval: 50});
			const {events} = await store().read(id);
			expect(noteTexts(events)).toEqual(['queued while the link was down', 'behind it']);
		} finally {
			await incidents.end();
		}
	});

	it('sets aside only what the store refuses for the event itself, and sends the events behind it', async () => {
		const notices: string[] = [];
		const id = await queuedWhileStopped([{id: 'INC-99999', text: 'to an incident the store lacks'}, {text: 'behind it'}]);

		outboxJournal(notices);
		await vi.waitFor(() => expect(notices).toHaveLength(1), {timeout: 10_000, interval: 50});
		await vi.waitFor(async () => expect(noteTexts((await store().read(id)).events)).toEqual(['behind it']), {interval: 50});

		expect(notices).toEqual([
			expect.stringMatching(
				/^INC-99999: the store refused your queued note \(no incident INC-99999 in the incident store at 127\.0\.0\.1:\d+\/incidents\); kept in .*\.refused\.jsonl$/,
			),
		]);
	});
});

describe("the store's refusals of an event itself", () => {
	it('are EventRefused: no such incident, an id already used in another incident, a value the store cannot take', async () => {
		const journal = store();
		const declared = newEvent.declared({title: 'Checkout errors', severity: 'P1', services: []});
		const [{id}, {id: other}] = [await journal.create(declared), await journal.create(declared)];
		const used = await journal.append(id, newEvent.note('first'));

		await expect(journal.append('INC-99999', newEvent.note('nowhere'))).rejects.toBeInstanceOf(EventRefused);
		await expect(journal.append(other, newEvent.note('same id'), {eventId: used.eventId!, at: used.at})).rejects.toBeInstanceOf(
			EventRefused,
		);
		// jsonb cannot hold a NUL character.
		const nul = await journal.append(id, newEvent.note(`a\u0000b${'x'.repeat(100 * 1024)}`)).catch((error: unknown) => error);
		expect(nul).toBeInstanceOf(EventRefused);
		expect((nul as Error).message).toBe('unsupported Unicode escape sequence');
	});
});
