import {describe, expect, it} from 'vitest';
import {update} from '../../source/store';
import {panelSpec} from '../../source/view-model/panels';
import {findRow, moveSelection, reconcileSelection, selectedKey, type Selection} from '../../source/view-model/selection';
import {testStore} from '../helpers/store';
import {podRow, testPod} from '../helpers/pods';

type Row = {name: string};
const rows = (...names: string[]): Row[] => names.map(name => ({name}));
const spec = {key: (row: Row) => row.name, label: (row: Row) => `pod ${row.name}`, noun: 'pod'};
const following = {...spec, followsNewest: true};
const selected = (name: string, index: number): Selection => ({key: name, index, label: `pod ${name}`});

describe('the selection when the rows change', () => {
	it('stays on its row when the rows are listed in another order', () => {
		expect(reconcileSelection(selected('b', 1), rows('new', 'c', 'a', 'b'), spec)).toEqual({selection: selected('b', 3)});
	});

	it('is the same selection while its row has not moved', () => {
		const before = selected('b', 1);
		expect(reconcileSelection(before, rows('a', 'b', 'c'), spec).selection).toBe(before);
	});

	it('moves to the row that took the place of a row that is gone, and says so', () => {
		expect(reconcileSelection(selected('b', 1), rows('a', 'c', 'd'), spec)).toEqual({
			selection: selected('c', 1),
			notice: 'the selected pod pod b is gone: selection moved to pod c',
		});
	});

	it('moves to the new last row when the last row is gone', () => {
		expect(reconcileSelection(selected('c', 2), rows('a', 'b'), spec)).toEqual({
			selection: selected('b', 1),
			notice: 'the selected pod pod c is gone: selection moved to pod b',
		});
	});

	it('is none, and says so, when no row is left', () => {
		expect(reconcileSelection(selected('a', 0), [], spec)).toEqual({
			selection: undefined,
			notice: 'the selected pod pod a is gone: no pod left to select',
		});
	});

	it('stays on a row the filter keeps, and starts over without a notice when the filter hides it', () => {
		expect(reconcileSelection(selected('c', 2), rows('c'), spec, true)).toEqual({selection: selected('c', 0)});
		expect(reconcileSelection(selected('b', 1), rows('c', 'd'), spec, true)).toEqual({selection: undefined});
		expect(reconcileSelection(selected('b', 1), [], spec, true)).toEqual({selection: undefined});
	});
});

describe('moving the selection', () => {
	it('moves from where its row is now, within the rows there are', () => {
		expect(moveSelection(selected('b', 0), rows('a', 'b', 'c'), 1, spec)).toEqual(selected('c', 2));
		expect(moveSelection(selected('b', 1), rows('a', 'b', 'c'), -5, spec)).toEqual(selected('a', 0));
		expect(moveSelection(undefined, rows('a', 'b', 'c'), 9, spec)).toEqual(selected('c', 2));
		expect(moveSelection(undefined, [], 1, spec)).toBeUndefined();
	});

	it('follows the newest row again once moved to the end', () => {
		expect(moveSelection(undefined, rows('a', 'b', 'c'), -1, following)).toEqual(selected('b', 1));
		expect(moveSelection(selected('b', 1), rows('a', 'b', 'c'), 1, following)).toBeUndefined();
	});
});

describe('the selected row', () => {
	const readPods = (store: ReturnType<typeof testStore>, ...names: string[]) =>
		update.reading(store, 'kubernetes', {
			state: 'ok',
			data: {pods: names.map(name => testPod(name)), healthyCount: 0},
			fetchedAt: 0,
		});

	it('is the first row until one is chosen, and none for the timeline, which follows the newest event', () => {
		const store = testStore();
		expect(selectedKey(store.getState(), 'pods')).toBeUndefined();
		readPods(store, 'api-x2k4j', 'api-m8q2z');
		expect(selectedKey(store.getState(), 'pods')).toBe('production/api-x2k4j');
		expect(selectedKey(store.getState(), 'timeline')).toBeUndefined();
	});

	it('is found by its key: a target gone is not found, never swapped for another', () => {
		const store = testStore();
		readPods(store, 'api-x2k4j', 'api-m8q2z');
		expect(findRow(store.getState(), 'pods', 'production/api-m8q2z')).toEqual(podRow(testPod('api-m8q2z')));
		readPods(store, 'api-x2k4j');
		expect(findRow(store.getState(), 'pods', 'production/api-m8q2z')).toBeUndefined();
	});

	it("keys every panel's rows by what identifies them", () => {
		expect(panelSpec('pods').key(podRow(testPod('api-x2k4j')))).toBe('production/api-x2k4j');
		expect(panelSpec('health').key({name: 'api', kind: 'http', ok: true})).toBe('api');
		const backend = {pid: 4242, user: 'u', application: 'a', state: 'active', durationSeconds: 1, query: 'q'};
		const started = '2026-11-27 03:00:00.1+00';
		expect(panelSpec('database').key({kind: 'query', query: {...backend, backendStart: started}})).toBe(`4242@${started}`);
		// A pid the server gave to a new backend is another row.
		expect(panelSpec('database').key({kind: 'query', query: {...backend, backendStart: '2026-11-27 03:05:00+00'}})).not.toBe(
			`4242@${started}`,
		);
		expect(panelSpec('runbook').key({item: 'Roll back'})).toBe('Roll back');
	});
});
