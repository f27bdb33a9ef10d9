import type {JournalLink} from '../../source/incident/journal';

/** Links to a shared store live since `now`, nothing waiting, as changed by each call's `change`: the header's cases. */
export const storeLinksAt =
	(now: number) =>
	(change: Partial<JournalLink>): JournalLink => ({
		store: 'postgres',
		where: 'db.internal:5432/warroom',
		state: 'live',
		since: now,
		waiting: 0,
		...change,
	});
