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

const twoDigits = (value: number) => String(value).padStart(2, '0');

/** `HH:MM:SS` in `timeZone`, else in the reader's. */
export function localTime(at: string, timeZone?: string): string {
	const date = new Date(at);
	if (timeZone) return date.toLocaleTimeString('en-GB', {hour12: false, timeZone});
	// Not through Intl: its first formatter costs ~10 ms of the first frame, and the local fields are the same.
	return `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}`;
}
