import {spawn} from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import type {JournalEvent, NewEvent} from '../../source/incident/events';
import {FileJournal} from '../../source/incident/file-journal';
import {withLock} from '../../source/incident/file-lock';
import {StoreUnreachable} from '../../source/incident/journal';
import {outboxPaths} from '../../source/incident/outbox-file';
import {OutboxJournal, type OutboxJournalOptions} from '../../source/incident/outbox-journal';
import {CuttableStore} from '../helpers/cuttable-store';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

let tempDir: string;
let dataDir: string;
let storeDir: string;
const opened: OutboxJournal[] = [];

beforeEach(async () => {
	tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'warroom-outbox-'));
	dataDir = path.join(tempDir, 'data');
	storeDir = path.join(tempDir, 'store');
});

afterEach(async () => {
	vi.restoreAllMocks();
	await Promise.all(opened.splice(0).map(journal => journal.close()));
	await fs.rm(tempDir, {recursive: true, force: true});
});

type TestOptions = Partial<OutboxJournalOptions> & {onNotice?: (text: string) => void};

function outboxJournal(store: CuttableStore, {onNotice, ...options}: TestOptions = {}): OutboxJournal {
	const journal = new OutboxJournal({store, dataDir, actor: 'alice@bastion', retryMs: 50, ...options});
	if (onNotice) journal.onNotice(onNotice);
	opened.push(journal);
	return journal;
}

const declaration: NewEvent = {type: 'declared', title: 'API down', severity: 'P1', services: []};
const note = (text: string): NewEvent => ({type: 'note', text});
const texts = (events: readonly JournalEvent[]) => events.map(event => (event.type === 'note' ? event.text : event.type));

function outboxFile(store: CuttableStore): string {
	return outboxPaths(dataDir, store.link().where).file;
}

async function outboxLines(store: CuttableStore): Promise<string[]> {
	const text = await fs.readFile(outboxFile(store), 'utf8').catch(() => '');
	return text.split('\n').filter(line => line !== '');
}

/** Resolves once `journal.link()` satisfies `condition`, heard through onLink (checked at once too). */
function linkBecomes(journal: OutboxJournal, condition: (link: ReturnType<OutboxJournal['link']>) => boolean): Promise<void> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			stop();
			reject(new Error(`link never matched; last: ${JSON.stringify(journal.link())}`));
		}, 10_000);
		const check = () => {
			if (!condition(journal.link())) return;
			clearTimeout(timer);
			stop();
			resolve();
		};
		const stop = journal.onLink(check);
		check();
	});
}

/** A store holding INC-1 (declared), its outbox journal, and the store cut. */
async function offlineIncident(options: TestOptions = {}) {
	const store = new CuttableStore(storeDir);
	const journal = outboxJournal(store, options);
	const {id} = await journal.create(declaration);
	store.setCut(true);
	return {store, journal, id};
}

describe('OutboxJournal while the store is reachable', () => {
	it('appends straight to the store with the id and time it stamped, and keeps nothing', async () => {
		const at = new Date('2026-11-27T03:04:05.000Z');
		const store = new CuttableStore(storeDir);
		const journal = outboxJournal(store, {now: () => at});
		const {id} = await journal.create(declaration);

		const event = await journal.append(id, note('on it'));

		expect(event).toMatchObject({seq: 2, at: at.toISOString(), type: 'note', text: 'on it'});
		expect(event.pending).toBeUndefined();
		expect(store.received).toEqual([{id, eventId: event.eventId}]);
		expect(await outboxLines(store)).toEqual([]);
		expect(journal.link()).toMatchObject({store: 'postgres', state: 'live', waiting: 0});
	});

	it('throws a refusal by the store as it is, keeping nothing', async () => {
		const store = new CuttableStore(storeDir);
		const journal = outboxJournal(store);
		await journal.create(declaration);

		await expect(journal.append('INC-9', note('nowhere'))).rejects.toThrow(`no incident INC-9 in ${storeDir}`);
		expect(await outboxLines(store)).toEqual([]);
		expect(journal.link()).toMatchObject({state: 'live', waiting: 0});
	});
});

