/** A pod and a deployment as the Kubernetes source lists them, for tests that fill the Pods panel. */
import type {Deployment, Pod} from '../../source/sources/types';
import type {PodsPanelRow} from '../../source/view-model/rows';

export const testPod = (name: string, reason = 'CrashLoopBackOff'): Pod => ({
	namespace: 'production',
	name,
	phase: 'Running',
	reason,
	ready: '0/1',
	restarts: 3,
	ageSeconds: 60,
	node: 'node-a',
	owner: {kind: 'Deployment', name: 'api-gateway'},
});

/** A deployment at its second revision, every replica ready unless `status` says otherwise. */
export const testDeployment = (name: string, status: Partial<Deployment> = {}): Deployment => ({
	namespace: 'production',
	name,
	desired: 3,
	ready: 3,
	updated: 3,
	available: 3,
	revision: 2,
	images: [`registry.example.com/${name}:1.1.0`],
	history: [
		{revision: 2, replicaSet: `${name}-6d4f8b7c9`, images: [`registry.example.com/${name}:1.1.0`]},
		{revision: 1, replicaSet: `${name}-5b7c9d8f4`, images: [`registry.example.com/${name}:1.0.0`]},
	],
	...status,
});

export const podRow = (pod: Pod): PodsPanelRow => ({kind: 'pod', pod});

/** What a row of the Pods panel is called on screen: the pod's name, or `deploy/NAME`. */
export const rowName = (row: PodsPanelRow) => (row.kind === 'pod' ? row.pod.name : `deploy/${row.deployment.name}`);
