/**
 * The incident desk: which incident the console is on, and every change to
 * it, through the journal. Both the console and the one-shot subcommands
 * (`declare`, `note`, `status`, `severity`) go through here.
 */
import type {Declared, JournalEvent, NewEvent} from './events';
import {currentIncident, replayIncident, type Incident} from './incident';
import {UnreadableIncident, type IncidentLog, type Journal, type JournalProblem, type SkippedIncident} from './journal';

export type DeskView = {incident?: Incident; problems: Array<JournalProblem | SkippedIncident>};

type Replayed = IncidentLog & {incident?: Incident};

/** Turns a log into the incident it describes. */
type Replay = (log: IncidentLog) => Incident | undefined;

const replayLog: Replay = log => replayIncident(log.id, log.events);

/** The same events, one by one: what a journal hands out again for events it has already read. */
const sameEvents = (before: readonly JournalEvent[], now: readonly JournalEvent[]) =>
	before.length === now.length && before.every((event, index) => event === now[index]);

/** An incident read and replayed, or the reason it was skipped; any other failure is thrown. */
async function readIncident(journal: Journal, id: string, replay = replayLog): Promise<Replayed | {skipped: SkippedIncident}> {
	try {
		const log = await journal.read(id);
		return {...log, incident: replay(log)};
	} catch (error) {
		if (error instanceof UnreadableIncident) return {skipped: {incident: error.incident, message: error.message}};
		throw error;
	}
}

/** Every incident that can be read; one that cannot is skipped and reported, and hides no other. */
async function readIncidents(journal: Journal, replay = replayLog): Promise<{readable: Replayed[]; skipped: SkippedIncident[]}> {
	const results = await Promise.all((await journal.list()).map(id => readIncident(journal, id, replay)));
	return {
		readable: results.flatMap(result => ('skipped' in result ? [] : [result])),
		skipped: results.flatMap(result => ('skipped' in result ? [result.skipped] : [])),
	};
}

export type Lookup = {found?: IncidentLog & {incident: Incident}; skipped: SkippedIncident[]};

/** The incident a command acts on: the one named, else the newest unresolved; with the files skipped looking for it. */
export async function lookUpIncident(journal: Journal, explicitId?: string): Promise<Lookup> {
	if (explicitId) {
		const result = await readIncident(journal, explicitId);
		if ('skipped' in result) return {skipped: [result.skipped]};
		if (!result.incident) {
			// A first line that did not read is why, more often than a journal that lost its declaration.
			const problem = result.problems.find(({line}) => line === 1);
			throw new Error(
				`${explicitId} has no ${problem ? `valid declaration: journal line 1: ${problem.message}` : 'declaration'}`,
			);
		}
		return {found: {...result, incident: result.incident}, skipped: []};
	}
	const {readable, skipped} = await readIncidents(journal);
	const newest = currentIncident(readable.flatMap(({incident}) => (incident ? [incident] : [])));
	const found = readable.find(({incident}) => incident && incident === newest);
	return {...(found?.incident ? {found: {...found, incident: found.incident}} : {}), skipped};
}

/** Like `lookUpIncident`, but there must be one. */
export async function resolveIncident(
	journal: Journal,
	explicitId?: string,
): Promise<IncidentLog & {incident: Incident; skipped: SkippedIncident[]}> {
	const {found, skipped} = await lookUpIncident(journal, explicitId);
	if (found) return {...found, skipped};
	if (explicitId) throw new Error(skipped[0]?.message ?? `no incident ${explicitId}`);
	throw new Error('no unresolved incident: declare one, or name it with --incident INC-N');
}

export class IncidentDesk {
	private shownId: string | undefined;
	private refreshing: Promise<void> | undefined;
	private refreshAgain = false;
	/** Each incident's last replay and the events it was made from. */
	private readonly replays = new Map<string, {events: readonly JournalEvent[]; incident: Incident | undefined}>();

	constructor(
		private readonly journal: Journal,
		private readonly publish: (view: DeskView) => void,
		private readonly options: {
			pinnedId?: string;
			drill?: string;
			/** Told when the journal cannot be re-read after a change, which the change itself survives. */
			onError?: (error: unknown) => void;
		} = {},
	) {
		this.shownId = options.pinnedId;
	}

	/**
	 * Re-reads the journal and publishes the incident on screen: the pinned one,
	 * else the newest unresolved, else the one already shown (so a resolved
	 * incident stays up until another is declared).
	 */
	refresh(): Promise<void> {
		if (this.refreshing) {
			this.refreshAgain = true;
			return this.refreshing;
		}
		this.refreshing = this.readShown().finally(() => {
			this.refreshing = undefined;
			if (this.refreshAgain) {
				this.refreshAgain = false;
				void this.refreshAfterChange();
			}
		});
		return this.refreshing;
	}

	/**
	 * Replays only an incident whose events changed: journals hand out the
	 * same event objects for what they have read before (the file journal's
	 * scan, the store's cache) and new ones for anything read afresh (a file
	 * rewritten in place, events waiting in the outbox), so with a long
	 * history a note costs the replay of its own incident alone.
	 */
	private readonly replay: Replay = log => {
		const last = this.replays.get(log.id);
		if (last && sameEvents(last.events, log.events)) return last.incident;
		const incident = replayLog(log);
		this.replays.set(log.id, {events: log.events, incident});
		return incident;
	};

	private async readShown(): Promise<void> {
		let skipped: SkippedIncident[] = [];
		let shown: Replayed | {skipped: SkippedIncident} | undefined;
		if (!this.options.pinnedId) {
			const all = await readIncidents(this.journal, this.replay);
			skipped = all.skipped;
			const newest = currentIncident(all.readable.flatMap(({incident}) => (incident ? [incident] : [])));
			if (newest) this.shownId = newest.id;
			// Already read and replayed: on a long journal, a second pass would cost as much again.
			shown = all.readable.find(({id}) => id === this.shownId);
		}
		if (!shown && this.shownId && !skipped.some(({incident}) => incident === this.shownId))
			shown = await readIncident(this.journal, this.shownId, this.replay);
		if (!shown || 'skipped' in shown) {
			this.publish({problems: shown ? [...skipped, shown.skipped] : skipped});
			return;
		}
		this.publish({...(shown.incident ? {incident: shown.incident} : {}), problems: [...skipped, ...shown.problems]});
	}

	/** Follows changes made by any console on the same journal. */
	watch(): () => void {
		return this.journal.watch(() => void this.refreshAfterChange());
	}

	/** Opens an incident. The declaration comes whole, so every field it has reaches the journal; a drill adds only its name. */
	async declare(declared: Declared): Promise<string> {
		const {id} = await this.journal.create({...declared, ...(this.options.drill ? {drill: this.options.drill} : {})});
		this.shownId = id;
		await this.refreshAfterChange();
		return id;
	}

	/** Appends to the incident on screen. */
	async record(event: NewEvent): Promise<{incident: string; event: JournalEvent}> {
		const incident = this.shownId;
		if (!incident) throw new Error('no incident: declare one first (d)');
		const written = await this.journal.append(incident, event);
		await this.refreshAfterChange();
		return {incident, event: written};
	}

	/** The change is on disk whatever happens here: a failure to show it must not read as a failed write, or a retry would write it twice. */
	private refreshAfterChange(): Promise<void> {
		return this.refresh().catch((error: unknown) => this.options.onError?.(error));
	}
}
