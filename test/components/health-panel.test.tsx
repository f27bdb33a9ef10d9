/** The Health panel drawing real checks' results: each state as a word, latency with its trend, since when, and the last error. */
import {describe, expect, it} from 'vitest';
import {render} from 'ink-testing-library';
import {App} from '../../source/app';
import {update} from '../../source/store';
import type {HealthResult} from '../../source/sources/types';
import {localTime} from '../../source/incident/timeline';
import {testControls, testStore} from '../helpers/store';

const controls = testControls();

function healthScreen(checks: HealthResult[]) {
	const store = testStore({columns: 240, rows: 30});
	update.reading(store, 'health', {state: 'ok', data: {checks}, fetchedAt: store.getState().now});
	update.ui(store, {focus: 'health', zoomed: true});
	return render(<App store={store} controls={controls} />).lastFrame() ?? '';
}

const since = Date.parse('2026-11-27T14:02:03Z');

describe('the Health panel', () => {
	it('shows each check’s state, latency and trend, since when it fails or when it recovered, and its error', () => {
		const text = healthScreen([
			{
				name: 'api',
				kind: 'http',
				ok: false,
				state: 'failing',
				since,
				status: '503 Service Unavailable',
				error: 'expected 2xx: upstream connect error',
				latencyMs: 3004,
				history: [40, 42, 3004],
			},
			{name: 'api-cert', kind: 'tls', ok: true, state: 'warning', status: '3d left · Warroom CA', certDaysLeft: 3},
			{name: 'db-port', kind: 'tcp', ok: true, state: 'ok', since, recovered: true, latencyMs: 2, history: [2, 2]},
			{name: 'script', kind: 'command', ok: false, state: 'unknown'},
		]);
		expect(text).toContain('Health 1 FAIL · 1 WARN · 1 pending');
		expect(text).toMatch(
			new RegExp(
				`api\\s+FAIL\\s+3004ms\\s+▁▁█\\s+since ${localTime('2026-11-27T14:02:03Z')}\\s+http\\s+503 Service Unavailable · expected 2xx: upstream connect error`,
			),
		);
		expect(text).toMatch(/api-cert\s+WARN\s+tls\s+3d left · Warroom CA/);
		expect(text).toMatch(new RegExp(`db-port\\s+ok\\s+2ms\\s+▁▁\\s+recovered ${localTime('2026-11-27T14:02:03Z')}`));
		expect(text).toMatch(/script\s+\?\s+command/);
	});
});
