import {execFileSync, spawn} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import type {JournalEvent, NewEvent} from '../../source/incident/events';
import {FileJournal, type FileJournalOptions} from '../../source/incident/file-journal';
import {DuplicateIncident, UnreadableIncident} from '../../source/incident/journal';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const modulePath = path.join(projectRoot, 'source/incident/file-journal.ts');

let tempDir: string;
let dir: string;

beforeEach(async () => {
	tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'warroom-journal-'));
	// A subdirectory that does not exist yet, so every test also covers "created on first write".
	dir = path.join(tempDir, 'incidents');
});

afterEach(async () => {
	vi.restoreAllMocks();
	await fs.rm(tempDir, {recursive: true, force: true});
});

function journal(options: Partial<FileJournalOptions> = {}): FileJournal {
	return new FileJournal({dir, actor: 'alice', ...options});
}

const declaration = (title = 'API down'): NewEvent => ({type: 'declared', title, severity: 'P1', services: []});
const note = (text = 'on it'): NewEvent => ({type: 'note', text});

function fileOf(id: string): string {
	return path.join(dir, `${id}.jsonl`);
}

async function linesOf(id: string): Promise<string[]> {
	const text = await fs.readFile(fileOf(id), 'utf8');
	expect(text.endsWith('\n')).toBe(true);
	return text.slice(0, -1).split('\n');
}

/** The class behind every `fs.open` handle, whose methods a test can make fail. */
async function fileHandlePrototype(file: string): Promise<fs.FileHandle> {
	const handle = await fs.open(file, 'r');
	await handle.close();
	return Object.getPrototypeOf(handle) as fs.FileHandle;
}

function sleep(ms: number): Promise<void> {
	return new Promise(resolve => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
		await sleep(20);
	}
}

