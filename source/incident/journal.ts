/**
 * The incident journal: an append-only log of events per incident. The file
 * journal is the embedded default; the interface stays small so a shared
 * store (PostgreSQL with LISTEN/NOTIFY) can stand in for it later. What an
 * event holds is in events.ts.
 */
import type {JournalEvent, NewEvent} from './events';

/** `INC-N`, N from 1: the only ids a journal accepts, so no id can name a path. */
export const isIncidentId = (id: string) => /^INC-[1-9]\d*$/.test(id);

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

export type Journal = {
	/** Incident ids (`INC-N`), oldest first. */
	list(): Promise<string[]>;
	/** Opens a new incident under a fresh id, unique even when consoles declare at once. */
	create(first: NewEvent): Promise<{id: string; event: JournalEvent}>;
	/** Appends one event; resolves once it is on disk (fsync'd). */
	append(id: string, event: NewEvent): Promise<JournalEvent>;
	/** Replays an incident; unreadable lines are reported in `problems`, an unreadable incident throws `UnreadableIncident`. */
	read(id: string): Promise<IncidentLog>;
	/** Calls `onChange` when any incident is created or appended to, by anyone. */
	watch(onChange: () => void): () => void;
};
