/**
 * How the journal stands with its shared store, as the header says it: a few
 * calm words while it is not all well, nothing while it is (a file journal
 * never has anything to say).
 */
import type {JournalLink} from '../incident/journal';
import {formatSpan} from '../text/duration';

const waitingText = (count: number) => `${count} ${count === 1 ? 'event' : 'events'} waiting`;

/** `journal: offline 40s, 2 events waiting`, `journal: connecting…`, `journal: sending 2`; undefined when live with nothing waiting. */
export function journalLinkText(link: JournalLink | undefined, now: number): string | undefined {
	if (!link) return undefined;
	const waiting = link.waiting > 0 ? `, ${waitingText(link.waiting)}` : '';
	switch (link.state) {
		case 'live':
			return link.waiting > 0 ? `journal: sending ${link.waiting}` : undefined;
		case 'connecting':
			return `journal: connecting…${waiting}`;
		case 'offline':
			// A clock stepped back never shows a negative time.
			return `journal: offline ${formatSpan(Math.max(0, now - link.since))}${waiting}`;
	}
}

/** Offline is red: what is typed stays on this host. Catching up is a warning; sending what waited, calm. */
export const journalLinkTone = (link: JournalLink): 'bad' | 'warn' | 'dim' =>
	link.state === 'offline' ? 'bad' : link.state === 'connecting' ? 'warn' : 'dim';