/** Runs a real second process appending to the journal, as another console would. */
function runWorker(script: string, args: string[]): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
			cwd: projectRoot,
			stdio: ['ignore', 'ignore', 'pipe'],
		});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		child.on('error', reject);
		child.on('exit', code => {
			if (code === 0) resolve();
			else reject(new Error(`worker exited with ${code}: ${stderr}`));
		});
	});
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('FileJournal create and list', () => {
	it('numbers incidents INC-1, INC-2 and lists them oldest first', async () => {
		const at = new Date('2025-03-04T05:06:07.089Z');
		const j = journal({now: () => at});

		const first = await j.create(declaration('API down'));
		const second = await j.create(declaration('DB slow'));

		expect(first.id).toBe('INC-1');
		expect(second.id).toBe('INC-2');
		expect(first.event).toEqual({
			seq: 1,
			at: '2025-03-04T05:06:07.089Z',
			actor: 'alice',
			type: 'declared',
			eventId: expect.stringMatching(uuid),
			title: 'API down',
			severity: 'P1',
			services: [],
		});
		expect(second.event.seq).toBe(1);
		expect(await j.list()).toEqual(['INC-1', 'INC-2']);
		expect((await j.read('INC-1')).events).toEqual([first.event]);
	});

	it('sorts ids numerically and ignores files that are not incidents', async () => {
		await fs.mkdir(dir, {recursive: true});
		for (const name of ['INC-10.jsonl', 'INC-9.jsonl', 'INC-0.jsonl', 'INC-01.jsonl', 'notes.txt', 'INC-3.jsonl.bak']) {
			await fs.writeFile(path.join(dir, name), '');
		}
		await fs.mkdir(path.join(dir, 'INC-2.jsonl.lock'));
		const j = journal();

		expect(await j.list()).toEqual(['INC-9', 'INC-10']);
		expect((await j.create(declaration())).id).toBe('INC-11');
	});

	it('treats a missing directory as an empty journal and creates it on the first write', async () => {
		const j = journal();

		expect(await j.list()).toEqual([]);
		expect(await j.read('INC-1')).toEqual({id: 'INC-1', events: [], problems: []});
		await expect(fs.stat(dir)).rejects.toThrow();

		await j.create(declaration());
		expect((await fs.stat(dir)).isDirectory()).toBe(true);
		expect(await j.list()).toEqual(['INC-1']);
	});

	it('stamps events with the current UTC time by default', async () => {
		const before = Date.now();
		const {event} = await journal().create(declaration());

		expect(event.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
		expect(Date.parse(event.at)).toBeGreaterThanOrEqual(before);
		expect(Date.parse(event.at)).toBeLessThanOrEqual(Date.now());
	});

	it('gives 10 distinct ids to 10 simultaneous creates from 3 journals', async () => {
		const journals = [journal({actor: 'a'}), journal({actor: 'b'}), journal({actor: 'c'})];

		const created = await Promise.all(Array.from({length: 10}, (_, i) => journals[i % 3]!.create(declaration(`n${i}`))));

		const ids = created.map(c => c.id);
		expect(new Set(ids).size).toBe(10);
		expect(await journals[0]!.list()).toEqual(Array.from({length: 10}, (_, i) => `INC-${i + 1}`));
		for (const {id, event} of created) {
			const log = await journals[1]!.read(id);
			expect(log.events).toEqual([event]);
			expect(log.problems).toEqual([]);
		}
	});
});

describe('FileJournal append and read', () => {
	it('round-trips events and writes exactly one JSON object per line', async () => {
		const j = journal();
		const {id, event: declared} = await j.create(declaration('API down'));

		const twoLines = await j.append(id, note('line one\nline two'));
		const escalated = await j.append(id, {type: 'escalated', to: 'SRE team lead'});

		expect(twoLines).toMatchObject({seq: 2, actor: 'alice', type: 'note', text: 'line one\nline two'});
		expect(escalated.seq).toBe(3);
		expect(await j.read(id)).toEqual({id, events: [declared, twoLines, escalated], problems: []});

		const lines = await linesOf(id);
		expect(lines).toHaveLength(3);
		expect(lines.map(line => JSON.parse(line) as unknown)).toEqual([declared, twoLines, escalated]);
		expect(Object.keys(JSON.parse(lines[1]!) as object)).toEqual(['seq', 'at', 'actor', 'type', 'eventId', 'text']);
		expect(new Set([declared, twoLines, escalated].map(({eventId}) => eventId)).size).toBe(3);
	});

	it('does not let a payload override seq, at or actor', async () => {
		const at = new Date('2025-01-01T00:00:00.000Z');
		const j = journal({now: () => at});
		const {id} = await j.create(declaration());

		const forged = {type: 'note', text: 'x', seq: 99, at: 'yesterday', actor: 'mallory', eventId: 'e', late: true, pending: true};
		const event = await j.append(id, forged as NewEvent);

		expect(event).toEqual({
			seq: 2,
			at: '2025-01-01T00:00:00.000Z',
			actor: 'alice',
			type: 'note',
			eventId: expect.stringMatching(uuid),
			text: 'x',
		});
		expect((await j.read(id)).events[1]).toEqual(event);
	});

	it('numbers each incident on its own', async () => {
		const j = journal();
		const one = await j.create(declaration());
		const two = await j.create(declaration());

		await j.append(one.id, note());
		await j.append(one.id, note());
		const first = await j.append(two.id, note());

		expect(first.seq).toBe(2);
		expect((await j.read(one.id)).events.map(e => e.seq)).toEqual([1, 2, 3]);
	});

	it('rejects appending to or reading an incident that does not exist, naming it', async () => {
		const j = journal();
		await j.create(declaration());

		await expect(j.append('INC-9', note())).rejects.toThrow(`no incident INC-9 in ${dir}`);
		await expect(j.read('INC-9')).rejects.toThrow('INC-9');
		await expect(fs.stat(fileOf('INC-9'))).rejects.toThrow();
		await expect(fs.stat(`${fileOf('INC-9')}.lock`)).rejects.toThrow();
	});

	it('rejects ids that are not INC-<n>, so nothing outside the directory is touched', async () => {
		const j = journal();
		await j.create(declaration());
		await fs.writeFile(path.join(tempDir, 'x.jsonl'), '');

		for (const id of ['../x', 'INC-0', 'inc-1', 'INC-01', 'INC-1/../../x', 'INC-1 ', '']) {
			await expect(j.read(id)).rejects.toThrow(/invalid incident id/);
			await expect(j.append(id, note())).rejects.toThrow(/invalid incident id/);
		}
		expect(await fs.readFile(path.join(tempDir, 'x.jsonl'), 'utf8')).toBe('');
	});

	it('keeps seqs unique and gapless with 2 journals appending 25 times each at once', async () => {
		const a = journal({actor: 'a'});
		const b = journal({actor: 'b'});
		const {id} = await a.create(declaration());

		const appended = await Promise.all(Array.from({length: 50}, (_, i) => (i % 2 === 0 ? a : b).append(id, note(String(i)))));

		expect(appended.map(e => e.seq).sort((x, y) => x - y)).toEqual(Array.from({length: 50}, (_, i) => i + 2));
		const log = await b.read(id);
		expect(log.problems).toEqual([]);
		expect(log.events.map(e => e.seq)).toEqual(Array.from({length: 51}, (_, i) => i + 1));
		const lines = await linesOf(id);
		expect(lines).toHaveLength(51);
		for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
	});

	it('keeps seqs unique with 2 separate processes appending at once', async () => {
		const {id} = await journal().create(declaration());
		const script = path.join(tempDir, 'worker.mts');
		await fs.writeFile(
			script,
			[
				`import {FileJournal} from ${JSON.stringify(pathToFileURL(modulePath).href)};`,
				`import fs from 'node:fs/promises';`,
				'const [dir, actor, id, barrier] = process.argv.slice(2);',
				'const journal = new FileJournal({dir, actor});',
				// Both workers start appending together; otherwise the first would finish before the second has booted.
				'await fs.writeFile(`${barrier}.${actor}`, "");',
				'while (!(await fs.stat(barrier).catch(() => undefined))) await new Promise((r) => setTimeout(r, 2));',
				// Pauses as a console would make; without them one worker's burst finishes before the other's first retry.
				'for (let i = 0; i < 20; i++) {',
				`	await journal.append(id, {type: 'note', text: String(i)});`,
				'	await new Promise((r) => setTimeout(r, Math.random() * 4));',
				'}',
			].join('\n'),
		);
		const barrier = path.join(tempDir, 'go');

		const workers = Promise.all([runWorker(script, [dir, 'p1', id, barrier]), runWorker(script, [dir, 'p2', id, barrier])]);
		const ready = (actor: string) =>
			fs.stat(`${barrier}.${actor}`).then(
				() => true,
				() => false,
			);
		// Racing the workers: one that dies while booting fails the test instead of hanging it.
		await Promise.race([waitFor(async () => (await ready('p1')) && (await ready('p2')), 20_000), workers]);
		await fs.writeFile(barrier, '');
		await workers;

		const log = await journal().read(id);
		expect(log.problems).toEqual([]);
		expect(log.events.map(e => e.seq)).toEqual(Array.from({length: 41}, (_, i) => i + 1));
		for (const actor of ['p1', 'p2']) {
			const own = log.events.filter(e => e.actor === actor);
			expect(own.map(e => (e.type === 'note' ? e.text : e.type))).toEqual(Array.from({length: 20}, (_, i) => String(i)));
		}
		expect(await linesOf(id)).toHaveLength(41);
	}, 30_000);
});

describe('FileJournal damaged files', () => {
	it('reports a corrupt line by its line number and still reads the rest', async () => {
		const j = journal();
		const {id} = await j.create(declaration());
		await fs.appendFile(fileOf(id), 'garbage {\n\n{"seq":2,"at":"x"}\n[1,2]\n');
		const appended = await j.append(id, note());

		const log = await journal().read(id);

		expect(appended.seq).toBe(2);
		expect(log.events.map(e => e.seq)).toEqual([1, 2]);
		expect(log.problems).toEqual([
			{line: 2, message: 'not valid JSON'},
			{line: 4, message: 'event 2: "at" is not a valid ISO-8601 UTC time'},
			{line: 5, message: 'not a JSON object'},
		]);
	});

	it('reports an event with an invalid time as a problem on its line, and replays the rest (issue 5, item 6)', async () => {
		await fs.mkdir(dir, {recursive: true});
		await fs.writeFile(
			fileOf('INC-1'),
			[
				'{"seq":1,"at":"2026-11-27T02:00:00Z","actor":"x@y","type":"declared","title":"t","severity":"P1","services":[]}',
				'{"seq":2,"at":"bad","actor":"x@y","type":"checked","item":"Root cause identified","done":true}',
				'{"seq":3,"at":"2026-11-27T02:01:00Z","actor":"x@y","type":"note","text":"still here"}',
				'',
			].join('\n'),
		);

		const log = await journal().read('INC-1');

		expect(log.events.map(e => e.seq)).toEqual([1, 3]);
		expect(log.problems).toEqual([{line: 2, message: 'event 2: "at" is not a valid ISO-8601 UTC time'}]);
	});

	it('ignores a torn last line, and the next append takes its place', async () => {
		const j = journal();
		const {id} = await j.create(declaration());
		await j.append(id, note());
		await fs.appendFile(fileOf(id), '{"seq":3,"at":');

		const torn = await j.read(id);
		expect(torn.events.map(e => e.seq)).toEqual([1, 2]);
		expect(torn.problems).toEqual([{line: 3, message: 'incomplete last line (torn write), ignored'}]);

		const next = await j.append(id, note('after the crash'));
		expect(next.seq).toBe(3);

		const lines = await linesOf(id);
		expect(lines).toHaveLength(3);
		expect(JSON.parse(lines[2]!)).toEqual(next);
		for (const reader of [j, journal()]) {
			const log = await reader.read(id);
			expect(log.events.map(e => e.seq)).toEqual([1, 2, 3]);
			expect(log.events[2]).toEqual(next);
			expect(log.problems).toEqual([]);
		}
	});

	it('never replays a last line without its newline, even a complete event, and never completes it', async () => {
		const j = journal();
		const {id, event: declared} = await j.create(declaration());
		await fs.appendFile(fileOf(id), '{"seq":2,"at":"2025-01-01T00:00:00.000Z","actor":"bob","type":"note","text":"x"}');

		expect(await j.read(id)).toEqual({
			id,
			events: [declared],
			problems: [{line: 2, message: 'incomplete last line (torn write), ignored'}],
		});
		const next = await j.append(id, note());
		expect(next).toMatchObject({seq: 2, actor: 'alice'});
		for (const reader of [j, journal()]) expect(await reader.read(id)).toEqual({id, events: [declared, next], problems: []});
		expect(await linesOf(id)).toHaveLength(2);
	});

	it('cuts a failed append back, says "disk full (ENOSPC)", and the retry is the only copy', async () => {
		const j = journal();
		const {id} = await j.create(declaration());
		const before = await fs.readFile(fileOf(id), 'utf8');
		const prototype = await fileHandlePrototype(fileOf(id));
		const write = prototype.write as (this: fs.FileHandle, buffer: Buffer, offset: number, length: number) => Promise<unknown>;
		let calls = 0;
		const fillingUp = async function (this: fs.FileHandle, buffer: Buffer) {
			// The disk fills up one byte short: the whole JSON lands without its newline, then ENOSPC.
			if (++calls === 1) return write.call(this, buffer, 0, buffer.length - 1);
			throw Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'});
		};
		vi.spyOn(prototype, 'write').mockImplementation(fillingUp as never);

		await expect(j.append(id, note('respond done'))).rejects.toThrow(`could not write to ${fileOf(id)}: disk full (ENOSPC)`);
		vi.restoreAllMocks();

		expect(await fs.readFile(fileOf(id), 'utf8')).toBe(before);
		expect((await journal().read(id)).events).toHaveLength(1);
		const retried = await j.append(id, note('respond done'));
		expect(retried.seq).toBe(2);
		expect((await journal().read(id)).events.filter(e => e.type === 'note' && e.text === 'respond done')).toEqual([retried]);
	});

	it('cuts the line back when fsync fails, so an event the writer reported as failed never replays', async () => {
		const j = journal();
		const {id} = await j.create(declaration());
		const before = await fs.readFile(fileOf(id), 'utf8');
		const prototype = await fileHandlePrototype(fileOf(id));
		vi.spyOn(prototype, 'sync').mockRejectedValue(Object.assign(new Error('EIO: i/o error, fsync'), {code: 'EIO'}));

		await expect(j.append(id, note())).rejects.toThrow(`could not write to ${fileOf(id)}: input/output error (EIO)`);

		expect(await fs.readFile(fileOf(id), 'utf8')).toBe(before);
	});

	it('refuses to number an event past the largest safe integer', async () => {
		const j = journal();
		const {id} = await j.create(declaration());
		await fs.appendFile(
			fileOf(id),
			`{"seq":${Number.MAX_SAFE_INTEGER},"at":"2025-01-01T00:00:00.000Z","actor":"bob","type":"note","text":"x"}\n`,
		);

		await expect(j.append(id, note())).rejects.toThrow(
			`${id}: cannot number another event: seq ${Number.MAX_SAFE_INTEGER} is already the largest safe integer`,
		);
		expect(await linesOf(id)).toHaveLength(2);
	});

	it('takes over a stale lock left by a killed writer', async () => {
		const j = journal();
		const {id} = await j.create(declaration());
		const lock = `${fileOf(id)}.lock`;
		await fs.mkdir(lock);
		const tenSecondsAgo = new Date(Date.now() - 10_000);
		await fs.utimes(lock, tenSecondsAgo, tenSecondsAgo);

		const started = Date.now();
		const event = await j.append(id, note());

		expect(Date.now() - started).toBeLessThan(1000);
		expect(event.seq).toBe(2);
		await expect(fs.stat(lock)).rejects.toThrow();
	});

	it('waits for a live lock and appends once it is released', async () => {
		const j = journal();
		const {id} = await j.create(declaration());
		const lock = `${fileOf(id)}.lock`;
		await fs.mkdir(lock);

		let settled = false;
		const pending = j.append(id, note()).finally(() => {
			settled = true;
		});
		await sleep(150);
		expect(settled).toBe(false);
		expect(await linesOf(id)).toHaveLength(1);

		await fs.rmdir(lock);
		expect((await pending).seq).toBe(2);
	});
});

describe('FileJournal incremental reads', () => {
	it('picks up events appended after an earlier read, in order', async () => {
		const reader = journal();
		const writer = journal({actor: 'bob'});
		const {id} = await writer.create(declaration());
		await writer.append(id, note('1'));
		expect((await reader.read(id)).events.map(e => e.seq)).toEqual([1, 2]);

		await writer.append(id, note('2'));
		await writer.append(id, note('3'));
		const log = await reader.read(id);

		expect(log.events.map(e => e.seq)).toEqual([1, 2, 3, 4]);
		expect(log.events.map(e => (e.type === 'note' ? e.text : e.type))).toEqual(['declared', '1', '2', '3']);
		expect(await reader.read(id)).toEqual(log);
	});

	it('keeps reporting problems found in the part already read', async () => {
		const reader = journal();
		const {id} = await reader.create(declaration());
		await fs.appendFile(fileOf(id), 'not json\n');
		expect((await reader.read(id)).problems).toEqual([{line: 2, message: 'not valid JSON'}]);

		await reader.append(id, note());
		await fs.appendFile(fileOf(id), '{}\n');
		const log = await reader.read(id);

		expect(log.events.map(e => e.seq)).toEqual([1, 2]);
		expect(log.problems).toEqual([
			{line: 2, message: 'not valid JSON'},
			{line: 4, message: '"seq" is not a positive safe integer'},
		]);
	});

	it('reads only the bytes appended since the previous read, and a small window before them', async () => {
		const j = journal();
		const {id} = await j.create(declaration());
		for (let n = 0; n < 50; n++) await j.append(id, note('x'.repeat(100)));
		await j.read(id);
		await j.append(id, note('last'));
		const prototype = await fileHandlePrototype(fileOf(id));
		const read = vi.spyOn(prototype, 'read');

		expect((await j.read(id)).events.at(-1)).toMatchObject({type: 'note', text: 'last'});
		const bytesRead = (await Promise.all(read.mock.results.map(result => result.value as Promise<{bytesRead: number}>))).reduce(
			(sum, {bytesRead}) => sum + bytesRead,
			0,
		);
		expect(bytesRead).toBeLessThan(500);
	});

	it('notices an edit in place of a line already read, and replays from the start', async () => {
		const j = journal();
		const {id} = await j.create(declaration());
		await j.read(id);
		const handle = await fs.open(fileOf(id), 'r+');
		await handle.write(Buffer.from('X'), 0, 1, 0);
		await handle.close();
		const appended = await j.append(id, note());

		expect(await j.read(id)).toEqual({id, events: [appended], problems: [{line: 1, message: 'not valid JSON'}]});
	});

	it('notices a journal rewritten through the same inode and longer, and replays from the start', async () => {
		const reader = journal();
		const {id} = await reader.create(declaration());
		await reader.append(id, note('one'));
		await reader.append(id, note('two'));
		expect((await reader.read(id)).events).toHaveLength(3);
		const {ino} = await fs.stat(fileOf(id));

		const lines = await linesOf(id);
		const edited = [lines[0], lines[1]!.replace('"one"', '"one, corrected at some length"'), lines[2]].join('\n');
		const handle = await fs.open(fileOf(id), 'r+');
		await handle.write(`${edited}\n`, 0);
		await handle.close();
		expect((await fs.stat(fileOf(id))).ino).toBe(ino);

		const log = await reader.read(id);
		expect(log.problems).toEqual([]);
		expect(log.events.map(e => (e.type === 'note' ? e.text : e.type))).toEqual([
			'declared',
			'one, corrected at some length',
			'two',
		]);
	});

	it('re-reads from scratch when the file was replaced by a shorter one', async () => {
		const j = journal();
		const {id} = await j.create(declaration());
		await j.append(id, note());
		await j.append(id, note());
		expect((await j.read(id)).events).toHaveLength(3);

		const replacement =
			'{"seq":1,"at":"2025-01-01T00:00:00.000Z","actor":"bob","type":"declared","title":"t","severity":"P2","services":[]}\n';
		await fs.writeFile(fileOf(id), replacement);
		const log = await j.read(id);

		expect(log.events).toEqual([
			{seq: 1, at: '2025-01-01T00:00:00.000Z', actor: 'bob', type: 'declared', title: 't', severity: 'P2', services: []},
		]);
		expect(log.problems).toEqual([]);
	});

	it('does not let callers corrupt the cache by editing a returned log', async () => {
		const j = journal();
		const {id} = await j.create(declaration());
		const first = await j.read(id);
		first.events.length = 0;
		first.problems.push({line: 99, message: 'made up'});

		expect(await j.read(id)).toEqual({id, events: [expect.objectContaining({seq: 1})], problems: []});
	});
});

describe('FileJournal watch', () => {
	it('calls onChange when another journal appends, and stops after unsubscribe', async () => {
		const watcher = journal({pollMs: 100});
		const other = journal({actor: 'bob'});
		const {id} = await other.create(declaration());
		let calls = 0;
		const unsubscribe = watcher.watch(() => {
			calls++;
		});
		// Let the watcher take its baseline first, so this append is a change to it.
		await sleep(50);

		await other.append(id, note());
		await waitFor(() => calls > 0, 1500);

		unsubscribe();
		const callsAtUnsubscribe = calls;
		await other.append(id, note());
		await sleep(400);
		expect(calls).toBe(callsAtUnsubscribe);
	});

	it('calls onChange when a new incident appears, even if the directory was missing at first', async () => {
		const watcher = journal({pollMs: 100});
		let calls = 0;
		const unsubscribe = watcher.watch(() => {
			calls++;
		});
		try {
			await sleep(250);
			expect(calls).toBe(0);

			await journal({actor: 'bob'}).create(declaration());
			await waitFor(() => calls > 0, 1500);
		} finally {
			unsubscribe();
		}
	});

	it('hears another journal’s append at once, long before the next poll', async () => {
		const watcher = journal({pollMs: 60_000});
		const other = journal({actor: 'bob'});
		const {id} = await other.create(declaration());
		let calls = 0;
		const unsubscribe = watcher.watch(() => {
			calls++;
		});
		try {
			await other.append(id, note());
			await waitFor(() => calls > 0, 1000);
		} finally {
			unsubscribe();
		}
	});

	it('stats only the directory on each poll, however many incidents there are', async () => {
		await fs.mkdir(dir);
		const line = '{"seq":1,"at":"2025-01-01T00:00:00.000Z","actor":"bob","type":"declared"}\n';
		await Promise.all(Array.from({length: 200}, (_, n) => fs.writeFile(fileOf(`INC-${n + 1}`), line)));
		const stat = vi.spyOn(fs, 'stat');
		const unsubscribe = journal({pollMs: 10}).watch(() => undefined);
		try {
			await waitFor(() => stat.mock.calls.filter(([file]) => file === dir).length >= 3, 2000);
		} finally {
			unsubscribe();
		}

		expect(new Set(stat.mock.calls.map(([file]) => String(file)))).toEqual(new Set([dir]));
	});

	it('sees every append in the directory’s time stamp, whichever incident it is to', async () => {
		const j = journal();
		const {id: first} = await j.create(declaration());
		await j.create(declaration('DB down'));
		const stamps = [(await fs.stat(dir)).mtimeMs];
		for (const id of [first, 'INC-2', first]) {
			await j.append(id, note());
			stamps.push((await fs.stat(dir)).mtimeMs);
		}

		expect(new Set(stamps).size).toBe(4);
	});

	it('calls onChange once for one append by another journal, heard and polled', async () => {
		const watcher = journal({pollMs: 50});
		const other = journal({actor: 'bob'});
		const {id} = await other.create(declaration());
		const stat = vi.spyOn(fs, 'stat');
		const polls = () => stat.mock.calls.filter(([file]) => file === dir).length;
		let calls = 0;
		const unsubscribe = watcher.watch(() => {
			calls++;
		});
		try {
			// Let the watcher take its baseline first, so this append is a change to it.
			await waitFor(() => polls() >= 2, 2000);
			await other.append(id, note());
			await waitFor(() => calls > 0, 1500);
			// Polls enough to have seen the append, and whatever the lock's removal did to the directory, twice over.
			const seen = polls();
			await waitFor(() => polls() >= seen + 4, 2000);
		} finally {
			unsubscribe();
		}

		expect(calls).toBe(1);
	});

	it('does not call onChange while nothing changes', async () => {
		const j = journal({pollMs: 50});
		const {id} = await j.create(declaration());
		await j.read(id);
		let calls = 0;
		const unsubscribe = j.watch(() => {
			calls++;
		});
		await sleep(400);
		unsubscribe();

		expect(calls).toBe(0);
	});
});

describe('a lock left by a killed console on this host', () => {
	it('is taken over at once, without waiting for it to age', async () => {
		const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'warroom-journal-'));
		try {
			const journal = new FileJournal({dir, actor: 'alice@bastion'});
			const {id} = await journal.create({type: 'declared', title: 't', severity: 'P1', services: []});
			const lock = path.join(dir, `${id}.jsonl.lock`);
			await fs.mkdir(lock);
			// A pid that cannot be running: above Linux's pid_max.
			await fs.writeFile(path.join(lock, 'owner'), `${os.hostname()} 99999999`);
			const started = Date.now();
			const event = await journal.append(id, note('after the crash'));
			expect(event.seq).toBe(2);
			expect(Date.now() - started).toBeLessThan(1000);
		} finally {
			await fs.rm(dir, {recursive: true, force: true});
		}
	});
});

