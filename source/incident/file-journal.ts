/**
 * The embedded incident journal: one append-only JSON-lines file per incident
 * (`<dir>/INC-N.jsonl`), shared by every console pointed at the same
 * directory. Consoles never talk to each other; they coordinate through the
 * file system alone: exclusive creation hands out ids, a lock directory per
 * incident keeps sequence numbers unique, and polling notices other writers.
 */
import {constants} from 'node:fs';
import fs, {type FileHandle} from 'node:fs/promises';
import {hostname} from 'node:os';
import path from 'node:path';
import {parseEvent, type JournalEvent, type NewEvent} from './events';
import {isIncidentId, type IncidentLog, type Journal, type JournalProblem} from './journal';

export type FileJournalOptions = {
	/** Holds the `INC-N.jsonl` files; created on the first write. */
	dir: string;
	/** Stamped on every event this journal writes. */
	actor: string;
	now?: () => Date;
	/** How often `watch` looks for changes; 500 ms by default. */
	pollMs?: number;
};

const fileNamePattern = /^INC-([1-9]\d*)\.jsonl$/;
const newline = 0x0a;
const lockRetryMinMs = 5;
const lockRetryJitterMs = 10;
// Far longer than any append holds the lock, so only a killed holder leaves one this old.
const staleLockMs = 5000;
// Longer than staleLockMs: a waiter outlasts a lock whose holder was killed on another host.
const lockTimeoutMs = 8000;
const lockOwnerFile = 'owner';
// The journal owns these; a payload must not be able to forge them.
const reservedFields = new Set(['seq', 'at', 'actor', 'type']);
const tornMessage = 'incomplete last line (torn write), ignored';

/** What has been parsed of one file, up to and including its last newline. */
type Scan = {
	ino: number;
	offset: number;
	lines: number;
	maxSeq: number;
	events: JournalEvent[];
	problems: JournalProblem[];
};

/** A scan plus whatever follows the last newline: usually nothing, else a torn write. */
type FileState = {
	scan: Scan;
	tailEvent?: JournalEvent;
	tailProblem?: JournalProblem;
	endsWithNewline: boolean;
};

export class FileJournal implements Journal {
	private readonly dir: string;
	private readonly actor: string;
	private readonly now: () => Date;
	private readonly pollMs: number;
	private readonly scans = new Map<string, Scan>();

	constructor(options: FileJournalOptions) {
		this.dir = options.dir;
		this.actor = options.actor;
		this.now = options.now ?? (() => new Date());
		this.pollMs = options.pollMs ?? 500;
	}

	async list(): Promise<string[]> {
		const numbers = await incidentNumbers(this.dir);
		return numbers.map((n) => `INC-${n}`);
	}

	async create(first: NewEvent): Promise<{id: string; event: JournalEvent}> {
		await fs.mkdir(this.dir, {recursive: true});
		const numbers = await incidentNumbers(this.dir);
		for (let n = (numbers.at(-1) ?? 0) + 1; ; n++) {
			const id = `INC-${n}`;
			const file = this.fileOf(id);
			// Held while the file is still empty, so an appender that finds the
			// new file waits for the first event instead of claiming seq 1 itself.
			const event = await withLock(file, () => this.createFile(file, first));
			if (event) return {id, event};
		}
	}

	async append(id: string, event: NewEvent): Promise<JournalEvent> {
		const file = this.fileOf(id);
		const handle = await openIfExists(file, constants.O_RDWR | constants.O_APPEND);
		if (!handle) throw missingIncident(id, this.dir);
		try {
			return await withLock(file, async () => {
				const state = await this.refresh(id, handle);
				const seq = Math.max(state.scan.maxSeq, state.tailEvent?.seq ?? 0) + 1;
				const line = this.format(event, seq);
				// A killed writer may have left half a line; ours must not be glued onto it.
				const text = state.endsWithNewline ? `${line}\n` : `\n${line}\n`;
				await writeDurably(handle, Buffer.from(text));
				return parseStored(line);
			});
		} finally {
			await handle.close();
		}
	}

	async read(id: string): Promise<IncidentLog> {
		const handle = await openIfExists(this.fileOf(id), 'r');
		if (!handle) {
			if (await isDirectory(this.dir)) throw missingIncident(id, this.dir);
			return {id, events: [], problems: []};
		}
		try {
			const {scan, tailEvent, tailProblem} = await this.refresh(id, handle);
			return {
				id,
				events: tailEvent ? [...scan.events, tailEvent] : [...scan.events],
				problems: tailProblem ? [...scan.problems, tailProblem] : [...scan.problems],
			};
		} finally {
			await handle.close();
		}
	}

