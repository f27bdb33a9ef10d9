import {describe, expect, it} from 'vitest';
import {computeLayout} from '../../source/view-model/layout';
import {panelByNumber, panelIds, panels} from '../../source/view-model/panels';
import {podStatus, podTone} from '../../source/view-model/pod-status';

describe('the panel table', () => {
	it('numbers the panels 1 to 5 in the order Tab goes through them', () => {
		expect(panelIds).toEqual(['pods', 'database', 'health', 'timeline', 'runbook']);
		expect(panelIds.map(id => panels[id].number)).toEqual([1, 2, 3, 4, 5]);
		expect(panelByNumber(3)).toBe('health');
		expect(panelByNumber(6)).toBeUndefined();
	});

	it('lays every panel out once, in the rows and shares the table gives', () => {
		const layout = computeLayout(100, 40);
		expect(layout.rows.map(row => row.map(cell => `${cell.panel} ${cell.width}x${cell.height}`))).toEqual([
			['pods 60x13', 'health 40x13'],
			['database 100x11'],
			['timeline 60x12', 'runbook 40x12'],
		]);
		expect(
			layout.rows
				.flat()
				.map(cell => cell.panel)
				.sort(),
		).toEqual([...panelIds].sort());
	});
});

describe('pod status', () => {
	it('is fine running or finished, a warning once restarted, and bad otherwise', () => {
		expect(podTone({reason: podStatus.running, restarts: 0})).toBe('ok');
		expect(podTone({reason: podStatus.completed, restarts: 0})).toBe('ok');
		expect(podTone({reason: podStatus.running, restarts: 2})).toBe('warn');
		expect(podTone({reason: podStatus.crashLoop, restarts: 7})).toBe('bad');
		expect(podTone({reason: podStatus.oomKilled, restarts: 1})).toBe('bad');
		expect(podTone({reason: podStatus.pending, restarts: 0})).toBe('bad');
	});
});
