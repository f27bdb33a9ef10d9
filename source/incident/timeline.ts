/** Journal events as the timeline writes them: one line each, in the reader's local time. */
import type {JournalEvent} from './events';

export function describeEvent(event: JournalEvent): string {
	switch (event.type) {
		case 'declared': {
			const services = event.services.length > 0 ? ` (${event.services.join(', ')})` : '';
			return `declared ${event.severity} "${event.title}"${services}`;
		}
		case 'severity':
			return `severity ${event.from} → ${event.severity}`;
		case 'status':
			return `status ${event.from} → ${event.status}`;
		case 'note':
			return `note: ${event.text}`;
		case 'escalated':
			return `escalated to ${event.to}`;
		case 'communicated':
			return `sent the ${event.template} customer message`;
		case 'checked':
			return `${event.done ? 'ticked' : 'unticked'} "${event.item}"`;
	}
}

/** `HH:MM:SS` in the time zone the formatter was made for (the reader's, by default). */
export function localTime(at: string, timeZone?: string): string {
	return new Date(at).toLocaleTimeString('en-GB', {hour12: false, ...(timeZone ? {timeZone} : {})});
}
