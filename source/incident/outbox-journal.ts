/**
 * Nothing lost when the link to the shared store drops: an event the store
 * cannot take (StoreUnreachable) is kept, fsync'd, in a local outbox
 * (`<dataDir>/outbox/<store key>.jsonl`, one JSON line an event) and shown at
 * once as pending; it is sent, in order, with the id and time it was made
 * with, as soon as the store answers again. The store keeps an event once by
 * its id, so a console killed between sending and trimming the outbox resends
 * harmlessly. Consoles sharing a data directory take turns on the outbox
 * through its file lock, held only to read or write it, never while the
 * store is asked: two may send the same event (kept once), never trim at once.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import {maskUrlPassword} from '../config/secrets';
import {messageOf, plainFailure} from '../errors';
import {formatTook} from '../text/duration';
import {appendDurably, appendLine, replaceFile, syncDirectory} from './durable-file';
import type {JournalEvent, NewEvent} from './events';
import {defaultLockStaleMs, withLock} from './file-lock';
import {replayIncident} from './incident';
import {
	EventRefused,
	incidentNumber,
	newStamp,
	StoreUnreachable,
	type AppendStamp,
	type IncidentLog,
	type Journal,
	type SharedStore,
	type JournalLink,
} from './journal';
import {outboxConflict} from './outbox-conflict';
import {lineOf, outboxPaths, outboxVersion, readOutbox, readRefused, type OutboxContents, type Waiting} from './outbox-file';

export type OutboxJournalOptions = {
	/** The shared store's journal (PostgreSQL). */
	store: SharedStore;
	/** The data directory; the outbox lives in its `outbox/`. */
	dataDir: string;
	/** Who this console writes as (`user@host`): kept with its waiting events, shown on them until the store stamps them. */
	actor: string;
	/** Masks secrets in what the store says went wrong (the settings' redactor); URL passwords by default. */
	redact?: (text: string) => string;
	now?: () => Date;
	/** How often the outbox is tried again while events wait; 1 s by default. */
	retryMs?: number;
	/** How long an append may wait for the store before the event is kept in the outbox instead; 5 s by default. */
	storeTimeoutMs?: number;
};

const offlineStore = 'the incident store cannot be reached';
const offlineCreate =
	'the incident store is offline: a new incident needs its number from the store; declare it again once the store is back';
const unansweredCreate =
	'the incident store did not answer the declaration: it may have been declared; look at the incidents once the store is back before declaring again';

export class OutboxJournal implements Journal {
	private readonly store: SharedStore;
	private readonly dir: string;
	private readonly file: string;
	private readonly refused: string;
	private readonly actor: string;
	private readonly noticeListeners = new Set<(text: string) => void>();
	/** Notices told before anyone listened (a torn line found at start): the first listener hears them. */
	private unheardNotices: string[] = [];
	private readonly redact: (text: string) => string;
	private readonly now: () => Date;
	private readonly retryMs: number;
	private readonly storeTimeoutMs: number;
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
	/** Why the outbox waits though the store answers, as last told: told once, forgotten once an event gets through. */
	private heldBy: string | undefined;
	/** The outbox as last read, with the file's identity, size and time then: read again only once the file changed. */
	private lastRead: {version: string; contents: OutboxContents} | undefined;
	private closed = false;

	constructor(options: OutboxJournalOptions) {
		this.store = options.store;
		({dir: this.dir, file: this.file, refused: this.refused} = outboxPaths(options.dataDir, options.store.link().where));
		this.actor = options.actor;
		this.redact = options.redact ?? maskUrlPassword;
		this.now = options.now ?? (() => new Date());
		this.retryMs = options.retryMs ?? 1000;
		this.storeTimeoutMs = options.storeTimeoutMs ?? 5000;
		this.stopStoreLink = this.store.onLink(() => {
			if (this.store.link().state === 'live') this.queueSend();
			this.tellLink();
		});
		// A console killed with events waiting sends them once the store answers.
		this.queueSend();
	}

	/** The store's incidents; while it is away, the last it listed, if it ever did (its own cache). */
	list(): Promise<string[]> {
		return this.store.list({cached: this.storeAway()});
	}

