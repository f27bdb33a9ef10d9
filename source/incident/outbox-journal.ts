/**
 * Nothing lost when the link to the shared store drops: an event the store
 * cannot take (StoreUnreachable) is kept, fsync'd, in a local outbox
 * (`<dataDir>/outbox/<store key>.jsonl`, one JSON line an event) and shown at
 * once as pending; it is sent, in order, with the id and time it was made
 * with, as soon as the store answers again. The store keeps an event once by
 * its id, so a console killed between sending and trimming the outbox resends
 * harmlessly. Consoles sharing a data directory take turns on the outbox
 * through its file lock, so two never send or trim at once.
 */
import {createHash, randomUUID} from 'node:crypto';
import {constants} from 'node:fs';
import fs, {type FileHandle} from 'node:fs/promises';
import path from 'node:path';
import {maskUrlPassword} from '../config/secrets';
import {errorCode, messageOf, plainFailure} from '../errors';
import {formatTook} from '../text/duration';
import {parseEvent, payloadOf, type JournalEvent, type NewEvent} from './events';
import {withLock} from './file-lock';
import {replayIncident} from './incident';
import {
	incidentNumber,
	isIncidentId,
	newStamp,
	StoreUnreachable,
	type AppendStamp,
	type IncidentLog,
	type Journal,
	type JournalLink,
} from './journal';
import {outboxConflict} from './outbox-conflict';

export type OutboxJournalOptions = {
	/** The shared store's journal (PostgreSQL). */
	store: Journal;
	/** The data directory; the outbox lives in its `outbox/`. */
	dataDir: string;
	/** Who this console writes as (`user@host`): shown on its pending events until the store stamps them. */
	actor: string;
	/** Masks secrets in what the store says went wrong (the settings' redactor); URL passwords by default. */
	redact?: (text: string) => string;
	now?: () => Date;
	/** How often the outbox is tried again while events wait; 1 s by default. */
	retryMs?: number;
	/** How long an append may wait for the store before the event is kept in the outbox instead; 5 s by default. */
	storeTimeoutMs?: number;
	/** As the file journal's: how long another host's outbox lock may go untouched before it is broken. */
	lockStaleMs?: number;
};

/** One event waiting in the outbox, stamped when it was made. */
type Waiting = {incident: string; stamp: AppendStamp; event: NewEvent};

/** The outbox as read: its complete lines' events, and the bytes of a torn last line (never an event). */
type OutboxContents = {waiting: Waiting[]; completeBytes: number; tornBytes: number; problems: string[]};

const offlineCreate =
	'the incident store is offline: a new incident needs its number from the store; declare it again once the store is back';

/** The outbox file's name: a short hash of where the store is, so two stores' events never mix. */
export function outboxFileName(where: string): string {
	return `${createHash('sha256').update(where).digest('hex').slice(0, 16)}.jsonl`;
}

export class OutboxJournal implements Journal {
	private readonly store: Journal;
	private readonly dir: string;
	private readonly file: string;
	private readonly actor: string;
	private readonly noticeListeners = new Set<(text: string) => void>();
	/** Notices told before anyone listened (a torn line found at start): the first listener hears them. */
	private unheardNotices: string[] = [];
	private readonly redact: (text: string) => string;
	private readonly now: () => Date;
	private readonly retryMs: number;
	private readonly storeTimeoutMs: number;
	private readonly lockStaleMs: number;
	/** Every log last read from the store: what is shown while it cannot be read. */
	private readonly lastLogs = new Map<string, IncidentLog>();
	private lastList: string[] = [];
	private readonly linkListeners = new Set<() => void>();
	private readonly changeListeners = new Set<() => void>();
	private readonly stopStoreLink: () => void;
	/** Appends and sends in the order they were asked for, so nothing overtakes a waiting event. */
	private turn: Promise<unknown> = Promise.resolve();
	private sendQueued = false;
	private waitingCount = 0;
	/** Set from the first failed write to the store until one succeeds. */
	private offline: {since: number; error: string} | undefined;
	private retryTimer: NodeJS.Timeout | undefined;
	/** Problems already reported, so a retry every second does not report one again. */
	private reported = new Set<string>();
	private closed = false;

