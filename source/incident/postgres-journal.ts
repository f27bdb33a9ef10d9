/**
 * The incident journal in PostgreSQL (schema `warroom`, store-migrations/),
 * shared by consoles on several hosts. The server numbers events (one round
 * trip per append, see `warroom.append_event`), stamps who wrote them (the
 * role signed in), keeps them append-only, and tells every console of each
 * change with NOTIFY, heard by one listening connection per journal that
 * reconnects by itself when the link drops. That connection is idle while
 * nothing changes, and a cut link (packets dropped, no reset) or a hung
 * server says nothing to an idle connection for hours, until TCP keepalive
 * gives up: so it asks the server `SELECT 1` every few seconds, and an answer
 * that does not come within the query timeout takes the link offline.
 */
import {randomUUID} from 'node:crypto';
import type pg from 'pg';
import {maskUrlPassword} from '../config/secrets';
import {loadPg} from '../sources/postgres/collector';
import {isUnreachable, postgresFailure, serverOf, storeOptions, storeTimeouts} from '../sources/postgres/connection';
import {parseEvent, payloadOf, readBack, type JournalEvent, type NewEvent} from './events';
import {
	DuplicateIncident,
	EventRefused,
	incidentNumber,
	newStamp,
	StoreUnreachable,
	type AppendStamp,
	type IncidentLog,
	type SharedStore,
	type JournalLink,
	type JournalProblem,
	type ReadOptions,
} from './journal';
import {checkImport} from './journal-import';
import {checkSchema, longQuery, longTimeouts, storeAccess} from './store-schema';

export type PostgresJournalOptions = {
	/** Undefined: libpq's PG* variables and the password file. */
	url?: string;
	env?: NodeJS.ProcessEnv;
	now?: () => Date;
	/** Masks secrets in what the journal says (its errors, its link); URL passwords by default. */
	redact?: (text: string) => string;
	/** The wait before reconnecting the listener, doubling from the first to the last; 0.5 s to 5 s by default. */
	reconnectMs?: {first: number; max: number};
	/** The listener's pause between asking the server whether it is there; 3 s by default. */
	heartbeatMs?: number;
};

/** A row of warroom.events as pg gives it. */
type EventRow = {
	incident: number;
	seq: number;
	event_id: string;
	at: string;
	actor: string;
	imported_by: string | null;
	late: boolean | null;
	type: string;
	payload: unknown;
};

/** An incident as last read, and the `readDoubts` count when that read began: a doubt since means it is read again. */
type Cached = {lastSeq: number; events: JournalEvent[]; problems: JournalProblem[]; checkedAt: number};

/**
 * A notification's payload (`INC-N:seq`, sent by `append_event`,
 * `declare_incident` and an import) as the change it tells of; undefined for
 * anything else (any role may NOTIFY on the channel), which is then not taken on trust.
 */
export function notifiedChange(payload: string | undefined): {incident: number; seq: number} | undefined {
	const match = /^INC-([1-9]\d{0,9}):([1-9]\d{0,9})$/.exec(payload ?? '');
	return match ? {incident: Number(match[1]), seq: Number(match[2])} : undefined;
}

const eventColumns = 'incident, seq, event_id, at, actor, imported_by, late, type, payload';
/** The application_name of the connection that listens for the store's notifications. */
const listenerName = 'warroom listener';
/** The lock `declare_incident` takes: an import numbers its incident under the same one. */
const declareLock = "pg_advisory_xact_lock(hashtext('warroom.incidents'))";

/** A payload as stored: the event without what the journal owns. */
const storedPayload = (event: object) => JSON.stringify(payloadOf(event));

/** A stored row as the event `read` returns, or the problem with it. */
export function eventOfRow(row: EventRow): JournalEvent | string {
	const {payload} = row;
	if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
		return `event ${row.seq}: payload is not a JSON object`;
	return parseEvent({
		seq: row.seq,
		at: row.at,
		actor: row.actor,
		type: row.type,
		eventId: row.event_id,
		...payloadOf(payload),
		...(row.late ? {late: true} : {}),
		...(row.imported_by === null ? {} : {importedBy: row.imported_by}),
	});
}

