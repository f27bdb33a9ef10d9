import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {FileJournal} from '../../source/incident/file-journal';
import {isStale, withLock, type HeldLock} from '../../source/incident/file-lock';

let dir: string;

beforeEach(async () => {
	dir = await fs.mkdtemp(path.join(os.tmpdir(), 'warroom-lock-'));
});

afterEach(async () => {
	vi.restoreAllMocks();
	await fs.rm(dir, {recursive: true, force: true});
});

const staleMs = 5000;
const now = Date.parse('2026-11-27T10:00:00.000Z');
const here = {host: 'bastion', isAlive: (pid: number) => pid === 4242};
const held = (owner: string, ageMs: number): HeldLock => ({owner, mtimeMs: now - ageMs});

describe('when a waiter may break a lock', () => {
	it('never while its holder runs on this host, however old the lock', () => {
		expect(isStale(held('bastion 4242 token', 60 * 60_000), {unchangedForMs: 60 * 60_000, now, staleMs, here})).toBe(false);
	});

	it('at once when its holder on this host is gone', () => {
		expect(isStale(held('bastion 99 token', 0), {unchangedForMs: 0, now, staleMs, here})).toBe(true);
	});

	it('when a lock of another host (or of no one yet) has not been touched for the stale time', () => {
		for (const owner of ['otherhost 4242 token', 'otherhost 1', '']) {
			expect(isStale(held(owner, staleMs - 1), {unchangedForMs: 0, now, staleMs, here}), owner).toBe(false);
			expect(isStale(held(owner, staleMs), {unchangedForMs: 0, now, staleMs, here}), owner).toBe(true);
		}
	});

	it('when a lock stamped in the future has stayed unchanged for the stale time', () => {
		const future = held('otherhost 1', -60 * 60_000);
		expect(isStale(future, {unchangedForMs: staleMs - 1, now, staleMs, here})).toBe(false);
		expect(isStale(future, {unchangedForMs: staleMs, now, staleMs, here})).toBe(true);
	});
});

describe('the incident lock', () => {
	async function declared(journal: FileJournal): Promise<{id: string; lock: string}> {
		const {id} = await journal.create({type: 'declared', title: 'API down', severity: 'P1', services: []});
		return {id, lock: path.join(dir, `${id}.jsonl.lock`)};
	}

	it('is never taken from a live writer on this host, even when it looks old', async () => {
		const journal = new FileJournal({dir, actor: 'alice', lockStaleMs: 200});
		const {id, lock} = await declared(journal);
		await fs.mkdir(lock);
		await fs.writeFile(path.join(lock, 'owner'), `${os.hostname()} ${process.pid}`);
		const longAgo = new Date(Date.now() - 60_000);
		await fs.utimes(lock, longAgo, longAgo);

		await expect(journal.append(id, {type: 'note', text: 'on it'})).rejects.toThrow(
			`${id}.jsonl is locked by ${os.hostname()} pid ${process.pid}: try again once it is released`,
		);
		expect(await fs.readFile(path.join(lock, 'owner'), 'utf8')).toBe(`${os.hostname()} ${process.pid}`);
		expect((await journal.read(id)).events).toHaveLength(1);
	});

	it('breaks a lock stamped in the future once it has stayed unchanged for the stale time', async () => {
		const journal = new FileJournal({dir, actor: 'alice', lockStaleMs: 200});
		const {id, lock} = await declared(journal);
		await fs.mkdir(lock);
		await fs.writeFile(path.join(lock, 'owner'), 'otherhost 1');
		const inAnHour = new Date(Date.now() + 60 * 60_000);
		await fs.utimes(lock, inAnHour, inAnHour);

		expect((await journal.append(id, {type: 'note', text: 'on it'})).seq).toBe(2);
		await expect(fs.stat(lock)).rejects.toThrow();
	});

	it('keeps a lock held longer than the stale time fresh, so a waiter on another host does not break it', async () => {
		const file = path.join(dir, 'INC-1.jsonl');
		const lock = `${file}.lock`;
		await withLock(file, {staleMs: 100}, async () => {
			const longAgo = new Date(Date.now() - 60_000);
			await fs.utimes(lock, longAgo, longAgo);
			const deadline = Date.now() + 2000;
			while ((await fs.stat(lock)).mtimeMs < Date.now() - 1000) {
				if (Date.now() > deadline) throw new Error('the lock was not touched while held');
				await new Promise(resolve => setTimeout(resolve, 10));
			}
		});
		await expect(fs.stat(lock)).rejects.toThrow();
	});

	it('is not released from under the writer that took it after judging it stale while held', async () => {
		const file = path.join(dir, 'INC-1.jsonl');
		const lock = `${file}.lock`;
		await withLock(file, {staleMs: 5000}, async () => {
			// What a waiter on another host does once the holder's touches stall past the stale time.
			await fs.rm(lock, {recursive: true});
			await fs.mkdir(lock);
			await fs.writeFile(path.join(lock, 'owner'), 'otherhost 1 token');
		});

		expect(await fs.readFile(path.join(lock, 'owner'), 'utf8')).toBe('otherhost 1 token');
	});

	it('gives 16 writers × 30 rounds unique, gapless seqs and loses no note, with a stale lock injected every round', async () => {
		const writers = Array.from({length: 16}, (_, n) => new FileJournal({dir, actor: `w${n}`}));
		const {id, lock} = await declared(writers[0]!);
		const rounds = 30;
		for (let round = 0; round < rounds; round++) {
			// A killed console's lock: another host's (aged past the stale time) or a dead pid's on this one.
			await fs.mkdir(lock);
			await fs.writeFile(path.join(lock, 'owner'), round % 2 === 0 ? 'otherhost 1' : `${os.hostname()} 99999999`);
			const longAgo = new Date(Date.now() - 10_000);
			await fs.utimes(lock, longAgo, longAgo);
			await Promise.all(writers.map((writer, n) => writer.append(id, {type: 'note', text: `${round}/${n}`})));
		}

		const log = await writers[0]!.read(id);
		expect(log.problems).toEqual([]);
		expect(log.events.map(event => event.seq)).toEqual(Array.from({length: 16 * rounds + 1}, (_, i) => i + 1));
		const notes = log.events.flatMap(event => (event.type === 'note' ? [event.text] : []));
		expect(new Set(notes).size).toBe(16 * rounds);
		expect((await fs.readdir(dir)).sort()).toEqual([`${id}.jsonl`]);
	}, 30_000);
});

describe('a lock that cannot be taken', () => {
	it('says why in words, and leaves no nameless lock behind for others to wait out', async () => {
		const file = path.join(dir, 'INC-1.jsonl');
		vi.spyOn(fs, 'writeFile').mockRejectedValueOnce(
			Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'}),
		);

		await expect(withLock(file, {staleMs: 5000}, () => Promise.resolve())).rejects.toThrow(
			new Error(`cannot lock ${file}.lock: disk full (ENOSPC)`),
		);
		await expect(fs.stat(`${file}.lock`)).rejects.toThrow();
	});

	it('gives the lock directory the mode asked for (a shared directory), whatever the umask', async () => {
		const file = path.join(dir, 'INC-1.jsonl');
		const umask = process.umask(0o022);
		try {
			const mode = await withLock(
				file,
				{staleMs: 5000, dirMode: 0o2770},
				async () => (await fs.stat(`${file}.lock`)).mode & 0o7777,
			);
			expect(mode).toBe(0o2770);
		} finally {
			process.umask(umask);
		}
	});
});
