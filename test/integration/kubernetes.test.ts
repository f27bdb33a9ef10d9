/**
 * The Kubernetes collector running the real kubectl against the fast-layer
 * API: the pods it classifies, and each way the cluster can fail it, in
 * words a responder can act on.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa} from 'execa';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {collectOnce, runCollector, type CollectorHandle} from '../../source/sources/collector';
import {kubernetesCollector} from '../../source/sources/kubernetes/collector';
import {readDetails} from '../../source/sources/kubernetes/details';
import {kubeToken, stagingToken, type KubeApi} from '../helpers/kube-api';
import {gatewayImages, podMetrics, startCluster} from '../helpers/kube-deployments';
import {pods} from '../helpers/kube-pods';
import type {KubernetesData, Reading} from '../../source/sources/types';

let api: KubeApi;

beforeEach(async () => {
	api = await startCluster();
});

afterEach(async () => {
	vi.unstubAllEnvs();
	await api.close();
});

const stubKubeconfig = (kubeconfig?: string) => {
	for (const [name, value] of Object.entries(api.env(kubeconfig))) vi.stubEnv(name, value);
};

describe('kubectl against the fast-layer API', () => {
	it('lists the pods of every namespace, the unhealthy ones classified and the healthy ones counted', async () => {
		stubKubeconfig(api.kubeconfig({context: 'prod-eu'}));
		const reading = await collectOnce(kubernetesCollector({production: 'prod', watch: true, context: 'prod-eu', namespaces: []}));
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
		stubKubeconfig();
		const reading = await collectOnce(kubernetesCollector({production: 'prod', watch: true, namespaces: ['staging']}));
		expect(reading.data?.pods.map(pod => pod.name).sort()).toEqual([
			'billing-5d8f7c9b6d-p0o9i',
			'billing-5d8f7c9b6d-s1t2a',
			'billing-5d8f7c9b6d-z1x2c',
			'worker-5d8f7c9b6d-a9s8d',
		]);
		expect(api.requests).toContain('GET /api/v1/namespaces/staging/pods?limit=500');
		expect(api.requests).not.toContain('GET /api/v1/pods?limit=500');
	});

	it('reads a list the server pages at 500 pods to the last page', async () => {
		const copies = Array.from({length: 1200}, (_, index) => ({
			...pods.healthy,
			metadata: {...pods.healthy.metadata, name: `checkout-5d8f7c9b6d-c${index}`, uid: `uid-copy-${index}`},
		}));
		api.setPods([...copies, pods.crashLoop]);
		stubKubeconfig();
		const reading = await collectOnce(kubernetesCollector({production: 'prod', watch: true, namespaces: []}));
		expect(reading.data?.healthyCount).toBe(1200);
		expect(reading.data?.pods.map(pod => pod.name)).toEqual(['api-gateway-5d8f7c9b6d-k2l9p']);
		expect(api.requests.filter(request => request.startsWith('GET /api/v1/pods?') && request.includes('continue='))).toHaveLength(
			2,
		);
	});

	it('reads a pod a line even when its strings hold line breaks, escapes and 100 KB', async () => {
		const hostile = {
			...pods.crashLoop,
			metadata: {
				...pods.crashLoop.metadata,
				name: 'api\u001b[2J\n{"kind":"Pod"}',
				uid: 'uid-hostile',
				annotations: {note: `${'x'.repeat(100_000)}\n}\n`},
			},
		};
		api.setPods([pods.healthy, hostile]);
		stubKubeconfig();
		const reading = await collectOnce(kubernetesCollector({production: 'prod', watch: true, namespaces: []}));
		expect(reading.error).toBeUndefined();
		expect(reading.data?.healthyCount).toBe(1);
		expect(reading.data?.pods.map(pod => [pod.name, pod.reason])).toEqual([['api {"kind":"Pod"}', 'CrashLoopBackOff']]);
	});

	it('says the credentials were refused on a 401, without quoting the token', async () => {
		stubKubeconfig(api.kubeconfig({token: 'wrong-token-9z'}));
		const reading = await collectOnce(kubernetesCollector({production: 'prod', watch: true, namespaces: []}));
		expect(reading.state).toBe('error');
		expect(reading.error).toMatch(/^kubectl: 401 Unauthorized/);
		expect(reading.error).not.toContain('wrong-token-9z');
		expect(reading.error).not.toContain(kubeToken);
	});

	it('says which verb is forbidden on a 403', async () => {
		stubKubeconfig(api.kubeconfig({token: stagingToken}));
		const reading = await collectOnce(kubernetesCollector({production: 'prod', watch: true, namespaces: []}));
		expect(reading.error).toBe('kubectl: 403 Forbidden: staging-reader may not list pods in all namespaces');
	});

	it('says the connection was refused when the API server is down', async () => {
		stubKubeconfig();
		await api.stop();
		const reading = await collectOnce(kubernetesCollector({production: 'prod', watch: true, namespaces: []}));
		expect(reading.error).toMatch(/^kubectl: connection refused by 127\.0\.0\.1:\d+/);
	});

	it('gives up on an API server that never answers, at the collector’s timeout', async () => {
		stubKubeconfig();
		api.hang();
		const reading = await collectOnce({
			...kubernetesCollector({production: 'prod', watch: true, namespaces: []}),
			timeoutMs: 1500,
		});
		expect(reading).toMatchObject({state: 'error', error: 'timed out after 1.5s'});
	});

	it('says so when kubectl is not on PATH', async () => {
		const empty = mkdtempSync(join(tmpdir(), 'warroom-path-'));
		stubKubeconfig();
		vi.stubEnv('PATH', empty);
		const reading = await collectOnce(kubernetesCollector({production: 'prod', watch: true, namespaces: []}));
		rmSync(empty, {recursive: true});
		expect(reading.error).toBe('kubectl: not found on PATH');
	});

	it('names the configured kubectl when it is not there', async () => {
		stubKubeconfig();
		const kubectl = join(tmpdir(), 'warroom-no-such-dir', 'kubectl');
		const reading = await collectOnce(kubernetesCollector({production: 'prod', watch: true, namespaces: [], kubectl}));
		expect(reading.error).toBe(`kubectl: ${kubectl} not found (kubernetes.kubectl in warroom.yaml)`);
	});

	it('runs the configured kubectl', async () => {
		stubKubeconfig();
		vi.stubEnv('PATH', mkdtempSync(join(tmpdir(), 'warroom-path-')));
		const reading = await collectOnce(
			kubernetesCollector({production: 'prod', watch: true, namespaces: [], kubectl: '/usr/bin/kubectl'}),
		);
		expect(reading).toMatchObject({state: 'ok', data: {healthyCount: 1}});
	});

	it('says the kubeconfig has no context, instead of trying localhost:8080', async () => {
		stubKubeconfig(api.kubeconfig({current: false}));
		const reading = await collectOnce(kubernetesCollector({production: 'prod', watch: true, namespaces: []}));
		expect(reading.error).toBe(
			'kubectl: no context: the kubeconfig has no current-context (kubectl config use-context NAME, or kubernetes.context in warroom.yaml)',
		);
	});

	it('says the configured context is not in the kubeconfig', async () => {
		stubKubeconfig(api.kubeconfig({context: 'staging-us'}));
		const reading = await collectOnce(kubernetesCollector({production: 'prod', watch: true, namespaces: [], context: 'prod-eu'}));
		expect(reading.error).toBe('kubectl: context "prod-eu" not found in the kubeconfig');
	});

	it('says the list is not JSON when a proxy answers with an HTML page', async () => {
		stubKubeconfig();
		api.answerHtml();
		const reading = await collectOnce(kubernetesCollector({production: 'prod', watch: true, namespaces: []}));
		expect(reading.state).toBe('error');
		expect(reading.error).toBe('kubectl: the API answered in text/html, not JSON: is a proxy in the way?');
	});

	it('names kubectl’s current context and its cluster when the config names none', async () => {
		stubKubeconfig(api.kubeconfig({context: 'prod-eu'}));
		const reading = await collectOnce(kubernetesCollector({production: 'prod', watch: true, namespaces: []}));
		expect(reading.data).toMatchObject({context: 'prod-eu', cluster: 'fast-layer'});
	});

	it('reads the deployments with their rollout history, the recent warnings and the pods’ usage', async () => {
		stubKubeconfig();
		api.setMetrics(podMetrics);
		const reading = await collectOnce(kubernetesCollector({production: 'prod', watch: true, namespaces: []}));
		const gateway = reading.data?.deployments?.find(deployment => deployment.name === 'api-gateway');
		expect(gateway?.history.map(({revision, images}) => [revision, images[0]])).toEqual([
			[3, gatewayImages[2]],
			[2, gatewayImages[1]],
			[1, gatewayImages[0]],
		]);
		expect(reading.data?.warnings?.map(warning => warning.reason)).toEqual(['BackOff', 'FailedScheduling', 'BackOff']);
		expect(reading.data?.usage).toEqual({
			available: true,
			pods: expect.arrayContaining([expect.objectContaining({name: 'api-gateway-5d8f7c9b6d-k2l9p', cpuMillicores: 252})]),
		});
		expect(api.requests).toContain('GET /api/v1/events?fieldSelector=type%3DWarning&limit=500');
		expect(api.requests).toContain('GET /apis/metrics.k8s.io/v1beta1/pods');
	});

	it('says the cluster has no metrics API, and still reads the rest', async () => {
		stubKubeconfig();
		const reading = await collectOnce(kubernetesCollector({production: 'prod', watch: true, namespaces: []}));
		expect(reading.data?.usage).toEqual({available: false, reason: 'no metrics API (metrics.k8s.io) in this cluster'});
		expect(reading.data?.deployments).toHaveLength(2);
	});

	it('reads the usage only when asked to, keeping the last one between', async () => {
		stubKubeconfig();
		api.setMetrics(podMetrics);
		const config = {production: 'prod', watch: true, namespaces: []};
		const previous = await readDetails(config, {}, new AbortController().signal);
		expect(previous.usage?.available).toBe(true);
		const before = api.requests.length;
		const read = await readDetails(config, previous, new AbortController().signal, {withUsage: false});
		expect(api.requests.slice(before).filter(request => request.includes('metrics.k8s.io'))).toEqual([]);
		expect(read.usage).toBe(previous.usage);
		expect(api.requests.slice(before).some(request => request.includes('/deployments'))).toBe(true);
	});

	it('gives up on details the API never answers, keeping the last ones read', async () => {
		stubKubeconfig();
		const config = {production: 'prod', watch: true, namespaces: []};
		const previous = await readDetails(config, {}, new AbortController().signal);
		api.hang();
		const read = await readDetails(config, previous, new AbortController().signal, {timeoutMs: 1000});
		expect(read).toEqual({
			deployments: previous.deployments,
			warnings: previous.warnings,
			usage: {available: false, reason: 'kubectl: the metrics API: no answer within 1.0s'},
			problems: ['kubectl: the deployments: no answer within 1.0s', 'kubectl: the events: no answer within 1.0s'],
		});
	});

	it('says what it could not read besides the pods, and keeps showing the pods and the rest', async () => {
		stubKubeconfig();
		api.forbid('events');
		const reading = await collectOnce(kubernetesCollector({production: 'prod', watch: true, namespaces: []}));
		expect(reading.state).toBe('ok');
		expect(reading.data?.pods.length).toBeGreaterThan(0);
		expect(reading.data?.deployments).toHaveLength(2);
		expect(reading.data?.problems).toEqual(['kubectl: 403 Forbidden: admin may not list events in all namespaces']);
	});
});

it('polls the list, opening no watch, when the config says watch: false', async () => {
	stubKubeconfig();
	const readings: Array<Reading<KubernetesData>> = [];
	const polled = {...kubernetesCollector({production: 'prod', watch: false, namespaces: []}), intervalMs: 100};
	const handle = runCollector(polled, reading => readings.push(reading));
	try {
		await vi.waitFor(() => expect(readings.filter(reading => reading.state === 'ok')).not.toHaveLength(0), {timeout: 5000});
		api.setPods([pods.healthy]);
		await vi.waitFor(() => expect(readings.at(-1)?.data).toMatchObject({healthyCount: 1, pods: []}), {timeout: 5000});
	} finally {
		handle.stop();
	}
	expect(api.requests.filter(request => request.includes('watch='))).toEqual([]);
});

describe('the pod list kept live by a watch', () => {
	let handle: CollectorHandle | undefined;
	let latest: Reading<KubernetesData> = {state: 'loading'};
	let lastOk: Reading<KubernetesData> = {state: 'loading'};
	const names = () => latest.data?.pods.map(pod => pod.name) ?? [];
	const watching = () => api.requests.filter(request => /[?&]watch=true/.test(request)).length;
	const lists = () => api.requests.filter(request => request === 'GET /api/v1/pods?limit=500').length;

	/** Runs the collector as the console does, until its watches (one per namespace) are open. */
	const run = async (namespaces: string[] = []) => {
		stubKubeconfig();
		handle = runCollector(kubernetesCollector({production: 'prod', watch: true, namespaces}), reading => {
			latest = reading;
			if (reading.state === 'ok') lastOk = reading;
		});
		await vi.waitFor(() => expect(watching()).toBe(Math.max(1, namespaces.length)), {timeout: 5000});
		expect(latest.state).toBe('ok');
	};

	afterEach(() => handle?.stop());

	it('carries the context, the cluster and the deployments with the watched pods', async () => {
		await run();
		await vi.waitFor(() => expect(latest.data?.deployments).toHaveLength(2), {timeout: 5000});
		expect(latest.data).toMatchObject({context: 'fast-layer', cluster: 'fast-layer'});
		expect(latest.data?.warnings).toHaveLength(3);
	});

	it('lists every interval and opens no watch with watch: false', async () => {
		stubKubeconfig();
		const polled = {...kubernetesCollector({production: 'prod', watch: false, namespaces: []}), intervalMs: 100};
		handle = runCollector(polled, reading => (latest = reading));
		await vi.waitFor(() => expect(latest.state).toBe('ok'), {timeout: 5000});
		api.setPods([pods.healthy]);
		await vi.waitFor(() => expect(latest.data).toMatchObject({pods: [], healthyCount: 1}), {timeout: 5000});
		expect(lists()).toBeGreaterThanOrEqual(2);
		expect(watching()).toBe(0);
	});

	it('shows an added, a crash-looping and a deleted pod within a second, with no poll', async () => {
		await run();
		const listed = lists();
		const added = {
			...pods.crashLoop,
			metadata: {...pods.crashLoop.metadata, name: 'api-gateway-5d8f7c9b6d-new01', uid: 'uid-new01'},
		};
		api.emit('ADDED', added);
		api.emit('MODIFIED', {...pods.healthy, status: pods.crashLoop.status});
		api.emit('DELETED', pods.oomKilled);
		await vi.waitFor(
			() => {
				expect(names()).toContain('api-gateway-5d8f7c9b6d-new01');
				expect(latest.data?.pods).toContainEqual(
					expect.objectContaining({name: 'checkout-5d8f7c9b6d-h7x2q', reason: 'CrashLoopBackOff'}),
				);
				expect(names()).not.toContain('search-5d8f7c9b6d-q8w4e');
			},
			{timeout: 1000},
		);
		expect(latest.data?.healthyCount).toBe(0);
		expect(lists()).toBe(listed);
	});

	it('watches each configured namespace, and only those', async () => {
		await run(['staging', 'jobs']);
		api.emit('DELETED', pods.imagePull);
		api.emit('ADDED', {...pods.crashLoop, metadata: {...pods.crashLoop.metadata, name: 'elsewhere', uid: 'uid-elsewhere'}});
		await vi.waitFor(() => expect(names()).not.toContain('billing-5d8f7c9b6d-z1x2c'), {timeout: 1000});
		expect(names()).not.toContain('elsewhere');
		expect(api.requests).toContainEqual(
			expect.stringMatching(/^GET \/api\/v1\/namespaces\/staging\/pods\?resourceVersion=\d+&watch=true$/),
		);
	});

	it('relists at once on a refresh', async () => {
		await run();
		api.setPods([pods.healthy]);
		void handle?.refresh();
		await vi.waitFor(() => expect(latest.data).toMatchObject({pods: [], healthyCount: 1}), {timeout: 1000});
	});

	it('after a change, reads the deployments again and leaves the watched pods to the watch: no relist, whose gap would keep a pod deleted in it', async () => {
		await run();
		await vi.waitFor(() => expect(latest.data?.deployments).toBeDefined(), {timeout: 3000});
		const listed = lists();
		await execa('kubectl', ['scale', 'deployment/api-gateway', '--replicas=5', '-n', 'production'], {env: api.env()});
		await handle?.refresh('changed');
		expect(latest.data?.deployments?.find(deployment => deployment.name === 'api-gateway')?.desired).toBe(5);
		expect(lists()).toBe(listed);
	});

	it('settles a refresh once the deployments are read again: a rollout made meanwhile shows its revision', async () => {
		await run();
		await vi.waitFor(() => expect(latest.data?.deployments).toBeDefined(), {timeout: 3000});
		const gateway = () => latest.data?.deployments?.find(deployment => deployment.name === 'api-gateway');
		expect(gateway()?.revision).toBe(3);
		const undone = api.object('deployments', 'production', 'api-gateway')!;
		// The template of revision 2, written as rollout undo writes it: the revision moves to 4.
		api.set('deployments', [
			...api.objects('deployments').filter(deployment => deployment !== undone),
			{...undone, metadata: {...undone.metadata, annotations: {'deployment.kubernetes.io/revision': '4'}}},
		]);
		await handle?.refresh();
		expect(gateway()?.revision).toBe(4);
	});

	it('reads the deployments at once when a pod of a ReplicaSet they do not know appears: someone’s rollout began', async () => {
		// Only pods of the deployments' ReplicaSets: the others' (no deployment in the fixtures) would each have them read.
		api.setPods([pods.healthy, pods.crashLoop]);
		await run();
		await vi.waitFor(() => expect(latest.data?.deployments).toBeDefined(), {timeout: 3000});
		const deploymentLists = () => api.requests.filter(request => request.startsWith('GET /apis/apps/v1/deployments')).length;
		const read = deploymentLists();
		const healthy = latest.data?.healthyCount ?? 0;
		api.emit('ADDED', {...pods.healthy, metadata: {...pods.healthy.metadata, name: 'checkout-new-x1', uid: 'uid-new-x1'}});
		// Healthy: counted, not listed.
		await vi.waitFor(() => expect(latest.data?.healthyCount).toBe(healthy + 1), {timeout: 1000});
		expect(deploymentLists()).toBe(read);
		const newReplicaSet = [
			{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-gateway-6f7e8d9c0b', uid: 'uid-rs-new', controller: true},
		];
		api.emit('ADDED', {
			...pods.crashLoop,
			metadata: {...pods.crashLoop.metadata, name: 'api-gateway-6f7e8d9c0b-a1', uid: 'uid-a1', ownerReferences: newReplicaSet},
		});
		await vi.waitFor(() => expect(deploymentLists()).toBe(read + 1), {timeout: 2000});
	});

	it('reconnects and relists when the watch is cut mid-stream, so a change made meanwhile shows', async () => {
		await run();
		api.cut();
		api.setPods(Object.values(pods).filter(pod => pod !== pods.evicted));
		await vi.waitFor(() => expect(names()).not.toContain('reports-5d8f7c9b6d-e5r6t'), {timeout: 3000});
		await vi.waitFor(() => expect(watching()).toBe(2), {timeout: 3000});
		api.emit('DELETED', pods.imagePull);
		await vi.waitFor(() => expect(names()).not.toContain('billing-5d8f7c9b6d-z1x2c'), {timeout: 1000});
	});

	it('says why the watch broke, keeping the last pods, then relists by itself', async () => {
		await run();
		api.garble();
		await vi.waitFor(() => expect(latest.state).toBe('error'), {timeout: 2000});
		expect(latest.error).toMatch(/^kubectl: the watch failed: .*unable to decode an event from the watch stream/);
		// The last pods stay; the details (warnings' ages) may have been read again meanwhile.
		expect({pods: latest.data?.pods, fetchedAt: latest.fetchedAt}).toEqual({
			pods: lastOk.data?.pods,
			fetchedAt: lastOk.fetchedAt,
		});
		await vi.waitFor(() => expect(latest.state).toBe('ok'), {timeout: 3000});
	});

	it('turns to an error keeping the last pods while the API server is down, and back to ok by itself', async () => {
		await run();
		await api.stop();
		await vi.waitFor(() => expect(latest.state).toBe('error'), {timeout: 5000});
		expect(latest.error).toMatch(/^kubectl: connection refused by 127\.0\.0\.1:\d+/);
		expect(latest.error).not.toContain(kubeToken);
		// The last pods stay; the details (warnings' ages) may have been read again meanwhile.
		expect({pods: latest.data?.pods, fetchedAt: latest.fetchedAt}).toEqual({
			pods: lastOk.data?.pods,
			fetchedAt: lastOk.fetchedAt,
		});
		await api.start();
		await vi.waitFor(() => expect(latest.state).toBe('ok'), {timeout: 10_000});
		await vi.waitFor(() => expect(watching()).toBe(2), {timeout: 3000});
	});
});
