/**
 * The Kubernetes actions' commands run through the real kubectl against the
 * fast-layer API: they pin the context the reading showed, whatever the
 * current context is, and the pod's namespace, and kubectl takes every flag
 * they pass. (The fast layer serves pods only so far: the deployment
 * commands get their REST round trips once it serves deployments.)
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {createExecutor, runArgv} from '../../source/actions/executor';
import {registry} from '../../source/actions/registry';
import {describeArgv, logsArgv} from '../../source/sources/kubernetes/kubectl-commands';
import {update} from '../../source/store';
import {kubeToken, startKubeApi, type KubeApi} from '../helpers/kube-api';
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
				command: 'kubectl --context fast-layer -n production logs api-x --all-containers --tail=200 --timestamps --previous',
				lines: [
					expect.stringMatching(/^ran logs on production\/api-x: exit 1 in /),
					expect.stringMatching(/from server \(NotFound\)/i),
				],
			},
		});
	});
});