/** Checks an event as `read` will rebuild it, before it is sent (readBack). Its seq and actor are the store's to give; any will do for the check. */
function checkReadable(what: string, type: string, payload: string, envelope: {at: string; eventId: string}): void {
	readBack(what, {...(JSON.parse(payload) as object), seq: 1, actor: '', type, ...envelope});
}

/** The server's refusals of an event itself: its id already in another incident (23505), a value it cannot take (22xxx). */
const isRefusalOfEvent = (code: string | undefined) => code === '23505' || code?.startsWith('22') === true;

/** What `append` returns: the stored row, which read() rebuilds the same way; a stored row it cannot rebuild is a bug, said so. */
function storedEvent(row: EventRow): JournalEvent {
	const event = eventOfRow(row);
	if (typeof event === 'string') throw new Error(`the incident store returned an event it cannot read back: ${event}`);
	return event;
}

export class PostgresJournal implements SharedStore {
	private readonly url: string | undefined;
	private readonly where: string;
	private readonly now: () => Date;
	private readonly redact: (text: string) => string;
	private readonly reconnectMs: {first: number; max: number};
	private pool: Promise<pg.Pool> | undefined;
	/** The schema and privilege check, made once per journal (again after a failure to reach the store). */
	private ready: Promise<void> | undefined;
	private readOnly: string | undefined;
	private readonly cache = new Map<string, Cached>();
	/**
	 * Events this journal wrote past a gap in an incident's cache (another
	 * console appended in between): shown with cached reads, in seq order,
	 * until a read of the store covers them. An outbox trims an event once it
	 * is written, so it must not vanish from the timeline meanwhile.
	 */
	private readonly written = new Map<string, JournalEvent[]>();
	/**
	 * Each incident known to be in the store, with the last seq known to be
	 * there (listed, read, written, notified, caught up): what a catch-up
	 * compares with, and, while the listener is live, what tells a read whether
	 * the cache is behind.
	 */
	private readonly seen = new Map<number, number>();
	/**
	 * Counts of what was heard that the journal cannot account for: a
	 * notification it cannot read (both), or one naming an incident it has not
	 * seen (the list). A cached read, or a list, made before the last doubt is
	 * not trusted.
	 */
	private readDoubts = 0;
	private listDoubts = 0;
	/** The `listDoubts` count when `seen` was last known to hold every incident of the store. */
	private listCheckedAt: number | undefined;
	/** Set once the listener has listened: a reconnect always catches up, the first connect only when something was missed. */
	private listenedBefore = false;
	private state: {state: JournalLink['state']; since: number; error?: string} = {state: 'connecting', since: Date.now()};
	private readonly linkListeners = new Set<() => void>();
	private readonly watchers = new Set<() => void>();
	/** From the first watcher to the last one's leaving: a listener is connected, connecting, or waiting to reconnect. */
	private listening = false;
	private listener: pg.Client | undefined;
	/** Bumped by every stop: a listen() started before it ends what it connected instead of listening. */
	private listenGeneration = 0;
	/** The listener listens: a query that succeeds after one that failed brings the link back. */
	private listenerLive = false;
	private reconnectTimer: NodeJS.Timeout | undefined;
	private readonly heartbeatMs: number;
	private heartbeatTimer: NodeJS.Timeout | undefined;
	private nextDelayMs: number;
	private changeQueued = false;
	private closed = false;
	private readonly inFlight = new Set<Promise<unknown>>();

	constructor(options: PostgresJournalOptions) {
		this.url = options.url;
		this.redact = options.redact ?? maskUrlPassword;
		// Named in every message and the link: a URL pasted whole as the database name carries a password.
		this.where = this.redact(serverOf(options.url, options.env ?? process.env, 'incidents.url'));
		this.now = options.now ?? (() => new Date());
		this.reconnectMs = options.reconnectMs ?? {first: 500, max: 5000};
		this.nextDelayMs = this.reconnectMs.first;
		this.heartbeatMs = options.heartbeatMs ?? 3000;
	}