	constructor(options: OutboxJournalOptions) {
		this.store = options.store;
		this.dir = path.join(options.dataDir, 'outbox');
		this.file = path.join(this.dir, outboxFileName(options.store.link().where));
		this.actor = options.actor;
		this.redact = options.redact ?? maskUrlPassword;
		this.now = options.now ?? (() => new Date());
		this.retryMs = options.retryMs ?? 1000;
		this.storeTimeoutMs = options.storeTimeoutMs ?? 5000;
		this.lockStaleMs = options.lockStaleMs ?? 5000;
		this.stopStoreLink = this.store.onLink(() => {
			if (this.store.link().state === 'live') this.queueSend();
			this.tellLink();
		});
		// A console killed with events waiting sends them once the store answers.
		this.queueSend();
	}

	async list(): Promise<string[]> {
		try {
			this.lastList = await this.store.list();
		} catch (error) {
			if (!(error instanceof StoreUnreachable)) throw error;
		}
		return [...this.lastList];
	}

	async create(first: NewEvent): Promise<{id: string; event: JournalEvent}> {
		try {
			const created = await this.store.create(first);
			this.lastLogs.set(created.id, {id: created.id, events: [created.event], problems: []});
			this.backOnline();
			return created;
		} catch (error) {
			if (!(error instanceof StoreUnreachable)) throw error;
			this.goOffline(error);
			throw new StoreUnreachable(`${offlineCreate} (${this.redact(error.message)})`);
		}
	}

	async append(id: string, event: NewEvent, stamp?: AppendStamp): Promise<JournalEvent> {
		// Checked here as well as by the store: a line with a bad id would be kept offline, then never sent.
		incidentNumber(id);
		// Queued before anything is awaited: appends keep the order they were asked in.
		return this.inTurn(() => this.appendNow(id, event, stamp ?? newStamp(this.now)));
	}

	async read(id: string): Promise<IncidentLog> {
		let log: IncidentLog;
		try {
			log = await this.store.read(id);
			this.lastLogs.set(id, log);
		} catch (error) {
			const kept = this.lastLogs.get(id);
			if (!(error instanceof StoreUnreachable) || !kept) throw error;
			log = kept;
		}
		const {waiting} = await this.readOutbox();
		return {...log, events: [...log.events, ...pendingEvents(id, log.events, waiting, this.actor)]};
	}

	watch(onChange: () => void): () => void {
		const stopStore = this.store.watch(onChange);
		this.changeListeners.add(onChange);
		return () => {
			stopStore();
			this.changeListeners.delete(onChange);
		};
	}

	importIncident(events: readonly JournalEvent[]): Promise<string> {
		return this.store.importIncident(events);
	}

	link(): JournalLink {
		const link = {...this.store.link(), waiting: this.waitingCount};
		if (!this.offline) return link;
		return {...link, state: 'offline', since: this.offline.since, error: this.offline.error};
	}

	onLink(listener: () => void): () => void {
		this.linkListeners.add(listener);
		return () => this.linkListeners.delete(listener);
	}

	onNotice(listener: (text: string) => void): () => void {
		this.noticeListeners.add(listener);
		for (const text of this.unheardNotices.splice(0)) listener(text);
		return () => this.noticeListeners.delete(listener);
	}

	private tellNotice(text: string): void {
		if (this.noticeListeners.size === 0) this.unheardNotices.push(text);
		for (const listener of this.noticeListeners) listener(text);
	}

	async close(): Promise<void> {
		this.closed = true;
		clearInterval(this.retryTimer);
		this.stopStoreLink();
		await this.turn;
		await this.store.close();
	}

	private inTurn<T>(task: () => Promise<T>): Promise<T> {
		const result = this.turn.then(task);
		this.turn = result.catch(() => undefined);
		return result;
	}

