/**
 * `warroom doctor`'s journal check, decided: a shared store's findings from
 * what its probe read (out of reach, its schema against this warroom's,
 * read-only, the outbox), the order the probe is asked in, the outbox
 * counted from real files, and the file store listed for real.
 */
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {
	countOutbox,
	journalFindings,
	readStore,
	sharedStoreFindings,
	type OutboxCount,
	type StoreProbe,
	type StoreReading,
} from '../../source/doctor/journal-store';
import {buildDoctorReport, doctorText} from '../../source/doctor/finding';
import {newEvent} from '../../source/incident/events';
import {FileJournal} from '../../source/incident/file-journal';
import type {JournalLink} from '../../source/incident/journal';
import {outboxPaths} from '../../source/incident/outbox-file';

const link: JournalLink = {store: 'postgres', where: 'db.internal:5432/warroom', state: 'connecting', since: 0, waiting: 0};
const outboxOf = (dataDir: string) => outboxPaths(dataDir, link.where).file;
const reached: StoreReading = {
	reached: true,
	role: 'alice',
	roleIdent: 'alice',
	roundTripMs: 4,
	knownVersion: 2,
	schema: {version: 2},
	writes: 'ok',
};
const empty: OutboxCount = {
	file: '/srv/warroom/outbox/0a1b2c3d4e5f6789.jsonl',
	waiting: 0,
	problems: [],
	setAside: {file: '/srv/warroom/outbox/0a1b2c3d4e5f6789.refused.jsonl', count: 0},
};
const refusedOf = (dataDir: string) => outboxOf(dataDir).replace(/\.jsonl$/, '.refused.jsonl');

describe('a shared store', () => {
	it('answering, current, writable, nothing waiting: all ok', () => {
		expect(sharedStoreFindings(link, reached, empty)).toEqual([
			{check: 'journal', status: 'ok', detail: 'postgres store at db.internal:5432/warroom answers as alice (round trip 4 ms)'},
			{check: 'journal schema', status: 'ok', detail: 'version 2 (current)'},
			{
				check: 'journal writes',
				status: 'ok',
				detail: 'role alice may write (INSERT on warroom.events, EXECUTE on warroom.append_event)',
			},
			{check: 'journal outbox', status: 'ok', detail: 'nothing waiting to be sent'},
		]);
	});

	it('out of reach: missing, naming the server, with the outbox still counted', () => {
		const down: StoreReading = {
			reached: false,
			failure: 'connection refused by db.internal:5432: is the server up?',
			signInRefused: false,
		};
		expect(sharedStoreFindings(link, down, {...empty, waiting: 3})).toEqual([
			{
				check: 'journal',
				status: 'missing',
				detail: 'postgres store at db.internal:5432/warroom: connection refused by db.internal:5432: is the server up?',
				fix: 'check that the server at db.internal:5432/warroom is up and reachable from here (pg_isready), then incidents.url in warroom.yaml, or PG* variables and ~/.pgpass',
			},
			{
				check: 'journal outbox',
				status: 'warn',
				detail: '3 events waiting to be sent (in /srv/warroom/outbox/0a1b2c3d4e5f6789.jsonl)',
				fix: 'they are sent once the store answers (see journal above)',
			},
		]);
		const refused = sharedStoreFindings(link, {...down, signInRefused: true}, empty)[0]!;
		expect(refused.fix).toBe('check the user and password: incidents.url in warroom.yaml, or PG* variables and ~/.pgpass');
	});

	it.each([
		[{version: 0}, 'db.internal:5432/warroom has no warroom schema', 'run warroom db migrate'],
		[{version: 1}, 'db.internal:5432/warroom has schema version 1; this warroom needs 2', 'run warroom db migrate'],
		[{version: 3}, 'db.internal:5432/warroom has schema version 3; this warroom knows up to 2', 'upgrade warroom'],
	])('a schema %j is missing, with its one fix', (schema, detail, fix) => {
		const findings = sharedStoreFindings(link, {...reached, schema}, empty);
		expect(findings.find(finding => finding.check === 'journal schema')).toEqual({
			check: 'journal schema',
			status: 'missing',
			detail,
			fix,
		});
	});

	it('no schema: nothing said about writes, which the migration grants', () => {
		const {writes: _writes, ...noSchema} = reached as Extract<StoreReading, {reached: true}>;
		const checks = sharedStoreFindings(link, {...noSchema, schema: {version: 0}}, empty).map(finding => finding.check);
		expect(checks).toEqual(['journal', 'journal schema', 'journal outbox']);
	});

	it('a role that may only read: a warning saying why, with the GRANT', () => {
		const reader = {...reached, role: 'On Call', roleIdent: '"On Call"', writes: {missing: 'no EXECUTE on warroom.append_event'}};
		expect(sharedStoreFindings(link, reader, empty).find(finding => finding.check === 'journal writes')).toEqual({
			check: 'journal writes',
			status: 'warn',
			detail: 'role On Call may only read the incident store (no EXECUTE on warroom.append_event): the console runs read-only',
			fix: 'as the store owner: the writers\' grants (README, "A shared store for a team") TO "On Call"',
		});
	});

	it('events waiting while the store answers: a warning, sent by the next console', () => {
		const outbox = sharedStoreFindings(link, reached, {...empty, waiting: 1}).at(-1);
		expect(outbox).toEqual({
			check: 'journal outbox',
			status: 'warn',
			detail: '1 event waiting to be sent (in /srv/warroom/outbox/0a1b2c3d4e5f6789.jsonl)',
			fix: 'start warroom here: it sends them as soon as it opens the store',
		});
	});

	it('a hostile failure comes out as one short line', () => {
		const failure = `\u001b[2J\u001b]0;owned\u0007refused\n${'x'.repeat(100_000)}`;
		const findings = sharedStoreFindings(link, {reached: false, failure, signInRefused: false}, empty);
		const [line] = doctorText(buildDoctorReport(findings, 0)).split('\n');
		expect(line).toMatch(/^MISSING {2}journal: postgres store at db\.internal:5432\/warroom: refused x+… \(\d+ characters\)$/);
		expect(line!.length).toBeLessThan(500);
	});
});