	async create(first: NewEvent): Promise<{id: string; event: JournalEvent}> {
		try {
			const storeLink = this.store.link();
			if (storeLink.state === 'offline') throw new StoreUnreachable(storeLink.error ?? offlineStore);
			const created = await this.withinStoreTimeout(this.store.create(first));
			this.backOnline();
			return created;
		} catch (error) {
			if (!(error instanceof StoreUnreachable)) throw error;
			this.goOffline(error);
			// Sent and never answered (a hung server), it may have committed: declaring again could make two incidents.
			const told = error.sent ? unansweredCreate : offlineCreate;
			throw new StoreUnreachable(`${told} (${this.redact(error.message)})`, {sent: error.sent});
		}
	}

	async append(id: string, event: NewEvent, stamp?: AppendStamp): Promise<JournalEvent> {
		// Checked here as well as by the store: a line with a bad id would be kept offline, then never sent.
		incidentNumber(id);
		// Queued before anything is awaited: appends keep the order they were asked in.
		return this.inTurn(() => this.appendNow(id, event, stamp ?? newStamp(this.now)));
	}

	/** The store's log (while it is away, the last it read: its own cache), and this incident's events waiting in the outbox. */
	async read(id: string): Promise<IncidentLog> {
		const log = await this.store.read(id, {cached: this.storeAway()});
		const {waiting} = await this.currentOutbox();
		return {...log, events: [...log.events, ...pendingEvents(id, log.events, waiting)]};
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
		const storeLink = this.store.link();
		// The store's own word that it cannot be reached: the note is kept at once, not after the store's timeouts.
		if (storeLink.state === 'offline') this.goOffline(new StoreUnreachable(storeLink.error ?? offlineStore));
		else if (this.waitingCount === 0 && !(await this.outboxHasBytes())) {
			try {
				const stored = await this.storeAppend(id, event, stamp);
				this.backOnline();
				return stored;
			} catch (error) {
				if (!(error instanceof StoreUnreachable)) throw error;
				this.goOffline(error);
			}
		}
		const waiting = await this.keep({incident: id, actor: this.actor, stamp, event});
		// Numbered on from the last event the store's cache holds (every append follows a read of its incident);
		// one never read is asked for, within the store's timeout, as the event is kept whatever it answers.
		const read = this.withinStoreTimeout(this.store.read(id, {cached: true}));
		const stored = (await read.catch(() => undefined))?.events ?? [];
		// A timed-out append that committed after all may be in what the store last read or wrote: it is that event, stored.
		const committed = stored.find(storedEvent => storedEvent.eventId === stamp.eventId);
		// Otherwise it is the last of the incident's pending events, as it was kept last.
		return committed ?? pendingEvents(id, stored, waiting).at(-1)!;
	}

