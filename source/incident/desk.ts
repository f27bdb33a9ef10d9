/**
 * The incident desk: which incident the console is on, and every change to
 * it, through the journal. Both the console and the one-shot subcommands
 * (`declare`, `note`, `status`, `severity`) go through here.
 */
import {newEvent, type JournalEvent, type NewEvent} from './events';
import {currentIncident, replayIncident, type Incident} from './incident';
import type {IncidentLog, Journal, JournalProblem} from './journal';
import type {Severity} from './policy';

export type DeskView = {incident?: Incident; problems: JournalProblem[]};

async function readIncidents(journal: Journal): Promise<Array<{log: IncidentLog; incident?: Incident}>> {
	const ids = await journal.list();
	const logs = await Promise.all(ids.map(id => journal.read(id)));
	return logs.map(log => ({log, incident: replayIncident(log.id, log.events)}));
}

/** The incident a command acts on: the one named, else the newest unresolved. */
export async function resolveIncident(journal: Journal, explicitId?: string): Promise<IncidentLog & {incident: Incident}> {
	if (explicitId) {
		const log = await journal.read(explicitId);
		const incident = replayIncident(log.id, log.events);
		if (!incident) {
			// A first line that did not read is why, more often than a journal that lost its declaration.
			const problem = log.problems.find(({line}) => line === 1);
			throw new Error(`${explicitId} has no ${problem ? `valid declaration: journal line 1: ${problem.message}` : 'declaration'}`);
		}
		return {...log, incident};
	}
	const all = await readIncidents(journal);
	const newest = currentIncident(all.flatMap(({incident}) => (incident ? [incident] : [])));
	const found = all.find(({incident}) => incident && incident === newest);
	if (!found?.incident) throw new Error('no unresolved incident: declare one, or name it with --incident INC-N');
	return {...found.log, incident: found.incident};
}

export type DeclareFields = {title: string; severity: Severity; services: string[]; commander?: string};

export class IncidentDesk {
	private shownId: string | undefined;
	private refreshing: Promise<void> | undefined;
	private refreshAgain = false;

	constructor(
		private readonly journal: Journal,
		private readonly publish: (view: DeskView) => void,
		private readonly options: {pinnedId?: string; drill?: string} = {},
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
				void this.refresh();
			}
		});
		return this.refreshing;
	}

	private async readShown(): Promise<void> {
		if (!this.options.pinnedId) {
			const newest = currentIncident(
				(await readIncidents(this.journal)).flatMap(({incident}) => (incident ? [incident] : [])),
			);
			if (newest) this.shownId = newest.id;
		}
		if (!this.shownId) {
			this.publish({problems: []});
			return;
		}
		const log = await this.journal.read(this.shownId);
		const incident = replayIncident(log.id, log.events);
		this.publish({...(incident ? {incident} : {}), problems: log.problems});
	}

	/** Follows changes made by any console on the same journal. */
	watch(): () => void {
		return this.journal.watch(() => void this.refresh());
	}

	async declare(fields: DeclareFields): Promise<string> {
		const {id} = await this.journal.create(
			newEvent.declared({...fields, ...(this.options.drill ? {drill: this.options.drill} : {})}),
		);
		this.shownId = id;
		await this.refresh();
		return id;
	}

	/** Appends to the incident on screen. */
	async record(event: NewEvent): Promise<JournalEvent> {
		if (!this.shownId) throw new Error('no incident: declare one first (d)');
		const written = await this.journal.append(this.shownId, event);
		await this.refresh();
		return written;
	}
}
