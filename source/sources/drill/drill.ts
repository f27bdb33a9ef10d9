/**
 * Drills: a scripted incident played through the same collectors and panels
 * as a real one. What the sources show at a moment of a drill is a pure
 * function of its script (read from YAML by drill-file.ts).
 */
import type {Collector} from '../collector';
import type {
	BlockedBackend,
	HealthData,
	HealthResult,
	KubernetesData,
	LongRunningQuery,
	PostgresData,
	SourceData,
} from '../types';
import {
	initialStates,
	simulate,
	type DeploymentState,
	type DrillCluster,
	type DrillDeployment,
	type ScenePod,
} from './drill-cluster';
import {remainingBackends, type DrillDatabase} from './drill-database';

/** The names drills have, in their file and on the command line. */
export const drillName = /^[a-z0-9-]+$/;

/** A pod as the script gives it: `since` is the drill time it started; a crash-looping pod restarts once per `restartEvery`. */
export type DrillPod = ScenePod;

export type DrillQuery = Omit<LongRunningQuery, 'durationSeconds'> & {since: number; blockedBy?: number[]};

/** What every source shows from `at` until the next scene. */
export type DrillScene = {
	at: number;
	healthyPods: number;
	pods: DrillPod[];
	postgres: {connections: {max: number; byState: Record<string, number>}; queries: DrillQuery[]};
	health: HealthResult[];
};

export type Drill = {
	name: string;
	title: string;
	context: string;
	/** Queries older than this count as long-running, as postgres.longQuery does. */
	longQuery: number;
	/** The simulated cluster's deployments, which the Kubernetes keys act on in the drill. */
	deployments: DrillDeployment[];
	scenes: DrillScene[];
};

const seconds = (ms: number) => Math.max(0, Math.floor(ms / 1000));

function sceneAt(drill: Drill, elapsedMs: number): DrillScene {
	return drill.scenes.filter(candidate => candidate.at <= elapsedMs).at(-1) ?? drill.scenes[0]!;
}

function kubernetesAt(drill: Drill, current: DrillScene, elapsedMs: number, states: readonly DeploymentState[]): KubernetesData {
	const {pods, healthyCount, deployments} = simulate(current.pods, current.healthyPods, states);
	return {
		context: drill.context,
		healthyCount,
		deployments,
		pods: pods.map(({since, restartEvery, ...pod}) => ({
			...pod,
			restarts: restartEvery ? 1 + Math.floor(Math.max(0, elapsedMs - since) / restartEvery) : 0,
			ageSeconds: seconds(elapsedMs - since),
		})),
	};
}

/** Where the simulated database stands: when the drill started (its backends' start times count from it) and the pids its signals ended. */
export type DatabaseState = {startedAt: number; ended: ReadonlySet<number>};

const untouched: DatabaseState = {startedAt: 0, ended: new Set()};

/** The scene's backends now, with their start times, once the simulated database has applied the signals sent. */
export function drillBackendsAt(drill: Drill, elapsedMs: number, database: DatabaseState) {
	const scripted = sceneAt(drill, elapsedMs).postgres.queries.map(query => ({
		...query,
		backendStart: new Date(database.startedAt + query.since).toISOString(),
	}));
	return remainingBackends(scripted, database.ended);
}

function postgresAt(drill: Drill, current: DrillScene, elapsedMs: number, database: DatabaseState): PostgresData {
	const {connections} = current.postgres;
	const queries = drillBackendsAt(drill, elapsedMs, database);
	// The backends gone leave their state's count.
	const byState = {...connections.byState};
	for (const query of current.postgres.queries)
		if (!queries.some(({pid}) => pid === query.pid) && byState[query.state]) byState[query.state]! -= 1;
	const total = Object.values(byState).reduce((sum, count) => sum + count, 0);
	const longRunning: LongRunningQuery[] = queries
		.filter(query => elapsedMs - query.since >= drill.longQuery)
		.map(({pid, backendStart, user, application, state, since, query}) => ({
			pid,
			backendStart,
			user,
			application,
			state,
			durationSeconds: seconds(elapsedMs - since),
			query,
		}));
	const blocking: BlockedBackend[] = queries
		.filter(query => query.blockedBy && query.blockedBy.length > 0)
		.map(({pid, backendStart, blockedBy = [], since, query}) => ({
			pid,
			backendStart,
			blockedBy,
			waitSeconds: seconds(elapsedMs - since),
			query,
		}));
	return {connections: {total, max: connections.max, byState}, longRunning, blocking};
}

/** What every source shows `elapsedMs` into the drill, once the simulated cluster and database are as `states` and `database` say. */
export function drillReadingAt(
	drill: Drill,
	elapsedMs: number,
	states: readonly DeploymentState[] = initialStates(drill.deployments),
	database: DatabaseState = untouched,
): SourceData {
	const current = sceneAt(drill, elapsedMs);
	return {
		kubernetes: kubernetesAt(drill, current, elapsedMs, states),
		postgres: postgresAt(drill, current, elapsedMs, database),
		health: {checks: current.health} satisfies HealthData,
	};
}

/** One collector per source, reading the drill as time passes from `startedAt`, and its cluster and database as the keys changed them. */
export function drillCollectors(
	drill: Drill,
	startedAt: number,
	simulated: {cluster?: DrillCluster; database?: DrillDatabase} = {},
	now: () => number = Date.now,
) {
	// Each reads its own source alone: the cluster's simulation is no work of the database's reading.
	const reading = <K extends keyof SourceData>(
		source: K,
		at: (elapsedMs: number) => SourceData[K],
	): Collector<SourceData[K]> => ({
		source,
		intervalMs: 2000,
		timeoutMs: 1000,
		collect: async () => at(now() - startedAt),
	});
	return {
		kubernetes: reading('kubernetes', elapsedMs =>
			kubernetesAt(drill, sceneAt(drill, elapsedMs), elapsedMs, simulated.cluster?.current() ?? initialStates(drill.deployments)),
		),
		postgres: reading('postgres', elapsedMs =>
			postgresAt(drill, sceneAt(drill, elapsedMs), elapsedMs, {
				startedAt,
				ended: simulated.database?.current() ?? untouched.ended,
			}),
		),
		health: reading('health', elapsedMs => ({checks: sceneAt(drill, elapsedMs).health})),
	};
}
