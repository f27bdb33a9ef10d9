/**
 * The embedded incident journal: one append-only JSON-lines file per incident
 * (`<dir>/INC-N.jsonl`), shared by every console pointed at the same
 * directory. Consoles never talk to each other; they coordinate through the
 * file system alone: exclusive creation hands out ids, a lock per incident
 * (`file-lock.ts`) keeps sequence numbers unique, and watching the directory
 * (polling where that cannot be heard) notices other writers.
 */
import {constants, watch as watchDirectory, type FSWatcher} from 'node:fs';
import fs, {type FileHandle} from 'node:fs/promises';
import path from 'node:path';
import {errorCode, plainFailure} from '../errors';
import {appendAt} from './durable-file';
import {parseEvent, payloadOf, readBack, type JournalEvent, type NewEvent} from './events';
import {defaultLockStaleMs, withLock} from './file-lock';
import {checkImport, importedEvent, isSameIncident} from './journal-import';
import {
	arrivesLate,
	DuplicateIncident,
	incidentNumber,
	newStamp,
	UnreadableIncident,
	type AppendStamp,
	type IncidentLog,
	type Journal,
	type JournalLink,
	type JournalProblem,
} from './journal';

export type FileJournalOptions = {
	/** Holds the `INC-N.jsonl` files; created on the first write. */
	dir: string;
	/** Stamped on every event this journal writes. */
	actor: string;
	now?: () => Date;
	/** How often `watch` looks for changes it may not have heard; 500 ms by default. */
	pollMs?: number;
	/** How long another host's lock may go untouched before a waiter breaks it; 5 s by default. */
	lockStaleMs?: number;
};

const fileNamePattern = /^INC-([1-9]\d*)\.jsonl$/;
/** What `watch` listens to: incident files, their locks, and what taking turns to release or break one leaves (`file-lock.ts`). */
const heardPattern = /^(INC-[1-9]\d*\.jsonl)(\.lock(\.break|\.stale-.*)?)?$/;
const newline = 0x0a;
// Enough of the start and the end of what was read to notice it being rewritten in place.
const sampleBytes = 64;
const tornMessage = 'incomplete last line (torn write), ignored';

/** What has been parsed of one file, up to and including its last newline. */
type Scan = {
	ino: number;
	offset: number;
	/** The first and the last bytes parsed, copied. */
	head: Buffer;
	tail: Buffer;
	lines: number;
	maxSeq: number;
	events: JournalEvent[];
	problems: JournalProblem[];
};

/** A scan plus what follows its last newline: usually nothing, else a torn write, never an event. */
type FileState = {scan: Scan; tornBytes: number};

/** Modes for what the journal creates in a group-writable (shared) directory; without them the umask decides. */
type SharedModes = {file: number; dir: number};

export class FileJournal implements Journal {
	private readonly dir: string;
	private readonly actor: string;
	private readonly now: () => Date;
	private readonly pollMs: number;
	private readonly lockStaleMs: number;
	private readonly scans = new Map<string, Scan>();
	private readonly openedAt = Date.now();
	/** What `append` creates its locks with, from the directory's mode, looked up once. */
	private shared: Promise<SharedModes | undefined> | undefined;

	constructor(options: FileJournalOptions) {
		this.dir = options.dir;
		this.actor = options.actor;
		this.now = options.now ?? (() => new Date());
		this.pollMs = options.pollMs ?? 500;
		this.lockStaleMs = options.lockStaleMs ?? defaultLockStaleMs;
	}

	async list(): Promise<string[]> {
		const numbers = await incidentNumbers(this.dir);
		return numbers.map(n => `INC-${n}`);
	}

	async create(first: NewEvent): Promise<{id: string; event: JournalEvent}> {
		const line = this.format(first, 1);
		const event = readBack('the declaration', JSON.parse(line));
		return {id: await this.createIncident(`${line}\n`, await this.makeDirectory()), event};
	}

	async append(id: string, event: NewEvent, stamp?: AppendStamp): Promise<JournalEvent> {
		const file = this.fileOf(id);
		const handle = await openIncident(id, file, constants.O_RDWR | constants.O_APPEND);
		if (!handle) throw missingIncident(id, this.dir);
		try {
			return await withLock(file, this.lockOptions(await this.sharedModes()), async () => {
				const {scan, tornBytes} = await this.refresh(id, handle);
				// An outbox resending what reached the file before the link dropped: the event is kept once.
				const kept = stamp && scan.events.find(({eventId}) => eventId === stamp.eventId);
				if (kept) return kept;
				const late = stamp !== undefined && arrivesLate(stamp, scan.events);
				const line = this.format(event, nextSeq(id, scan.maxSeq), stamp, late);
				const written = readBack(id, JSON.parse(line));
				// A torn line was never an event; completing it with a newline could make it one, so it goes.
				await appendAt(file, handle, Buffer.from(`${line}\n`), scan.offset, scan.offset + tornBytes);
				return written;
			});
		} finally {
			await handle.close();
		}
	}

