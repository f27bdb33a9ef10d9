/**
 * A bad deploy on a real control plane, read by the built binary through the
 * real kubectl: the rollout to a broken image crash-loops, and `snapshot` and
 * the Pods panel show it under its Deployment. (What the keys do to it:
 * mitigations.test.ts.)
 */
import {expect, it} from 'vitest';
import {openConsole} from '../e2e/steps';
import {outsiderToken, testContext, viewerToken} from './control-plane';
import {nodeName} from './kubelet-driver';
import {badRollout, clusterConfig, clusterSuite, selectPod, snapshot} from './steps';

const suite = clusterSuite();

it('snapshot lists the crash-looping pod of a bad rollout under its Deployment and counts the running ones', async () => {
	const {namespace, crashing} = await badRollout(suite.plane);

	const {code, stderr, report} = await snapshot(suite.plane, {namespaces: [namespace]});
	expect(stderr).toBe('');
	expect(code).toBe(1);
	expect(report.kubernetes).toMatchObject({state: 'ok', context: testContext, healthyCount: 2});
	expect(report.kubernetes.pods).toEqual([
		expect.objectContaining({
			namespace,
			name: crashing.metadata.name,
			phase: 'Running',
			reason: 'CrashLoopBackOff',
			ready: '0/1',
			node: nodeName,
			owner: {kind: 'Deployment', name: 'web'},
		}),
	]);
});

it('reads the cluster with no more rights than the built-in view role', async () => {
	const {namespace} = await badRollout(suite.plane);

	const {report} = await snapshot(suite.plane, {namespaces: [namespace], token: viewerToken});
	expect(report.kubernetes).toMatchObject({
		state: 'ok',
		healthyCount: 2,
		pods: [expect.objectContaining({reason: 'CrashLoopBackOff'})],
	});
});

it('says which verb the cluster forbids a user it grants nothing', async () => {
	const {code, report} = await snapshot(suite.plane, {token: outsiderToken});
	expect(code).toBe(1);
	expect(report.kubernetes).toMatchObject({state: 'error', pods: []});
	// Who, the verb and what: kubectl's own words or the collector's shorter ones.
	expect(report.kubernetes.error).toMatch(/^kubectl: .*Forbidden.*\boutsider\b.*\blist\b.*\bpods\b/);
});

it('the Pods panel shows the bad rollout crash-looping, read from the whole cluster, and / selects its pod', async () => {
	const {namespace, crashing} = await badRollout(suite.plane);

	// Wide enough for the owner column beside the deployments' UP-TO-DATE and REV.
	const app = await openConsole({args: ['--config', clusterConfig()], env: suite.plane.env(), cols: 250, rows: 40});
	const name = crashing.metadata.name;
	const row = `${namespace}\\s+${name}\\s+CrashLoopBackOff\\s+0/1\\s+\\d+.*${nodeName}\\s+Deployment/web`;
	await app.waitFor(new RegExp(row), {timeout: 30_000});
	await selectPod(app, name);
	// The selected row, in inverse video, is the pod's.
	expect(app.inverseText()).toContainEqual(expect.stringMatching(new RegExp(`^${namespace}\\s+${name}\\s+CrashLoopBackOff`)));
});