	/** Connects and checks the schema (StoreSchemaMismatch) and this role's privileges: what a console does before it starts. */
	async open(): Promise<void> {
		await this.query(async () => undefined);
	}

	/**
	 * While the listener is live, from what it heard: the store is asked only
	 * when it told of an incident not seen yet. When `cached` (its caller holds
	 * the store away: the outbox, while the link is offline or events wait),
	 * or the store cannot be reached, the incidents seen, once it was listed:
	 * never an empty list made up. The link itself is not consulted here.
	 */
	async list(options: ReadOptions = {}): Promise<string[]> {
		const seen = () => [...this.seen.keys()].sort((a, b) => a - b).map(number => `INC-${number}`);
		if (this.listenerLive && this.listCheckedAt === this.listDoubts) return seen();
		const listedOnce = this.listCheckedAt !== undefined;
		if (listedOnce && options.cached === true) return seen();
		const doubts = this.listDoubts;
		return this.query(async client => {
			const {ids} = await this.seeEveryIncident(client);
			if (doubts === this.listDoubts) this.listCheckedAt = doubts;
			return ids;
		}).catch((error: unknown) => {
			if (error instanceof StoreUnreachable && listedOnce) return seen();
			throw error;
		});
	}

	async create(first: NewEvent): Promise<{id: string; event: JournalEvent}> {
		const envelope = newStamp(this.now);
		const payload = storedPayload(first);
		checkReadable('the declaration', first.type, payload, envelope);
		const declare = () =>
			this.write(client =>
				client.query<EventRow>(`SELECT ${eventColumns} FROM warroom.declare_incident($1::uuid, $2, $3, $4::jsonb)`, [
					envelope.eventId,
					envelope.at,
					first.type,
					payload,
				]),
			);
		// An answer lost on its way back (the link cut after the commit) is asked for once more with the same
		// stamp: declare_incident returns the incident it made then, so the responder never gets two. A
		// declaration never sent (refused, no connection within its timeout) is not: the responder hears at once.
		const row = await declare().catch((error: unknown) => {
			if (!(error instanceof StoreUnreachable && error.sent)) throw error;
			// The first may have committed though the second never reached the store: the responder is told it may exist.
			return declare().catch((retryError: unknown) => {
				if (!(retryError instanceof StoreUnreachable) || retryError.sent) throw retryError;
				throw new StoreUnreachable(retryError.message, {sent: true, cause: retryError});
			});
		});
		this.see(row.incident, row.seq);
		const created = {id: `INC-${row.incident}`, event: storedEvent(row)};
		this.cacheWritten(created.id, created.event);
		return created;
	}

	async append(id: string, event: NewEvent, stamp?: AppendStamp): Promise<JournalEvent> {
		const incident = incidentNumber(id);
		const {eventId, at} = stamp ?? newStamp(this.now);
		const payload = storedPayload(event);
		try {
			try {
				checkReadable(id, event.type, payload, {eventId, at});
			} catch (error) {
				// A stamp or a value read() could not rebuild: sending it again cannot help.
				throw new EventRefused((error as Error).message, {cause: error});
			}
			const row = await this.write(client =>
				client.query<EventRow>(`SELECT ${eventColumns} FROM warroom.append_event($1, $2::uuid, $3, $4, $5, $6::jsonb)`, [
					incident,
					eventId,
					at,
					stamp?.queued === true,
					event.type,
					payload,
				]),
			);
			this.see(row.incident, row.seq);
			const stored = storedEvent(row);
			this.cacheWritten(id, stored);
			return stored;
		} catch (error) {
			const {code} = error as {code?: string};
			if (code === 'P0002') throw new EventRefused(`no incident ${id} in the incident store at ${this.where}`, {cause: error});
			if (isRefusalOfEvent(code)) throw new EventRefused((error as Error).message, {cause: error});
			throw error;
		}
	}