	watch(onChange: () => void): () => void {
		let stopped = false;
		let timer: NodeJS.Timeout | undefined;
		const schedule = (previous: string) => {
			timer = setTimeout(() => void poll(previous), this.pollMs);
			timer.unref();
		};
		const poll = async (previous: string) => {
			const current = await fingerprint(this.dir);
			if (stopped) return;
			schedule(current);
			if (current !== previous) onChange();
		};
		void fingerprint(this.dir).then((initial) => {
			if (!stopped) schedule(initial);
		});
		return () => {
			stopped = true;
			clearTimeout(timer);
		};
	}

	private fileOf(id: string): string {
		if (!isIncidentId(id)) throw new Error(`invalid incident id ${JSON.stringify(id)}: expected INC-<n>, n >= 1`);
		return path.join(this.dir, `${id}.jsonl`);
	}

	/** The first event, or undefined when someone else already took this id. */
	private async createFile(file: string, first: NewEvent): Promise<JournalEvent | undefined> {
		let handle: FileHandle;
		try {
			handle = await fs.open(file, 'wx');
		} catch (error) {
			if (errorCode(error) === 'EEXIST') return undefined;
			throw error;
		}
		try {
			const line = this.format(first, 1);
			await writeDurably(handle, Buffer.from(`${line}\n`));
			return parseStored(line);
		} finally {
			await handle.close();
		}
	}

	private format(event: NewEvent, seq: number): string {
		const payload = Object.entries(event).filter(([key]) => !reservedFields.has(key));
		const at = this.now().toISOString();
		return JSON.stringify({seq, at, actor: this.actor, type: event.type, ...Object.fromEntries(payload)});
	}

	/** Parses only what was appended since the last call; the file is append-only. */
	private async refresh(id: string, handle: FileHandle): Promise<FileState> {
		const {ino, size} = await handle.stat();
		const cached = this.scans.get(id);
		// A different inode or a shorter file means it was replaced: start over.
		const base = cached && cached.ino === ino && cached.offset <= size ? cached : emptyScan(ino);
		const bytes = await readRange(handle, base.offset, size);
		const end = bytes.lastIndexOf(newline) + 1;
		const scan = parseLines(base, bytes.subarray(0, end));
		this.scans.set(id, scan);
		const tail = bytes.subarray(end);
		return {scan, ...parseTail(tail.toString('utf8'), scan.lines + 1), endsWithNewline: tail.length === 0};
	}
}

function emptyScan(ino: number): Scan {
	return {ino, offset: 0, lines: 0, maxSeq: 0, events: [], problems: []};
}

/** Extends `base` with `chunk`, which ends with a newline; `base` is left as it was. */
function parseLines(base: Scan, chunk: Buffer): Scan {
	const scan = {...base, events: [...base.events], problems: [...base.problems]};
	let start = 0;
	while (start < chunk.length) {
		const end = chunk.indexOf(newline, start);
		scan.lines++;
		const parsed = parseLine(chunk.toString('utf8', start, end));
		if (typeof parsed === 'string') scan.problems.push({line: scan.lines, message: parsed});
		else if (parsed) {
			scan.events.push(parsed);
			scan.maxSeq = Math.max(scan.maxSeq, parsed.seq);
		}
		start = end + 1;
	}
	scan.offset = base.offset + chunk.length;
	return scan;
}

function parseTail(text: string, line: number): Pick<FileState, 'tailEvent' | 'tailProblem'> {
	const parsed = parseLine(text);
	if (typeof parsed === 'string') return {tailProblem: {line, message: tornMessage}};
	return parsed ? {tailEvent: parsed} : {};
}

/** The event on a line, a message saying why there is none, or undefined for a blank line. */
function parseLine(text: string): JournalEvent | string | undefined {
	if (text.trim() === '') return undefined;
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return 'not valid JSON';
	}
	return parseEvent(value);
}

/** Returns exactly what `read` will later see, e.g. with undefined fields dropped. */
function parseStored(line: string): JournalEvent {
	return JSON.parse(line) as JournalEvent;
}

