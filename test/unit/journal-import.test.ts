import {describe, expect, it} from 'vitest';
import {InputError} from '../../source/errors';
import type {JournalEvent} from '../../source/incident/events';
import {derivedEventId, exportLine, isSameIncident, parseExport, sequenceProblem} from '../../source/incident/journal-import';

const declaredLine =
	'{"seq":1,"at":"2026-11-27T03:00:00.000Z","actor":"alice@bastion","type":"declared","title":"API down","severity":"P1","services":[]}';
const noteLine = (seq: number, text = 'on it') =>
	JSON.stringify({seq, at: '2026-11-27T03:01:00.000Z', actor: 'bob@bastion', type: 'note', text});
const fileOf = (...lines: string[]) => `${lines.join('\n')}\n`;
const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function problemOf(text: string): string {
	try {
		parseExport(text, 'inc.jsonl');
	} catch (error) {
		expect(error).toBeInstanceOf(InputError);
		return (error as Error).message;
	}
	throw new Error('parsed without a problem');
}

describe('parseExport', () => {
	it('reads every event as it was, and gives old lines without an event id a deterministic one', () => {
		const withId = JSON.stringify({...(JSON.parse(noteLine(3)) as object), eventId: 'kept-as-it-is'});
		const events = parseExport(fileOf(declaredLine, noteLine(2), withId), 'inc.jsonl');

		expect(events.map(({seq}) => seq)).toEqual([1, 2, 3]);
		expect(events[0]).toEqual({...(JSON.parse(declaredLine) as object), eventId: derivedEventId(declaredLine, 1)});
		expect(events[1]!.eventId).toMatch(uuidShape);
		expect(events[2]!.eventId).toBe('kept-as-it-is');
		expect(parseExport(fileOf(declaredLine, noteLine(2), withId), 'other.jsonl')).toEqual(events);
	});

	it('derives different ids for different incidents and seqs', () => {
		const other = declaredLine.replace('API down', 'DB down');
		const ids = [derivedEventId(declaredLine, 1), derivedEventId(declaredLine, 2), derivedEventId(other, 1)];

		expect(new Set(ids).size).toBe(3);
		for (const id of ids) expect(id).toMatch(uuidShape);
	});

	it('keeps a 100 KB note and escape sequences as data', () => {
		const text = `\u001B]0;owned\u0007${'x'.repeat(100_000)}`;
		const [, note] = parseExport(fileOf(declaredLine, noteLine(2, text)), 'inc.jsonl');

		expect(note).toMatchObject({type: 'note', text});
	});

	it.each([
		['an empty file', '', 'inc.jsonl: is empty: expected the JSON lines `warroom journal export` writes'],
		['blank lines only', '\n \n', 'inc.jsonl: is empty: expected the JSON lines `warroom journal export` writes'],
		[
			'a line that is not JSON',
			fileOf(declaredLine, 'garbage {'),
			'inc.jsonl:2: not valid JSON: expected one event, a JSON object, a line (as `warroom journal export` writes)',
		],
		[
			'a 100 KB line that is not JSON, without quoting it',
			fileOf(declaredLine, 'x'.repeat(100_000)),
			'inc.jsonl:2: not valid JSON: expected one event, a JSON object, a line (as `warroom journal export` writes)',
		],
		[
			'an event the journal would not read',
			fileOf(declaredLine, noteLine(2).replace('"text":"on it"', '"text":3')),
			'inc.jsonl:2: event 2: "text" is not a string',
		],
		[
			'a first event that is not the declaration',
			fileOf(noteLine(1)),
			'inc.jsonl:1: expected the declaration (type "declared") first, got type "note"',
		],
		['a duplicate seq', fileOf(declaredLine, noteLine(2), noteLine(2)), 'inc.jsonl:3: seq 2 again, expected 3'],
		['a gap', fileOf(declaredLine, '', noteLine(3)), 'inc.jsonl:3: seq 3 leaves a gap, expected 2'],
		[
			'a declaration that is not seq 1',
			fileOf(declaredLine.replace('"seq":1', '"seq":2')),
			'inc.jsonl:1: seq 2 leaves a gap, expected 1',
		],
	])('refuses %s, naming the file, the line and what was expected', (_, text, message) => {
		expect(problemOf(text)).toBe(message);
	});
});

describe('sequenceProblem', () => {
	const events = parseExport(fileOf(declaredLine, noteLine(2), noteLine(3)), 'inc.jsonl');

	it('accepts one incident numbered from its declaration', () => {
		expect(sequenceProblem(events)).toBeUndefined();
	});

	it('refuses no events, and an event id given twice', () => {
		expect(sequenceProblem([])).toEqual({index: 0, message: 'no events: expected the declaration first'});
		const twice = [events[0]!, events[1]!, {...events[2]!, eventId: events[1]!.eventId!}];
		expect(sequenceProblem(twice)).toEqual({
			index: 2,
			message: `event id ${JSON.stringify(events[1]!.eventId)} again (seq 2 has it)`,
		});
	});
});

describe('isSameIncident', () => {
	const declared = JSON.parse(declaredLine) as Extract<JournalEvent, {type: 'declared'}>;

	it('compares event ids when both declarations have one', () => {
		expect(isSameIncident({...declared, eventId: 'a'}, {...declared, eventId: 'a'})).toBe(true);
		expect(isSameIncident({...declared, eventId: 'a'}, {...declared, eventId: 'b'})).toBe(false);
	});

	it('compares time, actor and title when one was written before event ids', () => {
		expect(isSameIncident(declared, {...declared, eventId: 'a'})).toBe(true);
		expect(isSameIncident(declared, {...declared, title: 'DB down', eventId: 'a'})).toBe(false);
		expect(isSameIncident(declared, {...declared, actor: 'mallory'})).toBe(false);
	});
});

describe('exportLine', () => {
	it('escapes what a terminal would act on, and parses back to the same event', () => {
		const event = {
			...(JSON.parse(noteLine(2)) as JournalEvent),
			text: '\u001B]0;owned\u0007 \u009B2J \u007F \u2028 \u202E \u{E0001} é 🚒',
		} as JournalEvent;

		const line = exportLine(event);

		expect(line).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]|\p{Cf}/u);
		expect(line).toContain('é 🚒');
		expect(JSON.parse(line)).toEqual(event);
	});
});
