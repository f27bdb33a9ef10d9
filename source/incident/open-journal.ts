/**
 * The one place that builds a journal: the file journal, or the PostgreSQL
 * store when `incidents.store` says so. A drill always keeps its own file
 * journal under the data directory: a rehearsal never reaches the shared store.
 */
import {join} from 'node:path';
import type {Settings} from '../config/settings';
import {FileJournal} from './file-journal';
import type {Journal} from './journal';

export type JournalSettings = Pick<Settings, 'config' | 'dataDir' | 'actor' | 'redact'>;

/** Where the file journal (and the notifications' outbox) lives: a drill's apart from real incidents, so it never shows up in `warroom note`. */
export const journalDir = (dataDir: string, drill?: string) => (drill === undefined ? dataDir : join(dataDir, 'drills', drill));

/**
 * The journal the settings choose, opened: a store whose schema this build
 * does not know, or has none, throws StoreSchemaMismatch (exit 2); a store
 * that cannot be reached opens anyway, offline, says so on its link, and
 * keeps what is written meanwhile in the local outbox.
 */
export async function openJournal(settings: JournalSettings, options: {drill?: string} = {}): Promise<Journal> {
	const {config, dataDir, actor, redact} = settings;
	if (options.drill !== undefined || config.incidents.store !== 'postgres')
		return new FileJournal({dir: journalDir(dataDir, options.drill), actor});
	const [{PostgresJournal}, {OutboxJournal}, {StoreUnreachable}] = await Promise.all([
		import('./postgres-journal'),
		import('./outbox-journal'),
		import('./journal'),
	]);
	const store = new PostgresJournal({...(config.incidents.url === undefined ? {} : {url: config.incidents.url}), redact});
	try {
		await store.open();
	} catch (error) {
		if (!(error instanceof StoreUnreachable)) {
			await store.close();
			throw error;
		}
	}
	// What is written while the store cannot be reached waits in the data directory's outbox.
	return new OutboxJournal({store, dataDir, actor, redact});
}

/**
 * Runs a one-shot command's work on the journal and closes it however the command
 * ends, so a shared store's connections never hold the process open; what
 * the outbox must tell (a queued change that clashed) goes to `tell`.
 */
export async function withJournal<T>(
	settings: JournalSettings,
	work: (journal: Journal) => Promise<T>,
	tell: (text: string) => void,
): Promise<T> {
	const journal = await openJournal(settings);
	const stopTelling = journal.onNotice?.(tell);
	try {
		return await work(journal);
	} finally {
		await journal.close();
		stopTelling?.();
	}
}
