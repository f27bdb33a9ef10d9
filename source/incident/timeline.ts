/** Journal events as the timeline writes them: one line each, in the reader's local time. */
import type {JournalEvent} from './journal';

const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

export function describeEvent(event: JournalEvent): string {
	switch (event.type) {
		case 'declared': {
			const services = Array.isArray(event.services) && event.services.length > 0 ? ` (${event.services.join(', ')})` : '';
			return `declared ${text(event.severity)} "${text(event.title)}"${services}`;
		}
		case 'severity':
			return `severity ${text(event.from)} → ${text(event.severity)}`;
		case 'status':
			return `status ${text(event.from)} → ${text(event.status)}`;
		case 'note':
			return `note: ${text(event.text)}`;
		case 'escalated':
			return `escalated to ${text(event.to)}`;
		case 'communicated':
			return `sent the ${text(event.template)} customer message`;
		case 'checked':
			return `${event.done === true ? 'ticked' : 'unticked'} "${text(event.item)}"`;
		default: {
			const {seq, at, actor, type, ...payload} = event;
			return `${type} ${JSON.stringify(payload)}`;
		}
	}
}

/** `HH:MM:SS` in the time zone the formatter was made for (the reader's, by default). */
export function localTime(at: string, timeZone?: string): string {
	return new Date(at).toLocaleTimeString('en-GB', {hour12: false, ...(timeZone ? {timeZone} : {})});
}
