/**
 * The benchmark's cluster: 10,000 pods shaped as a real API server serves
 * them (managed fields, the service-account volume, probes, several
 * containers), in several namespaces, most of them a Deployment's through
 * its ReplicaSet, some a DaemonSet's or a finished Job's, about 1% of them
 * broken as clusters break. Seeded, so every run lists the same pods.
 */
import type {KubePod} from '../source/sources/kubernetes/classify';

/** A small seeded generator (mulberry32): the same cluster on every run. */
export function seededRandom(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
		mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
		return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
	};
}

const namespaces = ['production', 'checkout', 'search', 'payments', 'staging', 'data', 'monitoring', 'batch'];
const nodeCount = 120;
const daemonSets = ['node-exporter', 'fluent-bit'];

type Container = NonNullable<NonNullable<KubePod['status']>['containerStatuses']>[number];
/** A server sends more than the classifier reads: what it sends is what kubectl has to print and the console to parse. */
type Served<T> = T & Record<string, unknown>;
type Status = Served<NonNullable<KubePod['status']>>;

/** What a broken pod looks like, about one in a hundred; the rest run ready. */
type Trouble = 'crashLoop' | 'oomKilled' | 'imagePull' | 'unschedulable' | 'evicted' | 'notReady';
const troubles: Array<{trouble: Trouble; share: number}> = [
	{trouble: 'crashLoop', share: 0.004},
	{trouble: 'oomKilled', share: 0.001},
	{trouble: 'imagePull', share: 0.0015},
	{trouble: 'unschedulable', share: 0.0015},
	{trouble: 'evicted', share: 0.001},
	{trouble: 'notReady', share: 0.001},
];

const hex = (random: () => number, length: number) => Array.from({length}, () => Math.floor(random() * 16).toString(16)).join('');
const alnum = (random: () => number, length: number) =>
	Array.from({length}, () => 'bcdfghjklmnpqrstvwxz2456789'[Math.floor(random() * 27)]).join('');
const uuid = (random: () => number) =>
	`${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-a${hex(random, 3)}-${hex(random, 12)}`;

export type ClusterOptions = {pods: number; now: number; seed?: number};