async function readRange(handle: FileHandle, from: number, to: number): Promise<Buffer> {
	const buffer = Buffer.alloc(Math.max(0, to - from));
	let filled = 0;
	while (filled < buffer.length) {
		const {bytesRead} = await handle.read(buffer, filled, buffer.length - filled, from + filled);
		if (bytesRead === 0) break;
		filled += bytesRead;
	}
	return buffer.subarray(0, filled);
}

/** One write call, so concurrent readers never see an event split across two writes. */
async function writeDurably(handle: FileHandle, buffer: Buffer): Promise<void> {
	const {bytesWritten} = await handle.write(buffer);
	if (bytesWritten !== buffer.length) throw new Error(`short write: ${bytesWritten} of ${buffer.length} bytes`);
	await handle.sync();
}

/**
 * Runs `task` holding `<file>.lock`. A directory, because mkdir either creates
 * it or fails, atomically, on every file system and across processes.
 */
async function withLock<T>(file: string, task: () => Promise<T>): Promise<T> {
	const lock = `${file}.lock`;
	await acquire(lock);
	try {
		return await task();
	} finally {
		await fs.rm(lock, {recursive: true, force: true});
	}
}

async function acquire(lock: string): Promise<void> {
	const deadline = Date.now() + lockTimeoutMs;
	for (;;) {
		try {
			await fs.mkdir(lock);
			// Who holds it: a waiter on this host can tell at once when the holder is dead.
			await fs.writeFile(path.join(lock, lockOwnerFile), `${hostname()} ${process.pid}`);
			return;
		} catch (error) {
			if (errorCode(error) !== 'EEXIST') throw error;
		}
		if (await removeIfStale(lock)) continue;
		if (Date.now() >= deadline) throw new Error(`timed out after ${lockTimeoutMs} ms waiting for lock ${lock}`);
		// Jitter keeps waiters from retrying in lockstep.
		await sleep(lockRetryMinMs + Math.random() * lockRetryJitterMs);
	}
}

/** True when the lock names a process on this host that no longer runs. */
async function holderIsGone(lock: string): Promise<boolean> {
	const owner = await fs.readFile(path.join(lock, lockOwnerFile), 'utf8').catch(() => '');
	const [host, pid] = owner.split(' ');
	if (host !== hostname() || !pid || !/^\d+$/.test(pid)) return false;
	try {
		process.kill(Number(pid), 0);
		return false;
	} catch (error) {
		return errorCode(error) === 'ESRCH';
	}
}

async function removeIfStale(lock: string): Promise<boolean> {
	try {
		const {mtimeMs} = await fs.stat(lock);
		if (Date.now() - mtimeMs < staleLockMs && !(await holderIsGone(lock))) return false;
	} catch (error) {
		// Released between our mkdir and stat: worth retrying at once.
		if (errorCode(error) === 'ENOENT') return true;
		throw error;
	}
	// Two waiters that both judge the same lock stale could race here; the
	// window is tiny and only opens after a holder was killed, so it is accepted.
	await fs.rm(lock, {recursive: true, force: true});
	return true;
}

/** Incident numbers in `dir`, ascending; none when `dir` does not exist yet. */
async function incidentNumbers(dir: string): Promise<number[]> {
	let names: string[];
	try {
		names = await fs.readdir(dir);
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return [];
		throw error;
	}
	return names
		.map((name) => fileNamePattern.exec(name)?.[1])
		.filter((digits) => digits !== undefined)
		.map(Number)
		.sort((a, b) => a - b);
}

/** Changes whenever an incident file appears or grows; '' when the directory cannot be read. */
async function fingerprint(dir: string): Promise<string> {
	try {
		const numbers = await incidentNumbers(dir);
		const entries = await Promise.all(
			numbers.map(async (n) => {
				const {size, mtimeMs} = await fs.stat(path.join(dir, `INC-${n}.jsonl`));
				return `${n}:${size}:${mtimeMs}`;
			}),
		);
		return entries.join('\n');
	} catch {
		return '';
	}
}

async function openIfExists(file: string, flags: string | number): Promise<FileHandle | undefined> {
	try {
		return await fs.open(file, flags);
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return undefined;
		throw error;
	}
}

async function isDirectory(dir: string): Promise<boolean> {
	try {
		return (await fs.stat(dir)).isDirectory();
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return false;
		throw error;
	}
}

function missingIncident(id: string, dir: string): Error {
	return new Error(`no incident ${id} in ${dir}`);
}

function errorCode(error: unknown): string | undefined {
	return (error as NodeJS.ErrnoException | undefined)?.code;
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
