/**
 * The data every source publishes, shaped as the `snapshot --format json`
 * contract in DESIGN.md so that the screen and the JSON never disagree.
 */

/** Where a source's data stands. `disabled`: not configured (or not built). */
export type ReadingState = 'loading' | 'ok' | 'error' | 'disabled';

/**
 * One source's latest reading. A failed reading keeps the last good `data`
 * (with its `fetchedAt`) so a panel can show it as stale.
 */
export type Reading<T> = {
	state: ReadingState;
	data?: T;
	error?: string;
	/** Epoch ms of the reading that produced `data`. */
	fetchedAt?: number;
	/** Epoch ms of the last attempt, good or bad. */
	attemptedAt?: number;
	tookMs?: number;
};

export type PodOwner = {kind: string; name: string};

export type Pod = {
	namespace: string;
	name: string;
	phase: string;
	/** The classified status a responder reads: CrashLoopBackOff, OOMKilled, Pending… */
	reason: string;
	/** Ready containers over all containers, e.g. "1/2". */
	ready: string;
	restarts: number;
	ageSeconds: number;
	node: string;
	owner: PodOwner;
	/** The pod's identity: a pod recreated under the same name is another pod. Absent only in drills and old readings. */
	uid?: string;
	/** Since the last container restart, when there was one. */
	lastRestartSeconds?: number;
	/** What the cluster says of the reason: the scheduler's message for a pending pod, a container's for a failed one. */
	detail?: string;
};

/** One revision of a Deployment: the ReplicaSet that holds its pod template. */
export type DeploymentRevision = {revision: number; replicaSet: string; images: string[]};

export type Deployment = {
	namespace: string;
	name: string;
	uid?: string;
	/** spec.replicas */
	desired: number;
	ready: number;
	updated: number;
	available: number;
	/** The revision running now (the deployment's `deployment.kubernetes.io/revision`). */
	revision: number;
	images: string[];
	/** Every revision still kept (its ReplicaSets), newest first: `kubectl rollout history`. */
	history: DeploymentRevision[];
};

/** A recent Warning event. */
export type ClusterWarning = {
	namespace: string;
	/** The object it is about, as `Kind/name`. */
	object: string;
	reason: string;
	message: string;
	count: number;
	lastSeenSeconds: number;
};

export type PodUsage = {namespace: string; name: string; cpuMillicores: number; memoryBytes: number};

/** `kubectl top pods`, where the cluster has a metrics API; otherwise why not. */
export type ClusterUsage = {available: true; pods: PodUsage[]} | {available: false; reason: string};

export type KubernetesData = {
	/** The kubectl context read: the configured one, else kubectl's current one. */
	context?: string;
	/** The cluster that context points at. */
	cluster?: string;
	/** Pods that are not Running-and-Ready or have restarted. */
	pods: Pod[];
	/** Healthy pods are counted, not listed. */
	healthyCount: number;
	/** The healthy count by namespace. */
	healthyByNamespace?: Record<string, number>;
	/** Pods Pending or creating their containers for less than a minute: on their way, not listed yet. */
	startingCount?: number;
	/** Pods being deleted within their grace period (a stuck one is listed). */
	terminatingCount?: number;
	deployments?: Deployment[];
	warnings?: ClusterWarning[];
	usage?: ClusterUsage;
	/** What could not be read besides the pods (deployments, events), in words; the last values read are kept. */
	problems?: string[];
};

export type LongRunningQuery = {
	pid: number;
	user: string;
	application: string;
	state: string;
	durationSeconds: number;
	query: string;
};

export type BlockedBackend = {
	pid: number;
	blockedBy: number[];
	waitSeconds: number;
	query: string;
};

export type PostgresData = {
	connections: {total: number; max: number; byState: Record<string, number>};
	longRunning: LongRunningQuery[];
	blocking: BlockedBackend[];
};

export type HealthKind = 'http' | 'tls' | 'tcp' | 'command';

export type HealthResult = {
	name: string;
	kind: HealthKind;
	ok: boolean;
	status?: string;
	latencyMs?: number;
	certDaysLeft?: number;
	error?: string;
};

export type HealthData = {checks: HealthResult[]};

/** Every source, in the order the report lists them. */
export const sourceNames = ['kubernetes', 'postgres', 'health'] as const;
export type SourceName = (typeof sourceNames)[number];

export type SourceData = {
	kubernetes: KubernetesData;
	postgres: PostgresData;
	health: HealthData;
};

export type Readings = {[K in SourceName]: Reading<SourceData[K]>};

/** Every source off: what the console starts from, and what a run without collectors reports. */
export const disabledReadings = (): Readings =>
	Object.fromEntries(sourceNames.map(source => [source, {state: 'disabled'}])) as Readings;