	private async appendNow(id: string, event: NewEvent, stamp: AppendStamp): Promise<JournalEvent> {
		if (this.waitingCount === 0 && !(await this.outboxHasBytes())) {
			try {
				const stored = await this.storeAppend(id, event, stamp);
				this.remember(id, stored);
				this.backOnline();
				return stored;
			} catch (error) {
				if (!(error instanceof StoreUnreachable)) throw error;
				this.goOffline(error);
			}
		}
		const waiting = await this.keep({incident: id, stamp, event});
		const kept = pendingEvents(id, this.lastLogs.get(id)?.events ?? [], waiting, this.actor);
		return kept.find(pending => pending.eventId === stamp.eventId)!;
	}

	/** Writes one event to the outbox, fsync'd, before anything claims it saved; returns everything waiting. */
	private async keep(entry: Waiting): Promise<Waiting[]> {
		const line = Buffer.from(`${JSON.stringify(lineOf(entry))}\n`);
		let waiting: Waiting[];
		try {
			waiting = await this.underLock(async () => {
				const contents = this.reportProblems(await this.readOutbox());
				await this.appendLine(line, contents);
				return [...contents.waiting, entry];
			});
		} catch (error) {
			const reason = plainFailure(error, {onDisk: true});
			throw new Error(`the incident store is offline and the event could not be kept in the outbox: ${reason}`, {
				cause: error,
			});
		}
		this.setWaiting(waiting.length);
		this.tellChange();
		return waiting;
	}

	private async appendLine(line: Buffer, contents: OutboxContents): Promise<void> {
		const handle = await fs.open(this.file, constants.O_WRONLY | constants.O_CREAT);
		try {
			// A torn line was never an event; completing it with a newline could make it one, so it goes.
			if (contents.tornBytes > 0) await handle.truncate(contents.completeBytes);
			try {
				for (let written = 0; written < line.length;) {
					const {bytesWritten} = await handle.write(line, written, line.length - written, contents.completeBytes + written);
					if (bytesWritten === 0) throw new Error('nothing could be written');
					written += bytesWritten;
				}
				await handle.sync();
			} catch (error) {
				// Nothing half-written left for a send to find.
				await handle.truncate(contents.completeBytes).catch(() => undefined);
				throw error;
			}
		} finally {
			await handle.close();
		}
		// A new file is durable only once its directory entry is.
		if (contents.completeBytes + contents.tornBytes === 0) await syncDirectory(this.dir);
	}

	private queueSend(): void {
		if (this.sendQueued || this.closed) return;
		this.sendQueued = true;
		void this.inTurn(() => {
			this.sendQueued = false;
			return this.sendNow();
		}).catch((error: unknown) => this.tellNotice(`outbox: ${this.redact(messageOf(error))}`));
	}

	/** Sends what waits, oldest first, trimming after each event, until the store cannot be reached or nothing is left. */
	private async sendNow(): Promise<void> {
		if (this.closed) return;
		if (!(await this.outboxHasBytes())) {
			// Nothing left: another console on this data directory sent it, or the store said it is back.
			this.setWaiting(0);
			this.backOnline();
			return;
		}
		let sent = 0;
		const remaining = await this.underLock(async () => {
			const contents = this.reportProblems(await this.readOutbox());
			const waiting = [...contents.waiting];
			if (contents.tornBytes > 0 && waiting.length === 0) await this.rewrite([]);
			while (waiting.length > 0) {
				const next = waiting[0]!;
				let stored: JournalEvent | undefined;
				try {
					stored = await this.storeAppend(next.incident, next.event, {...next.stamp, queued: true});
				} catch (error) {
					if (error instanceof StoreUnreachable) {
						this.goOffline(error);
						break;
					}
					await this.setAside(next, error);
				}
				waiting.shift();
				await this.rewrite(waiting);
				sent++;
				if (stored) {
					this.remember(next.incident, stored);
					await this.noticeConflict(next.incident, stored);
				}
				this.setWaiting(waiting.length);
			}
			return waiting.length;
		});
		if (remaining === 0) this.backOnline();
		this.setWaiting(remaining);
		if (sent > 0) this.tellChange();
	}