describe('OutboxJournal when the link drops', () => {
	it('keeps appends in order, shows them pending, and sends each once, in order, when the store is back', async () => {
		// No retry meanwhile: the send starts when the store says it is back, and only then.
		const {store, journal, id} = await offlineIncident({retryMs: 60_000});
		await journal.read(id);
		const links: number[] = [];
		journal.onLink(() => links.push(journal.link().waiting));

		const first = await journal.append(id, note('one'));
		const second = await journal.append(id, note('two'));

		expect(first).toMatchObject({seq: 2, pending: true, text: 'one', actor: 'alice@bastion'});
		expect(second).toMatchObject({seq: 3, pending: true, text: 'two'});
		expect(await outboxLines(store)).toHaveLength(2);
		expect(JSON.parse((await outboxLines(store))[0]!)).toEqual({
			incident: id,
			actor: 'alice@bastion',
			eventId: first.eventId,
			at: first.at,
			type: 'note',
			text: 'one',
		});
		expect(journal.link()).toMatchObject({state: 'offline', waiting: 2, error: 'connect ECONNREFUSED 127.0.0.1:5432'});
		const shown = await journal.read(id);
		expect(texts(shown.events)).toEqual(['declared', 'one', 'two']);
		expect(shown.events.slice(1).every(event => event.pending)).toBe(true);
		expect(links).toContain(1);

		// A third, made while two wait, must not overtake them once the store answers again.
		store.setCut(false, {quietly: true});
		const third = await journal.append(id, note('three'));
		expect(third.pending).toBe(true);
		store.setCut(false);
		await linkBecomes(journal, link => link.waiting === 0 && link.state === 'live');

		const log = await new FileJournal({dir: storeDir, actor: 'reader'}).read(id);
		expect(texts(log.events)).toEqual(['declared', 'one', 'two', 'three']);
		expect(log.events.map(event => event.eventId)).toEqual([
			log.events[0]!.eventId,
			first.eventId,
			second.eventId,
			third.eventId,
		]);
		expect(log.events[1]!.at).toBe(first.at);
		expect(store.received.map(entry => entry.eventId)).toEqual([first.eventId, second.eventId, third.eventId]);
		expect(await outboxLines(store)).toEqual([]);
		expect((await journal.read(id)).events.some(event => event.pending)).toBe(false);
		expect(links.at(-1)).toBe(0);
	});

	it('says it is offline, with when it began, while appends fail even though the store still says live', async () => {
		const started = Date.now();
		const {store, journal, id} = await offlineIncident();
		// The store's own listener has not noticed yet: it still calls itself live.
		vi.spyOn(store, 'link').mockReturnValue({...store.link(), state: 'live', since: 0});

		await journal.append(id, note('kept'));

		const link = journal.link();
		expect(link).toMatchObject({state: 'offline', waiting: 1});
		expect(link.since).toBeGreaterThanOrEqual(started);
	});

	it('retries while the store is away without telling link listeners of anything that did not change', async () => {
		const {store, journal, id} = await offlineIncident({retryMs: 10});
		await journal.append(id, note('kept'));
		let told = 0;
		journal.onLink(() => told++);
		const tries = vi.spyOn(store, 'append');

		await vi.waitFor(() => expect(tries.mock.calls.length).toBeGreaterThanOrEqual(3), {timeout: 5000});

		expect(told).toBe(0);
		expect(journal.link()).toMatchObject({state: 'offline', waiting: 1});
	});

	it('keeps an append in the outbox when the store hangs, and stores it once when the hung append goes through after all', async () => {
		const store = new CuttableStore(storeDir);
		const journal = outboxJournal(store, {storeTimeoutMs: 100, retryMs: 60_000});
		const {id} = await journal.create(declaration);
		const server = store.hang();

		const kept = await journal.append(id, note('while it hangs'));

		expect(kept.pending).toBe(true);
		expect(journal.link()).toMatchObject({state: 'offline', waiting: 1, error: 'the incident store did not answer within 100ms'});
		// The abandoned append commits when the server wakes; the outbox then sends the same event.
		server.answer();
		store.setCut(false);
		await linkBecomes(journal, link => link.waiting === 0 && link.state === 'live');
		const log = await new FileJournal({dir: storeDir, actor: 'reader'}).read(id);
		expect(texts(log.events)).toEqual(['declared', 'while it hangs']);
		expect(store.received.map(entry => entry.eventId)).toEqual([kept.eventId, kept.eventId]);
	});

	it('answers reads at once from what it kept while events wait for a store that hangs, which the retry asks meanwhile', async () => {
		const store = new CuttableStore(storeDir);
		const journal = outboxJournal(store, {storeTimeoutMs: 100, retryMs: 60_000});
		const {id} = await journal.create(declaration);
		await journal.list();
		const server = store.hang();
		await journal.append(id, note('while it hangs'));

		// Asking the hung store would hold each read for its timeout, with the note typed nowhere on screen.
		const noAnswer = new Promise<never>((_resolve, reject) =>
			setTimeout(() => reject(new Error('read waited for the store')), 1000),
		);
		const log = await Promise.race([journal.read(id), noAnswer]);
		expect(texts(log.events)).toEqual(['declared', 'while it hangs']);
		expect(await Promise.race([journal.list(), noAnswer])).toEqual([id]);
		server.answer();
		store.setCut(false);
		await linkBecomes(journal, link => link.waiting === 0 && link.state === 'live');
	});

	it('keeps showing the last log read, with the waiting events, while the store cannot be read', async () => {
		const store = new CuttableStore(storeDir);
		const journal = outboxJournal(store);
		const {id} = await journal.create(declaration);
		await journal.append(id, note('before the cut'));
		await journal.read(id);
		await journal.list();
		store.setCut(true);

		await journal.append(id, note('during the cut'));
		const log = await journal.read(id);

		expect(texts(log.events)).toEqual(['declared', 'before the cut', 'during the cut']);
		expect(log.events.map(event => event.seq)).toEqual([1, 2, 3]);
		expect(log.events.map(event => event.pending)).toEqual([undefined, undefined, true]);
		expect(await journal.list()).toEqual(['INC-1']);
	});

	it('answers at once from the outbox and the last log read while the store says it is offline, never waiting on it', async () => {
		const store = new CuttableStore(storeDir);
		const journal = outboxJournal(store, {retryMs: 60_000, storeTimeoutMs: 60_000});
		const {id} = await journal.create(declaration);
		await journal.list();
		await journal.read(id);
		// A cut link as the store's listener found it: offline, and any call would wait out the timeouts.
		store.setCut(true);
		const link = store.hang();
		const append = vi.spyOn(store, 'append');
		const reads = [vi.spyOn(store, 'read'), vi.spyOn(store, 'list')];

		const kept = await journal.append(id, note('while cut'));

		expect(kept).toMatchObject({seq: 2, pending: true});
		expect(texts((await journal.read(id)).events)).toEqual(['declared', 'while cut']);
		expect(await journal.list()).toEqual([id]);
		// The hung store was never waited on: only its cache was asked for.
		expect(append).not.toHaveBeenCalled();
		for (const read of reads) for (const args of read.mock.calls) expect(args.at(-1)).toEqual({cached: true});
		expect(journal.link()).toMatchObject({state: 'offline', waiting: 1, error: 'connect ECONNREFUSED 127.0.0.1:5432'});
		link.answer();
		store.setCut(false);
		await linkBecomes(journal, ({state, waiting}) => state === 'live' && waiting === 0);
		expect(texts((await journal.read(id)).events)).toEqual(['declared', 'while cut']);
	});

	it('counts offline from when the store said so, not from the first note kept', async () => {
		const store = new CuttableStore(storeDir);
		const aMinuteOn = new Date(Date.now() + 60_000);
		const journal = outboxJournal(store, {now: () => aMinuteOn, retryMs: 60_000});
		const {id} = await journal.create(declaration);
		store.setCut(true);
		const cutSince = store.link().since;

		await journal.append(id, note('a minute into the cut'));

		expect(journal.link()).toMatchObject({state: 'offline', since: cutSince, waiting: 1});
	});

	it('refuses to declare a new incident offline, in words, writing nothing', async () => {
		const {store, journal} = await offlineIncident();

		await expect(journal.create(declaration)).rejects.toThrow(
			'the incident store is offline: a new incident needs its number from the store; declare it again once the store is back (connect ECONNREFUSED 127.0.0.1:5432)',
		);
		await expect(journal.create(declaration)).rejects.toBeInstanceOf(StoreUnreachable);
		expect(await outboxLines(store)).toEqual([]);
		expect(await new FileJournal({dir: storeDir, actor: 'reader'}).list()).toEqual(['INC-1']);
	});

	it('is live again, with nothing waiting, once the store says it is back after a refused declaration', async () => {
		const {store, journal} = await offlineIncident();
		await expect(journal.create(declaration)).rejects.toBeInstanceOf(StoreUnreachable);
		expect(journal.link().state).toBe('offline');

		store.setCut(false);

		await linkBecomes(journal, link => link.state === 'live');
	});

	it('keeps a 100 KB note with escape sequences whole, and sends it as it was', async () => {
		const {store, journal, id} = await offlineIncident();
		const text = `\u001B[2J\u001B]0;owned\u0007${'x'.repeat(100 * 1024)}\n"quoted"`;

		const kept = await journal.append(id, note(text));
		expect(kept.pending).toBe(true);
		store.setCut(false);
		await linkBecomes(journal, link => link.waiting === 0);

		const [, stored] = (await new FileJournal({dir: storeDir, actor: 'reader'}).read(id)).events;
		expect(stored).toMatchObject({type: 'note', text, eventId: kept.eventId});
	});

	it('fails the append in words when the outbox cannot be written (disk full), claiming nothing saved', async () => {
		const {store, journal, id} = await offlineIncident();
		await journal.append(id, note('fits'));
		const handle = await fs.open(outboxFile(store), 'r');
		const prototype = Object.getPrototypeOf(handle) as fs.FileHandle;
		await handle.close();
		vi.spyOn(prototype, 'write').mockRejectedValueOnce(
			Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'}),
		);

		await expect(journal.append(id, note('does not fit'))).rejects.toThrow(
			`the incident store is offline and the event could not be kept in the outbox: could not write to ${outboxFile(store)}: disk full (ENOSPC)`,
		);
		expect((await outboxLines(store)).map(line => (JSON.parse(line) as {text: string}).text)).toEqual(['fits']);
		expect(journal.link().waiting).toBe(1);
		expect(texts((await journal.read(id)).events)).toEqual(['declared', 'fits']);
	});

	it('says so when a failed write to the outbox cannot be cut back either', async () => {
		const {store, journal, id} = await offlineIncident();
		await journal.append(id, note('fits'));
		const handle = await fs.open(outboxFile(store), 'r');
		const prototype = Object.getPrototypeOf(handle) as fs.FileHandle;
		await handle.close();
		vi.spyOn(prototype, 'write').mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error, write'), {code: 'EIO'}));
		vi.spyOn(prototype, 'truncate').mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error, ftruncate'), {code: 'EIO'}));

		await expect(journal.append(id, note('does not fit'))).rejects.toThrow(
			`could not write to ${outboxFile(store)}: input/output error (EIO); cutting it back failed too (input/output error (EIO))`,
		);
	});

	it('fails the append in words when the outbox directory cannot be made', async () => {
		const {journal, id} = await offlineIncident();
		await fs.mkdir(dataDir, {recursive: true});
		// A file where the outbox directory should be.
		await fs.writeFile(path.join(dataDir, 'outbox'), '');

		await expect(journal.append(id, note('lost?'))).rejects.toThrow(
			/^the incident store is offline and the event could not be kept in the outbox: .*\((EEXIST|ENOTDIR)\)$/,
		);
		expect(journal.link().waiting).toBe(0);
	});
});

