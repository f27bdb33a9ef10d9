/**
 * The cluster as the built binary reads it: the real kubectl against the
 * fast-layer API, chosen by a config's `kubernetes:` section and KUBECONFIG.
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeEach, expect, it} from 'vitest';
import {startKubeApi, type KubeApi} from '../helpers/kube-api';
import {pods} from '../helpers/kube-pods';
import {cleanup, makeTempDir, runCli} from '../helpers/pty';
import {openConsole} from './steps';

let api: KubeApi;

beforeEach(async () => {
	api = await startKubeApi([pods.healthy, pods.crashLoop, pods.oomKilled, pods.unschedulable]);
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

it('the Pods panel shows a crash-looping pod from the cluster', async () => {
	const env = api.env(api.kubeconfig({context: 'prod-eu'}));
	const app = await openConsole({args: ['--config', clusterConfig()], env, cols: 160, rows: 40});
	const screen = await app.waitFor(/CrashLoopBackOff/, {timeout: 10_000});
	const text = screen.join('\n');
	expect(text).toMatch(/production\s+api-gateway-5d8f7c9b6d-k2l9p\s+CrashLoopBackOff\s+1\/2\s+7/);
	expect(text).toContain('3 not ready · 1 ok');
});