	/**
	 * An event the store refused (not one it could not be reached for): sending
	 * it again cannot help, and it must not hold up the events behind it, so it
	 * is kept in `<outbox>.refused.jsonl` and the user told.
	 */
	private async setAside(entry: Waiting, error: unknown): Promise<void> {
		const refused = this.file.replace(/\.jsonl$/, '.refused.jsonl');
		const reason = this.redact(messageOf(error));
		const handle = await fs.open(refused, 'a');
		try {
			await handle.write(`${JSON.stringify({...lineOf(entry), refused: reason})}\n`);
			await handle.sync();
		} finally {
			await handle.close();
		}
		this.tellNotice(`${entry.incident}: the store refused your queued ${entry.event.type} (${reason}); kept in ${refused}`);
	}

	/**
	 * The store's append, given up on after `storeTimeoutMs` as unreachable (a
	 * server that hangs): the event is kept and sent again, which is safe even
	 * if the abandoned append commits after all, as the store keeps an event
	 * once by its id.
	 */
	private storeAppend(id: string, event: NewEvent, stamp: AppendStamp): Promise<JournalEvent> {
		let timer: NodeJS.Timeout | undefined;
		const givenUp = new Promise<never>((_resolve, reject) => {
			timer = setTimeout(
				() => reject(new StoreUnreachable(`the incident store did not answer within ${formatTook(this.storeTimeoutMs)}`)),
				this.storeTimeoutMs,
			);
		});
		const appended = this.store.append(id, event, stamp);
		// Its outcome no longer matters once given up on.
		appended.catch(() => undefined);
		return Promise.race([appended, givenUp]).finally(() => clearTimeout(timer));
	}

	/** Adds an event just stored to the last log read, so it is shown even if the store cannot be read next. */
	private remember(id: string, stored: JournalEvent): void {
		const log = this.lastLogs.get(id);
		if (log && !log.events.some(event => event.eventId === stored.eventId)) {
			this.lastLogs.set(id, {...log, events: [...log.events, stored]});
		}
	}

	private async noticeConflict(id: string, stored: JournalEvent): Promise<void> {
		if (!stored.late || (stored.type !== 'status' && stored.type !== 'severity')) return;
		const log = await this.store.read(id).catch(() => undefined);
		const before = log?.events.filter(event => event.seq < stored.seq && event.eventId !== stored.eventId) ?? [];
		const notice = outboxConflict(stored, replayIncident(id, before), this.now().getTime());
		if (notice) this.tellNotice(notice);
	}

	/** Runs `task` as the only console on this data directory touching the outbox; makes its directory (durably) first. */
	private async underLock<T>(task: () => Promise<T>): Promise<T> {
		const created = await fs.mkdir(this.dir, {recursive: true});
		if (created !== undefined) await syncDirectory(path.dirname(created));
		return withLock(this.file, {staleMs: this.lockStaleMs}, task);
	}

	/** Replaces the outbox at once with `waiting`: written beside it, fsync'd, renamed over it, the directory fsync'd. */
	private async rewrite(waiting: readonly Waiting[]): Promise<void> {
		const temporary = `${this.file}.${randomUUID()}.tmp`;
		const text = waiting.map(entry => `${JSON.stringify(lineOf(entry))}\n`).join('');
		const handle = await fs.open(temporary, 'wx');
		try {
			await handle.writeFile(text);
			await handle.sync();
		} finally {
			await handle.close();
		}
		await fs.rename(temporary, this.file);
		await syncDirectory(this.dir);
	}

	/**
	 * Told only under the lock: outside it, a line another console is writing
	 * at that moment looks torn too. Once per torn line, not at every retry.
	 */
	private reportProblems(contents: OutboxContents): OutboxContents {
		for (const problem of contents.problems) if (!this.reported.has(problem)) this.tellNotice(problem);
		this.reported = new Set(contents.problems);
		return contents;
	}

