/**
 * The cluster as the built binary reads it: the real kubectl against the
 * fast-layer API, chosen by a config's `kubernetes:` section and KUBECONFIG.
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeEach, expect, it} from 'vitest';
import type {KubeApi} from '../helpers/kube-api';
import {gatewayImages, startCluster} from '../helpers/kube-deployments';
import {pods} from '../helpers/kube-pods';
import type {KubePod} from '../../source/sources/kubernetes/classify';
import type {KubernetesData} from '../../source/sources/types';
import {cleanup, makeTempDir, runCli} from '../helpers/pty';
import {openConsole} from './steps';

let api: KubeApi;

beforeEach(async () => {
	api = await startCluster([pods.healthy, pods.crashLoop, pods.oomKilled, pods.unschedulable]);
});

afterEach(async () => {
	await cleanup();
	await api.close();
});

/** A config reading the fast layer's cluster through the context `prod-eu`. */
function clusterConfig(): string {
	const config = join(makeTempDir('warroom-config-'), 'warroom.yaml');
	writeFileSync(config, 'kubernetes:\n  context: prod-eu\n');
	return config;
}

it('snapshot lists the unhealthy pods and counts the healthy ones', async () => {
	const env = api.env(api.kubeconfig({context: 'prod-eu'}));
	const result = await runCli(['snapshot', '--format', 'json', '--config', clusterConfig(), '--data-dir', makeTempDir()], {env});
	expect(result.stderr).toBe('');
	expect(result.code).toBe(1);
	const report = JSON.parse(result.stdout) as {
		kubernetes: {state: string; context: string; healthyCount: number; pods: unknown[]};
	};
	expect(report.kubernetes).toMatchObject({state: 'ok', context: 'prod-eu', healthyCount: 1});
	expect(report.kubernetes.pods).toEqual([
		expect.objectContaining({name: 'api-gateway-5d8f7c9b6d-k2l9p', reason: 'CrashLoopBackOff', ready: '1/2', restarts: 7}),
		expect.objectContaining({name: 'search-5d8f7c9b6d-q8w4e', reason: 'OOMKilled'}),
		expect.objectContaining({name: 'ledger-5d8f7c9b6d-u7i8o', reason: 'Unschedulable', node: ''}),
	]);
});

it('snapshot without a kubernetes section reads KUBECONFIG’s current context, with the deployments, warnings and usage', async () => {
	const env = api.env(api.kubeconfig({context: 'staging-us'}));
	const result = await runCli(['snapshot', '--format', 'json', '--data-dir', makeTempDir()], {env});
	const {kubernetes} = JSON.parse(result.stdout) as {kubernetes: KubernetesData & {state: string}};
	expect(kubernetes).toMatchObject({
		state: 'ok',
		context: 'staging-us',
		cluster: 'fast-layer',
		healthyByNamespace: {production: 1},
		usage: {available: false, reason: 'no metrics API (metrics.k8s.io) in this cluster'},
	});
	expect(kubernetes.pods[0]).toMatchObject({
		uid: 'uid-production-api-gateway-k2l9p',
		detail: 'back-off 5m0s restarting failed container=app',
		lastRestartSeconds: expect.any(Number),
	});
	const gateway = kubernetes.deployments?.find(deployment => deployment.name === 'api-gateway');
	expect(gateway?.history.map(revision => revision.images[0])).toEqual([...gatewayImages].reverse());
	expect(kubernetes.warnings?.map(warning => warning.reason)).toEqual(['BackOff', 'FailedScheduling', 'BackOff']);
});

it('snapshot with no kubeconfig and no kubernetes section reports the cluster disabled', async () => {
	const result = await runCli(['snapshot', '--format', 'json', '--data-dir', makeTempDir()]);
	expect(JSON.parse(result.stdout)).toMatchObject({kubernetes: {state: 'disabled', pods: []}});
});

/** A pod started by hand (`kubectl run`): no controller owns it. */
const bareDebugPod: KubePod = {
	metadata: {name: 'debug-shell', namespace: 'production', creationTimestamp: '2026-11-27T11:00:00Z'},
	spec: {nodeName: 'node-b', containers: [{name: 'debug-shell'}]},
	status: {
		phase: 'Running',
		containerStatuses: [
			{name: 'debug-shell', ready: false, restartCount: 0, state: {terminated: {reason: 'Error', exitCode: 1}}},
		],
	},
};

it('the Pods panel shows a crash-looping pod from the cluster, and no owner for a pod without one', async () => {
	api.setPods([pods.healthy, pods.crashLoop, pods.oomKilled, bareDebugPod]);
	const env = api.env(api.kubeconfig({context: 'prod-eu'}));
	const app = await openConsole({args: ['--config', clusterConfig()], env, cols: 250, rows: 40});
	// The pods and the details (usage, deployments) are read apart: the screen is whole once both are in.
	const screen = await app.waitFor(/usage: no metrics API[^]*CrashLoopBackOff/, {timeout: 10_000});
	const text = screen.join('\n');
	expect(text).toMatch(
		/production\s+api-gateway-5d8f7c9b6d-k2l9p\s+CrashLoopBackOff\s+1\/2\s+7\s+\S+ ago\s+\S+\s+node-a\s+Deployment\/api-ga/,
	);
	expect(text).toMatch(/production\s+debug-shell\s+Error\s+0\/1\s+0\s+\S+\s+node-b\s+║/);
	expect(text).toContain('3 not ready · 1 ok · no metrics');
	expect(text).toContain('healthy: production 1 · usage: no metrics API (metrics.k8s.io) in this cluster');
});

it('the Pods panel keeps the last pods with their age and the error while the API is down, and recovers by itself', async () => {
	const env = api.env(api.kubeconfig({context: 'prod-eu'}));
	const app = await openConsole({args: ['--config', clusterConfig()], env, cols: 200, rows: 40});
	await app.waitFor(/CrashLoopBackOff/, {timeout: 10_000});
	await api.stop();
	const down = (await app.waitFor(/error: kubectl: connection refused by 127\.0\.0\.1/, {timeout: 15_000})).join('\n');
	expect(down).toMatch(/1 Pods .* STALE \d+s/);
	expect(down).toContain('api-gateway-5d8f7c9b6d-k2l9p');
	await api.start();
	await app.waitForGone('error: kubectl', {timeout: 15_000});
	expect((await app.waitFor(/1 Pods .* ok \d+s/)).join('\n')).toContain('api-gateway-5d8f7c9b6d-k2l9p');
});
