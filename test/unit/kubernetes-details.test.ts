/** What the Kubernetes collector reads besides the pods, from objects shaped as the API serves them; and kubectl's failures in words. */
import {describe, expect, it} from 'vitest';
import {identityOf} from '../../source/sources/kubernetes/context';
import {keptWorkload, readDeployments, type KubeWorkload} from '../../source/sources/kubernetes/deployments';
import {readWarnings, warningLimit, type KubeEvent} from '../../source/sources/kubernetes/events';
import {kubectlFailure, failureOf} from '../../source/sources/kubernetes/kubectl';
import {noUsage, parseQuantity, readUsage} from '../../source/sources/kubernetes/usage';
import {deployments, events, gatewayImages, podMetrics, replicaSets} from '../helpers/kube-deployments';
import {fixtureNow} from '../helpers/kube-pods';

describe('readDeployments', () => {
	it('gives each deployment its revisions newest first, with the ReplicaSet and images of each, as rollout history lists them', () => {
		const [gateway, checkout] = readDeployments({items: [...deployments, ...replicaSets] as KubeWorkload[]});
		expect(gateway).toEqual({
			namespace: 'production',
			name: 'api-gateway',
			uid: 'uid-deploy-api-gateway',
			desired: 2,
			ready: 0,
			updated: 2,
			available: 0,
			revision: 3,
			images: [gatewayImages[2], 'registry/envoy:1.28.0'],
			history: [
				{revision: 3, replicaSet: 'api-gateway-5d8f7c9b6d', images: [gatewayImages[2], 'registry/envoy:1.28.0']},
				{revision: 2, replicaSet: 'api-gateway-6c8d7e9f1b', images: [gatewayImages[1], 'registry/envoy:1.28.0']},
				{revision: 1, replicaSet: 'api-gateway-7b9c6d5f4a', images: [gatewayImages[0], 'registry/envoy:1.28.0']},
			],
		});
		expect(checkout?.history.map(revision => revision.revision)).toEqual([1]);
	});

	it('takes no ReplicaSet of another deployment, nor one of the same name in another namespace', () => {
		const stranger = {...replicaSets[1], metadata: {...replicaSets[1]?.metadata, namespace: 'staging'}};
		const [gateway] = readDeployments({items: [deployments[0], stranger, replicaSets[3]] as KubeWorkload[]});
		expect(gateway?.history).toEqual([]);
	});

	it('strips escape sequences from names and images', () => {
		const hostile = {...deployments[0], metadata: {...deployments[0]?.metadata, name: 'api\u001b[31m-gw\u202e'}};
		expect(readDeployments({items: [hostile] as KubeWorkload[]})[0]?.name).toBe('api-gw');
	});
});

describe('keptWorkload', () => {
	/** As a server sends them: kubectl's last-applied-configuration, the whole pod template, managed fields. */
	const served = [...deployments, ...replicaSets].map(workload => ({
		...workload,
		metadata: {
			...workload.metadata,
			annotations: {
				...workload.metadata?.annotations,
				'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(workload).repeat(20),
			},
			managedFields: [{manager: 'kube-controller-manager', fieldsV1: {'f:spec': {}}}],
		},
	})) as KubeWorkload[];

	it('keeps what the rollout history is read from', () => {
		expect(readDeployments({items: served.map(keptWorkload)})).toEqual(readDeployments({items: served}));
	});

	it('keeps neither the pod template beyond its images nor the other annotations', () => {
		const kept = keptWorkload(served[0]!);
		expect(kept.metadata?.annotations).toEqual({'deployment.kubernetes.io/revision': '3'});
		expect(kept.metadata).not.toHaveProperty('managedFields');
		expect(kept.spec?.template).toEqual({
			spec: {containers: [{image: gatewayImages[2]}, {image: 'registry/envoy:1.28.0'}]},
		});
		expect(JSON.stringify(kept).length).toBeLessThan(JSON.stringify(served[0]).length / 20);
	});
});