	async read(id: string): Promise<IncidentLog> {
		const handle = await openIncident(id, this.fileOf(id), constants.O_RDONLY);
		if (!handle) {
			if (await isDirectory(this.dir)) throw missingIncident(id, this.dir);
			return {id, events: [], problems: []};
		}
		try {
			const {scan, tornBytes} = await this.refresh(id, handle);
			const torn = tornBytes > 0 ? [{line: scan.lines + 1, message: tornMessage}] : [];
			return {id, events: [...scan.events], problems: [...scan.problems, ...torn]};
		} finally {
			await handle.close();
		}
	}

	/**
	 * One call per change. An append makes and removes its lock in the
	 * directory, so the directory's time stamp changes several times, and the
	 * file changes in between: heard, a change is told once no incident heard
	 * has its lock, or someone releasing or breaking it, any more (the end of
	 * that will be heard); polled, once two polls in a row see a stamp other
	 * than the one told, so a poll in the middle of an append does not tell it
	 * twice. Either way the stamp told is the one both go on from.
	 */
	watch(onChange: () => void): () => void {
		let stopped = false;
		let timer: NodeJS.Timeout | undefined;
		let watcher: FSWatcher | undefined;
		let told: string | undefined;
		let unseenAtLastPoll = false;
		/** Incident files heard changing (or their locks) since the last look. */
		const heard = new Set<string>();
		let lookQueued = false;
		// One look at a time, so two never tell the same change; the first takes the stamp to go on from.
		let looks = this.fingerprint().then(initial => {
			told = initial;
			schedule();
		});
		const serially = (look: () => Promise<void>) => {
			looks = looks.then(look).catch(() => undefined);
		};
		const tell = (current: string) => {
			told = current;
			unseenAtLastPoll = false;
			if (!stopped) onChange();
		};
		const lookAtHeard = () => {
			if (lookQueued) return;
			lookQueued = true;
			serially(async () => {
				lookQueued = false;
				const files = [...heard];
				heard.clear();
				const busy = files.flatMap(file => [`${file}.lock`, `${file}.lock.break`]);
				if ((await Promise.all(busy.map(exists))).some(Boolean)) return;
				// Told even when the stamp looks unchanged: with coarse time stamps two appends can share one.
				tell(await this.fingerprint());
			});
		};
		const listen = () => {
			if (watcher) return;
			try {
				watcher = watchDirectory(this.dir, {persistent: false}, (_event, name) => {
					const file = name === null ? undefined : heardPattern.exec(name)?.[1];
					if (name !== null && !file) return;
					if (file) heard.add(path.join(this.dir, file));
					lookAtHeard();
				});
				watcher.on('error', () => {
					watcher?.close();
					watcher = undefined;
				});
			} catch {
				// No directory yet, or no inotify watches left: the poll carries on alone.
			}
		};
		const schedule = () => {
			if (stopped) return;
			timer = setTimeout(() => serially(poll), this.pollMs);
			timer.unref();
		};
		const poll = async () => {
			const current = await this.fingerprint();
			if (current !== '' && !stopped) listen();
			schedule();
			const unseen = current !== told;
			if (unseen && unseenAtLastPoll) tell(current);
			else unseenAtLastPoll = unseen;
		};
		listen();
		return () => {
			stopped = true;
			clearTimeout(timer);
			watcher?.close();
		};
	}

	async importIncident(events: readonly JournalEvent[]): Promise<string> {
		checkImport(events);
		const lines = events.map(event => JSON.stringify(importedEvent(event, this.actor)));
		lines.forEach((line, index) => readBack(`event ${index + 1}`, JSON.parse(line)));
		const shared = await this.makeDirectory();
		// One import at a time in this directory: two imports of one incident cannot both find it missing.
		return withLock(path.join(this.dir, 'imports'), this.lockOptions(shared), async () => {
			const existing = await this.incidentDeclaredAs(events[0]!);
			if (existing) throw new DuplicateIncident(existing, `this incident is in ${this.dir} already, as ${existing}`);
			return this.createIncident(`${lines.join('\n')}\n`, shared);
		});
	}