describe('FileJournal unreadable incident files', () => {
	it('refuses a directory named like an incident, in words, naming it', async () => {
		const j = journal();
		await j.create(declaration());
		await fs.mkdir(fileOf('INC-2'));

		await expect(j.read('INC-2')).rejects.toThrow(
			new UnreadableIncident('INC-2', `cannot read ${fileOf('INC-2')}: is a directory`),
		);
		await expect(j.append('INC-2', note())).rejects.toThrow(`cannot write ${fileOf('INC-2')}: is a directory (EISDIR)`);
		expect(await j.list()).toEqual(['INC-1', 'INC-2']);
	});

	it('refuses a FIFO named like an incident at once, instead of waiting for a writer', async () => {
		const j = journal();
		await j.create(declaration());
		execFileSync('mkfifo', [fileOf('INC-2')]);

		await expect(j.read('INC-2')).rejects.toThrow(`cannot read ${fileOf('INC-2')}: not a regular file`);
		await expect(j.append('INC-2', note())).rejects.toThrow(`cannot write ${fileOf('INC-2')}: not a regular file`);
	});

	it('says in one line which file it cannot write, and how to fix it', async () => {
		const j = journal();
		const {id} = await j.create(declaration());
		vi.spyOn(fs, 'open').mockRejectedValueOnce(
			Object.assign(new Error(`EACCES: permission denied, open '${fileOf(id)}'`), {code: 'EACCES'}),
		);

		await expect(j.append(id, note())).rejects.toThrow(
			new Error(`cannot write ${fileOf(id)}: permission denied (EACCES); its owner can share it: chmod g+w ${fileOf(id)}`),
		);
	});
});