	/**
	 * New rows only (`seq` above the last one read): a long incident is
	 * fetched once. While the listener is live, an incident whose cache
	 * reaches the last seq heard of is not asked for at all.
	 */
	async read(id: string, options: ReadOptions = {}): Promise<IncidentLog> {
		const incident = incidentNumber(id);
		const cached = this.cache.get(id);
		const base = cached ?? {lastSeq: 0, events: [], problems: [], checkedAt: this.readDoubts};
		const known = this.seen.get(incident);
		const current = this.listenerLive && base.checkedAt === this.readDoubts && known !== undefined && base.lastSeq >= known;
		// Asked for while the store is away: what was last read is what the responder sees, at once.
		if (current || (cached && options.cached === true)) return this.withWritten(id, base);
		const checkedAt = this.readDoubts;
		const rows = await this.query(
			async client =>
				(
					await client.query<EventRow>(
						`SELECT ${eventColumns} FROM warroom.events WHERE incident = $1 AND seq > $2 ORDER BY seq`,
						[incident, base.lastSeq],
					)
				).rows,
		).catch((error: unknown) => {
			if (error instanceof StoreUnreachable && cached) return undefined;
			throw error;
		});
		if (!rows) return this.withWritten(id, base);
		const next: Cached = {lastSeq: base.lastSeq, events: [...base.events], problems: [...base.problems], checkedAt};
		for (const row of rows) {
			const event = eventOfRow(row);
			if (typeof event === 'string') next.problems.push({line: row.seq, message: event});
			else next.events.push(event);
			next.lastSeq = row.seq;
		}
		// Two reads at once: the one that got further is kept.
		if (next.lastSeq >= (this.cache.get(id)?.lastSeq ?? 0)) this.cache.set(id, next);
		this.forgetWritten(id, this.cache.get(id)?.lastSeq ?? 0);
		// An incident with no event is not in the store: only one read back is listed.
		if (next.lastSeq > 0) this.see(incident, next.lastSeq);
		return this.withWritten(id, next);
	}

	/** Every NOTIFY on `warroom`, coalesced; after the listener reconnects, once more to catch up on what it missed. */
	watch(onChange: () => void): () => void {
		const watcher = () => onChange();
		this.watchers.add(watcher);
		if (!this.listening) {
			this.listening = true;
			// Live once the listener listens: changes are heard as they happen only from then on.
			this.setLink('connecting');
			this.listenNow();
		}
		return () => {
			this.watchers.delete(watcher);
			if (this.watchers.size === 0) this.stopListening();
		};
	}

	async importIncident(events: readonly JournalEvent[]): Promise<string> {
		checkImport(events);
		const rows = events.map(event => {
			const payload = storedPayload(event);
			const eventId = event.eventId ?? randomUUID();
			checkReadable(`event ${event.seq}`, event.type, payload, {eventId, at: event.at});
			const row = {seq: event.seq, event_id: eventId, at: event.at, actor: event.actor, late: event.late ?? null};
			return {...row, type: event.type, payload: JSON.parse(payload) as unknown};
		});
		const declaration = rows[0]!.event_id;
		const lastSeq = Math.max(...rows.map(row => row.seq));
		return this.query(async client => {
			this.refuseReadOnly();
			await client.query('BEGIN');
			try {
				// A whole incident in one statement, maybe behind a declaration: the long work's timeouts.
				await client.query(longTimeouts('LOCAL'));
				await client.query(longQuery(`SELECT ${declareLock}`));
				const existing = await client.query<{incident: number}>('SELECT incident FROM warroom.events WHERE event_id = $1', [
					declaration,
				]);
				if (existing.rows[0]) {
					const id = `INC-${existing.rows[0].incident}`;
					throw new DuplicateIncident(id, `the incident store at ${this.where} holds this incident already, as ${id}`);
				}
				const {rows: numbered} = await client.query<{number: number}>(
					'INSERT INTO warroom.incidents (number, last_seq) SELECT coalesce(max(number), 0) + 1, $1 FROM warroom.incidents RETURNING number',
					[lastSeq],
				);
				const number = numbered[0]!.number;
				// imported_by set: the trigger keeps the actor given and stamps the role importing.
				await client.query(
					longQuery(
						`INSERT INTO warroom.events (incident, seq, event_id, at, actor, imported_by, late, type, payload)
					SELECT $1, seq, event_id, at, actor, 'import', late, type, payload
					FROM jsonb_to_recordset($2::jsonb) AS e(seq int, event_id uuid, at text, actor text, late boolean, type text, payload jsonb)`,
						[number, JSON.stringify(rows)],
					),
				);
				await client.query("SELECT pg_notify('warroom', $1)", [`INC-${number}:${lastSeq}`]);
				await client.query('COMMIT');
				this.see(number, lastSeq);
				return `INC-${number}`;
			} catch (error) {
				await client.query('ROLLBACK').catch(() => undefined);
				throw error;
			}
		});
	}