describe('readWarnings', () => {
	it('keeps the Warning events, newest first, with their object, count and when last seen', () => {
		expect(readWarnings({items: events as KubeEvent[]}, fixtureNow)).toEqual([
			{
				namespace: 'production',
				object: 'Pod/api-gateway-5d8f7c9b6d-k2l9p',
				reason: 'BackOff',
				message: 'Back-off restarting failed container app in pod api-gateway-5d8f7c9b6d-k2l9p',
				count: 31,
				lastSeenSeconds: 30,
			},
			expect.objectContaining({reason: 'FailedScheduling', object: 'Pod/ledger-5d8f7c9b6d-u7i8o', lastSeenSeconds: 90}),
			expect.objectContaining({reason: 'BackOff', object: 'Pod/search-5d8f7c9b6d-q8w4e', count: 12, lastSeenSeconds: 300}),
		]);
	});

	it('reads the series of a newer cluster’s event, and keeps only the newest when there are many', () => {
		const many: KubeEvent[] = Array.from({length: warningLimit + 10}, (_, index) => ({
			type: 'Warning',
			reason: 'Unhealthy',
			lastTimestamp: null,
			eventTime: new Date(fixtureNow - index * 1000).toISOString(),
			series: {count: index + 2},
			involvedObject: {kind: 'Pod', name: `p${index}`},
		}));
		const warnings = readWarnings({items: many.reverse()}, fixtureNow);
		expect(warnings).toHaveLength(warningLimit);
		expect(warnings[0]).toMatchObject({object: 'Pod/p0', count: 2, lastSeenSeconds: 0});
	});

	it('cuts a 100 KB message with control characters to one clean line', () => {
		const loud: KubeEvent = {type: 'Warning', reason: 'Failed', message: `a\u001b[2J\nb${'x'.repeat(100_000)}`};
		const [warning] = readWarnings({items: [loud]}, fixtureNow);
		expect(warning?.message.startsWith('a bxxx')).toBe(true);
		expect(warning?.message.length).toBeLessThanOrEqual(300);
	});
});

describe('readUsage', () => {
	it('sums each pod’s containers: CPU in millicores, memory in bytes', () => {
		expect(readUsage({items: podMetrics})).toEqual({
			available: true,
			pods: [
				{
					namespace: 'production',
					name: 'api-gateway-5d8f7c9b6d-k2l9p',
					cpuMillicores: 252,
					memoryBytes: 128 * 2 ** 20 + 20_480 * 1024,
				},
				{namespace: 'production', name: 'checkout-5d8f7c9b6d-h7x2q', cpuMillicores: 1000, memoryBytes: 2 ** 30},
			],
		});
	});

	it.each([
		['250m', 0.25],
		['1500000n', 0.0015],
		['2', 2],
		['0.5', 0.5],
		['128Mi', 128 * 2 ** 20],
		['1G', 1e9],
		['1e3', 1000],
		['lots', 0],
	])('reads the quantity %s as %d', (quantity, value) => {
		expect(parseQuantity(quantity)).toBeCloseTo(value, 9);
	});

	it('says the cluster has no metrics API when the API answers 404, and why otherwise', () => {
		expect(noUsage('kubectl: Error from server (NotFound): the server could not find the requested resource')).toEqual({
			available: false,
			reason: 'no metrics API (metrics.k8s.io) in this cluster',
		});
		expect(noUsage('kubectl: connection refused by 127.0.0.1:1')).toEqual({
			available: false,
			reason: 'kubectl: connection refused by 127.0.0.1:1',
		});
	});
});

describe('identityOf', () => {
	it('names the context and the cluster it points at', () => {
		const view = {'current-context': 'prod-eu', contexts: [{name: 'prod-eu', context: {cluster: 'eu-1'}}]};
		expect(identityOf(view)).toEqual({context: 'prod-eu', cluster: 'eu-1'});
		expect(identityOf({})).toEqual({});
	});
});

describe('kubectl’s failures', () => {
	it.each([
		[
			'Error from server (Forbidden): pods is forbidden: User "viewer" cannot list resource "pods" in API group "" at the cluster scope',
			'kubectl: 403 Forbidden: viewer may not list pods in all namespaces',
		],
		[
			'Error from server (Forbidden): deployments.apps "api" is forbidden: User "viewer" cannot patch resource "deployments" in API group "apps" in the namespace "shop"',
			'kubectl: 403 Forbidden: viewer may not patch deployments.apps in namespace shop',
		],
		[
			'error: current-context must exist in order to minify',
			'kubectl: no context: the kubeconfig has no current-context (kubectl config use-context NAME, or kubernetes.context in warroom.yaml)',
		],
		['error: context "prod" does not exist', 'kubectl: context "prod" not found in the kubeconfig'],
		['error: cannot locate context prod', 'kubectl: context "prod" not found in the kubeconfig'],
	])('%s', (stderr, words) => {
		expect(kubectlFailure(stderr)).toBe(words);
	});

	it('names the configured kubectl that is not there, or PATH', () => {
		const missing = {failed: true, stderr: '', code: 'ENOENT'};
		expect(failureOf(missing, '/opt/k8s/kubectl')).toBe(
			'kubectl: /opt/k8s/kubectl not found (kubernetes.kubectl in warroom.yaml)',
		);
		expect(failureOf(missing, 'kubectl')).toBe('kubectl: not found on PATH');
	});
});
