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
	Pod,
	PostgresData,
	SourceData,
} from '../types';

/** The names drills have, in their file and on the command line. */
export const drillName = /^[a-z0-9-]+$/;

/** A pod as the script gives it: `since` is the drill time it started. */
export type DrillPod = Omit<Pod, 'restarts' | 'ageSeconds'> & {
	since: number;
	/** A crash-looping pod restarts once per this interval. */
	restartEvery?: number;
};

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
	scenes: DrillScene[];
};

const seconds = (ms: number) => Math.max(0, Math.floor(ms / 1000));

function sceneAt(drill: Drill, elapsedMs: number): DrillScene {
	return drill.scenes.filter(candidate => candidate.at <= elapsedMs).at(-1) ?? drill.scenes[0]!;
}

function kubernetesAt(drill: Drill, current: DrillScene, elapsedMs: number): KubernetesData {
	return {
		context: drill.context,
		healthyCount: current.healthyPods,
		pods: current.pods.map(({since, restartEvery, ...pod}) => ({
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

/** What every source shows `elapsedMs` into the drill. */
export function drillReadingAt(drill: Drill, elapsedMs: number): SourceData {
	const current = sceneAt(drill, elapsedMs);
	return {
		kubernetes: kubernetesAt(drill, current, elapsedMs),
		postgres: postgresAt(drill, current, elapsedMs),
		health: {checks: current.health} satisfies HealthData,
	};
}

/** One collector per source, reading the drill as time passes from `startedAt`. */
export function drillCollectors(drill: Drill, startedAt: number, now: () => number = Date.now) {
	const reading = <K extends keyof SourceData>(source: K): Collector<SourceData[K]> => ({
		source,
		intervalMs: 2000,
		timeoutMs: 1000,
		collect: async () => drillReadingAt(drill, now() - startedAt)[source],
	});
	return {kubernetes: reading('kubernetes'), postgres: reading('postgres'), health: reading('health')};
}
