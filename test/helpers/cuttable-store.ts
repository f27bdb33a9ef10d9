/**
 * A stand-in for the shared store, for the outbox's tests: a real FileJournal
 * behaving as the PostgreSQL journal promises to. While `cut`, every call
 * throws StoreUnreachable (and the link says why); an append keeps an event
 * once by its `eventId`, marks it `late` when the incident already holds an
 * event stamped later, and refuses one to an incident it lacks (EventRefused).
 * As the PostgreSQL journal, `read` and `list` answer from what they last
 * read when asked for the cache or when cut, once there is one.
 */
import type {JournalEvent, NewEvent} from '../../source/incident/events';
import {FileJournal} from '../../source/incident/file-journal';
import {
	EventRefused,
	StoreUnreachable,
	type AppendStamp,
	type IncidentLog,
	type SharedStore,
	type JournalLink,
	type ReadOptions,
} from '../../source/incident/journal';

export class CuttableStore implements SharedStore {
	/** Every append that reached the store (resends included), in order. */
	readonly received: Array<{id: string; eventId: string | undefined}> = [];
	private cutSince: number | undefined;
	private cutReason = 'connect ECONNREFUSED 127.0.0.1:5432';
	/** Set while the server hangs: calls wait for it to answer. */
	private hung: {answered: Promise<void>; answer: () => void} | undefined;
	private readonly listeners = new Set<() => void>();
	private readonly file: FileJournal;
	/** Appends one at a time, as the store's unique event id makes them: checking for the id and appending are one step. */
	private appends: Promise<unknown> = Promise.resolve();
	private readonly logs = new Map<string, IncidentLog>();
	private listed: string[] | undefined;

	constructor(
		readonly dir: string,
		actor = 'alice@bastion',
	) {
		this.file = new FileJournal({dir, actor});
	}

	/**
	 * Cuts the link (true) or brings it back (false), telling link listeners
	 * unless `quietly` (the store's listener has not noticed yet); `reason` is
	 * what the calls throw meanwhile.
	 */
	setCut(cut: boolean, {quietly = false, reason = this.cutReason} = {}): void {
		this.cutSince = cut ? Date.now() : undefined;
		this.cutReason = reason;
		if (!quietly) for (const listener of this.listeners) listener();
	}

	/** Makes the server hang (calls wait, then go through) until `answer` is called. */
	hang(): {answer: () => void} {
		let answer = () => undefined as void;
		const answered = new Promise<void>(resolve => (answer = resolve));
		this.hung = {answered, answer};
		return {
			answer: () => {
				this.hung = undefined;
				answer();
			},
		};
	}

	async list(options: ReadOptions = {}): Promise<string[]> {
		if (this.listed && this.fromCache(options)) return this.listed;
		this.listed = await this.reachable(() => this.file.list());
		return this.listed;
	}

	async create(first: NewEvent): Promise<{id: string; event: JournalEvent}> {
		const created = await this.reachable(() => this.file.create(first));
		this.cacheWritten(created.id, created.event);
		return created;
	}

	append(id: string, event: NewEvent, stamp?: AppendStamp): Promise<JournalEvent> {
		const appended = this.appends.then(() => this.reachable(() => this.appendOnce(id, event, stamp)));
		this.appends = appended.catch(() => undefined);
		return appended;
	}

	private async appendOnce(id: string, event: NewEvent, stamp?: AppendStamp): Promise<JournalEvent> {
		this.received.push({id, eventId: stamp?.eventId});
		if (!(await this.file.list()).includes(id)) throw new EventRefused(`no incident ${id} in ${this.dir}`);
		const {events} = await this.file.read(id);
		const kept = events.find(stored => stamp && stored.eventId === stamp.eventId);
		if (kept) return kept;
		const stored = await this.file.append(id, event, stamp);
		this.cacheWritten(id, stored);
		return stored;
	}

	async read(id: string, options: ReadOptions = {}): Promise<IncidentLog> {
		const log = this.logs.get(id);
		if (log && this.fromCache(options)) return log;
		const read = await this.reachable(() => this.file.read(id));
		this.logs.set(id, read);
		return read;
	}

	/** The next event joins the last log read, as the PostgreSQL journal's cache. */
	private cacheWritten(id: string, event: JournalEvent): void {
		const log = this.logs.get(id) ?? {id, events: [], problems: []};
		if ((log.events.at(-1)?.seq ?? 0) === event.seq - 1) this.logs.set(id, {...log, events: [...log.events, event]});
	}

	private fromCache(options: ReadOptions): boolean {
		return options.cached === true || this.cutSince !== undefined;
	}

	watch(onChange: () => void): () => void {
		return this.file.watch(onChange);
	}

	importIncident(events: readonly JournalEvent[]): Promise<string> {
		return this.reachable(() => this.file.importIncident(events));
	}

	link(): JournalLink {
		const where = `db.test:5432/${this.dir}`;
		if (this.cutSince === undefined) return {store: 'postgres', where, state: 'live', since: 0, waiting: 0};
		// As the PostgreSQL journal's link says why it is offline.
		return {store: 'postgres', where, state: 'offline', since: this.cutSince, waiting: 0, error: this.cutReason};
	}

	onLink(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	async close(): Promise<void> {}

	private async reachable<T>(call: () => Promise<T>): Promise<T> {
		if (this.hung) await this.hung.answered;
		if (this.cutSince !== undefined) throw new StoreUnreachable(this.cutReason);
		return call();
	}
}
