import {describe, expect, it} from 'vitest';
import {createRedactor} from '../../source/config/secrets';
import type {Collector} from '../../source/sources/collector';
import {loadDrill} from '../../source/sources/drill/drill-file';
import {readSourcesOnce, redactingReadings, runSources, sourcesFor} from '../../source/sources/source-list';
import type {HealthData, Reading, ReadingState} from '../../source/sources/types';
import {builtInRunbooksDir} from '../../source/paths';
import {emptyConfig} from '../../source/config/types';

const secret = 'Zq8vY2xpZW50LXNlY3JldC0yMDI2LTExLTI3';
const redact = createRedactor([secret]);

/** A health source that fails the way a real one does: quoting the URL it called, token and all. */
const leakingHealth: Collector<HealthData> = {
	source: 'health',
	intervalMs: 60_000,
	timeoutMs: 1000,
	collect: async () => {
		throw new Error(`GET https://monitor:${secret}@status.example.com/health: 401 Unauthorized (token ${secret})`);
	},
};

/** A health source whose checks report what the monitored service answered: the token it was sent, echoed back. */
const echoingHealth: Collector<HealthData> = {
	...leakingHealth,
	collect: async () => ({
		checks: [{name: 'api', kind: 'http', ok: false, status: `401 bad token ${secret}`, error: `rejected Bearer ${secret}`}],
	}),
};
const maskedCheck = {name: 'api', kind: 'http', ok: false, status: '401 bad token •••', error: 'rejected Bearer •••'};

/** Every reading the console's store is given for `health`, up to the first in `state`. */
async function publishedUntil(health: Collector<HealthData>, state: ReadingState): Promise<Array<Reading<unknown>>> {
	const published: Array<Reading<unknown>> = [];
	const handles = runSources({health}, (_source, reading) => published.push(reading), redact);
	try {
		await expect.poll(() => published.find(reading => reading.state === state)).toBeDefined();
	} finally {
		for (const handle of handles) handle.stop();
	}
	return published;
}

describe('the sources of a run', () => {
	it('are the drill’s scripted collectors on a drill, one per source', () => {
		const drill = loadDrill('api-gateway-outage', [builtInRunbooksDir]);
		expect(Object.keys(sourcesFor({drill, startedAt: 0, config: emptyConfig})).sort()).toEqual([
			'health',
			'kubernetes',
			'postgres',
		]);
	});

	it('read the cluster only when the config has a kubernetes section', () => {
		expect(sourcesFor({startedAt: 0, config: emptyConfig}).kubernetes).toBeUndefined();
		const config = {...emptyConfig, kubernetes: {context: 'prod-eu', namespaces: [], production: 'prod', watch: true}};
		expect(sourcesFor({startedAt: 0, config}).kubernetes).toMatchObject({source: 'kubernetes'});
	});

	it('report every source without a collector as disabled', async () => {
		expect(await readSourcesOnce(sourcesFor({startedAt: 0, config: emptyConfig}), redact)).toEqual({
			kubernetes: {state: 'disabled'},
			postgres: {state: 'disabled'},
			health: {state: 'disabled'},
		});
	});
});

describe('a source error that quotes a secret', () => {
	it('is masked in the report snapshot reads', async () => {
		const readings = await readSourcesOnce({health: leakingHealth}, redact);
		expect(readings.health.state).toBe('error');
		expect(readings.health.error).not.toContain(secret);
		expect(readings.health.error).toBe('GET https://monitor:•••@status.example.com/health: 401 Unauthorized (token •••)');
	});

	it('is masked before the console’s store sees it', async () => {
		const published = await publishedUntil(leakingHealth, 'error');
		const failed = published.find(reading => reading.state === 'error')!;
		expect(failed.error).toBe('GET https://monitor:•••@status.example.com/health: 401 Unauthorized (token •••)');
		expect(JSON.stringify(published)).not.toContain(secret);
	});
});

describe('a check result that quotes a secret', () => {
	it('is masked in the report snapshot reads', async () => {
		const readings = await readSourcesOnce({health: echoingHealth}, redact);
		expect(readings.health).toMatchObject({state: 'ok', data: {checks: [maskedCheck]}});
		expect(JSON.stringify(readings)).not.toContain(secret);
	});

	it('is masked before the console’s store sees it', async () => {
		const published = await publishedUntil(echoingHealth, 'ok');
		expect(published.find(reading => reading.state === 'ok')).toMatchObject({data: {checks: [maskedCheck]}});
		expect(JSON.stringify(published)).not.toContain(secret);
	});

	it('leaves data with nothing to mask as it was, so the panel does not make its rows again', async () => {
		const data: HealthData = {checks: [{name: 'api', kind: 'http', ok: true, status: '200'}]};
		const readings = await readSourcesOnce({health: {...leakingHealth, collect: async () => data}}, redact);
		expect(readings.health.data).toBe(data);
	});
});

describe('the readings of a running collector', () => {
	it('mask a part published again unchanged once, and every new part afresh', () => {
		const redactOne = redactingReadings(redact);
		let walks = 0;
		const entries = [{name: `pod-${secret}`, cpuMillicores: 1}];
		const usage = {
			available: true,
			get pods() {
				walks += 1;
				return entries;
			},
		};
		const readings = [1, 2, 3].map(count =>
			redactOne({state: 'ok', fetchedAt: count, data: {healthyCount: count, note: `token ${secret}`, usage}}),
		);
		expect(walks).toBe(1);
		expect(readings.map(reading => reading.data)).toEqual(
			[1, 2, 3].map(count => ({
				healthyCount: count,
				note: 'token •••',
				usage: {available: true, pods: [{name: 'pod-•••', cpuMillicores: 1}]},
			})),
		);
		const changed = redactOne({state: 'ok', fetchedAt: 4, data: {usage: {available: true, pods: [{name: secret}]}}});
		expect(changed.data).toEqual({usage: {available: true, pods: [{name: '•••'}]}});
	});
});