	link(): JournalLink {
		return {store: 'file', where: this.dir, state: 'live', since: this.openedAt, waiting: 0};
	}

	/** A file journal's link never changes. */
	onLink(): () => void {
		return () => undefined;
	}

	/** Nothing held open between calls: each `watch` returns its own way to stop. */
	async close(): Promise<void> {}

	private fileOf(id: string): string {
		return path.join(this.dir, `INC-${incidentNumber(id)}.jsonl`);
	}

	private sharedModes(): Promise<SharedModes | undefined> {
		this.shared ??= fs.stat(this.dir).then(
			({mode}) => sharedModes(mode),
			(error: unknown) => {
				// Not kept: the next append looks again.
				this.shared = undefined;
				throw error;
			},
		);
		return this.shared;
	}

	private lockOptions(shared: SharedModes | undefined) {
		return {staleMs: this.lockStaleMs, ...(shared ? {dirMode: shared.dir} : {})};
	}

	/** Creates the directory (and any parent missing), shared like its parent when that is group-writable. */
	private async makeDirectory(): Promise<SharedModes | undefined> {
		const dir = path.resolve(this.dir);
		const first = await fs.mkdir(dir, {recursive: true});
		if (first === undefined) return sharedModes((await fs.stat(dir)).mode);
		const shared = sharedModes((await fs.stat(path.dirname(first))).mode);
		if (!shared) return undefined;
		// The umask would take the group's write bit and setgid away: set them outright.
		for (let created = dir; created.startsWith(first); created = path.dirname(created)) await fs.chmod(created, shared.dir);
		return shared;
	}

	/** Writes `text` (whole lines) as a new incident file under the next free id, which it returns. */
	private async createIncident(text: string, shared: SharedModes | undefined): Promise<string> {
		const numbers = await incidentNumbers(this.dir);
		for (let n = (numbers.at(-1) ?? 0) + 1; ; n++) {
			const id = `INC-${n}`;
			const file = this.fileOf(id);
			// Held while the file is still empty, so an appender that finds the
			// new file waits for the first event instead of claiming seq 1 itself.
			if (await withLock(file, this.lockOptions(shared), () => this.createFile(file, text, shared))) return id;
		}
	}

	/** False when someone else already took this file's id. */
	private async createFile(file: string, text: string, shared: SharedModes | undefined): Promise<boolean> {
		let handle: FileHandle;
		try {
			handle = await fs.open(file, 'wx');
		} catch (error) {
			if (errorCode(error) === 'EEXIST') return false;
			throw new Error(`cannot create ${file}: ${plainFailure(error, {onDisk: true})}`, {cause: error});
		}
		try {
			if (shared) await handle.chmod(shared.file);
			await appendAt(file, handle, Buffer.from(text), 0, 0);
			return true;
		} finally {
			await handle.close();
		}
	}

	/** The incident whose declaration is `declared`, if this journal holds it; incidents that cannot be read are passed over. */
	private async incidentDeclaredAs(declared: JournalEvent): Promise<string | undefined> {
		for (const id of await this.list()) {
			const first = await this.read(id).then(
				({events}) => events[0],
				() => undefined,
			);
			if (first && isSameIncident(first, declared)) return id;
		}
		return undefined;
	}

	private format(event: NewEvent, seq: number, stamp?: AppendStamp, late = false): string {
		const {eventId, at} = stamp ?? newStamp(this.now);
		const envelope = {seq, at, actor: this.actor, type: event.type, eventId, ...(late ? {late} : {})};
		return JSON.stringify({...envelope, ...payloadOf(event)});
	}

	/** Parses only what was appended since the last call, unless the part already parsed changed. */
	private async refresh(id: string, handle: FileHandle): Promise<FileState> {
		const {ino, size} = await handle.stat();
		const cached = this.scans.get(id);
		// A different inode, a shorter file or different bytes where we read before: it was rewritten, start over.
		const base =
			cached && cached.ino === ino && cached.offset <= size && (await isUnchanged(handle, cached)) ? cached : emptyScan(ino);
		const bytes = await readRange(handle, base.offset, size);
		const end = bytes.lastIndexOf(newline) + 1;
		const scan = parseLines(base, bytes.subarray(0, end));
		this.scans.set(id, scan);
		return {scan, tornBytes: bytes.length - end};
	}

