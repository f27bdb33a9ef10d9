/**
 * Reads drills from `drills/NAME.yaml` in the runbook directories, validated
 * field by field. Loaded only when a drill is asked for.
 */
import {existsSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {z} from 'zod';
import {InputError} from '../../errors';
import {duration, parseYamlAs, readInputFile, section} from '../../config/yaml-input';
import type {Drill} from './drill';

const drillPod = section({
	namespace: z.string(),
	name: z.string(),
	phase: z.string(),
	reason: z.string(),
	ready: z.string().regex(/^\d+\/\d+$/, 'expected ready containers like "1/2"'),
	since: duration(),
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

const drillSchema: z.ZodType<Drill> = section({
	name: z.string().regex(/^[a-z0-9-]+$/, 'expected a lower-case name like "api-gateway-outage"'),
	title: z.string(),
	context: z.string(),
	longQuery: duration(5 * 60_000),
	scenes: z.array(scene).min(1),
});

export function parseDrill(text: string, fileName: string): Drill {
	return parseYamlAs(text, fileName, drillSchema);
}

const drillFiles = (dirs: readonly string[]) =>
	dirs
		.map(dir => join(dir, 'drills'))
		.filter(dir => existsSync(dir))
		.flatMap(dir =>
			readdirSync(dir)
				.filter(file => file.endsWith('.yaml'))
				.map(file => join(dir, file)),
		);

/** Drill names found in the runbook directories. */
export function listDrills(runbookDirs: readonly string[]): string[] {
	return drillFiles(runbookDirs).map(file => file.replace(/^.*\//, '').replace(/\.yaml$/, ''));
}

export function loadDrill(name: string, runbookDirs: readonly string[]): Drill {
	const file = drillFiles(runbookDirs).find(candidate => candidate.endsWith(`/${name}.yaml`));
	if (!file) {
		throw new InputError('--drill', `no drill named "${name}" (drills: ${listDrills(runbookDirs).join(', ') || 'none'})`);
	}
	return parseDrill(readInputFile(file, file), file);
}
