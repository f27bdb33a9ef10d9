/**
 * Kubernetes Pod objects shaped as a real API server serves them (trimmed to
 * what a client reads), for the classifier's tests and the fast-layer API.
 */
import type {KubePod} from '../../source/sources/kubernetes/classify';

/** The fixtures' clock: every pod was created a whole number of seconds before it. */
export const fixtureNow = Date.parse('2026-11-27T12:00:00Z');

export const ago = (seconds: number) => new Date(fixtureNow - seconds * 1000).toISOString().replace('.000', '');

type Container = NonNullable<NonNullable<KubePod['status']>['containerStatuses']>[number];

const running = (name: string, options: Partial<Container> = {}): Container => ({
	name,
	ready: true,
	restartCount: 0,
	state: {running: {startedAt: ago(600)}},
	...options,
});

/** The image every fixture pod runs: the api-gateway deployment's current (bad) revision in `kube-deployments.ts`. */
export const currentImage = 'registry/app:2.0.0';

/** A pod of Deployment `deployment` in `namespace` (through its ReplicaSet), with these container statuses. */
function deploymentPod(
	namespace: string,
	deployment: string,
	suffix: string,
	status: NonNullable<KubePod['status']>,
	extra: {deletionTimestamp?: string; deletionGracePeriodSeconds?: number; containers?: number; createdSecondsAgo?: number} = {},
): KubePod {
	const hash = '5d8f7c9b6d';
	const statuses = status.containerStatuses ?? [];
	const names = Array.from(
		{length: extra.containers ?? (statuses.length || 1)},
		(_, index) => statuses[index]?.name ?? `c${index}`,
	);
	return {
		metadata: {
			name: `${deployment}-${hash}-${suffix}`,
			namespace,
			uid: `uid-${namespace}-${deployment}-${suffix}`,
			creationTimestamp: ago(extra.createdSecondsAgo ?? 3600),
			...(extra.deletionTimestamp
				? {deletionTimestamp: extra.deletionTimestamp, deletionGracePeriodSeconds: extra.deletionGracePeriodSeconds ?? 30}
				: {}),
			labels: {app: deployment, 'pod-template-hash': hash},
			ownerReferences: [
				{
					apiVersion: 'apps/v1',
					kind: 'ReplicaSet',
					name: `${deployment}-${hash}`,
					uid: `uid-rs-${deployment}-${hash}`,
					controller: true,
				},
			],
		},
		spec: {
			nodeName: 'node-a',
			...(status.initContainerStatuses
				? {initContainers: status.initContainerStatuses.map(init => ({name: init.name, image: 'registry/tools:1.0'}))}
				: {}),
			containers: names.map(name => ({name, image: currentImage})),
		},
		status,
	};
}

const readyConditions = [
	{type: 'Initialized', status: 'True'},
	{type: 'Ready', status: 'True'},
	{type: 'ContainersReady', status: 'True'},
	{type: 'PodScheduled', status: 'True'},
];

