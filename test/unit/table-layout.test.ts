import {describe, expect, it} from 'vitest';
import stringWidth from 'string-width';
import {fitCell, fitColumns, truncateText, windowStart, type ColumnSpec} from '../../panels/table-layout';

const columns: ColumnSpec[] = [
	{header: 'NAMESPACE', width: 10, priority: 3},
	{header: 'NAME', width: 18, flex: true, priority: 1},
	{header: 'STATUS', width: 16, priority: 1},
	{header: 'READY', width: 5, priority: 2},
	{header: 'NODE', width: 8, priority: 4},
];

const shape = (fitted: ReturnType<typeof fitColumns>) => fitted.map(column => `${column.header}:${column.width}`);

describe('fitting columns', () => {
	it('gives the spare width to the flexible column', () => {
		expect(shape(fitColumns(columns, 100))).toEqual(['NAMESPACE:10', 'NAME:57', 'STATUS:16', 'READY:5', 'NODE:8']);
	});

	it('drops the least important columns first when narrow, keeping their order', () => {
		expect(shape(fitColumns(columns, 44))).toEqual(['NAME:21', 'STATUS:16', 'READY:5']);
		expect(shape(fitColumns(columns, 36))).toEqual(['NAME:19', 'STATUS:16']);
	});

	it('drops an extra column that would leave the flexible one narrower than it allows, and keeps it where there is room', () => {
		const withImages = [...columns, {header: 'IMAGES', width: 20, priority: 7, minFlexWidth: 30}];
		expect(shape(fitColumns(withImages, 90))).toEqual(['NAMESPACE:10', 'NAME:47', 'STATUS:16', 'READY:5', 'NODE:8']);
		expect(shape(fitColumns(withImages, 130))).toEqual([
			'NAMESPACE:10',
			'NAME:66',
			'STATUS:16',
			'READY:5',
			'NODE:8',
			'IMAGES:20',
		]);
	});

	it('never drops the last column, however narrow', () => {
		expect(fitColumns(columns, 5).map(column => column.header)).toHaveLength(1);
	});
});

describe('the visible window of rows', () => {
	it('starts at the top when everything fits', () => {
		expect(windowStart(5, 4, 10)).toBe(0);
	});

	it('keeps the selected row near the middle, never past the end', () => {
		expect(windowStart(100, 50, 10)).toBe(45);
		expect(windowStart(100, 99, 10)).toBe(90);
		expect(windowStart(100, 2, 10)).toBe(0);
	});
});

describe('cells of wide characters', () => {
	const samples = [
		'障害対応中のデータベース接続',
		'👨‍👩‍👧 family 👍🏽 ok 🔥🔥',
		'שלום עולם مرحبا بالعالم',
		'api-gateway-7d9f-xk2p',
		'漢a字b',
	];

	it.each([1, 2, 5, 8, 9, 18, 40])('are exactly %i columns wide, whatever the characters', width => {
		for (const text of samples) {
			for (const truncate of ['end', 'middle'] as const) {
				for (const align of ['left', 'right'] as const)
					expect(stringWidth(fitCell(text, width, {align, truncate})), text).toBe(width);
			}
		}
	});

	it('cut a wide character whole and mark the cut, at the end or in the middle', () => {
		expect(truncateText('障害対応中のデータベース接続', 9)).toBe('障害対応…');
		expect(truncateText('障害対応中のデータベース接続', 10)).toBe('障害対応…');
		expect(truncateText('障害対応中のデータベース接続', 9, 'middle')).toBe('障害…接続');
		expect(truncateText('👨‍👩‍👧 family', 4)).toBe('👨‍👩‍👧 …');
		expect(truncateText('short', 9)).toBe('short');
	});

	it('cut plain ASCII where the grapheme-by-grapheme cut would, a mark joining the last letter included', () => {
		expect(truncateText('api-gateway', 11)).toBe('api-gateway');
		expect(truncateText('api-gateway', 10)).toBe('api-gatew…');
		expect(truncateText('', 0)).toBe('');
		expect(truncateText('a', 0)).toBe('');
		// "e" + a combining acute is one grapheme one column wide: the cut keeps it whole.
		expect(truncateText('cafe\u0301 ok', 5)).toBe('cafe\u0301…');
		expect(truncateText('cafe\u0301', 4)).toBe('cafe\u0301');
		expect(truncateText('cafe\u0301!', 4)).toBe('caf…');
		expect(truncateText(`${'x'.repeat(100_000)}\u0301`, 8)).toBe(`${'x'.repeat(7)}…`);
		expect(fitCell('x'.repeat(100_000), 12, {})).toBe(`${'x'.repeat(11)}…`);
	});

	it('pad on the side away from their alignment', () => {
		expect(fitCell('漢字', 6, {align: 'right'})).toBe('  漢字');
		expect(fitCell('漢字', 6, {})).toBe('漢字  ');
	});
});