	link(): JournalLink {
		return {
			store: 'postgres',
			where: this.where,
			...this.state,
			waiting: 0,
			...(this.readOnly === undefined ? {} : {readOnly: this.readOnly}),
		};
	}

	onLink(listener: () => void): () => void {
		const own = () => listener();
		this.linkListeners.add(own);
		return () => this.linkListeners.delete(own);
	}

	async close(): Promise<void> {
		this.closed = true;
		this.watchers.clear();
		this.stopListening();
		// Listeners still connecting, and their ends, included: nothing of this journal stays connected.
		while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
		const pool = this.pool;
		this.pool = undefined;
		if (pool) await (await pool).end();
	}

	/** A write, refused at once on a role that may only read. */
	private async write(run: (client: pg.PoolClient) => Promise<pg.QueryResult<EventRow>>): Promise<EventRow> {
		const {rows} = await this.query(client => {
			this.refuseReadOnly();
			return run(client);
		});
		return rows[0]!;
	}

	private refuseReadOnly(): void {
		if (this.readOnly !== undefined) throw new Error(`cannot write to the incident store at ${this.where}: ${this.readOnly}`);
	}

	/**
	 * Runs `run` on a pooled connection once the store is checked. A failure
	 * to reach the store is a StoreUnreachable in words (`sent` once `run`
	 * had begun) and takes the link offline; any other failure is thrown as it
	 * is, its message masked. A success brings the link back when nothing
	 * listens, and while the listener waits out its backoff makes it listen
	 * again at once (reconnectNow).
	 */
	private async query<T>(run: (client: pg.PoolClient) => Promise<T>): Promise<T> {
		if (this.closed) throw new Error(`the journal on ${this.where} is closed`);
		const work = (async () => {
			const pool = await this.poolOf();
			let client: pg.PoolClient;
			try {
				client = await pool.connect();
			} catch (error) {
				throw isUnreachable(error) ? this.failure(error) : this.masked(error);
			}
			let sent = false;
			try {
				await (this.ready ??= this.check(client));
				sent = true;
				const result = await run(client);
				client.release();
				if (this.watchers.size === 0 || this.listenerLive) this.setLink('live');
				else this.reconnectNow();
				return result;
			} catch (error) {
				const unreachable = isUnreachable(error);
				// A connection that failed is not handed out again.
				client.release(unreachable ? (error as Error) : undefined);
				throw unreachable ? this.failure(error, sent) : this.masked(error);
			}
		})();
		this.inFlight.add(work);
		try {
			return await work;
		} finally {
			this.inFlight.delete(work);
		}
	}

	private check(client: pg.PoolClient): Promise<void> {
		const checked = (async () => {
			await checkSchema(client, this.where);
			const {role, cannotWrite} = await storeAccess(client);
			this.readOnly = cannotWrite && `the role ${role} may only read the incident store (${cannotWrite})`;
		})();
		// Not kept when it fails: the next query checks again.
		checked.catch(() => (this.ready = undefined));
		return checked;
	}

	private poolOf(): Promise<pg.Pool> {
		this.pool ??= loadPg().then(({pg, Client}) => {
			// Appends from one console at once (a command's start and end, a check): a few connections.
			const pool = new pg.Pool({...storeOptions(this.url), max: 4, allowExitOnIdle: true, Client});
			// An idle connection the server ends is dropped by the pool; the next query connects afresh.
			pool.on('error', () => undefined);
			return pool;
		});
		return this.pool;
	}