export const pods = {
	/** Two containers and an init container that finished: nothing to see. */
	healthy: deploymentPod('production', 'checkout', 'h7x2q', {
		phase: 'Running',
		conditions: readyConditions,
		initContainerStatuses: [
			{name: 'migrate', ready: true, restartCount: 0, state: {terminated: {reason: 'Completed', exitCode: 0}}},
		],
		containerStatuses: [running('app'), running('envoy')],
	}),
	crashLoop: deploymentPod('production', 'api-gateway', 'k2l9p', {
		phase: 'Running',
		conditions: [{type: 'Ready', status: 'False', reason: 'ContainersNotReady'}],
		containerStatuses: [
			running('envoy'),
			{
				name: 'app',
				ready: false,
				restartCount: 7,
				state: {waiting: {reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=app'}},
				lastState: {terminated: {reason: 'Error', exitCode: 1, startedAt: ago(125), finishedAt: ago(120)}},
			},
		],
	}),
	oomKilled: deploymentPod('production', 'search', 'q8w4e', {
		phase: 'Running',
		containerStatuses: [
			{
				name: 'indexer',
				ready: false,
				restartCount: 3,
				state: {waiting: {reason: 'CrashLoopBackOff'}},
				lastState: {terminated: {reason: 'OOMKilled', exitCode: 137, finishedAt: ago(300)}},
			},
		],
	}),
	imagePull: deploymentPod('staging', 'billing', 'z1x2c', {
		phase: 'Pending',
		containerStatuses: [
			{
				name: 'app',
				ready: false,
				restartCount: 0,
				state: {waiting: {reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry/billing:9.9"'}},
			},
		],
	}),
	evicted: deploymentPod('production', 'reports', 'e5r6t', {
		phase: 'Failed',
		reason: 'Evicted',
		containerStatuses: [
			{name: 'app', ready: false, restartCount: 0, state: {terminated: {reason: 'ContainerStatusUnknown', exitCode: 137}}},
		],
	}),
	/** No node has room: the scheduler says why in the PodScheduled condition. */
	unschedulable: {
		...deploymentPod('production', 'ledger', 'u7i8o', {
			phase: 'Pending',
			conditions: [
				{
					type: 'PodScheduled',
					status: 'False',
					reason: 'Unschedulable',
					message:
						'0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
				},
			],
		}),
		spec: {containers: [{name: 'app'}]},
	},
	/** Init container still crash-looping: the app container never started. */
	initCrash: deploymentPod(
		'staging',
		'worker',
		'a9s8d',
		{
			phase: 'Pending',
			initContainerStatuses: [
				{
					name: 'wait-for-db',
					ready: false,
					restartCount: 4,
					state: {waiting: {reason: 'CrashLoopBackOff'}},
					lastState: {terminated: {reason: 'Error', exitCode: 1}},
				},
			],
			containerStatuses: [{name: 'app', ready: false, restartCount: 0, state: {waiting: {reason: 'PodInitializing'}}}],
		},
		{containers: 1},
	),
	/** Deleted 15 minutes ago with 30 seconds' grace, and still there: stuck on a finalizer or a dead node. */
	terminating: deploymentPod(
		'production',
		'checkout',
		'old11',
		{phase: 'Running', conditions: readyConditions, containerStatuses: [running('app')]},
		{deletionTimestamp: ago(900)},
	),
	/** Being deleted within its grace period, as every rollout does: not listed. */
	stopping: deploymentPod(
		'production',
		'checkout',
		'bye22',
		{phase: 'Running', conditions: readyConditions, containerStatuses: [running('app')]},
		{deletionTimestamp: ago(-20)},
	),
	/** Created 20 seconds ago, its image being pulled: starting, not yet listed. */
	starting: deploymentPod(
		'staging',
		'billing',
		's1t2a',
		{
			phase: 'Pending',
			conditions: [{type: 'PodScheduled', status: 'True'}],
			containerStatuses: [{name: 'app', ready: false, restartCount: 0, state: {waiting: {reason: 'ContainerCreating'}}}],
		},
		{createdSecondsAgo: 20},
	),
	/** Scheduled, its image still being pulled. */
	containerCreating: deploymentPod('staging', 'billing', 'p0o9i', {
		phase: 'Pending',
		conditions: [{type: 'PodScheduled', status: 'True'}],
		containerStatuses: [{name: 'app', ready: false, restartCount: 0, state: {waiting: {reason: 'ContainerCreating'}}}],
	}),
	/** Running, its readiness probe failing. */
	notReady: deploymentPod('production', 'api-gateway', 'n1r2d', {
		phase: 'Running',
		conditions: [{type: 'Ready', status: 'False', reason: 'ContainersNotReady'}],
		containerStatuses: [running('app', {ready: false})],
	}),
	/** A job's pod whose one run failed. */
	jobFailed: deploymentPod('jobs', 'nightly', 'j4k5l', {
		phase: 'Failed',
		containerStatuses: [{name: 'export', ready: false, restartCount: 0, state: {terminated: {reason: 'Error', exitCode: 3}}}],
	}),
	/** Running again after the kernel killed it for its memory: what to act on before it happens again. */
	oomRestarted: deploymentPod('production', 'search', 'm6n7b', {
		phase: 'Running',
		conditions: readyConditions,
		containerStatuses: [running('indexer', {restartCount: 1, lastState: {terminated: {reason: 'OOMKilled', exitCode: 137}}})],
	}),
	/** Up and ready, but restarted twice: listed, so the restarts are seen. */
	restarted: deploymentPod('production', 'checkout', 'r3s4t', {
		phase: 'Running',
		conditions: readyConditions,
		containerStatuses: [
			running('app', {restartCount: 2, lastState: {terminated: {reason: 'Error', exitCode: 2, finishedAt: ago(610)}}}),
			running('envoy'),
		],
	}),
} satisfies Record<string, KubePod>;
