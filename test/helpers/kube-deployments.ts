/**
 * Deployments with their ReplicaSets (rollout history), Warning and Normal
 * events and pod metrics, shaped as a real API server serves them, for the
 * fast-layer API and the pure readers' tests. They go with the pods of
 * `kube-pods.ts`: api-gateway's current revision is the one its
 * crash-looping pod runs.
 */
import type {KubeObject} from './kube-cluster';
import {startKubeApi, type KubeApi, type PodMetrics} from './kube-api';
import type {KubePod} from '../../source/sources/kubernetes/classify';
import {ago, currentImage, pods} from './kube-pods';

const template = (app: string, hash: string, image: string) => ({
	metadata: {labels: {app, 'pod-template-hash': hash}},
	spec: {
		containers: [
			{name: 'app', image, ports: [{containerPort: 8080, protocol: 'TCP'}], resources: {}},
			{name: 'envoy', image: 'registry/envoy:1.28.0', resources: {}},
		],
		restartPolicy: 'Always',
	},
});

/** A ReplicaSet of `deployment` at `revision`, holding `replicas` pods of `image`. */
function replicaSet(namespace: string, app: string, hash: string, revision: number, image: string, replicas: number): KubeObject {
	return {
		apiVersion: 'apps/v1',
		kind: 'ReplicaSet',
		metadata: {
			name: `${app}-${hash}`,
			namespace,
			uid: `uid-rs-${app}-${hash}`,
			creationTimestamp: ago(3600 * (4 - revision)),
			labels: {app, 'pod-template-hash': hash},
			annotations: {'deployment.kubernetes.io/revision': String(revision), 'deployment.kubernetes.io/desired-replicas': '2'},
			ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: app, uid: `uid-deploy-${app}`, controller: true}],
		},
		spec: {replicas, selector: {matchLabels: {app, 'pod-template-hash': hash}}, template: template(app, hash, image)},
		status: {replicas, readyReplicas: 0, availableReplicas: 0},
	};
}

function deployment(namespace: string, app: string, revision: number, image: string, status: Record<string, number>): KubeObject {
	const {metadata, spec} = template(app, '', image);
	return {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {
			name: app,
			namespace,
			uid: `uid-deploy-${app}`,
			generation: revision,
			creationTimestamp: ago(4 * 3600),
			labels: {app},
			annotations: {'deployment.kubernetes.io/revision': String(revision)},
		},
		spec: {
			replicas: 2,
			selector: {matchLabels: {app}},
			template: {metadata: {labels: {app: metadata.labels.app}}, spec},
			strategy: {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: '25%', maxSurge: '25%'}},
			revisionHistoryLimit: 10,
		},
		status: {observedGeneration: revision, ...status},
	};
}

/** api-gateway's three revisions, oldest first: 1.4.1, 1.4.2, then the bad 2.0.0 running now. */
export const gatewayImages = ['registry/app:1.4.1', 'registry/app:1.4.2', currentImage] as const;

export const deployments: KubeObject[] = [
	deployment('production', 'api-gateway', 3, currentImage, {
		replicas: 2,
		updatedReplicas: 2,
		readyReplicas: 0,
		availableReplicas: 0,
	}),
	deployment('production', 'checkout', 1, currentImage, {
		replicas: 2,
		updatedReplicas: 2,
		readyReplicas: 2,
		availableReplicas: 2,
	}),
];

export const replicaSets: KubeObject[] = [
	replicaSet('production', 'api-gateway', '7b9c6d5f4a', 1, gatewayImages[0], 0),
	replicaSet('production', 'api-gateway', '6c8d7e9f1b', 2, gatewayImages[1], 0),
	replicaSet('production', 'api-gateway', '5d8f7c9b6d', 3, gatewayImages[2], 2),
	replicaSet('production', 'checkout', '5d8f7c9b6d', 1, currentImage, 2),
];

/** An event about `pod`, as the kubelet or the scheduler records it. */
function event(
	pod: KubeObject,
	type: 'Warning' | 'Normal',
	reason: string,
	message: string,
	lastSeconds: number,
	count = 1,
): KubeObject {
	const {name = '', namespace = '', uid = ''} = pod.metadata ?? {};
	return {
		apiVersion: 'v1',
		kind: 'Event',
		metadata: {
			name: `${name}.${reason.toLowerCase()}${lastSeconds}`,
			namespace,
			uid: `uid-event-${name}-${reason}-${lastSeconds}`,
		},
		involvedObject: {kind: 'Pod', namespace, name, uid, apiVersion: 'v1'},
		reason,
		message,
		source: {component: reason === 'FailedScheduling' ? 'default-scheduler' : 'kubelet', host: 'node-a'},
		firstTimestamp: ago(lastSeconds + 600),
		lastTimestamp: ago(lastSeconds),
		count,
		type,
	};
}

export const events: KubeObject[] = [
	event(pods.crashLoop, 'Normal', 'Pulled', `Container image "${currentImage}" already present on machine`, 130, 8),
	event(
		pods.crashLoop,
		'Warning',
		'BackOff',
		'Back-off restarting failed container app in pod api-gateway-5d8f7c9b6d-k2l9p',
		30,
		31,
	),
	event(pods.unschedulable, 'Warning', 'FailedScheduling', '0/3 nodes are available: 3 Insufficient memory.', 90),
	event(pods.oomKilled, 'Warning', 'BackOff', 'Back-off restarting failed container indexer', 300, 12),
];

export const podMetrics: PodMetrics[] = [
	{
		metadata: {name: pods.crashLoop.metadata?.name ?? '', namespace: 'production'},
		containers: [
			{name: 'app', usage: {cpu: '250m', memory: '128Mi'}},
			{name: 'envoy', usage: {cpu: '1500000n', memory: '20480Ki'}},
		],
	},
	{
		metadata: {name: pods.healthy.metadata?.name ?? '', namespace: 'production'},
		containers: [{name: 'app', usage: {cpu: '1', memory: '1Gi'}}],
	},
];

/** The fast-layer API serving these pods (every fixture pod by default) with the deployments, ReplicaSets and events above. */
export async function startCluster(served: KubePod[] = Object.values(pods)): Promise<KubeApi> {
	const api = await startKubeApi(served);
	api.set('deployments', deployments);
	api.set('replicasets', replicaSets);
	api.set('events', events);
	return api;
}