describe('OutboxJournal keeping secrets and refusals', () => {
	it('masks a password the store names in its error, in the link, a refusal and the outbox', async () => {
		const {store, journal, id} = await offlineIncident();
		store.setCut(true, {reason: 'cannot reach postgres://warroom:hunter2@db.internal/incidents: timeout'});

		await journal.append(id, note('kept'));
		const refused = (await journal.create(declaration).catch((error: unknown) => error)) as Error;

		expect(journal.link().error).toBe('cannot reach postgres://warroom:•••@db.internal/incidents: timeout');
		expect(refused.message).toContain('postgres://warroom:•••@db.internal');
		expect(refused.message).not.toContain('hunter2');
		expect(JSON.stringify(refused)).not.toContain('hunter2');
		expect((await outboxLines(store)).join('\n')).not.toContain('hunter2');
	});

	it('sets aside an event the store refuses, tells the user, and sends the ones behind it', async () => {
		const notices: string[] = [];
		const {store, journal, id} = await offlineIncident({onNotice: text => notices.push(text)});
		await journal.append(id, note('before'));
		await journal.append('INC-9', note('to an incident the store does not have'));
		await journal.append(id, note('after'));

		store.setCut(false);
		await linkBecomes(journal, link => link.waiting === 0);

		const log = await new FileJournal({dir: storeDir, actor: 'reader'}).read(id);
		expect(texts(log.events)).toEqual(['declared', 'before', 'after']);
		const refusedFile = outboxFile(store).replace(/\.jsonl$/, '.refused.jsonl');
		expect(notices).toEqual([
			`INC-9: the store refused your queued note (no incident INC-9 in ${storeDir}); kept in ${refusedFile}`,
		]);
		expect(JSON.parse(await fs.readFile(refusedFile, 'utf8'))).toMatchObject({
			incident: 'INC-9',
			text: 'to an incident the store does not have',
			refused: `no incident INC-9 in ${storeDir}`,
		});
	});
});

