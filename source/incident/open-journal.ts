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
 * that cannot be reached opens anyway, offline, and says so on its link.
 */
export async function openJournal(settings: JournalSettings, options: {drill?: string} = {}): Promise<Journal> {
	const {config, dataDir, actor, redact} = settings;
	if (options.drill !== undefined || config.incidents.store !== 'postgres')
		return new FileJournal({dir: journalDir(dataDir, options.drill), actor});
	const [{PostgresJournal}, {StoreUnreachable}] = await Promise.all([import('./postgres-journal'), import('./journal')]);
	const journal = new PostgresJournal({...(config.incidents.url === undefined ? {} : {url: config.incidents.url}), redact});
	try {
		await journal.open();
	} catch (error) {
		if (!(error instanceof StoreUnreachable)) {
			await journal.close();
			throw error;
		}
	}
	return journal;
}