/** A probe answering from a script, recording what it was asked. */
function scriptedProbe(answers: {reach?: Error; schema?: number | Error; cannotWrite?: string}) {
	const asked: string[] = [];
	const probe: StoreProbe = {
		knownVersion: 2,
		async reach() {
			asked.push('reach');
			if (answers.reach) throw answers.reach;
			return {role: 'alice', roleIdent: 'alice', roundTripMs: 4};
		},
		async schemaVersion() {
			asked.push('schemaVersion');
			if (answers.schema instanceof Error) throw answers.schema;
			return answers.schema ?? 0;
		},
		async cannotWrite() {
			asked.push('cannotWrite');
			return answers.cannotWrite;
		},
		explain: error => ({failure: `in words: ${(error as Error).message}`, signInRefused: false}),
		async close() {
			asked.push('close');
		},
	};
	return {probe, asked};
}

describe('asking the probe', () => {
	it('asks who it is, the schema, then the writes, and closes', async () => {
		const {probe, asked} = scriptedProbe({schema: 2, cannotWrite: 'no INSERT on warroom.events'});
		expect(await readStore(probe)).toEqual({...reached, writes: {missing: 'no INSERT on warroom.events'}});
		expect(asked).toEqual(['reach', 'schemaVersion', 'cannotWrite', 'close']);
	});

	it('stops at a store out of reach, in the probe’s words, and still closes', async () => {
		const {probe, asked} = scriptedProbe({reach: new Error('ECONNREFUSED')});
		expect(await readStore(probe)).toEqual({reached: false, failure: 'in words: ECONNREFUSED', signInRefused: false});
		expect(asked).toEqual(['reach', 'close']);
	});

	it('asks nothing about writes without a schema, and says why a schema could not be read', async () => {
		const none = scriptedProbe({});
		expect(await readStore(none.probe)).toMatchObject({schema: {version: 0}});
		expect(none.asked).toEqual(['reach', 'schemaVersion', 'close']);
		const denied = scriptedProbe({schema: new Error('permission denied for schema warroom')});
		expect(await readStore(denied.probe)).toMatchObject({schema: {failure: 'in words: permission denied for schema warroom'}});
	});
});