describe('OutboxJournal sending after a crash', () => {
	it('sends each event once when a console died after sending but before trimming the outbox', async () => {
		const {store, journal, id} = await offlineIncident();
		const first = await journal.append(id, note('one'));
		await journal.append(id, note('two'));
		await journal.close();
		opened.splice(0);
		// What a killed console leaves: the first event already in the store, the outbox untouched.
		store.setCut(false);
		await store.append(id, note('one'), {eventId: first.eventId!, at: first.at});
		expect(await outboxLines(store)).toHaveLength(2);

		const restarted = outboxJournal(store);
		await linkBecomes(restarted, link => link.waiting === 0);
		await outboxEmptied(store);

		const log = await new FileJournal({dir: storeDir, actor: 'reader'}).read(id);
		expect(texts(log.events)).toEqual(['declared', 'one', 'two']);
	});

	it('sends once, after a restart, what a console killed (kill -9) had kept but not sent', async () => {
		const store = new CuttableStore(storeDir);
		const {id} = await outboxJournal(store).create(declaration);
		const script = path.join(tempDir, 'console.mts');
		const source = (file: string) => JSON.stringify(pathToFileURL(path.join(projectRoot, file)).href);
		await fs.writeFile(
			script,
			[
				`import {OutboxJournal} from ${source('source/incident/outbox-journal.ts')};`,
				`import {CuttableStore} from ${source('test/helpers/cuttable-store.ts')};`,
				'const [storeDir, dataDir, id] = process.argv.slice(2);',
				'const store = new CuttableStore(storeDir);',
				'store.setCut(true);',
				'const journal = new OutboxJournal({store, dataDir, actor: "bob@laptop"});',
				'for (const text of ["one", "two", "three"]) await journal.append(id, {type: "note", text});',
				'process.stdout.write("kept\\n");',
				// Alive until killed, as a console would be.
				'setInterval(() => undefined, 1000);',
			].join('\n'),
		);
		const child = spawn(process.execPath, ['--import', 'tsx', script, storeDir, dataDir, id], {
			cwd: projectRoot,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const exited = new Promise<NodeJS.Signals | null>(resolve => child.on('exit', (_code, signal) => resolve(signal)));
		await new Promise<void>((resolve, reject) => {
			child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('kept') && resolve());
			void exited.then(() => reject(new Error(`the console exited before keeping its events: ${stderr}`)));
		});
		child.kill('SIGKILL');
		expect(await exited).toBe('SIGKILL');

		const restarted = outboxJournal(store);
		await outboxEmptied(store);
		await linkBecomes(restarted, link => link.waiting === 0);

		const log = await new FileJournal({dir: storeDir, actor: 'reader'}).read(id);
		expect(texts(log.events)).toEqual(['declared', 'one', 'two', 'three']);
		expect(store.received).toHaveLength(3);
	});

	it('sends each event once when two consoles on one data directory send at once', async () => {
		const store = new CuttableStore(storeDir);
		const alice = outboxJournal(store);
		const bob = outboxJournal(store, {actor: 'bob@laptop'});
		const {id} = await alice.create(declaration);
		store.setCut(true);
		for (let index = 0; index < 10; index++) {
			await alice.append(id, note(`alice ${index}`));
			await bob.append(id, note(`bob ${index}`));
		}
		expect(await outboxLines(store)).toHaveLength(20);

		store.setCut(false);
		// The one that found the outbox emptied by the other is back online too.
		await Promise.all([alice, bob].map(journal => linkBecomes(journal, link => link.waiting === 0 && link.state === 'live')));
		await outboxEmptied(store);

		const log = await new FileJournal({dir: storeDir, actor: 'reader'}).read(id);
		const expected = Array.from({length: 10}, (_, index) => [`alice ${index}`, `bob ${index}`]).flat();
		expect(texts(log.events)).toEqual(['declared', ...expected]);
		// Both may send the same head (neither holds the lock while the store is asked); the store kept each once, by its id.
		expect(new Set(store.received.map(({eventId}) => eventId)).size).toBe(20);
	});

	it('ignores a torn last line, reports it once, never sends it, and keeps appending after it', async () => {
		const notices: string[] = [];
		const {store, journal, id} = await offlineIncident({onNotice: text => notices.push(text)});
		await journal.append(id, note('whole'));
		await fs.appendFile(outboxFile(store), '{"incident":"INC-1","eventId":"x","at":"2026-');

		await journal.append(id, note('after'));
		expect(texts((await journal.read(id)).events)).toEqual(['declared', 'whole', 'after']);
		store.setCut(false);
		await linkBecomes(journal, link => link.waiting === 0);

		const log = await new FileJournal({dir: storeDir, actor: 'reader'}).read(id);
		expect(texts(log.events)).toEqual(['declared', 'whole', 'after']);
		expect(notices).toEqual([expect.stringMatching(/an incomplete last line \(torn write, 45 bytes\) was ignored, never sent$/)]);
	});
});

/**
 * A status change queued offline 40 s ago that clashes with one made
 * meanwhile: bob, on a host that can reach the store, resolved the incident.
 * The store is still cut; the clock is now.
 */
async function clashQueuedOffline() {
	const notices: string[] = [];
	let clock = Date.now() - 40_000;
	const now = () => new Date(clock);
	const {store, journal, id} = await offlineIncident({onNotice: text => notices.push(text), now});
	await journal.append(id, {type: 'status', status: 'monitoring', from: 'investigating'});
	await new FileJournal({dir: storeDir, actor: 'bob@bastion'}).append(id, {
		type: 'status',
		status: 'resolved',
		from: 'investigating',
	});
	clock += 40_000;
	return {store, journal, id, notices, now};
}

describe('OutboxJournal late changes', () => {
	it('records a change made offline that clashes with one made meanwhile, late, and tells the user', async () => {
		const {store, journal, id, notices} = await clashQueuedOffline();

		store.setCut(false);
		await linkBecomes(journal, link => link.waiting === 0);

		expect(notices).toEqual([
			'INC-1: your status change to monitoring (queued 40s offline) arrived after bob@bastion resolved it: recorded late',
		]);
		const log = await new FileJournal({dir: storeDir, actor: 'reader'}).read(id);
		expect(log.events.map(event => (event.type === 'status' ? event.status : event.type))).toEqual([
			'declared',
			'resolved',
			'monitoring',
		]);
	});
});

describe('OutboxJournal draining', () => {
	it('is back online once the store takes the first waiting event, not only when the outbox is empty', async () => {
		const {store, journal, id} = await offlineIncident();
		for (const text of ['one', 'two', 'three']) await journal.append(id, note(text));
		const whileDraining: string[] = [];
		journal.onLink(() => {
			const link = journal.link();
			if (link.waiting > 0 && link.waiting < 3) whileDraining.push(link.state);
		});
		store.setCut(false);
		await linkBecomes(journal, link => link.waiting === 0);
		expect(whileDraining).toEqual(['live', 'live']);
	});
});

describe('OutboxJournal late changes told once', () => {
	it('tells of a clash once when two consoles on one data directory send the same queued change', async () => {
		const {store, journal, notices, now} = await clashQueuedOffline();
		// The server hangs as it comes back: both consoles send the head before either trims it.
		const server = store.hang();
		const append = vi.spyOn(store, 'append');
		store.setCut(false);
		const second = outboxJournal(store, {onNotice: text => notices.push(text), now});
		await vi.waitFor(() => expect(append).toHaveBeenCalledTimes(2));
		server.answer();
		await linkBecomes(journal, link => link.waiting === 0);
		// Closed once its send is through: whatever it was to tell, it has told.
		await second.close();
		expect(notices).toEqual([
			'INC-1: your status change to monitoring (queued 40s offline) arrived after bob@bastion resolved it: recorded late',
		]);
	});
});

describe('OutboxJournal waiting on the store', () => {
	it('keeps a queued event waiting, telling why once, while the store refuses it for a passing reason, and sends it after', async () => {
		const notices: string[] = [];
		const {store, journal, id} = await offlineIncident({retryMs: 10, onNotice: text => notices.push(text)});
		await journal.append(id, note('kept'));
		const readOnly = new Error(
			'cannot write to the incident store at postgres://alice:hunter2@db.internal/incidents: the role alice may only read it',
		);
		const sends = vi.spyOn(store, 'append').mockRejectedValue(readOnly);

		store.setCut(false);
		await vi.waitFor(() => expect(sends.mock.calls.length).toBeGreaterThanOrEqual(3), {timeout: 5000});

		expect(notices).toEqual([
			`${id}: your queued note waits, with any behind it: the store did not take it now (cannot write to the incident store at postgres://alice:•••@db.internal/incidents: the role alice may only read it); it is tried again`,
		]);
		expect(journal.link().waiting).toBe(1);
		// Nothing set aside.
		await expect(fs.access(outboxFile(store).replace(/\.jsonl$/, '.refused.jsonl'))).rejects.toThrow(/ENOENT/);

		sends.mockRestore();
		await linkBecomes(journal, link => link.waiting === 0);
		expect(texts((await new FileJournal({dir: storeDir, actor: 'reader'}).read(id)).events)).toEqual(['declared', 'kept']);
	});

	it('tells once, and keeps the event, when even setting a refused event aside fails', async () => {
		const notices: string[] = [];
		const {store, journal} = await offlineIncident({retryMs: 10, onNotice: text => notices.push(text)});
		await journal.append('INC-9', note('to nowhere'));
		// A directory where the set-aside file goes.
		const refused = outboxFile(store).replace(/\.jsonl$/, '.refused.jsonl');
		await fs.mkdir(refused);
		const sends = vi.spyOn(store, 'append');

		store.setCut(false);
		await vi.waitFor(() => expect(sends.mock.calls.length).toBeGreaterThanOrEqual(3), {timeout: 5000});

		expect(notices).toEqual([
			`outbox: INC-9: the store refused your queued note (no incident INC-9 in ${storeDir}), and it cannot be set aside: cannot read the events set aside in ${refused}: is a directory (EISDIR); it waits in the outbox, with any behind it`,
		]);
		expect(journal.link().waiting).toBe(1);
		expect(await outboxLines(store)).toHaveLength(1);
	});

	it('goes straight to the outbox when the store is known to be offline, without waiting for it again', async () => {
		const store = new CuttableStore(storeDir);
		const journal = outboxJournal(store, {retryMs: 60_000, storeTimeoutMs: 1000});
		const {id} = await journal.create(declaration);
		// What a one-shot command finds when its store did not answer at open: the link offline, the server hanging.
		store.setCut(true);
		const server = store.hang();
		const tries = vi.spyOn(store, 'append');

		const kept = await journal.append(id, note('offline'));

		expect(kept).toMatchObject({pending: true, text: 'offline'});
		expect(tries).not.toHaveBeenCalled();
		server.answer();
	});

	it('an append that timed out but committed after all, and was read meanwhile, resolves to the event stored', async () => {
		const store = new CuttableStore(storeDir);
		const journal = outboxJournal(store, {storeTimeoutMs: 100, retryMs: 60_000});
		const {id} = await journal.create(declaration);
		await journal.read(id);
		const server = store.hang();
		await fs.mkdir(path.dirname(outboxFile(store)), {recursive: true});

		// The outbox held by another console while the abandoned append commits and a refresh reads it.
		const {appending} = await withLock(outboxFile(store), {staleMs: 60_000}, async () => {
			const appending = journal.append(id, note('committed late'));
			await linkBecomes(journal, link => link.state === 'offline');
			server.answer();
			await vi.waitFor(async () => expect(texts((await journal.read(id)).events)).toEqual(['declared', 'committed late']));
			return {appending};
		});

		const event = await appending;
		expect(event).toMatchObject({seq: 2, type: 'note', text: 'committed late'});
		expect(event.pending).toBeUndefined();
	});
});

describe('OutboxJournal shared by consoles on one data directory', () => {
	it('shows each waiting event with who wrote it', async () => {
		const store = new CuttableStore(storeDir);
		const alice = outboxJournal(store, {retryMs: 60_000});
		const bob = outboxJournal(store, {actor: 'bob@laptop', retryMs: 60_000});
		const {id} = await alice.create(declaration);
		store.setCut(true);

		await bob.append(id, note('from bob'));
		await alice.append(id, note('from alice'));

		const waiting = (await alice.read(id)).events.filter(event => event.pending);
		expect(waiting.map(event => [texts([event])[0], event.actor])).toEqual([
			['from bob', 'bob@laptop'],
			['from alice', 'alice@bastion'],
		]);
	});

	it('parses the outbox again only once it changed, by this console or another', async () => {
		const {store, journal, id} = await offlineIncident({retryMs: 60_000});
		await journal.append(id, note('one'));
		const reads = vi.spyOn(fs, 'readFile');
		const outboxReads = () => reads.mock.calls.filter(([file]) => file === outboxFile(store)).length;

		for (let refresh = 0; refresh < 5; refresh++) await journal.read(id);
		expect(outboxReads()).toBe(1);

		const bob = outboxJournal(store, {actor: 'bob@laptop', retryMs: 60_000});
		await bob.append(id, note('two'));
		expect(texts((await journal.read(id)).events)).toEqual(['declared', 'one', 'two']);
		expect(outboxReads()).toBeGreaterThan(1);
	});
});

async function outboxEmptied(store: CuttableStore): Promise<void> {
	const deadline = Date.now() + 10_000;
	while ((await outboxLines(store)).length > 0) {
		if (Date.now() > deadline) throw new Error('the outbox was never emptied');
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

describe('OutboxJournal fixes of the second review', () => {
	it('lets another console on the data directory keep a note while it sends to a slow store, losing nothing', async () => {
		const {store, journal, id} = await offlineIncident();
		for (const text of ['one', 'two', 'three', 'four']) await journal.append(id, note(text));
		// Bob's console, on the same data directory, whose own link stays cut: it only keeps, never sends.
		const bobStore = new CuttableStore(storeDir);
		bobStore.setCut(true);
		const bob = outboxJournal(bobStore, {actor: 'bob@laptop', retryMs: 60_000});
		await linkBecomes(bob, link => link.state === 'offline' && link.waiting === 4);
		const append = store.append.bind(store);
		let sending = () => undefined as void;
		const sendingStarted = new Promise<void>(resolve => (sending = resolve));
		// Each event takes 3 s to store: the four, sent under one lock, would hold it for 12 s.
		const slowAppend = vi.spyOn(store, 'append').mockImplementation(async (...args) => {
			sending();
			await new Promise(resolve => setTimeout(resolve, 3000));
			return append(...args);
		});
		store.setCut(false);
		await sendingStarted;

		const kept = await bob.append(id, note('bob: kept'));

		expect(kept).toMatchObject({pending: true, text: 'bob: kept'});
		slowAppend.mockRestore();
		await outboxEmptied(store);
		const log = await new FileJournal({dir: storeDir, actor: 'reader'}).read(id);
		expect(texts(log.events)).toEqual(['declared', 'one', 'two', 'three', 'four', 'bob: kept']);
	}, 30_000);

	it('sets a refused event aside after a torn line in the refused file, never merged into it', async () => {
		const {store, journal, id} = await offlineIncident();
		await journal.append('INC-9', note('to an incident the store does not have'));
		const refusedFile = outboxFile(store).replace(/\.jsonl$/, '.refused.jsonl');
		await fs.writeFile(refusedFile, '{"incident":"INC-8","eventId":"torn');

		store.setCut(false);
		await outboxEmptied(store);

		const lines = (await fs.readFile(refusedFile, 'utf8')).split('\n').filter(line => line !== '');
		expect(lines.map(line => (JSON.parse(line) as {text: string}).text)).toEqual(['to an incident the store does not have']);
		expect(texts((await journal.read(id)).events)).toEqual(['declared']);
	});

	it('sets a refused event aside once when trimming the outbox after it fails (a full disk)', async () => {
		const notices: string[] = [];
		const {store, journal, id} = await offlineIncident({onNotice: text => notices.push(text)});
		await journal.append('INC-9', note('to an incident the store does not have'));
		await journal.append(id, note('after'));
		const noSpace = Object.assign(new Error('ENOSPC: no space left on device, rename'), {code: 'ENOSPC'});
		const rename = fs.rename.bind(fs);
		let trimmed = false;
		// The first trim of the outbox (its replacement renamed over it) finds the disk full; the lock's own renames go through.
		vi.spyOn(fs, 'rename').mockImplementation(async (from, to) => {
			if (String(from).endsWith('.tmp') && !trimmed) {
				trimmed = true;
				throw noSpace;
			}
			return rename(from, to);
		});

		store.setCut(false);
		await outboxEmptied(store);

		const refusedFile = outboxFile(store).replace(/\.jsonl$/, '.refused.jsonl');
		const refused = (await fs.readFile(refusedFile, 'utf8')).split('\n').filter(line => line !== '');
		expect(refused.map(line => (JSON.parse(line) as {text: string}).text)).toEqual(['to an incident the store does not have']);
		expect(notices.filter(notice => notice.includes('kept in'))).toHaveLength(1);
		const log = await new FileJournal({dir: storeDir, actor: 'reader'}).read(id);
		expect(texts(log.events)).toEqual(['declared', 'after']);
	});

	it('refuses a declaration at once while the store says it is offline, never waiting on it', async () => {
		const {store, journal} = await offlineIncident();
		// A server that hangs too: asking it would never answer.
		const {answer} = store.hang();

		await expect(journal.create(declaration)).rejects.toThrow(/^the incident store is offline: a new incident needs/);
		answer();
	});

	it('gives up on a declaration the store does not answer within its timeout, warning it may have been made', async () => {
		const store = new CuttableStore(storeDir);
		const journal = outboxJournal(store, {storeTimeoutMs: 200});
		const {answer} = store.hang();

		await expect(journal.create(declaration)).rejects.toThrow(
			'the incident store did not answer the declaration: it may have been declared; look at the incidents once the store is back before declaring again (the incident store did not answer within',
		);
		// The abandoned declaration goes through once the server answers: waited for, so it does not outlive the test.
		answer();
		const reader = new FileJournal({dir: storeDir, actor: 'reader'});
		while (!(await reader.list()).includes('INC-1')) await new Promise(resolve => setTimeout(resolve, 20));
	});

	it('numbers an event kept for an incident this console never read on from the last the store holds', async () => {
		const writer = outboxJournal(new CuttableStore(storeDir));
		const {id} = await writer.create(declaration);
		await writer.append(id, note('from another console'));
		const store = new CuttableStore(storeDir);
		const journal = outboxJournal(store, {retryMs: 60_000});
		vi.spyOn(store, 'append').mockRejectedValueOnce(new StoreUnreachable('connect ECONNREFUSED 127.0.0.1:5432'));

		const kept = await journal.append(id, note('kept'));

		expect(kept).toMatchObject({seq: 3, pending: true, text: 'kept'});
	});

	it('says the store cannot be reached, not that it holds no incident, when it was never listed', async () => {
		const store = new CuttableStore(storeDir);
		store.setCut(true);
		const journal = outboxJournal(store);

		await expect(journal.list()).rejects.toBeInstanceOf(StoreUnreachable);
	});
});
