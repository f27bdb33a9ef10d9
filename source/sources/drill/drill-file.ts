/**
 * Reads drills from `drills/NAME.yaml` in the runbook directories, validated
 * field by field. Loaded only when a drill is asked for.
 */
import {join} from 'node:path';
import * as z from 'zod/mini';
import {InputError} from '../../errors';
import {duration, parseYamlAs, readInputFile, section} from '../../config/yaml-input';
import {findInRunbooks, yamlFilesIn} from '../../config/runbook-dirs';
import {nameProblem, type NameKind} from '../kubernetes/kubernetes-names';
import {drillName, type Drill} from './drill';

const positiveInt = z.number().check(z.int(), z.positive());

const drillPod = section({
	namespace: z.string(),
	name: z.string(),
	phase: z.string(),
	reason: z.string(),
	ready: z.string().check(z.regex(/^\d+\/\d+$/, 'expected ready containers like "1/2"')),
	since: duration(),
	restartEvery: z.optional(duration()),
	node: z.string(),
	owner: section({kind: z.string(), name: z.string()}),
});

/** A name the drill's kubectl commands will show: held to the rules the real ones are. */
const kubernetesName = (kind: NameKind) =>
	z
		.string()
		.check(z.refine(value => nameProblem(kind, value) === undefined, {error: issue => nameProblem(kind, String(issue.input))}));

const drillRevision = section({
	revision: positiveInt,
	replicaSet: kubernetesName('deployment'),
	images: z.array(z.string()).check(z.minLength(1, 'expected at least one image')),
	broken: z.optional(z.boolean()),
	logs: z.optional(z.array(z.string())),
});

const drillDeployment = section({
	namespace: kubernetesName('namespace'),
	name: kubernetesName('deployment'),
	replicas: z.number().check(z.int(), z.nonnegative()),
	revisions: z.array(drillRevision).check(
		z.minLength(1, 'expected at least the running revision'),
		z.refine(
			revisions => revisions.every((entry, index) => index === 0 || entry.revision < revisions[index - 1]!.revision),
			'expected the revisions newest first (the running one first), each number lower than the one before',
		),
	),
});

const drillQuery = section({
	pid: positiveInt,
	user: z.string(),
	application: z.string(),
	state: z.string(),
	since: duration(),
	blockedBy: z.optional(z.array(positiveInt)),
	query: z.string(),
});

const drillCheck = section({
	name: z.string(),
	kind: z.enum(['http', 'tls', 'tcp', 'command']),
	ok: z.boolean(),
	status: z.optional(z.string()),
	latencyMs: z.optional(z.number()),
	certDaysLeft: z.optional(z.number()),
	error: z.optional(z.string()),
});

const scene = section({
	at: duration(),
	healthyPods: z.number().check(z.int(), z.nonnegative()),
	pods: z.array(drillPod),
	postgres: section({
		connections: section({max: positiveInt, byState: z.record(z.string(), z.number().check(z.int()))}),
		queries: z.array(drillQuery),
	}),
	health: z.array(drillCheck),
});

const drillSchema: z.ZodMiniType<Drill> = section({
	name: z.string().check(z.regex(drillName, 'expected a lower-case name like "api-gateway-outage"')),
	title: z.string(),
	context: z.string(),
	longQuery: duration(5 * 60_000),
	deployments: z._default(z.array(drillDeployment), []),
	scenes: z.array(scene).check(z.minLength(1)),
});

export function parseDrill(text: string, fileName: string): Drill {
	return parseYamlAs(text, fileName, drillSchema);
}

/** Drill names found in the runbook directories. */
export function listDrills(runbookDirs: readonly string[]): string[] {
	return yamlFilesIn(runbookDirs, 'drills').map(file => file.replace(/^.*\//, '').replace(/\.yaml$/, ''));
}

export function loadDrill(name: string, runbookDirs: readonly string[]): Drill {
	const names = listDrills(runbookDirs);
	// Only a name listed: any other never reaches a path.
	const file = names.includes(name) ? findInRunbooks(runbookDirs, join('drills', `${name}.yaml`)) : undefined;
	if (!file) throw new InputError('--drill', `no drill named "${name}" (drills: ${names.join(', ') || 'none'})`);
	return parseDrill(readInputFile(file, file), file);
}
