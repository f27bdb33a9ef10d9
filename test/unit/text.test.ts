import {describe, expect, it} from 'vitest';
import {formatClock, formatSpan, parseDuration} from '../../source/text/duration';
import {stripControl, toSingleLine} from '../../source/text/sanitize';
import {filterRows, matchesFilter} from '../../source/view-model/filter';

describe('durations', () => {
	it.each([
		['500ms', 500],
		['3s', 3000],
		['5m', 300_000],
		['2h', 7_200_000],
		['1d', 86_400_000],
		['1.5h', 5_400_000],
		['0', 0],
	])('%s is %i ms', (text, ms) => {
		expect(parseDuration(text)).toBe(ms);
	});

	it.each(['5', '3 sec', '-1s', 'm5', ''])('%j is not a duration', text => {
		expect(parseDuration(text)).toBeUndefined();
	});

	it('writes a running clock', () => {
		expect(formatClock(65_000)).toBe('01:05');
		expect(formatClock(3_725_000)).toBe('1:02:05');
		expect(formatClock(90_000_000)).toBe('1d 01:00:00');
	});

	it('keeps the sign of a negative time, so time to come never reads as time gone by', () => {
		expect(formatClock(-597_000)).toBe('-09:57');
		expect(formatClock(-400)).toBe('00:00');
		expect(formatSpan(-14 * 60_000)).toBe('-14m');
	});

	it('writes a coarse span that changes once a minute past the first', () => {
		expect([45_000, 14 * 60_000 + 59_000, 2 * 3_600_000, 2 * 3_600_000 + 5 * 60_000, 76 * 3_600_000].map(formatSpan)).toEqual([
			'45s',
			'14m',
			'2h',
			'2h05m',
			'3d04h',
		]);
	});
});

describe('text from outside', () => {
	it('loses escape sequences that would move the cursor, recolour or retitle the terminal', () => {
		expect(stripControl('pod\u001B[2J\u001B[31mred\u001B]0;owned\u0007 done\u009B1m')).toBe('podred done');
	});

	it('loses control characters but keeps printable unicode', () => {
		expect(stripControl('a\u0000b\u0008c\u007Fé→')).toBe('abcé→');
	});

	it('folds a multi-line query to one line', () => {
		expect(toSingleLine('SELECT *\n\tFROM orders\r\n WHERE id = 1 ')).toBe('SELECT * FROM orders WHERE id = 1');
	});

	it('folds a carriage return inside a line to a space, as it does a newline', () => {
		expect(toSingleLine('line\rcr')).toBe('line cr');
		expect(toSingleLine('a\r\n\u000Bb\fc')).toBe('a b c');
	});

	it('loses zero-width and bidi format characters that would shift the layout or reverse the line', () => {
		expect(
			stripControl('pod\u200B-1 \u202Eevil\u202C \u2066iso\u2069 \u200Elrm\u200F \u061Calm \uFEFFbom \u00ADshy \u2060wj'),
		).toBe('pod-1 evil iso lrm alm bom shy wj');
	});

	it('keeps emoji sequences joined by a zero-width joiner, and nothing else joined', () => {
		expect(stripControl('👨‍👩‍👧 🏳️‍🌈 👩🏽‍💻 ❤️')).toBe('👨‍👩‍👧 🏳️‍🌈 👩🏽‍💻 ❤️');
		expect(stripControl('a\u200Db \u200D👍 👍\u200D')).toBe('ab 👍 👍');
	});
});

describe('the / filter', () => {
	it('keeps a row when every word typed appears in it, ignoring case', () => {
		expect(matchesFilter(['production', 'api-gateway-7d9f', 'CrashLoopBackOff'], 'API crash')).toBe(true);
		expect(matchesFilter(['production', 'api-gateway-7d9f', 'Running'], 'api crash')).toBe(false);
		expect(matchesFilter(['anything'], '  ')).toBe(true);
	});

	it('keeps every row without reading any when nothing is typed, so a 20,000-event timeline opens at once', () => {
		const rows = Array.from({length: 20_000}, (_, index) => ({text: `note ${index}`}));
		let read = 0;
		const kept = filterRows(rows, ' ', row => {
			read++;
			return [row.text];
		});
		expect(kept).toEqual(rows);
		expect(read).toBe(0);
		expect(filterRows(rows, 'NOTE 19999', row => [row.text])).toEqual([{text: 'note 19999'}]);
	});
});