describe('the outbox and the file store', () => {
	let dataDir: string;
	beforeEach(async () => {
		dataDir = await mkdtemp(join(tmpdir(), 'warroom-doctor-journal-'));
	});
	afterEach(async () => {
		chmodSync(dataDir, 0o700);
		await rm(dataDir, {recursive: true, force: true});
	});

	it('no outbox directory: nothing waiting', async () => {
		expect(await countOutbox(dataDir, link.where)).toEqual({
			file: outboxOf(dataDir),
			waiting: 0,
			problems: [],
			setAside: {file: refusedOf(dataDir), count: 0},
		});
	});

	it("counts this store's waiting events as the console reads them; a torn line and a line that is no event are problems, apart", async () => {
		const outbox = join(dataDir, 'outbox');
		mkdirSync(outbox);
		const event = (n: number) =>
			`${JSON.stringify({incident: 'INC-1', actor: 'alice@bastion', eventId: `0000000${n}-0000-4000-8000-000000000000`, at: '2026-11-27T03:00:00.000Z', type: 'note', text: 'x'.repeat(100_000)})}\n`;
		const file = outboxOf(dataDir);
		writeFileSync(file, `${event(1)}{"incident":"INC-1"}\n${event(2)}{"incident":"INC-1","eve`);
		// Another store's outbox, set-aside events, a temporary file and a lock: none of them wait for this store.
		writeFileSync(outboxPaths(dataDir, 'db.elsewhere:5432/warroom').file, event(3));
		writeFileSync(refusedOf(dataDir), `${event(4)}${event(6)}`);
		writeFileSync(`${file}.tmp`, event(5));
		mkdirSync(`${file}.lock`);

		const count = await countOutbox(dataDir, link.where);

		expect(count).toEqual({
			file,
			waiting: 2,
			problems: [expect.stringMatching(/torn write, 24 bytes/), expect.stringMatching(/line 2: .*not an event, ignored$/)],
			setAside: {file: refusedOf(dataDir), count: 2},
		});
		const findings = sharedStoreFindings(link, reached, count).filter(finding => finding.check === 'journal outbox');
		expect(findings).toEqual([
			expect.objectContaining({status: 'warn', detail: `2 events waiting to be sent (in ${file})`}),
			{
				check: 'journal outbox',
				status: 'warn',
				detail: `2 events set aside in ${refusedOf(dataDir)}: the store refused them, so they are not in the incident`,
				fix: `read them, enter again by hand what still matters (warroom note INC-N ...), then delete ${refusedOf(dataDir)}`,
			},
			expect.objectContaining({status: 'warn', detail: expect.stringMatching(/torn write.* \(and 1 other problem\)$/)}),
		]);
	});

	it('an outbox that is not a directory is a failure in words', async () => {
		writeFileSync(join(dataDir, 'outbox'), 'not a directory\n');
		expect(await countOutbox(dataDir, link.where)).toEqual({
			file: outboxOf(dataDir),
			failure: `cannot read the outbox ${outboxOf(dataDir)}: a folder on its path is a file (ENOTDIR)`,
		});
	});

	it('a file of events set aside that cannot be read is a failure naming it', async () => {
		mkdirSync(refusedOf(dataDir), {recursive: true});
		expect(await countOutbox(dataDir, link.where)).toEqual({
			file: outboxOf(dataDir),
			failure: `cannot read the events set aside in ${refusedOf(dataDir)}: is a directory (EISDIR)`,
		});
	});

	it('a file store: its incidents listed, in what time', async () => {
		const journal = new FileJournal({dir: dataDir, actor: 'alice@bastion'});
		await journal.create(newEvent.declared({title: 'API down', severity: 'P1', services: []}));
		const [finding] = await journalFindings({store: 'file', where: dataDir, journal}, dataDir);
		expect(finding).toEqual({
			check: 'journal',
			status: 'ok',
			detail: expect.stringMatching(new RegExp(`^file store in ${dataDir}: 1 incident, listed in \\d+ ms$`)),
		});
	});

	it('a file store that is not a directory cannot be listed: missing, with the fix', async () => {
		const file = join(dataDir, 'incidents');
		writeFileSync(file, 'not a directory\n');
		expect(
			await journalFindings({store: 'file', where: file, journal: new FileJournal({dir: file, actor: 'alice@bastion'})}, file),
		).toEqual([
			{
				check: 'journal',
				status: 'missing',
				detail: `file store in ${file}: cannot read ${file}: a folder on its path is a file (ENOTDIR)`,
				fix: `chmod u+rx ${file} (or chown it to this user), or point --data-dir (or WARROOM_DATA_DIR, incidents.dir in warroom.yaml) at another directory`,
			},
		]);
	});

	it('a shared store counts the outbox under the data directory beside what the probe read', async () => {
		mkdirSync(join(dataDir, 'outbox'));
		const line = (n: number) =>
			`${JSON.stringify({incident: 'INC-1', actor: 'alice@bastion', eventId: `0000000${n}-0000-4000-8000-000000000000`, at: '2026-11-27T03:00:00.000Z', type: 'note', text: 'x'})}\n`;
		writeFileSync(outboxOf(dataDir), `${line(1)}${line(2)}`);
		const {probe} = scriptedProbe({schema: 2});
		const findings = await journalFindings({...link, store: 'postgres', probe: () => probe}, dataDir);
		expect(findings.map(finding => finding.check)).toEqual(['journal', 'journal schema', 'journal writes', 'journal outbox']);
		expect(findings.at(-1)?.detail).toBe(`2 events waiting to be sent (in ${outboxOf(dataDir)})`);
	});
});
