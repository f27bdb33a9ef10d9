import {describe, expect, it} from 'vitest';
import {collectOnce, runCollector, type Collector} from '../../source/sources/collector';
import type {HealthData, Reading} from '../../source/sources/types';

const checks: HealthData = {checks: [{name: 'api', kind: 'http', ok: true}]};

function collector(collect: Collector<HealthData>['collect'], timeoutMs = 200): Collector<HealthData> {
	return {source: 'health', intervalMs: 20, timeoutMs, collect};
}

describe('one reading', () => {
	it('is ok with the data and when it was fetched', async () => {
		const snapshot = await collectOnce(
			collector(async () => checks),
			undefined,
			{now: () => 1000},
		);
		expect(snapshot).toEqual({state: 'ok', data: checks, fetchedAt: 1000, attemptedAt: 1000, tookMs: 0});
	});

	it('turns a failure into an error that keeps the last good data and its age', async () => {
		const previous: Reading<HealthData> = {state: 'ok', data: checks, fetchedAt: 500};
		const snapshot = await collectOnce(
			collector(async () => Promise.reject(new Error('connection refused'))),
			previous,
		);
		expect(snapshot).toMatchObject({state: 'error', error: 'connection refused', data: checks, fetchedAt: 500});
	});

	it('gives up on a reading that hangs, saying how long it waited', async () => {
		const hanging = collector(() => new Promise<HealthData>(() => {}), 50);
		const started = Date.now();
		const snapshot = await collectOnce(hanging);
		expect(snapshot).toMatchObject({state: 'error', error: 'timed out after 50ms'});
		expect(Date.now() - started).toBeLessThan(1000);
		expect(snapshot.data).toBeUndefined();
	});

	it('passes an abort signal the source can stop on', async () => {
		let aborted = false;
		await collectOnce(
			collector(
				signal =>
					new Promise<HealthData>(() => {
						signal.addEventListener('abort', () => (aborted = true));
					}),
				30,
			),
		);
		expect(aborted).toBe(true);
	});
});

describe('reading on an interval', () => {
	it('publishes loading, then every reading, until stopped', async () => {
		const seen: string[] = [];
		let calls = 0;
		const handle = runCollector(
			collector(async () => {
				calls += 1;
				if (calls === 2) throw new Error('flaky');
				return checks;
			}),
			snapshot => seen.push(snapshot.state),
		);
		await new Promise(resolve => setTimeout(resolve, 120));
		handle.stop();
		const count = seen.length;
		await new Promise(resolve => setTimeout(resolve, 60));
		expect(seen.slice(0, 4)).toEqual(['loading', 'ok', 'error', 'ok']);
		expect(seen.length).toBe(count);
	});
});

describe('a source that watches', () => {
	it('publishes what its watch does instead of polling, refreshes through it, and stops it', async () => {
		const seen: Reading<HealthData>[] = [];
		let collects = 0;
		let refreshes = 0;
		let watching: AbortSignal | undefined;
		const handle = runCollector(
			{
				...collector(async () => {
					collects += 1;
					return checks;
				}),
				watch(publish, signal) {
					watching = signal;
					publish({state: 'ok', data: checks, fetchedAt: 1});
					return async () => {
						refreshes += 1;
					};
				},
			},
			reading => seen.push(reading),
		);
		// A poll would have started at once: runCollector reads before it returns.
		void handle.refresh();
		handle.stop();
		expect(seen).toEqual([{state: 'loading'}, {state: 'ok', data: checks, fetchedAt: 1}]);
		expect({collects, refreshes, stopped: watching?.aborted}).toEqual({collects: 0, refreshes: 1, stopped: true});
	});
});
