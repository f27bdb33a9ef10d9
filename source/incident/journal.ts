/**
 * The incident journal: an append-only log of events per incident. The file
 * journal is the embedded default; a shared store (PostgreSQL, with
 * LISTEN/NOTIFY) stands in for it behind the same interface, so consoles on
 * several hosts share one incident. What an event holds is in events.ts.
 */
import {randomUUID} from 'node:crypto';
import type {JournalEvent, NewEvent} from './events';

/** `INC-N`, N from 1: the only ids a journal accepts, so no id can name a path. */
export const isIncidentId = (id: string) => /^INC-[1-9]\d*$/.test(id);

/** N of `INC-N`; any other id is refused in words. */
export function incidentNumber(id: string): number {
	if (!isIncidentId(id)) throw new Error(`invalid incident id ${JSON.stringify(id)}: expected INC-<n>, n >= 1`);
	return Number(id.slice('INC-'.length));
}

/** A line that could not be read back, with its 1-based line number. */
export type JournalProblem = {line: number; message: string};

/** An incident file that could not be read at all, so it was skipped; the message names the file and says why. */
export type SkippedIncident = {incident: string; message: string};

/** Thrown by `read` for an incident that cannot be read at all (a directory, another user's file): callers skip it and say so. */
export class UnreadableIncident extends Error {
	override name = 'UnreadableIncident';

	constructor(
		readonly incident: string,
		message: string,
	) {
		super(message);
	}
}

export type IncidentLog = {
	id: string;
	events: JournalEvent[];
	problems: JournalProblem[];
};

/**
 * Thrown by a shared store that cannot be reached (refused, cut, timed out):
 * the outbox keeps an append made then, and sends it when the store is back.
 * Any other failure is thrown as it is; EventRefused says it is final.
 */
export class StoreUnreachable extends Error {
	override name = 'StoreUnreachable';
	/** The request may have reached the store, its answer lost or not waited for: it may have been carried out. */
	readonly sent: boolean;

	constructor(message: string, options: ErrorOptions & {sent?: boolean} = {}) {
		super(message, options);
		this.sent = options.sent ?? false;
	}
}

/**
 * Thrown by a shared store's `append` for what is wrong with that event
 * itself (no such incident, its id used in another incident, a value the
 * store cannot take, a stamp that could not be read back): sending it again
 * cannot help, so the outbox sets it aside. Anything else may pass (a lock
 * held, a timeout, a deadlock, a schema being migrated): the event waits.
 */
export class EventRefused extends Error {
	override name = 'EventRefused';
}

/** Thrown by `importIncident` when the store already holds that incident (its declaration's `eventId`). */
export class DuplicateIncident extends Error {
	override name = 'DuplicateIncident';

	constructor(
		/** The id the incident already has in this store. */
		readonly existing: string,
		message: string,
	) {
		super(message);
	}
}

/**
 * What a caller may fix of an event instead of the journal: its id and its
 * time, both made by the console that wrote it first. The outbox sends a
 * queued event with the stamp it was queued with, so a resend is the same
 * event (kept once) and the time is when it happened, not when it arrived.
 */
export type AppendStamp = {
	eventId: string;
	at: string;
	/** Sent from an outbox after waiting there: marked late when others wrote after its time meanwhile. A live append never is, whatever the hosts' clocks say. */
	queued?: boolean;
};

/**
 * Whether an event sent with `stamp` is late: it waited in an outbox, and the
 * incident already holds an event stamped after it. Times compare as moments,
 * never as text (`03:00:00Z` is before `03:00:00.5Z`), as the store's
 * `append_event` compares them.
 */
export const arrivesLate = (stamp: AppendStamp, events: ReadonlyArray<{at: string}>) =>
	stamp.queued === true && events.some(({at}) => Date.parse(at) > Date.parse(stamp.at));

/** A fresh stamp for an event made now: its id, and its time. */
export const newStamp = (now: () => Date): AppendStamp => ({eventId: randomUUID(), at: now().toISOString()});

/** How the journal stands with its store: a file journal is always live. */
export type JournalLink = {
	store: 'file' | 'postgres';
	/** The directory, or `host:port/database` (never a user or a password). */
	where: string;
	/** `live`: changes are heard as they happen; `connecting`: catching up after a start or a cut; `offline`: the store cannot be reached. */
	state: 'live' | 'connecting' | 'offline';
	/** When this state began (ms since the epoch): "offline 40s". */
	since: number;
	/** Events kept in the local outbox, waiting for the store. */
	waiting: number;
	/** Why the store cannot be reached, masked of secrets. */
	error?: string;
	/** Set when this console may read the store but not write to it, saying why: the console is then read-only. */
	readOnly?: string;
};

/**
 * How a shared store's `read` and `list` may answer a caller that holds the
 * store away (its link offline, or events waiting after it failed to take
 * them): `cached`, from what was last read or written, if anything was,
 * without asking the store, so the timeline never waits out its timeouts.
 */
export type ReadOptions = {cached?: boolean};

export type Journal = {
	/** Incident ids (`INC-N`), oldest first. */
	list(): Promise<string[]>;
	/** Opens a new incident under a fresh id, unique even when consoles declare at once. */
	create(first: NewEvent): Promise<{id: string; event: JournalEvent}>;
	/** Appends one event; resolves once it is durable (fsync'd, or committed). */
	append(id: string, event: NewEvent, stamp?: AppendStamp): Promise<JournalEvent>;
	/** Replays an incident; unreadable lines are reported in `problems`, an unreadable incident throws `UnreadableIncident`. */
	read(id: string): Promise<IncidentLog>;
	/** Calls `onChange` when any incident is created or appended to, by anyone. */
	watch(onChange: () => void): () => void;
	/**
	 * Writes an incident's events as they were (seq, at, actor, eventId kept)
	 * under a fresh id, which it returns; throws DuplicateIncident when this
	 * journal holds it already.
	 */
	importIncident(events: readonly JournalEvent[]): Promise<string>;
	/** How the journal stands with its store now. */
	link(): JournalLink;
	/** Calls `listener` whenever `link()` changes. */
	onLink(listener: () => void): () => void;
	/**
	 * Calls `listener` with what the user must be told of the store's work
	 * (a queued change that clashed with someone else's, an event refused);
	 * only a journal with an outbox has any.
	 */
	onNotice?(listener: (text: string) => void): () => void;
	/** Lets go of connections and watchers; appends still in flight finish first. */
	close(): Promise<void>;
};

/** A journal on a store shared across hosts (PostgreSQL), which the outbox reads from the cache while the store is away. */
export type SharedStore = Journal & {
	list(options?: ReadOptions): Promise<string[]>;
	read(id: string, options?: ReadOptions): Promise<IncidentLog>;
};
