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
};

export type KubernetesData = {
	context?: string;
	/** Pods that are not Running-and-Ready or have restarted. */
	pods: Pod[];
	/** Healthy pods are counted, not listed. */
	healthyCount: number;
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