describe('FileJournal on a data directory shared by a group', () => {
	let umask: number;
	beforeEach(() => {
		umask = process.umask(0o022);
	});
	afterEach(() => {
		process.umask(umask);
	});

	it('creates incident files group-writable and new directories setgid and group-writable, whatever the umask', async () => {
		const shared = path.join(tempDir, 'shared');
		await fs.mkdir(shared);
		await fs.chmod(shared, 0o2775);
		const j = new FileJournal({dir: path.join(shared, 'drills', 'outage'), actor: 'alice'});

		const {id} = await j.create(declaration());
		await j.append(id, note());

		expect((await fs.stat(path.join(shared, 'drills'))).mode & 0o7777).toBe(0o2775);
		expect((await fs.stat(path.join(shared, 'drills', 'outage'))).mode & 0o7777).toBe(0o2775);
		expect((await fs.stat(path.join(shared, 'drills', 'outage', `${id}.jsonl`))).mode & 0o7777).toBe(0o664);
	});

	it('leaves modes to the umask in a directory that is not group-writable', async () => {
		const j = journal();
		const {id} = await j.create(declaration());

		expect((await fs.stat(dir)).mode & 0o7777).toBe(0o755);
		expect((await fs.stat(fileOf(id))).mode & 0o7777).toBe(0o644);
	});
});

