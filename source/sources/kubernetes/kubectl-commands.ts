/**
 * The exact kubectl commands of the Kubernetes actions, as argument arrays
 * built from names already checked (kubernetes-names.ts). Every command
 * pins `--context` and `-n`, so a changed current-context or default
 * namespace never retargets a command once it is confirmed. No flag newer
 * than kubectl 1.20.
 */
import type {Deployment, DeploymentRevision} from '../types';

/** Where a command goes: the kubectl to run (argv[0]), the context and the namespace. */
export type KubectlTarget = {kubectl: string; context: string; namespace: string};

/** How many lines of a pod's log are shown. */
export const logTailLines = 200;

const scoped = ({kubectl, context, namespace}: KubectlTarget) => [kubectl, '--context', context, '-n', namespace];

export const rolloutUndoArgv = (target: KubectlTarget, deployment: string, revision: number) => [
	...scoped(target),
	'rollout',
	'undo',
	`deployment/${deployment}`,
	`--to-revision=${revision}`,
];

export const rolloutRestartArgv = (target: KubectlTarget, deployment: string) => [
	...scoped(target),
	'rollout',
	'restart',
	`deployment/${deployment}`,
];

export const scaleArgv = (target: KubectlTarget, deployment: string, replicas: number) => [
	...scoped(target),
	'scale',
	`deployment/${deployment}`,
	`--replicas=${replicas}`,
];

/**
 * The pod's last lines from every container; `previous`: from the instances
 * that ended (a crash loop's last crash). A sidecar that never crashed has
 * no previous instance: `--ignore-errors` prints kubectl's word on it and
 * goes on to the containers that did, instead of failing on the first.
 */
export const logsArgv = (target: KubectlTarget, pod: string, previous: boolean) => [
	...scoped(target),
	'logs',
	pod,
	'--all-containers',
	`--tail=${logTailLines}`,
	'--timestamps',
	...(previous ? ['--previous', '--ignore-errors'] : []),
];

/** A pod's or a deployment's spec, state and recent events. */
export const describeArgv = (target: KubectlTarget, kind: 'pod' | 'deployment', name: string) => [
	...scoped(target),
	'describe',
	kind,
	name,
];

/** The revision a rollout undo returns to: the newest one kept that is older than the one running. */
export function undoRevision(deployment: Deployment): DeploymentRevision | undefined {
	return deployment.history
		.filter(entry => entry.revision < deployment.revision)
		.reduce<DeploymentRevision | undefined>(
			(newest, entry) => (newest && newest.revision > entry.revision ? newest : entry),
			undefined,
		);
}
