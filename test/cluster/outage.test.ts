/**
 * The real apiserver goes down under a watching console and comes back: the
 * Pods panel keeps the last pods with their age and the error meanwhile, and
 * watches again by itself, seeing a change made after the outage.
 */
import {expect, it} from 'vitest';
import {openConsole} from '../e2e/steps';
import {allRunning, badRollout, clusterConfig, clusterSuite, goodImage, waitForPods} from './steps';

const suite = clusterSuite();

it('the Pods panel outlives an apiserver restart and watches again by itself', async () => {
	const {namespace, crashing} = await badRollout(suite.plane);
	const app = await openConsole({args: ['--config', clusterConfig([namespace])], env: suite.plane.env(), cols: 200, rows: 40});
	await app.waitFor(new RegExp(`${crashing.metadata.name}\\s+CrashLoopBackOff`), {timeout: 30_000});

	await suite.plane.stopApiserver();
	const down = (await app.waitFor(/error: kubectl: connection refused by 127\.0\.0\.1:\d+/, {timeout: 30_000})).join('\n');
	expect(down).toMatch(/1 Pods .* STALE \d+s/);
	expect(down).toContain(crashing.metadata.name);

	await suite.plane.startApiserver();
	await app.waitForGone('error: kubectl', {timeout: 30_000});
	await suite.plane.kubectl(['rollout', 'undo', 'deployment/web', '-n', namespace]);
	await waitForPods(suite.plane, namespace, allRunning(2, goodImage));
	await app.waitFor(/1 Pods 0 not ready · 2 ok/, {timeout: 30_000});
});
