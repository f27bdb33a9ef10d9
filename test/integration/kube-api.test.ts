/**
 * The fast-layer API keeps its cluster honest: each write the mitigations
 * send, driven here through the real kubectl, changes what it serves next,
 * as a control plane would (the revision and image after an undo, the pods
 * after a scale), and a viewer's writes are refused.
 */
import {execa} from 'execa';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {viewerToken, type KubeApi} from '../helpers/kube-api';
import type {KubeObject} from '../helpers/kube-cluster';
import {gatewayImages, startCluster} from '../helpers/kube-deployments';
import {pods} from '../helpers/kube-pods';

let api: KubeApi;

beforeEach(async () => {
	api = await startCluster();
});

afterEach(async () => {
	await api.close();
});

const kubectl = async (args: string[], kubeconfig?: string) =>
	execa('kubectl', args, {env: {...process.env, ...api.env(kubeconfig)}, reject: false, stdin: 'ignore'});

const gateway = () => api.object('deployments', 'production', 'api-gateway');
const imageOf = (object: KubeObject | undefined) =>
	(object?.spec as {template?: {spec?: {containers?: Array<{image?: string}>}}} | undefined)?.template?.spec?.containers?.[0]
		?.image;
const revisionOf = (object: KubeObject | undefined) => object?.metadata?.annotations?.['deployment.kubernetes.io/revision'];

/** The gateway's pods as served now: each pod's first container trouble, else Running. */
async function gatewayPods() {
	const result = await kubectl(['get', 'pods', '-n', 'production', '-l', 'app=api-gateway', '-o', 'json']);
	const list = JSON.parse(result.stdout) as {
		items: Array<{status: {containerStatuses: Array<{state: {waiting?: {reason: string}}}>}}>;
	};
	return list.items.map(
		pod => pod.status.containerStatuses.map(status => status.state.waiting?.reason).find(Boolean) ?? 'Running',
	);
}

/** `kubectl rollout history`'s revision numbers. */
async function history() {
	const result = await kubectl(['rollout', 'history', 'deployment/api-gateway', '-n', 'production']);
	return [...result.stdout.matchAll(/^(\d+)\s/gm)].map(match => Number(match[1]));
}

describe('writes through the real kubectl', () => {
	it('rollout undo --to-revision brings the revision’s image back as the next revision, its pods running', async () => {
		expect(await history()).toEqual([1, 2, 3]);
		const result = await kubectl(['rollout', 'undo', 'deployment/api-gateway', '-n', 'production', '--to-revision=1']);
		expect(result).toMatchObject({exitCode: 0, stdout: 'deployment.apps/api-gateway rolled back'});
		expect(imageOf(gateway())).toBe(gatewayImages[0]);
		expect(revisionOf(gateway())).toBe('4');
		expect(await history()).toEqual([2, 3, 4]);
		expect(await gatewayPods()).toEqual(['Running', 'Running']);
		expect(api.requests).toContainEqual('PATCH /apis/apps/v1/namespaces/production/deployments/api-gateway');
	});

	it('a bad image crash-loops after a rollout restart, and an undo to the good revision runs again', async () => {
		api.crashImage(gatewayImages[2]);
		expect((await kubectl(['rollout', 'restart', 'deployment/api-gateway', '-n', 'production'])).exitCode).toBe(0);
		expect(await gatewayPods()).toEqual(['CrashLoopBackOff', 'CrashLoopBackOff']);
		expect(gateway()?.status).toMatchObject({replicas: 2, readyReplicas: 0, availableReplicas: 0});
		expect((await kubectl(['rollout', 'undo', 'deployment/api-gateway', '-n', 'production', '--to-revision=2'])).exitCode).toBe(
			0,
		);
		expect(imageOf(gateway())).toBe(gatewayImages[1]);
		expect(await gatewayPods()).toEqual(['Running', 'Running']);
		expect(gateway()?.status).toMatchObject({replicas: 2, readyReplicas: 2, availableReplicas: 2});
		expect((await kubectl(['rollout', 'status', 'deployment/api-gateway', '-n', 'production', '--timeout=5s'])).stdout).toBe(
			'deployment "api-gateway" successfully rolled out',
		);
	});

	it('rollout restart stamps the template and rolls out a new revision', async () => {
		const result = await kubectl(['rollout', 'restart', 'deployment/api-gateway', '-n', 'production']);
		expect(result.stdout).toBe('deployment.apps/api-gateway restarted');
		const template = (gateway()?.spec as {template: {metadata: {annotations: Record<string, string>}}}).template;
		expect(template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT/);
		expect(revisionOf(gateway())).toBe('4');
		expect(imageOf(gateway())).toBe(gatewayImages[2]);
	});

	it('scale changes the replicas and the pods served', async () => {
		expect((await kubectl(['scale', 'deployment/api-gateway', '-n', 'production', '--replicas=3'])).stdout).toBe(
			'deployment.apps/api-gateway scaled',
		);
		expect((gateway()?.spec as {replicas: number}).replicas).toBe(3);
		expect(await gatewayPods()).toHaveLength(3);
		await kubectl(['scale', 'deployment/api-gateway', '-n', 'production', '--replicas=0']);
		expect(await gatewayPods()).toEqual([]);
		expect(api.requests).toContain('PATCH /apis/apps/v1/namespaces/production/deployments/api-gateway/scale');
	});

	it('refuses a viewer’s write with the 403 a real server gives, changing nothing', async () => {
		const result = await kubectl(
			['scale', 'deployment/api-gateway', '-n', 'production', '--replicas=1'],
			api.kubeconfig({token: viewerToken}),
		);
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toBe(
			'Error from server (Forbidden): deployments.apps "api-gateway" is forbidden: User "viewer" cannot patch resource "deployments/scale" in API group "apps" in the namespace "production"',
		);
		expect((gateway()?.spec as {replicas: number}).replicas).toBe(2);
	});
});

describe('reads the mitigations show', () => {
	const crashing = pods.crashLoop.metadata?.name ?? '';

	beforeEach(() => {
		api.setLogs('production', crashing, 'app', {
			current: ['starting', 'listening on :8080', 'panic: nil map'],
			previous: ['old run', 'exit 1'],
		});
	});

	it('logs --tail gives the last lines of the container', async () => {
		const result = await kubectl(['logs', '-n', 'production', crashing, '-c', 'app', '--tail=2']);
		expect(result.stdout).toBe('listening on :8080\npanic: nil map');
		expect(api.requests).toContain(`GET /api/v1/namespaces/production/pods/${crashing}/log?container=app&tailLines=2`);
	});

	it('logs --previous gives the run before the restart, and says so when there was none', async () => {
		expect((await kubectl(['logs', '-n', 'production', crashing, '-c', 'app', '--previous'])).stdout).toBe('old run\nexit 1');
		const none = await kubectl(['logs', '-n', 'production', crashing, '-c', 'envoy', '--previous']);
		expect(none.stderr).toContain(`previous terminated container "envoy" in pod "${crashing}" not found`);
	});

	it('describe pod shows the pod and its events', async () => {
		const result = await kubectl(['describe', 'pod', '-n', 'production', crashing]);
		expect(result.exitCode).toBe(0);
		expect(result.stdout).toMatch(/^Name:\s+api-gateway-5d8f7c9b6d-k2l9p$/m);
		expect(result.stdout).toMatch(/Warning\s+BackOff\s+.*Back-off restarting failed container app/);
		expect(result.stdout).not.toContain('FailedScheduling');
	});
});