	/** `sent`: the statement may have reached the server, its answer lost. */
	private failure(error: unknown, sent = false): StoreUnreachable {
		const message = this.redact(postgresFailure(error, this.where, storeTimeouts));
		this.setLink('offline', message);
		return new StoreUnreachable(message, {sent});
	}

	/** The error with its message (and the stack that repeats it) masked: thrown errors keep their class and code. */
	private masked(error: unknown): unknown {
		if (!(error instanceof Error)) return error;
		error.message = this.redact(error.message);
		if (error.stack !== undefined) error.stack = this.redact(error.stack);
		return error;
	}

	private setLink(state: JournalLink['state'], error?: string): void {
		if (this.state.state === state && this.state.error === error) return;
		this.state = {state, since: Date.now(), ...(error === undefined ? {} : {error})};
		for (const listener of [...this.linkListeners]) listener();
	}

	/** Tells the watchers once, however many notifications arrive together. */
	private changed(): void {
		if (this.changeQueued) return;
		this.changeQueued = true;
		setImmediate(() => {
			this.changeQueued = false;
			this.tellWatchers();
		});
	}

	private tellWatchers(): void {
		for (const watcher of [...this.watchers]) watcher();
	}

	/** Starts a listener, tracked so that close() waits for it. */
	private listenNow(): void {
		this.track(this.listen(this.listenGeneration));
	}

	private async listen(generation: number): Promise<void> {
		const {Client} = await loadPg();
		if (generation !== this.listenGeneration) return;
		// Named apart from the pool's connections: a DBA looking at pg_stat_activity can tell the session that listens.
		const client = new Client({...storeOptions(this.url), application_name: listenerName});
		this.listener = client;
		client.on('notification', ({payload}) => {
			if (this.listener === client) this.heard(payload);
		});
		client.on('error', error => this.lost(client, error));
		client.on('end', () => this.lost(client, new Error('Connection terminated')));
		try {
			await client.connect();
			await client.query('LISTEN warroom');
		} catch (error) {
			this.lost(client, error);
			return;
		}
		if (this.orphaned(client, generation)) return;
		this.nextDelayMs = this.reconnectMs.first;
		// Listening first, then catching up: nothing appended from now on is missed.
		this.setLink('connecting');
		let missed: boolean;
		const listDoubts = this.listDoubts;
		try {
			missed = (await this.seeEveryIncident(client)).missed || this.listenedBefore;
		} catch (error) {
			this.lost(client, error);
			return;
		}
		if (this.orphaned(client, generation)) return;
		// Every incident the store holds is seen now, unless a notification since said otherwise.
		if (listDoubts === this.listDoubts) this.listCheckedAt = listDoubts;
		this.listenedBefore = true;
		// Told before the link is live: whoever sees it live has been told.
		if (missed) this.tellWatchers();
		this.listenerLive = true;
		this.setLink('live');
		this.heartbeat(client);
	}

	/** Asks the listener's server, after a pause, whether it is there; again after each answer, until the listener changes. */
	private heartbeat(client: pg.Client): void {
		this.heartbeatTimer = setTimeout(() => {
			// The listener's query_timeout bounds the wait for an answer.
			client.query('SELECT 1').then(
				() => {
					if (this.listener !== client) return;
					// The server answers: a query that failed meanwhile (a pooled connection the cut killed) no longer says offline.
					this.setLink('live');
					this.heartbeat(client);
				},
				(error: unknown) => this.lost(client, error),
			);
		}, this.heartbeatMs);
		this.heartbeatTimer.unref();
	}

	/** Ends `client` when listening stopped (or another listener took over) while it connected: true then. */
	private orphaned(client: pg.Client, generation: number): boolean {
		if (generation === this.listenGeneration && this.listener === client) return false;
		this.end(client);
		return true;
	}

	private end(client: pg.Client): void {
		this.track(client.end().catch(() => undefined));
	}

	private track(work: Promise<unknown>): void {
		this.inFlight.add(work);
		const done = () => this.inFlight.delete(work);
		void work.then(done, done);
	}

