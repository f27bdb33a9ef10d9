/**
 * Drills: a scripted incident played through the same collectors and panels
 * as a real one. A drill is data (`runbooks/drills/NAME.yaml`); what the
 * sources show at a moment of the drill is a pure function of that data.
 */
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {z} from 'zod';
import {InputError} from '../input-error';
import {duration, parseYamlAs, section} from '../yaml-input';
import type {Collector} from './collector';
import type {BlockedBackend, HealthData, KubernetesData, LongRunningQuery, PostgresData, SourceData} from '../snapshot-types';

const drillPod = section({
	namespace: z.string(),
	name: z.string(),
	phase: z.string(),
	reason: z.string(),
	ready: z.string().regex(/^\d+\/\d+$/, 'expected ready containers like "1/2"'),
	since: duration(),
	/** A crash-looping pod restarts once per this interval. */
	restartEvery: duration().optional(),
	node: z.string(),
	owner: section({kind: z.string(), name: z.string()}),
});

const drillQuery = section({
	pid: z.number().int().positive(),
	user: z.string(),
	application: z.string(),
	state: z.string(),
	since: duration(),
	blockedBy: z.array(z.number().int().positive()).optional(),
	query: z.string(),
});

const drillCheck = section({
	name: z.string(),
	kind: z.enum(['http', 'tls', 'tcp', 'command']),
	ok: z.boolean(),
	status: z.string().optional(),
	latencyMs: z.number().optional(),
	certDaysLeft: z.number().optional(),
	error: z.string().optional(),
});

const scene = section({
	at: duration(),
	healthyPods: z.number().int().nonnegative(),
	pods: z.array(drillPod),
	postgres: section({
		connections: section({max: z.number().int().positive(), byState: z.record(z.string(), z.number().int())}),
		queries: z.array(drillQuery),
	}),
	health: z.array(drillCheck),
});

const drillSchema = section({
	name: z.string().regex(/^[a-z0-9-]+$/, 'expected a lower-case name like "api-gateway-outage"'),
	title: z.string(),
	context: z.string(),
	longQuery: duration(5 * 60_000),
	scenes: z.array(scene).min(1),
});

export type Drill = z.infer<typeof drillSchema>;
type Scene = Drill['scenes'][number];

export function parseDrill(text: string, fileName: string): Drill {
	return parseYamlAs(text, fileName, drillSchema);
}

const drillFiles = (dirs: readonly string[]) =>
	dirs
		.map(dir => join(dir, 'drills'))
		.filter(dir => existsSync(dir))
		.flatMap(dir => readdirSync(dir).filter(file => file.endsWith('.yaml')).map(file => join(dir, file)));

/** Drill names found in the runbook directories. */
export function listDrills(runbookDirs: readonly string[]): string[] {
	return drillFiles(runbookDirs).map(file => file.replace(/^.*\//, '').replace(/\.yaml$/, ''));
}

export function loadDrill(name: string, runbookDirs: readonly string[]): Drill {
	const file = drillFiles(runbookDirs).find(candidate => candidate.endsWith(`/${name}.yaml`));
	if (!file) {
		throw new InputError('--drill', `no drill named "${name}" (drills: ${listDrills(runbookDirs).join(', ') || 'none'})`);
	}
	return parseDrill(readFileSync(file, 'utf8'), file);
}

const seconds = (ms: number) => Math.max(0, Math.floor(ms / 1000));

function sceneAt(drill: Drill, elapsedMs: number): Scene {
	return drill.scenes.filter(candidate => candidate.at <= elapsedMs).at(-1) ?? drill.scenes[0]!;
}

function kubernetesAt(drill: Drill, current: Scene, elapsedMs: number): KubernetesData {
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

function postgresAt(drill: Drill, current: Scene, elapsedMs: number): PostgresData {
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