/** The pods of the cluster, `options.pods` of them. */
export function makeCluster(options: ClusterOptions): KubePod[] {
	const random = seededRandom(options.seed ?? 7);
	const at = (secondsAgo: number) => new Date(options.now - secondsAgo * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
	const pods: KubePod[] = [];

	const trouble = (): Trouble | undefined => {
		let roll = random();
		for (const {trouble: kind, share} of troubles) {
			if (roll < share) return kind;
			roll -= share;
		}
		return undefined;
	};

	const runningContainer = (name: string, image: string, startedAgo: number): Served<Container> => ({
		name,
		ready: true,
		restartCount: 0,
		state: {running: {startedAt: at(startedAgo)}},
		image,
		imageID: `${image.split(':')[0]}@sha256:${hex(random, 64)}`,
		containerID: `containerd://${hex(random, 64)}`,
		started: true,
		lastState: {},
	});

	const podSpec = (containers: Array<{name: string; image: string}>, nodeName: string | undefined) => ({
		volumes: [
			{
				name: `kube-api-access-${alnum(random, 5)}`,
				projected: {
					sources: [
						{serviceAccountToken: {expirationSeconds: 3607, path: 'token'}},
						{configMap: {name: 'kube-root-ca.crt', items: [{key: 'ca.crt', path: 'ca.crt'}]}},
						{downwardAPI: {items: [{path: 'namespace', fieldRef: {apiVersion: 'v1', fieldPath: 'metadata.namespace'}}]}},
					],
					defaultMode: 420,
				},
			},
		],
		containers: containers.map(({name, image}) => ({
			name,
			image,
			ports: [{name: 'http', containerPort: 8080, protocol: 'TCP'}],
			env: [
				{name: 'LOG_LEVEL', value: 'info'},
				{name: 'POD_NAME', valueFrom: {fieldRef: {apiVersion: 'v1', fieldPath: 'metadata.name'}}},
				{name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.monitoring:4317'},
			],
			resources: {limits: {cpu: '1', memory: '512Mi'}, requests: {cpu: '100m', memory: '256Mi'}},
			volumeMounts: [{name: 'kube-api-access', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount'}],
			livenessProbe: {
				httpGet: {path: '/healthz', port: 'http', scheme: 'HTTP'},
				timeoutSeconds: 1,
				periodSeconds: 10,
				successThreshold: 1,
				failureThreshold: 3,
			},
			readinessProbe: {
				httpGet: {path: '/ready', port: 'http', scheme: 'HTTP'},
				timeoutSeconds: 1,
				periodSeconds: 5,
				successThreshold: 1,
				failureThreshold: 3,
			},
			terminationMessagePath: '/dev/termination-log',
			terminationMessagePolicy: 'File',
			imagePullPolicy: 'IfNotPresent',
		})),
		restartPolicy: 'Always',
		terminationGracePeriodSeconds: 30,
		dnsPolicy: 'ClusterFirst',
		serviceAccountName: 'default',
		serviceAccount: 'default',
		...(nodeName ? {nodeName} : {}),
		securityContext: {},
		schedulerName: 'default-scheduler',
		tolerations: [
			{key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
			{key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
		],
		priority: 0,
		enableServiceLinks: true,
		preemptionPolicy: 'PreemptLowerPriority',
	});

	const conditions = (ready: boolean, startedAgo: number) =>
		['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(type => ({
			type,
			status: ready || type === 'Initialized' || type === 'PodScheduled' ? 'True' : 'False',
			...(ready || type === 'Initialized' || type === 'PodScheduled' ? {} : {reason: 'ContainersNotReady'}),
			lastProbeTime: null,
			lastTransitionTime: at(startedAgo),
		}));

	/** The status of a pod of these containers, broken as `kind` says. */
	const statusOf = (containers: Array<{name: string; image: string}>, kind: Trouble | undefined, ageSeconds: number): Status => {
		const hostIP = `10.0.${Math.floor(random() * 4)}.${1 + Math.floor(random() * 250)}`;
		const podIP = `10.244.${Math.floor(random() * 250)}.${1 + Math.floor(random() * 250)}`;
		const base = {
			hostIP,
			hostIPs: [{ip: hostIP}],
			podIP,
			podIPs: [{ip: podIP}],
			startTime: at(ageSeconds),
			qosClass: 'Burstable',
		};
		const statuses = containers.map(({name, image}) => runningContainer(name, image, ageSeconds - 5));
		const [first] = statuses;
		switch (kind) {
			case 'crashLoop':
			case 'oomKilled': {
				const reason = kind === 'oomKilled' ? 'OOMKilled' : 'Error';
				Object.assign(first!, {
					ready: false,
					restartCount: 3 + Math.floor(random() * 40),
					state: {waiting: {reason: 'CrashLoopBackOff', message: `back-off 5m0s restarting failed container=${first!.name}`}},
					lastState: {terminated: {reason, exitCode: kind === 'oomKilled' ? 137 : 1, startedAt: at(200), finishedAt: at(190)}},
				});
				return {phase: 'Running', conditions: conditions(false, 190), ...base, containerStatuses: statuses};
			}
			case 'imagePull':
				for (const status of statuses)
					Object.assign(status, {
						ready: false,
						started: false,
						state: {waiting: {reason: 'ImagePullBackOff', message: `Back-off pulling image "${status.name}"`}},
					});
				return {phase: 'Pending', conditions: conditions(false, ageSeconds), ...base, containerStatuses: statuses};
			case 'unschedulable': {
				const unscheduled = {
					type: 'PodScheduled',
					status: 'False',
					reason: 'Unschedulable',
					message: `0/${nodeCount} nodes are available: ${nodeCount} Insufficient memory.`,
					lastProbeTime: null,
					lastTransitionTime: at(ageSeconds),
				};
				return {phase: 'Pending', conditions: [unscheduled], qosClass: 'Burstable'};
			}
			case 'evicted':
				return {
					phase: 'Failed',
					reason: 'Evicted',
					message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 84Mi.',
					...base,
					containerStatuses: statuses.map(status => ({
						...status,
						ready: false,
						started: false,
						state: {terminated: {reason: 'ContainerStatusUnknown', exitCode: 137}},
					})),
				};
			case 'notReady':
				first!.ready = false;
				return {phase: 'Running', conditions: conditions(false, 60), ...base, containerStatuses: statuses};
			default:
				return {phase: 'Running', conditions: conditions(true, ageSeconds - 10), ...base, containerStatuses: statuses};
		}
	};

	const podOf = (options: {
		namespace: string;
		name: string;
		labels: Record<string, string>;
		owner: {apiVersion: string; kind: string; name: string; uid: string};
		containers: Array<{name: string; image: string}>;
		node?: string;
		kind?: Trouble;
		status?: Status;
	}): KubePod => {
		const ageSeconds = 3_600 + Math.floor(random() * 30 * 86_400);
		const scheduled = options.kind !== 'unschedulable';
		const pod = {
			metadata: {
				name: options.name,
				generateName: `${options.owner.name}-`,
				resourceVersion: String(1000 + pods.length),
				namespace: options.namespace,
				uid: uuid(random),
				creationTimestamp: at(ageSeconds),
				labels: options.labels,
				annotations: {'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080'},
				managedFields: [
					{
						manager: 'kube-controller-manager',
						operation: 'Update',
						apiVersion: 'v1',
						time: at(ageSeconds),
						fieldsType: 'FieldsV1',
						fieldsV1: {
							'f:metadata': {'f:generateName': {}, 'f:labels': {'.': {}, 'f:app': {}}, 'f:ownerReferences': {}},
							'f:spec': {'f:containers': {}, 'f:dnsPolicy': {}, 'f:restartPolicy': {}, 'f:volumes': {}},
						},
					},
					{
						manager: 'kubelet',
						operation: 'Update',
						apiVersion: 'v1',
						time: at(ageSeconds - 10),
						fieldsType: 'FieldsV1',
						fieldsV1: {'f:status': {'f:conditions': {}, 'f:containerStatuses': {}, 'f:hostIP': {}, 'f:podIP': {}}},
						subresource: 'status',
					},
				],
				ownerReferences: [{...options.owner, controller: true, blockOwnerDeletion: true}],
			},
			spec: podSpec(options.containers, scheduled ? options.node : undefined),
			status: options.status ?? statusOf(options.containers, options.kind, ageSeconds),
		};
		// Not checked for excess properties: a server sends more than the classifier reads.
		return pod;
	};

	const node = () => `ip-10-0-${Math.floor(random() * 4)}-${nodeCount + Math.floor(random() * nodeCount)}.ec2.internal`;

	// Every node runs each DaemonSet's pod.
	for (let index = 0; index < nodeCount; index++)
		for (const daemonSet of daemonSets)
			pods.push(
				podOf({
					namespace: 'monitoring',
					name: `${daemonSet}-${alnum(random, 5)}`,
					labels: {app: daemonSet, 'controller-revision-hash': hex(random, 10), 'pod-template-generation': '3'},
					owner: {apiVersion: 'apps/v1', kind: 'DaemonSet', name: daemonSet, uid: uuid(random)},
					containers: [{name: daemonSet, image: `registry.example.com/${daemonSet}:2.1.0`}],
					node: `ip-10-0-${index % 4}-${nodeCount + index}.ec2.internal`,
				}),
			);

	// Nightly jobs' pods that finished: counted, not listed.
	for (let index = 0; index < 100; index++) {
		const job = `export-${29_000_000 + index}`;
		const pod = podOf({
			namespace: 'batch',
			name: `${job}-${alnum(random, 5)}`,
			labels: {'job-name': job, 'batch.kubernetes.io/job-name': job},
			owner: {apiVersion: 'batch/v1', kind: 'Job', name: job, uid: uuid(random)},
			containers: [{name: 'export', image: 'registry.example.com/export:5.0.1'}],
			node: node(),
		});
		pod.status = {
			...pod.status,
			phase: 'Succeeded',
			containerStatuses: pod.status!.containerStatuses!.map(status => ({
				...status,
				ready: false,
				state: {terminated: {reason: 'Completed', exitCode: 0}},
			})),
		};
		pods.push(pod);
	}

	// The rest: Deployments of 5 to 60 replicas, some with a sidecar.
	for (let deployment = 0; pods.length < options.pods; deployment++) {
		const namespace = namespaces[deployment % namespaces.length]!;
		const name = `svc-${deployment.toString(36)}-${['api', 'worker', 'web', 'consumer'][deployment % 4]}`;
		const hash = alnum(random, 10);
		const replicaSet = {apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-${hash}`, uid: uuid(random)};
		const containers = [{name: 'app', image: `registry.example.com/${namespace}/${name}:1.${deployment % 40}.3`}];
		if (deployment % 3 === 0) containers.push({name: 'envoy', image: 'envoyproxy/envoy:v1.31.2'});
		const replicas = Math.min(5 + Math.floor(random() * 56), options.pods - pods.length);
		for (let replica = 0; replica < replicas; replica++) {
			const kind = trouble();
			pods.push(
				podOf({
					namespace,
					name: `${replicaSet.name}-${alnum(random, 5)}`,
					labels: {app: name, 'pod-template-hash': hash, team: namespace},
					owner: replicaSet,
					containers,
					node: node(),
					...(kind ? {kind} : {}),
				}),
			);
		}
	}
	return pods;
}

/**
 * The cluster's changes, one pod at a time: a running pod's readiness probe
 * fails (its app container not ready), and the next change brings it back,
 * so the share of broken pods holds steady however long it runs.
 */
export function churn(pods: readonly KubePod[], seed = 11): () => KubePod {
	const random = seededRandom(seed);
	const candidates = pods.filter(
		pod => pod.status?.phase === 'Running' && pod.status.containerStatuses?.every(status => status.ready),
	);
	let degraded: KubePod | undefined;
	return () => {
		if (degraded) {
			const recovered = degraded;
			degraded = undefined;
			return recovered;
		}
		const pod = candidates[Math.floor(random() * candidates.length)]!;
		degraded = pod;
		const changed = structuredClone(pod);
		changed.status!.containerStatuses![0]!.ready = false;
		for (const condition of changed.status!.conditions ?? [])
			if (condition.type === 'Ready' || condition.type === 'ContainersReady')
				Object.assign(condition, {status: 'False', reason: 'ContainersNotReady'});
		return changed;
	};
}