	/**
	 * An event just written joins the cached log when it is the next one, so
	 * it is shown even if the store cannot be read next; past a gap, it is
	 * kept apart (`written`) until a read fills the gap.
	 */
	private cacheWritten(id: string, event: JournalEvent): void {
		const cached = this.cache.get(id) ?? {lastSeq: 0, events: [], problems: [], checkedAt: this.readDoubts};
		if (cached.lastSeq === event.seq - 1) {
			this.cache.set(id, {...cached, lastSeq: event.seq, events: [...cached.events, event]});
			this.forgetWritten(id, event.seq);
		} else if (event.seq > cached.lastSeq) this.written.set(id, [...(this.written.get(id) ?? []), event]);
	}

	/** The cached log, with the events written past its end, in seq order. */
	private withWritten(id: string, cached: Cached): IncidentLog {
		const written = (this.written.get(id) ?? []).filter(event => event.seq > cached.lastSeq);
		const events = [...cached.events, ...written.sort((a, b) => a.seq - b.seq)];
		return {id, events, problems: [...cached.problems]};
	}

	/** Events written up to `lastSeq` are in the cached log now, read from the store. */
	private forgetWritten(id: string, lastSeq: number): void {
		const left = (this.written.get(id) ?? []).filter(event => event.seq > lastSeq);
		if (left.length > 0) this.written.set(id, left);
		else this.written.delete(id);
	}

	private see(incident: number, seq: number): void {
		this.seen.set(incident, Math.max(seq, this.seen.get(incident) ?? 0));
	}

	/**
	 * Sees every incident's last seq: for a list, and for the catch-up once the
	 * listener listens (whatever was appended while it was away is then known,
	 * and read when asked for). `missed`: the store held an incident, or an
	 * event, not seen yet.
	 */
	private async seeEveryIncident(client: pg.ClientBase): Promise<{ids: string[]; missed: boolean}> {
		const {rows} = await client.query<{number: number; last_seq: number}>(
			'SELECT number, last_seq FROM warroom.incidents ORDER BY number',
		);
		const missed = rows.some(row => (this.seen.get(row.number) ?? -1) < row.last_seq);
		for (const row of rows) this.see(row.number, row.last_seq);
		return {ids: rows.map(row => `INC-${row.number}`), missed};
	}

	/** A notification: the incident and seq it names are seen; anything it cannot vouch for makes the next list, or every read, ask the store. */
	private heard(payload: string | undefined): void {
		const change = notifiedChange(payload);
		if (!change) {
			this.readDoubts++;
			this.listDoubts++;
		} else if (this.seen.has(change.incident)) this.see(change.incident, change.seq);
		else this.listDoubts++;
		this.changed();
	}

	private lost(client: pg.Client, error: unknown): void {
		if (this.listener !== client) return;
		this.listener = undefined;
		this.listenerLive = false;
		clearTimeout(this.heartbeatTimer);
		this.end(client);
		this.setLink('offline', this.redact(postgresFailure(error, this.where, storeTimeouts)));
		if (!this.listening) return;
		this.reconnectTimer = setTimeout(() => {
			this.reconnectTimer = undefined;
			this.listenNow();
		}, this.nextDelayMs);
		this.reconnectTimer.unref();
		this.nextDelayMs = Math.min(this.nextDelayMs * 2, this.reconnectMs.max);
	}

	/** The store answers while the listener waits out its backoff (a link back after a long cut): it reconnects now, not up to 5 s later. */
	private reconnectNow(): void {
		if (this.reconnectTimer === undefined) return;
		clearTimeout(this.reconnectTimer);
		this.reconnectTimer = undefined;
		this.listenNow();
	}

	private stopListening(): void {
		this.listening = false;
		this.listenGeneration++;
		clearTimeout(this.reconnectTimer);
		clearTimeout(this.heartbeatTimer);
		this.reconnectTimer = undefined;
		const client = this.listener;
		this.listener = undefined;
		this.listenerLive = false;
		if (client) this.end(client);
	}
}