	/** Writes one event to the outbox, fsync'd, before anything claims it saved; returns everything waiting. */
	private async keep(entry: Waiting): Promise<Waiting[]> {
		const line = Buffer.from(`${JSON.stringify(lineOf(entry))}\n`);
		let waiting: Waiting[];
		try {
			waiting = await this.underLock(async () => {
				const contents = this.reportProblems(await this.currentOutbox());
				await appendLine(this.file, line, {
					completeBytes: contents.completeBytes,
					size: contents.completeBytes + contents.tornBytes,
				});
				this.lastRead = undefined;
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

	private queueSend(): void {
		if (this.sendQueued || this.closed) return;
		this.sendQueued = true;
		void this.inTurn(() => {
			this.sendQueued = false;
			return this.sendNow();
		}).catch((error: unknown) => this.hold(`outbox: ${this.redact(messageOf(error))}`));
	}

	/**
	 * Sends the oldest event waiting, then queues the next send: one event a
	 * turn, so a note typed meanwhile waits for one send, not the whole
	 * outbox. The lock is held only to read the head and to trim it, never
	 * while the store is asked (up to `storeTimeoutMs`): another console on
	 * this data directory keeps its notes meanwhile. Two consoles may send the
	 * same head; the store keeps it once by its id, and only the one that
	 * finds it still the head trims it.
	 */
	private async sendNow(): Promise<void> {
		if (this.closed) return;
		// Asked without the lock first: a console with nothing waiting never makes the outbox or locks it.
		const waiting =
			(await this.outboxHasBytes()) &&
			(await this.underLock(async () => {
				const contents = this.reportProblems(await this.currentOutbox());
				if (contents.tornBytes > 0 && contents.waiting.length === 0) await this.rewrite([]);
				return contents.waiting;
			}));
		const next = waiting ? waiting[0] : undefined;
		if (!waiting || !next) {
			// Nothing left: another console on this data directory sent it, or the store said it is back.
			this.heldBy = undefined;
			this.setWaiting(0);
			this.backOnline();
			return;
		}
		// Counted before sending: a console started with events waiting for a store away retries them.
		this.setWaiting(waiting.length);
		let stored: JournalEvent | undefined;
		let refusal: EventRefused | undefined;
		try {
			stored = await this.storeAppend(next.incident, next.event, {...next.stamp, queued: true});
		} catch (error) {
			if (error instanceof StoreUnreachable) {
				this.goOffline(error);
				return;
			}
			if (!(error instanceof EventRefused)) {
				// A lock held, a timeout, a deadlock, a schema being migrated: it may pass, so nothing is given up on.
				const reason = this.redact(messageOf(error));
				this.hold(
					`${next.incident}: your queued ${next.event.type} waits, with any behind it: the store did not take it now (${reason}); it is tried again`,
				);
				return;
			}
			refusal = error;
		}
		// The store answered: the outbox is draining, no longer offline, and reads ask the store again.
		this.backOnline();
		const {remaining, trimmed} = await this.underLock(async () => {
			const {waiting} = await this.currentOutbox();
			if (waiting[0]?.stamp.eventId !== next.stamp.eventId) return {remaining: waiting.length, trimmed: false};
			// Told once, the event kept where it was, if even setting it aside fails.
			if (refusal) await this.setAside(next, refusal);
			await this.rewrite(waiting.slice(1));
			return {remaining: waiting.length - 1, trimmed: true};
		});
		this.heldBy = undefined;
		// Only the console that trimmed it tells of a clash: another that sent the same head is quiet.
		if (stored && trimmed) await this.noticeConflict(next.incident, stored);
		this.setWaiting(remaining);
		this.tellChange();
		if (remaining > 0) this.queueSend();
	}

	/**
	 * An event the store refused for what it is (EventRefused): sending it
	 * again cannot help, and it must not hold up the events behind it, so it
	 * is kept in `<outbox>.refused.jsonl` (once, however often this is tried)
	 * and the user told.
	 */
	private async setAside(entry: Waiting, error: EventRefused): Promise<void> {
		const reason = this.redact(messageOf(error));
		try {
			// Set aside already, by a try whose trim of the outbox then failed (a full disk): told then.
			if ((await readRefused(this.refused)).includes(entry.stamp.eventId)) return;
			await appendDurably(this.refused, `${JSON.stringify({...lineOf(entry), refused: reason})}\n`);
		} catch (setAsideError) {
			// Worded with the file by readRefused and appendDurably.
			const failure = messageOf(setAsideError);
			throw new Error(
				`${entry.incident}: the store refused your queued ${entry.event.type} (${reason}), and it cannot be set aside: ${failure}; it waits in the outbox, with any behind it`,
				{cause: setAsideError},
			);
		}
		this.tellNotice(`${entry.incident}: the store refused your queued ${entry.event.type} (${reason}); kept in ${this.refused}`);
	}

	/**
	 * The store's append, given up on after `storeTimeoutMs` as unreachable (a
	 * server that hangs): the event is kept and sent again, which is safe even
	 * if the abandoned append commits after all, as the store keeps an event
	 * once by its id.
	 */
	private storeAppend(id: string, event: NewEvent, stamp: AppendStamp): Promise<JournalEvent> {
		return this.withinStoreTimeout(this.store.append(id, event, stamp));
	}

	/** `call`, given up on as unreachable after `storeTimeoutMs`; its outcome no longer matters then. */
	private withinStoreTimeout<T>(call: Promise<T>): Promise<T> {
		let timer: NodeJS.Timeout | undefined;
		const givenUp = new Promise<never>((_resolve, reject) => {
			timer = setTimeout(
				// Given up on, not refused: the call may have reached the store and be carried out yet.
				() =>
					reject(
						new StoreUnreachable(`the incident store did not answer within ${formatTook(this.storeTimeoutMs)}`, {sent: true}),
					),
				this.storeTimeoutMs,
			);
		});
		call.catch(() => undefined);
		return Promise.race([call, givenUp]).finally(() => clearTimeout(timer));
	}

	private async noticeConflict(id: string, stored: JournalEvent): Promise<void> {
		if (!stored.late || (stored.type !== 'status' && stored.type !== 'severity')) return;
		// Read afresh, not from the cache: the clash is with what others wrote while this console was away, which
		// its cache lacks. Bounded as any call to the store, as the outbox's turn waits for it.
		const log = await this.withinStoreTimeout(this.store.read(id)).catch(() => undefined);
		const before = log?.events.filter(event => event.seq < stored.seq && event.eventId !== stored.eventId) ?? [];
		const notice = outboxConflict(stored, replayIncident(id, before), this.now().getTime());
		if (notice) this.tellNotice(notice);
	}

	/** Runs `task` as the only console on this data directory touching the outbox; makes its directory (durably) first. */
	private async underLock<T>(task: () => Promise<T>): Promise<T> {
		const created = await fs.mkdir(this.dir, {recursive: true});
		if (created !== undefined) await syncDirectory(path.dirname(created));
		return withLock(this.file, {staleMs: defaultLockStaleMs}, task);
	}

	/** Replaces the outbox at once with `waiting`. */
	private async rewrite(waiting: readonly Waiting[]): Promise<void> {
		await replaceFile(this.file, waiting.map(entry => `${JSON.stringify(lineOf(entry))}\n`).join(''));
		this.lastRead = undefined;
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

	/**
	 * What the outbox holds, parsed again only when the file changed since
	 * (this console keeping or sending, or another on this data directory).
	 */
	private async currentOutbox(): Promise<OutboxContents> {
		const version = await outboxVersion(this.file);
		if (this.lastRead?.version !== version) this.lastRead = {version, contents: await readOutbox(this.file)};
		return this.lastRead.contents;
	}

	/** Whether anything is in the outbox, even a torn line: an append then goes behind it. */
	private async outboxHasBytes(): Promise<boolean> {
		const {completeBytes, tornBytes} = await this.currentOutbox();
		return completeBytes + tornBytes > 0;
	}

	/**
	 * Whether the store is away: it says so itself (its listener's heartbeat
	 * went unanswered), or events wait for it after it failed to take them
	 * (a server that hangs, before its link says so). Reads are then answered
	 * from its cache at once, not after its timeouts, while the retry and the
	 * listener find out when it is back.
	 */
	private storeAway(): boolean {
		return this.store.link().state === 'offline' || (this.offline !== undefined && this.waitingCount > 0);
	}

	private goOffline(error: StoreUnreachable): void {
		const reason = this.redact(error.message);
		// Every retry fails the same way while the store is away: only a change is told.
		if (this.offline?.error === reason) return;
		// Offline since the store itself said so, if it did first: the header's count does not start again at the first note.
		const store = this.store.link();
		const since = this.offline?.since ?? (store.state === 'offline' ? store.since : this.now().getTime());
		this.offline = {since, error: reason};
		this.tellLink();
	}

	/** Tells why the outbox waits though the store answers, once, however often the retry finds it the same. */
	private hold(reason: string): void {
		if (reason === this.heldBy) return;
		this.heldBy = reason;
		this.tellNotice(reason);
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

/**
 * An incident's waiting events as the timeline shows them: pending, numbered
 * on after the last event known. One already in the store (sent, the outbox
 * not yet trimmed) is not shown twice.
 */
function pendingEvents(id: string, stored: readonly JournalEvent[], waiting: readonly Waiting[]): JournalEvent[] {
	const storedIds = new Set(stored.map(event => event.eventId));
	let seq = stored.reduce((max, event) => Math.max(max, event.seq), 0);
	return waiting
		.filter(entry => entry.incident === id && !storedIds.has(entry.stamp.eventId))
		.map(({actor, stamp, event}) => ({...event, seq: ++seq, at: stamp.at, actor, eventId: stamp.eventId, pending: true}));
}
