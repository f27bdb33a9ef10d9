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
	/** When the backend started (the server's text): with the pid, its identity, as a pid is reused once its backend ends. */
	backendStart?: string;
	user: string;
	application: string;
	state: string;
	durationSeconds: number;
	query: string;
};

export type BlockedBackend = {
	pid: number;
	backendStart?: string;
	blockedBy: number[];
	waitSeconds: number;
	query: string;
};

/** A backend in the lock tree, waiting or blocking: what the panel shows of every one. */
export type LockSession = {
	pid: number;
	/** Empty when it cannot be read (no privilege, or the backend is gone). */
	backendStart: string;
	user: string;
	application: string;
	/** `active`, `idle in transaction`…; empty when it cannot be read. */
	state: string;
	/** `type:event`, e.g. `Lock:transactionid`; empty when it waits on nothing. */
	waitEvent: string;
	/** How old its transaction is; absent outside a transaction. */
	transactionSeconds?: number;
	query: string;
};

/** The server and how it answered. */
export type PostgresServerInfo = {
	version: string;
	inRecovery: boolean;
	/** `SELECT 1`'s round trip. */
	roundTripMs: number;
	/** The role the console signs in as. */
	role: string;
	/** pg_read_all_stats (pg_monitor has it, a superuser too): without it other roles' queries and states are hidden. */
	readsAllStats: boolean;
};

export type Count = {name: string; count: number};

/** Read on a slow interval: a database's size changes slowly and its tables' sizes cost a scan of pg_class. */
export type DatabaseSizes = {
	/** Epoch ms of the reading they come from. */
	readAt: number;
	database?: {name: string; bytes: number};
	tables: Array<{schema: string; name: string; bytes: number}>;
	/** Why the last attempt failed; the sizes above are then the ones read before. */
	error?: string;
};

export type PostgresData = {
	connections: {total: number; max: number; byState: Record<string, number>};
	longRunning: LongRunningQuery[];
	/** Every backend waiting on a lock, with the pids it waits for. */
	blocking: BlockedBackend[];
	server?: PostgresServerInfo;
	/** The users and applications with the most connections, most first. */
	top?: {users: Count[]; applications: Count[]};
	/** Every backend of the lock tree, waiters and blockers alike. */
	sessions?: LockSession[];
	sizes?: DatabaseSizes;
};

export type HealthKind = 'http' | 'tls' | 'tcp' | 'command';

/** A check's damped state: `warning` is healthy but near a limit (a certificate about to expire); `unknown` before its first result. */
export type CheckState = 'ok' | 'warning' | 'failing' | 'unknown';

/**
 * One check. `ok` is its latest result, `state` what the damping made of the
 * results so far (a check is `failing` only after several failures in a row).
 */
export type HealthResult = {
	name: string;
	kind: HealthKind;
	ok: boolean;
	status?: string;
	latencyMs?: number;
	certDaysLeft?: number;
	error?: string;
	/** Absent in a drill's scripted checks: their `ok` is their state. */
	state?: CheckState;
	/** Epoch ms the check entered its state: failing since, or recovered at. */
	since?: number;
	/** True when its state is `ok` after having been failing: `since` is then when it recovered. */
	recovered?: boolean;
	/** The latest latencies, oldest first, for a sparkline. */
	history?: number[];
	/** Everything the detail view shows (status line, headers, body start; certificate; output), as text. */
	detail?: string;
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
