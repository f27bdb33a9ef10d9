/**
 * Moving an incident between stores (`warroom journal export` and `import`):
 * what an incident must look like to be imported, how an exported file is
 * read back, and how a store tells an incident it holds already. Pure: the
 * command reads the file, the journal writes the events.
 */
import {createHash} from 'node:crypto';
import {InputError} from '../errors';
import {parseEvent, type JournalEvent} from './events';

/** What is wrong with an incident's events as a whole, and which (0-based) event shows it. */
export type SequenceProblem = {index: number; message: string};

/**
 * Why `events` cannot be one incident, or undefined: it starts with its
 * declaration as seq 1, is numbered without gaps, and no event id repeats
 * (a store keeps an event once by its id).
 */
export function sequenceProblem(events: readonly JournalEvent[]): SequenceProblem | undefined {
	if (events.length === 0) return {index: 0, message: 'no events: expected the declaration first'};
	const [first] = events;
	if (first!.type !== 'declared') {
		return {index: 0, message: `expected the declaration (type "declared") first, got type ${JSON.stringify(first!.type)}`};
	}
	const seenIds = new Map<string, number>();
	for (const [index, {seq, eventId}] of events.entries()) {
		const expected = index + 1;
		if (seq < expected) return {index, message: `seq ${seq} again, expected ${expected}`};
		if (seq > expected) return {index, message: `seq ${seq} leaves a gap, expected ${expected}`};
		if (eventId === undefined) continue;
		const earlier = seenIds.get(eventId);
		if (earlier !== undefined) return {index, message: `event id ${JSON.stringify(eventId)} again (seq ${earlier} has it)`};
		seenIds.set(eventId, seq);
	}
	return undefined;
}

/** Throws unless `events` are one incident (sequenceProblem): a journal's importIncident checks what it is given. */
export function checkImport(events: readonly JournalEvent[]): void {
	const problem = sequenceProblem(events);
	if (problem) throw new Error(`cannot import: event ${problem.index + 1}: ${problem.message}`);
}

/**
 * An id for an event written before events had one: a hash of its
 * incident's declaration line and its seq, shaped as a UUID (version 8,
 * "custom"), so importing the same old file twice gives the same ids and
 * the store refuses the second import.
 */
export function derivedEventId(declarationLine: string, seq: number): string {
	const hex = createHash('sha256').update(`${declarationLine}\n${seq}`).digest('hex');
	const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Whether two declarations are the same incident: by event id when both
 * have one, else (lines written before event ids) by when, by whom and
 * under which title it was declared.
 */
export function isSameIncident(a: JournalEvent, b: JournalEvent): boolean {
	if (a.eventId !== undefined && b.eventId !== undefined) return a.eventId === b.eventId;
	return a.type === 'declared' && b.type === 'declared' && a.at === b.at && a.actor === b.actor && a.title === b.title;
}

/** An event as a store imports it: `pending` is never stored, and `importedBy` names who imports it now. */
export function importedEvent(event: JournalEvent, importer: string): JournalEvent {
	const kept = Object.entries(event).filter(([key]) => key !== 'pending' && key !== 'importedBy');
	return {...(Object.fromEntries(kept) as JournalEvent), importedBy: importer};
}

/**
 * The incident in an exported file (one event a JSON line): every line
 * checked as the journal checks it, then the whole as `sequenceProblem`
 * does; an event without an id gets `derivedEventId`. A bad line throws an
 * InputError naming `source:line` and what was expected.
 */
export function parseExport(text: string, source: string): JournalEvent[] {
	const lines = text.split('\n');
	const events: JournalEvent[] = [];
	const lineOf: number[] = [];
	for (const [index, line] of lines.entries()) {
		if (line.trim() === '') continue;
		const place = `${source}:${index + 1}`;
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch {
			throw new InputError(
				place,
				'not valid JSON: expected one event, a JSON object, a line (as `warroom journal export` writes)',
			);
		}
		const event = parseEvent(value);
		if (typeof event === 'string') throw new InputError(place, event);
		events.push(event);
		lineOf.push(index + 1);
	}
	if (events.length === 0) throw new InputError(source, 'is empty: expected the JSON lines `warroom journal export` writes');
	const problem = sequenceProblem(events);
	if (problem) throw new InputError(`${source}:${lineOf[problem.index]!}`, problem.message);
	const declarationLine = lines[lineOf[0]! - 1]!;
	return events.map(event =>
		event.eventId === undefined ? {...event, eventId: derivedEventId(declarationLine, event.seq)} : event,
	);
}

/**
 * One event as a JSON line that is safe on a terminal: JSON escapes C0
 * controls itself; DEL, C1 controls (a lone U+009B starts a CSI), line and
 * paragraph separators and invisible format characters are escaped too.
 * `JSON.parse` gives back exactly the same event.
 */
export function exportLine(event: JournalEvent): string {
	return JSON.stringify(event).replace(/[\u007F-\u009F\u2028\u2029]|\p{Cf}/gu, character =>
		Array.from({length: character.length}, (_, unit) => `\\u${character.charCodeAt(unit).toString(16).padStart(4, '0')}`).join(
			'',
		),
	);
}
