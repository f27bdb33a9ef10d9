/**
 * The Kubernetes actions' commands run through the real kubectl against the
 * fast-layer API: they pin the context the reading showed, whatever the
 * current context is, and the pod's namespace, and kubectl takes every flag
 * they pass; and a change the API never answers is killed at the action's
 * timeout (the registry's is 30 s and no setting changes it: the test
 * shortens it on the entry itself).
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {createExecutor, runArgv} from '../../source/actions/executor';
import {registry} from '../../source/actions/registry';
import {kubernetesCollector} from '../../source/sources/kubernetes/collector';
import {newEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import {describeArgv, logsArgv} from '../../source/sources/kubernetes/kubectl-commands';
import {update} from '../../source/store';
import {kubeToken, startKubeApi, type KubeApi} from '../helpers/kube-api';
import {deployments, replicaSets, startCluster} from '../helpers/kube-deployments';
import {journalOf} from '../helpers/incidents';
import {testPod} from '../helpers/pods';
import {testStore} from '../helpers/store';

let api: KubeApi;
let dir: string;

beforeEach(async () => {
	api = await startKubeApi([]);
	dir = mkdtempSync(join(tmpdir(), 'warroom-kubeconfig-'));
	// Two contexts: the current one points at a closed port, so only a command pinned to `fast-layer` reaches the API.
	const kubeconfig = join(dir, 'two-contexts.json');
	writeFileSync(
		kubeconfig,
		JSON.stringify({
			apiVersion: 'v1',
			kind: 'Config',
			clusters: [
				{name: 'fast-layer', cluster: {server: api.url, 'insecure-skip-tls-verify': true}},
				{name: 'nowhere', cluster: {server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true}},
			],
			users: [{name: 'responder', user: {token: kubeToken}}],
			contexts: [
				{name: 'fast-layer', context: {cluster: 'fast-layer', user: 'responder'}},
				{name: 'elsewhere', context: {cluster: 'nowhere', user: 'responder'}},
			],
			'current-context': 'elsewhere',
		}),
	);
	for (const [name, value] of Object.entries(api.env(kubeconfig))) vi.stubEnv(name, value);
});

afterEach(async () => {
	vi.unstubAllEnvs();
	await api.close();
	rmSync(dir, {recursive: true, force: true});
});

const target = {kubectl: 'kubectl', context: 'fast-layer', namespace: 'production'};
const run = (argv: readonly string[]) =>
	runArgv(argv, {timeoutMs: 20_000, signal: new AbortController().signal, keepStdout: true});

describe('the commands, through the real kubectl', () => {
	it.each([
		['logs', logsArgv(target, 'api-x', true)],
		['describe', describeArgv(target, 'pod', 'api-x')],
	])('%s reaches the pinned context and namespace, every flag taken', async (_name, argv) => {
		const result = await run(argv);
		expect(result.stderr).not.toMatch(/unknown (flag|shorthand)/);
		// The fast layer has no such pod: its 404 proves the command reached it, the current context being a closed port.
		expect(result.stderr).toMatch(/from server \(NotFound\)/i);
		expect(api.requests).toContain('GET /api/v1/namespaces/production/pods/api-x');
	});
});

describe('describe (i) on a deployment row, through the real kubectl', () => {
	it('prints the deployment with its replicas and its new and old ReplicaSets', async () => {
		api.set('deployments', deployments);
		api.set('replicasets', replicaSets);
		const result = await run(describeArgv(target, 'deployment', 'api-gateway'));
		expect(result).toMatchObject({outcome: 'ok', exitCode: 0});
		expect(result.stdout).toMatch(/Name:\s+api-gateway/);
		expect(result.stdout).toMatch(/Replicas:\s+2 desired \| 2 updated \| 2 total \| 0 available/);
		expect(result.stdout).toMatch(/NewReplicaSet:\s+api-gateway-5d8f7c9b6d/);
		expect(api.requests).toContain('GET /apis/apps/v1/namespaces/production/deployments/api-gateway');
	});
});

describe('logs (l), through the executor and the real kubectl', () => {
	it("shows kubectl's own reason in the output overlay when the pod is not found", async () => {
		const store = testStore();
		update.reading(store, 'kubernetes', {
			state: 'ok',
			data: {context: 'fast-layer', pods: [testPod('api-x')], healthyCount: 0},
			fetchedAt: 0,
		});
		const executor = createExecutor({
			store,
			record: vi.fn(),
			track: (_what, write) => write,
			services: {refresh: vi.fn(async () => {})},
			redact: text => text,
		});
		executor.request(registry.find(action => action.id === 'logs')!);
		await vi.waitFor(() => expect(store.getState().ui.overlay?.kind).toBe('output'), {timeout: 20_000});
		expect(store.getState().ui.overlay).toMatchObject({
			kind: 'output',
			output: {
				title: 'logs production/api-x · previous container (it crashed) · last 200 lines · failed',
				command:
					'kubectl --context fast-layer -n production logs api-x --all-containers --tail=200 --timestamps --previous --ignore-errors',
				lines: [
					expect.stringMatching(/^ran logs on production\/api-x: exit 1 in /),
					expect.stringMatching(/from server \(NotFound\)/i),
				],
			},
		});
	});
});

describe('rollout undo (u), through the executor and the real kubectl, when the API hangs on the write', () => {
	it('kills kubectl at the action’s timeout, journals it timed out, and the deployment is unchanged', async () => {
		const cluster = await startCluster();
		try {
			for (const [name, value] of Object.entries(cluster.env(cluster.kubeconfig({context: 'prod-eu'})))) vi.stubEnv(name, value);
			const config = {context: 'prod-eu', namespaces: [], production: 'prod', kubectl: 'kubectl', watch: false};
			const store = testStore();
			const data = await kubernetesCollector(config).collect(AbortSignal.timeout(20_000));
			update.reading(store, 'kubernetes', {state: 'ok', data, fetchedAt: Date.now()});
			store.setState({
				incident: replayIncident('INC-1', journalOf([0, newEvent.declared({title: 'Outage', severity: 'P1', services: []})])),
			});
			const recorded: Array<Record<string, unknown>> = [];
			const executor = createExecutor({
				store,
				record: async event => {
					recorded.push(event as Record<string, unknown>);
					return 'INC-1';
				},
				track: (_what, write) => write,
				services: {refresh: vi.fn(async () => {})},
				redact: text => text,
			});
			const undo = {...registry.find(action => action.id === 'rollout-undo')!, timeoutMs: 1500};
			executor.request(undo);
			const overlay = store.getState().ui.overlay;
			if (overlay?.kind !== 'confirm') throw new Error(`no confirmation: ${JSON.stringify(store.getState().ui.notice)}`);
			cluster.hang('PATCH');
			await executor.run(overlay.pending);
			expect(cluster.requests).toContain('PATCH /apis/apps/v1/namespaces/production/deployments/api-gateway');
			expect(recorded.at(-1)).toMatchObject({type: 'action_finished', action: 'rollout-undo', outcome: 'timed-out'});
			expect(recorded.at(-1)?.durationMs).toBeGreaterThanOrEqual(1500);
			expect(store.getState().ui.notice).toMatchObject({
				text: expect.stringMatching(/^ran rollout undo on production\/api-gateway: timed out, killed in /),
				tone: 'error',
			});
			expect(cluster.object('deployments', 'production', 'api-gateway')?.metadata?.annotations).toMatchObject({
				'deployment.kubernetes.io/revision': '3',
			});
		} finally {
			await cluster.close();
		}
	});
});
