/**
 * How the journal stands with its shared store, as the header says it: a few
 * calm words while it is not all well, nothing while it is (a file journal
 * never has anything to say).
 */
import type {JournalLink} from '../incident/journal';
import {formatSpan} from '../text/duration';
import {plural} from '../text/plural';

/** `offline 40s, 2 events waiting`, `connecting…`, `sending 2`; undefined when live with nothing waiting. */
function linkState(link: JournalLink, now: number): string | undefined {
	const waiting = link.waiting > 0 ? `, ${plural(link.waiting, 'event')} waiting` : '';
	switch (link.state) {
		case 'live':
			return link.waiting > 0 ? `sending ${link.waiting}` : undefined;
		case 'connecting':
			return `connecting…${waiting}`;
		case 'offline':
			// A clock stepped back never shows a negative time.
			return `offline ${formatSpan(Math.max(0, now - link.since))}${waiting}`;
	}
}

/** The header's mark: `journal: offline 40s, 2 events waiting`, `journal: connecting…`, `journal: sending 2`; undefined when all is well. */
export function journalLinkText(link: JournalLink | undefined, now: number): string | undefined {
	const state = link && linkState(link, now);
	return state === undefined ? undefined : `journal: ${state}`;
}

/**
 * The `?` line about a shared store: where it is, why it cannot be reached
 * while it cannot, and how it stands. None for a file journal.
 */
export function journalLinkDetail(link: JournalLink | undefined, now: number): string | undefined {
	if (!link || link.store === 'file') return undefined;
	// Why first: the header says how it stands already, and a long line loses its end.
	const why = link.state !== 'live' && link.error !== undefined ? `${link.error} · ` : '';
	return `journal on ${link.where}: ${why}${linkState(link, now) ?? 'live'}`;
}

/** Offline is red: what is typed stays on this host. Catching up is a warning; sending what waited, calm. */
export const journalLinkTone = (link: JournalLink): 'bad' | 'warn' | 'dim' =>
	link.state === 'offline' ? 'bad' : link.state === 'connecting' ? 'warn' : 'dim';