	/**
	 * The directory's time stamp; '' without a directory. Every create and
	 * append makes and removes a lock in the directory, which changes it, so
	 * no incident file needs looking at, however many there are.
	 */
	private async fingerprint(): Promise<string> {
		try {
			return String((await fs.stat(this.dir)).mtimeMs);
		} catch {
			return '';
		}
	}
}

function emptyScan(ino: number): Scan {
	return {ino, offset: 0, head: Buffer.alloc(0), tail: Buffer.alloc(0), lines: 0, maxSeq: 0, events: [], problems: []};
}

/** Whether the first and last bytes already parsed are still there, as they were. */
async function isUnchanged(handle: FileHandle, scan: Scan): Promise<boolean> {
	const head = await readRange(handle, 0, scan.head.length);
	const tail = await readRange(handle, scan.offset - scan.tail.length, scan.offset);
	return head.equals(scan.head) && tail.equals(scan.tail);
}

/** The next seq, refused rather than one that JSON and the reader could not tell apart from its neighbour. */
function nextSeq(id: string, maxSeq: number): number {
	if (!Number.isSafeInteger(maxSeq + 1)) {
		throw new Error(`${id}: cannot number another event: seq ${maxSeq} is already the largest safe integer`);
	}
	return maxSeq + 1;
}

/** Extends `base` with `chunk`, which ends with a newline; `base` is left as it was. */
function parseLines(base: Scan, chunk: Buffer): Scan {
	const scan = {...base, events: [...base.events], problems: [...base.problems]};
	// Decoded at once: on a long journal, decoding line by line costs as much as parsing.
	// A newline byte is never inside a UTF-8 sequence, so the lines come out the same.
	const text = chunk.toString('utf8');
	let start = 0;
	while (start < text.length) {
		const end = text.indexOf('\n', start);
		scan.lines++;
		const parsed = parseLine(text.slice(start, end));
		if (typeof parsed === 'string') scan.problems.push({line: scan.lines, message: parsed});
		else if (parsed) {
			scan.events.push(parsed);
			scan.maxSeq = Math.max(scan.maxSeq, parsed.seq);
		}
		start = end + 1;
	}
	scan.offset = base.offset + chunk.length;
	// Copies (concat), so the cache does not keep a whole read buffer alive.
	if (base.head.length < sampleBytes) scan.head = Buffer.concat([base.head, chunk.subarray(0, sampleBytes - base.head.length)]);
	scan.tail = Buffer.concat([base.tail, chunk.subarray(-sampleBytes)]).subarray(-sampleBytes);
	return scan;
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

function sharedModes(dirMode: number): SharedModes | undefined {
	if ((dirMode & 0o020) === 0) return undefined;
	// Others keep what they had on the directory, minus writing.
	return {file: 0o660 | (dirMode & 0o004), dir: 0o2770 | (dirMode & 0o005)};
}

/**
 * Opens an incident file, or undefined when there is none. Anything else of
 * that name (a directory, a FIFO, another user's file) is refused in words,
 * at once: non-blocking, so a FIFO does not wait for a writer.
 */
async function openIncident(id: string, file: string, flags: number): Promise<FileHandle | undefined> {
	const writing = (flags & constants.O_RDWR) !== 0;
	const refuse = (reason: string) => {
		const message = `cannot ${writing ? 'write' : 'read'} ${file}: ${reason}`;
		return writing ? new Error(message) : new UnreadableIncident(id, message);
	};
	let handle: FileHandle;
	try {
		handle = await fs.open(file, flags | constants.O_NONBLOCK);
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return undefined;
		const hint = writing && errorCode(error) === 'EACCES' ? `; its owner can share it: chmod g+w ${file}` : '';
		throw refuse(`${plainFailure(error, {onDisk: true})}${hint}`);
	}
	const stat = await handle.stat();
	if (stat.isFile()) return handle;
	await handle.close();
	throw refuse(stat.isDirectory() ? 'is a directory' : 'not a regular file');
}

/** Incident numbers in `dir`, ascending; none when `dir` does not exist yet. */
async function incidentNumbers(dir: string): Promise<number[]> {
	let names: string[];
	try {
		names = await fs.readdir(dir);
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return [];
		throw new Error(`cannot read ${dir}: ${plainFailure(error, {onDisk: true})}`, {cause: error});
	}
	return names
		.map(name => fileNamePattern.exec(name)?.[1])
		.filter(digits => digits !== undefined)
		.map(Number)
		.sort((a, b) => a - b);
}

function exists(file: string): Promise<boolean> {
	return fs.access(file).then(
		() => true,
		() => false,
	);
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