	/** What the outbox holds; a torn last line is never read as an event. */
	private async readOutbox(): Promise<OutboxContents> {
		let bytes: Buffer;
		try {
			bytes = await fs.readFile(this.file);
		} catch (error) {
			if (errorCode(error) === 'ENOENT') return {waiting: [], completeBytes: 0, tornBytes: 0, problems: []};
			throw new Error(`cannot read the outbox ${this.file}: ${plainFailure(error, {onDisk: true})}`, {cause: error});
		}
		const completeBytes = bytes.lastIndexOf(0x0a) + 1;
		const tornBytes = bytes.length - completeBytes;
		const problems =
			tornBytes > 0
				? [`outbox ${this.file}: an incomplete last line (torn write, ${tornBytes} bytes) was ignored, never sent`]
				: [];
		const waiting: Waiting[] = [];
		const lines = bytes.subarray(0, completeBytes).toString('utf8').split('\n').slice(0, -1);
		for (const [index, line] of lines.entries()) {
			const entry = parseWaiting(line);
			if (typeof entry === 'string') problems.push(`outbox ${this.file} line ${index + 1}: ${entry}: not an event, ignored`);
			else waiting.push(entry);
		}
		return {waiting, completeBytes, tornBytes, problems};
	}

	private async outboxHasBytes(): Promise<boolean> {
		const stat = await fs.stat(this.file).catch(() => undefined);
		return (stat?.size ?? 0) > 0;
	}

	private goOffline(error: StoreUnreachable): void {
		const reason = this.redact(error.message);
		// Every retry fails the same way while the store is away: only a change is told.
		if (this.offline?.error === reason) return;
		this.offline = {since: this.offline?.since ?? this.now().getTime(), error: reason};
		this.tellLink();
	}

	private backOnline(): void {
		if (!this.offline) return;
		this.offline = undefined;
		this.tellLink();
	}

	/** The retry timer runs while anything waits, and only then. */
	private setWaiting(count: number): void {
		if (count > 0 && this.retryTimer === undefined && !this.closed) {
			this.retryTimer = setInterval(() => this.queueSend(), this.retryMs);
			this.retryTimer.unref();
		} else if (count === 0) {
			clearInterval(this.retryTimer);
			this.retryTimer = undefined;
		}
		if (count === this.waitingCount) return;
		this.waitingCount = count;
		this.tellLink();
	}

	private tellLink(): void {
		for (const listener of this.linkListeners) listener();
	}

	private tellChange(): void {
		for (const listener of this.changeListeners) listener();
	}
}

/** `{incident, eventId, at, type, ...payload}`: the outbox's line for one waiting event. */
function lineOf({incident, stamp, event}: Waiting): Record<string, unknown> {
	return {incident, eventId: stamp.eventId, at: stamp.at, ...event};
}

/** The waiting event on an outbox line, or what is wrong with it. */
function parseWaiting(line: string): Waiting | string {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		return 'not valid JSON';
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
	const {incident, ...fields} = value as Record<string, unknown>;
	if (typeof incident !== 'string' || !isIncidentId(incident)) return '"incident" is not an incident id';
	const parsed = parseEvent({...fields, seq: 1, actor: ''});
	if (typeof parsed === 'string') return parsed.replace(/^event 1: /, '');
	if (parsed.eventId === undefined) return '"eventId" is missing';
	return {
		incident,
		stamp: {eventId: parsed.eventId, at: parsed.at},
		event: {type: parsed.type, ...payloadOf(fields)} as NewEvent,
	};
}

/**
 * An incident's waiting events as the timeline shows them: pending, numbered
 * on after the last event known. One already in the store (sent, the outbox
 * not yet trimmed) is not shown twice.
 */
function pendingEvents(id: string, stored: readonly JournalEvent[], waiting: readonly Waiting[], actor: string): JournalEvent[] {
	const storedIds = new Set(stored.map(event => event.eventId));
	let seq = stored.reduce((max, event) => Math.max(max, event.seq), 0);
	return waiting
		.filter(entry => entry.incident === id && !storedIds.has(entry.stamp.eventId))
		.map(({stamp, event}) => ({...event, seq: ++seq, at: stamp.at, actor, eventId: stamp.eventId, pending: true}));
}

/** Makes a rename or a new file in `dir` durable. */
async function syncDirectory(dir: string): Promise<void> {
	let handle: FileHandle | undefined;
	try {
		handle = await fs.open(dir, constants.O_RDONLY);
		await handle.sync();
	} finally {
		await handle?.close();
	}
}
