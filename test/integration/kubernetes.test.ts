/**
 * The Kubernetes collector running the real kubectl against the fast-layer
 * API: the pods it classifies, and each way the cluster can fail it, in
 * words a responder can act on.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {collectOnce} from '../../source/sources/collector';
import {kubernetesCollector} from '../../source/sources/kubernetes/collector';
import {kubeToken, startKubeApi, viewerToken, type KubeApi} from '../helpers/kube-api';
import {pods} from '../helpers/kube-pods';

let api: KubeApi;

beforeEach(async () => {
	api = await startKubeApi(Object.values(pods));
});

afterEach(async () => {
	vi.unstubAllEnvs();
	await api.close();
});

const useKubeconfig = (kubeconfig?: string) => {
	for (const [name, value] of Object.entries(api.env(kubeconfig))) vi.stubEnv(name, value);
};

describe('kubectl against the fast-layer API', () => {
	it('lists the pods of every namespace, the unhealthy ones classified and the healthy ones counted', async () => {
		useKubeconfig(api.kubeconfig({context: 'prod-eu'}));
		const reading = await collectOnce(kubernetesCollector({context: 'prod-eu', namespaces: []}));
		expect(reading.error).toBeUndefined();
		expect(reading.data?.context).toBe('prod-eu');
		expect(reading.data?.healthyCount).toBe(1);
		expect(reading.data?.pods).toContainEqual(
			expect.objectContaining({
				namespace: 'production',
				name: 'api-gateway-5d8f7c9b6d-k2l9p',
				reason: 'CrashLoopBackOff',
				ready: '1/2',
				restarts: 7,
				owner: {kind: 'Deployment', name: 'api-gateway'},
			}),
		);
		expect(reading.data?.pods.map(pod => pod.reason)).toEqual(
			expect.arrayContaining(['OOMKilled', 'ImagePullBackOff', 'Evicted', 'Unschedulable', 'Terminating']),
		);
		expect(api.requests).toContain('GET /api/v1/pods?limit=500');
	});

	it('lists each configured namespace on its own', async () => {
		useKubeconfig();
		const reading = await collectOnce(kubernetesCollector({namespaces: ['staging']}));
		expect(reading.data?.pods.map(pod => pod.name).sort()).toEqual([
			'billing-5d8f7c9b6d-p0o9i',
			'billing-5d8f7c9b6d-z1x2c',
			'worker-5d8f7c9b6d-a9s8d',
		]);
		expect(api.requests).toContain('GET /api/v1/namespaces/staging/pods?limit=500');
		expect(api.requests).not.toContain('GET /api/v1/pods?limit=500');
	});

	it('says the credentials were refused on a 401, without quoting the token', async () => {
		useKubeconfig(api.kubeconfig({token: 'wrong-token-9z'}));
		const reading = await collectOnce(kubernetesCollector({namespaces: []}));
		expect(reading.state).toBe('error');
		expect(reading.error).toMatch(/^kubectl: 401 Unauthorized/);
		expect(reading.error).not.toContain('wrong-token-9z');
		expect(reading.error).not.toContain(kubeToken);
	});

	it('says which verb is forbidden on a 403', async () => {
		useKubeconfig(api.kubeconfig({token: viewerToken}));
		const reading = await collectOnce(kubernetesCollector({namespaces: []}));
		expect(reading.error).toBe(
			'kubectl: Error from server (Forbidden): pods is forbidden: User "viewer" cannot list resource "pods" in API group "" at the cluster scope',
		);
	});

	it('says the connection was refused when the API server is down', async () => {
		useKubeconfig();
		await api.stop();
		const reading = await collectOnce(kubernetesCollector({namespaces: []}));
		expect(reading.error).toMatch(/^kubectl: connection refused by 127\.0\.0\.1:\d+/);
	});

	it('gives up on an API server that never answers, at the collector’s timeout', async () => {
		useKubeconfig();
		api.hang();
		const reading = await collectOnce({...kubernetesCollector({namespaces: []}), timeoutMs: 1500});
		expect(reading).toMatchObject({state: 'error', error: 'timed out after 1.5s'});
	});

	it('says so when kubectl is not on PATH', async () => {
		const empty = mkdtempSync(join(tmpdir(), 'warroom-path-'));
		useKubeconfig();
		vi.stubEnv('PATH', empty);
		const reading = await collectOnce(kubernetesCollector({namespaces: []}));
		rmSync(empty, {recursive: true});
		expect(reading.error).toBe('kubectl: not found on PATH');
	});
});
