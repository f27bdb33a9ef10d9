/**
 * The benchmark's cluster: 10,000 pods shaped as a real API server serves
 * them (managed fields, the service-account volume, probes, several
 * containers), in several namespaces, most of them a Deployment's through
 * its ReplicaSet, some a DaemonSet's or a finished Job's, about 1% of them
 * broken as clusters break; and what the console reads beside them (the
 * Deployments' ReplicaSets, Warning events, metrics). Seeded, so every run
 * lists the same cluster.
 */
import type {KubePod} from '../source/sources/kubernetes/classify';
import type {PodMetrics} from '../test/helpers/kube-api';
import type {KubeObject} from '../test/helpers/kube-cluster';

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

/** What a real cluster serves beside its pods: the ReplicaSets behind the Deployments, their Warning events, the pods' metrics. */
export type ClusterDetails = {
	deployments: KubeObject[];
	replicaSets: KubeObject[];
	events: KubeObject[];
	metrics: PodMetrics[];
};

/** ReplicaSets a deployment keeps (the current one and the revisions before it): the default history limit keeps up to 10. */
const revisionsKept = 4;

/**
 * The objects the console reads every 30 s beside the pods, made from them:
 * each Deployment of the pods, with `revisionsKept` ReplicaSets of older
 * images (full pod templates, as a server sends them), a Warning event for
 * each broken pod, and every running pod's usage.
 */
export function makeDetails(pods: readonly KubePod[], now: number): ClusterDetails {
	const random = seededRandom(13);
	const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
	const deployments = new Map<string, {pod: KubePod; replicas: number}>();
	for (const pod of pods) {
		const owner = pod.metadata?.ownerReferences?.[0];
		if (owner?.kind !== 'ReplicaSet') continue;
		const key = `${pod.metadata?.namespace}/${owner.name}`;
		const known = deployments.get(key);
		if (known) known.replicas += 1;
		else deployments.set(key, {pod, replicas: 1});
	}
	const details: ClusterDetails = {deployments: [], replicaSets: [], events: [], metrics: []};
	for (const {pod, replicas} of deployments.values()) {
		const namespace = pod.metadata?.namespace ?? '';
		const hash = pod.metadata?.labels?.['pod-template-hash'] ?? '';
		const replicaSetName = pod.metadata?.ownerReferences?.[0]?.name ?? '';
		const name = replicaSetName.slice(0, -hash.length - 1);
		const uid = uuid(random);
		const containers = (pod.spec?.containers ?? []) as Array<Record<string, unknown> & {image?: string}>;
		const template = (revision: number, templateHash: string) => ({
			metadata: {labels: {app: name, 'pod-template-hash': templateHash, team: namespace}},
			spec: {
				...pod.spec,
				nodeName: undefined,
				containers: containers.map(container => ({
					...container,
					image: revision === revisionsKept ? container.image : `${container.image}-r${revision}`,
				})),
			},
		});
		details.deployments.push({
			apiVersion: 'apps/v1',
			kind: 'Deployment',
			metadata: {
				name,
				namespace,
				uid,
				generation: revisionsKept,
				creationTimestamp: at(90 * 86_400),
				labels: {app: name},
				annotations: {'deployment.kubernetes.io/revision': String(revisionsKept)},
			},
			spec: {
				replicas,
				selector: {matchLabels: {app: name}},
				template: template(revisionsKept, ''),
				strategy: {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: '25%', maxSurge: '25%'}},
				revisionHistoryLimit: 10,
			},
			status: {observedGeneration: revisionsKept, replicas, updatedReplicas: replicas, readyReplicas: replicas},
		});
		for (let revision = 1; revision <= revisionsKept; revision++) {
			const current = revision === revisionsKept;
			const templateHash = current ? hash : alnum(random, 10);
			details.replicaSets.push({
				apiVersion: 'apps/v1',
				kind: 'ReplicaSet',
				metadata: {
					name: `${name}-${templateHash}`,
					namespace,
					uid: uuid(random),
					creationTimestamp: at((revisionsKept - revision + 1) * 7 * 86_400),
					labels: {app: name, 'pod-template-hash': templateHash},
					annotations: {'deployment.kubernetes.io/revision': String(revision)},
					ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name, uid, controller: true}],
				},
				spec: {
					replicas: current ? replicas : 0,
					selector: {matchLabels: {app: name, 'pod-template-hash': templateHash}},
					template: template(revision, templateHash),
				},
				status: {replicas: current ? replicas : 0, readyReplicas: current ? replicas : 0},
			});
		}
	}
	for (const pod of pods) {
		const {name = '', namespace = '', uid = ''} = pod.metadata ?? {};
		const running = pod.status?.phase === 'Running';
		if (running)
			details.metrics.push({
				metadata: {name, namespace},
				containers: (pod.status?.containerStatuses ?? []).map(status => ({
					name: status.name ?? '',
					usage: {cpu: `${Math.floor(random() * 900_000_000)}n`, memory: `${Math.floor(random() * 500_000)}Ki`},
				})),
			});
		const broken = pod.status?.containerStatuses?.some(status => !status.ready) || pod.status?.phase !== 'Running';
		if (!broken || pod.status?.phase === 'Succeeded') continue;
		details.events.push({
			apiVersion: 'v1',
			kind: 'Event',
			metadata: {name: `${name}.${hex(random, 16)}`, namespace, uid: uuid(random)},
			involvedObject: {kind: 'Pod', namespace, name, uid, apiVersion: 'v1'},
			reason: pod.status?.phase === 'Pending' ? 'FailedScheduling' : 'BackOff',
			message:
				pod.status?.conditions?.find(condition => condition.message)?.message ??
				`Back-off restarting failed container in pod ${name}`,
			source: {component: 'kubelet', host: pod.spec?.nodeName ?? ''},
			firstTimestamp: at(3_600),
			lastTimestamp: at(Math.floor(random() * 600)),
			count: 1 + Math.floor(random() * 40),
			type: 'Warning',
		});
	}
	return details;
}