describe('FileJournal import', () => {
	const oldDeclaration =
		'{"seq":1,"at":"2025-01-01T00:00:00.000Z","actor":"bob@old","type":"declared","title":"t","severity":"P2","services":[]}';
	const exported = [
		{...(JSON.parse(oldDeclaration) as JournalEvent), eventId: randomUUID()},
		{seq: 2, at: '2025-01-01T00:01:00.000Z', actor: 'bob@old', type: 'note', text: 'x', eventId: randomUUID()},
	] as JournalEvent[];

	it('refuses an incident written before event ids by its time, actor and title, naming the id it has', async () => {
		await fs.mkdir(dir);
		await fs.writeFile(fileOf('INC-1'), `${oldDeclaration}\n`);

		const refused = journal().importIncident(exported);

		await expect(refused).rejects.toThrow(new DuplicateIncident('INC-1', `this incident is in ${dir} already, as INC-1`));
		expect(await journal().list()).toEqual(['INC-1']);
	});

	it('writes the whole incident as one file, each event stamped with the importer, and imports it once when two import at once', async () => {
		await journal().create(declaration());

		const results = await Promise.allSettled([
			journal({actor: 'carol'}).importIncident(exported),
			journal({actor: 'dave'}).importIncident(exported),
		]);

		const imported = results.flatMap(result => (result.status === 'fulfilled' ? [result.value] : []));
		const refused = results.flatMap(result => (result.status === 'rejected' ? [result.reason as unknown] : []));
		expect(imported).toEqual(['INC-2']);
		expect(refused).toEqual([expect.any(DuplicateIncident)]);
		const lines = (await linesOf('INC-2')).map(line => JSON.parse(line) as JournalEvent);
		expect(lines).toEqual(exported.map(event => ({...event, importedBy: expect.stringMatching(/^(carol|dave)$/)})));
		expect(new Set(lines.map(({importedBy}) => importedBy)).size).toBe(1);
	});

	it('writes nothing for events it could not read back', async () => {
		const bad = [exported[0]!, {...exported[1]!, at: 'yesterday'}];

		await expect(journal().importIncident(bad)).rejects.toThrow(
			'event 2: not written, it could not be read back: event 2: "at" is not a valid ISO-8601 UTC time',
		);
		expect(await journal().list()).toEqual([]);
	});
});
