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

function postgresAt(drill: Drill, current: DrillScene, elapsedMs: number): PostgresData {
	const {connections, queries} = current.postgres;
	const total = Object.values(connections.byState).reduce((sum, count) => sum + count, 0);
	const longRunning: LongRunningQuery[] = queries
		.filter(query => elapsedMs - query.since >= drill.longQuery)
		.map(({pid, user, application, state, since, query}) => ({
			pid,
			user,
			application,
			state,
			durationSeconds: seconds(elapsedMs - since),
			query,
		}));
	const blocking: BlockedBackend[] = queries
		.filter(query => query.blockedBy && query.blockedBy.length > 0)
		.map(({pid, blockedBy = [], since, query}) => ({pid, blockedBy, waitSeconds: seconds(elapsedMs - since), query}));
	return {connections: {total, max: connections.max, byState: connections.byState}, longRunning, blocking};
}

/** What every source shows `elapsedMs` into the drill, once the simulated cluster is as `states` say. */
export function drillReadingAt(
	drill: Drill,
	elapsedMs: number,
	states: readonly DeploymentState[] = initialStates(drill.deployments),
): SourceData {
	const current = sceneAt(drill, elapsedMs);
	return {
		kubernetes: kubernetesAt(drill, current, elapsedMs, states),
		postgres: postgresAt(drill, current, elapsedMs),
		health: {checks: current.health} satisfies HealthData,
	};
}

/** One collector per source, reading the drill as time passes from `startedAt`, and its cluster as the keys changed it. */
export function drillCollectors(drill: Drill, startedAt: number, cluster?: DrillCluster, now: () => number = Date.now) {
	const reading = <K extends keyof SourceData>(source: K): Collector<SourceData[K]> => ({
		source,
		intervalMs: 2000,
		timeoutMs: 1000,
		collect: async () => drillReadingAt(drill, now() - startedAt, cluster?.current())[source],
	});
	return {kubernetes: reading('kubernetes'), postgres: reading('postgres'), health: reading('health')};
}
