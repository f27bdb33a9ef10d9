/**
 * The Kubernetes actions of the registry, on the selected row of the Pods
 * panel: rollout undo, rollout restart and scale of the selected deployment
 * or of the deployment that owns the selected pod, the pod's logs, and
 * describe of either. Every name is checked before a command is built, every
 * command pins the context the reading showed and the row's namespace, and
 * the confirmation of a change repeats both. In a drill the
 * same commands act on the drill's simulated cluster, never a real one.
 */
import {defineAction, type Action, type Resolved, type Values} from '../../actions/action';
import {commandText, type ClusterScope, type Command, type OutputSpec, type Prepared, type Refusal} from '../../actions/command';
import type {DrillCluster} from '../drill/drill-cluster';
import type {WarroomState} from '../../store';
import {currentContext} from '../../view-model/cluster';
import {deploymentName} from '../../view-model/deployments';
import {podsPanelKind} from '../../view-model/panels';
import {findRow} from '../../view-model/selection';
import type {Deployment, Pod} from '../types';
import {
	describeArgv,
	logsArgv,
	logTailLines,
	rolloutRestartArgv,
	rolloutUndoArgv,
	scaleArgv,
	undoRevision,
	type KubectlTarget,
} from './kubectl-commands';
import {kubectlFailure} from './kubectl';
import {namesProblem, type NameKind} from './kubernetes-names';
import {isProductionContext} from './production-context';

/** The most replicas `s` asks for: a typo of one more digit must not start a thousand pods more. */
const maxReplicas = 1000;

/** A change to a deployment waits this long for kubectl; reading a pod's logs or describe, this. */
const changeTimeoutMs = 30_000;
const readTimeoutMs = 20_000;

/** Where a row's commands go: the kubectl to run, the context and namespace pinned, and the cluster a confirmation repeats. */
type Scope = {kubectl: KubectlTarget; cluster: ClusterScope};
type PodTarget = Scope & {pod: Pod};
type DeploymentTarget = Scope & {deployment: Deployment};
/** The selected row, pod or deployment, with where its commands go. */
type RowTarget = Scope & ({kind: 'pod'; pod: Pod} | {kind: 'deployment'; deployment: Deployment});

const podName = (pod: Pod) => `${pod.namespace}/${pod.name}`;
const deploymentFullName = (deployment: Deployment) => `${deployment.namespace}/${deployment.name}`;

/** The context the reading showed and the row's namespace, with the row's own name, all checked; or why a command cannot be built. */
function scopeOf(state: WarroomState, namespace: string, name: readonly [NameKind, string]): Scope | Refusal {
	const {kubectl, production} = state.mode.kubernetes;
	const context = currentContext(state);
	if (context === undefined) return {refused: 'no kubectl context known yet: wait for the Pods panel to read the cluster'};
	const problem = namesProblem([['context', context], ['namespace', namespace], name]);
	if (problem) return {refused: problem};
	return {
		kubectl: {kubectl, context, namespace},
		cluster: {context, namespace, production: isProductionContext(context, production)},
	};
}

/** The selected row of the Pods panel, and where its commands go; or why there is none. */
function rowTarget(state: WarroomState, selectedKey: string | undefined): Resolved<RowTarget> {
	if (selectedKey === undefined) return {refused: 'no pod selected'};
	const row = findRow(state, 'pods', selectedKey);
	if (!row)
		return {
			refused:
				podsPanelKind(selectedKey) === 'pod'
					? 'the selected pod is no longer listed: gone, or healthy again'
					: 'the selected deployment is no longer listed: gone from the cluster',
		};
	if (row.kind === 'deployment') {
		const {deployment} = row;
		const scope = scopeOf(state, deployment.namespace, ['deployment', deployment.name]);
		if ('refused' in scope) return scope;
		return {value: {...scope, kind: 'deployment', deployment}, name: deploymentFullName(deployment)};
	}
	const {pod} = row;
	const scope = scopeOf(state, pod.namespace, ['pod', pod.name]);
	if ('refused' in scope) return scope;
	return {value: {...scope, kind: 'pod', pod}, name: podName(pod)};
}

/** The selected pod, and where its commands go; or why there is none: a deployment's logs are its pods'. */
function podTarget(state: WarroomState, selectedKey: string | undefined): Resolved<PodTarget> {
	const resolved = rowTarget(state, selectedKey);
	if ('refused' in resolved) return resolved;
	const {value} = resolved;
	if (value.kind === 'deployment')
		return {refused: `select a pod: logs are per pod, and ${deploymentName(value.deployment)} is a deployment`};
	return {value, name: resolved.name};
}

/** The selected deployment, or the one that owns the selected pod as the cluster's reading has it; or why there is none. */
function deploymentTarget(state: WarroomState, selectedKey: string | undefined): Resolved<DeploymentTarget> {
	const resolved = rowTarget(state, selectedKey);
	if ('refused' in resolved) return resolved;
	const {value} = resolved;
	if (value.kind === 'deployment') return {value, name: resolved.name};
	const {pod} = value;
	if (pod.owner.kind !== 'Deployment')
		return {refused: `${podName(pod)} belongs to ${pod.owner.kind} ${pod.owner.name}, not to a Deployment`};
	const deployments = state.readings.kubernetes.data?.deployments;
	if (!deployments) return {refused: 'the deployments are not read yet: try again in a moment'};
	const deployment = deployments.find(({namespace, name}) => namespace === pod.namespace && name === pod.owner.name);
	if (!deployment) return {refused: `deployment ${pod.namespace}/${pod.owner.name} is not in the cluster's reading`};
	const problem = namesProblem([['deployment', deployment.name]]);
	if (problem) return {refused: problem};
	return {value: {...value, deployment}, name: deploymentFullName(deployment)};
}

/** The simulated cluster, in a drill; an error if the console has none, so a drill can never fall through to kubectl. */
function simulated(cluster: DrillCluster | undefined): DrillCluster {
	if (!cluster) throw new Error('this drill has no simulated cluster');
	return cluster;
}

/**
 * The command for `argv`: kubectl itself, or in a drill the same command
 * shown and run on the simulated cluster, which is read again at once.
 */
function kubectlCommand(
	state: WarroomState,
	argv: readonly string[],
	onDrill: (cluster: DrillCluster) => string | void,
	output?: OutputSpec,
): Command {
	const withOutput = output ? {output} : {};
	if (!state.mode.drill) return {kind: 'argv', argv, explain: kubectlFailure, ...withOutput};
	return {
		kind: 'run',
		name: commandText({kind: 'argv', argv}),
		// The executor reads the sources again once a change is done.
		run: async services => onDrill(simulated(services.drillCluster)),
		...withOutput,
	};
}

const revisionText = (revision: number, images: readonly string[]) => `revision ${revision} (${images.join(', ')})`;

/** What differs between the Kubernetes actions; the rest is the same for all of a kind. */
type ActionBasics = Pick<Action, 'id' | 'title' | 'description'> & {key: string};

/** A change to the selected deployment, or the selected pod's: on the Pods panel, y/N, with an incident to record it. */
const deploymentAction = ({
	key,
	build,
	...spec
}: ActionBasics &
	Pick<Action, 'form' | 'formOpening'> & {
		hint?: boolean;
		build: (state: WarroomState, target: DeploymentTarget, values: Values) => Omit<Prepared, 'target'> | Refusal;
	}) =>
	defineAction<DeploymentTarget, true>({
		...spec,
		keys: [key],
		keyLabel: key,
		panels: ['pods'],
		risk: 'mutating',
		needsIncident: true,
		timeoutMs: changeTimeoutMs,
		journals: ['action_started', 'action_finished'],
		target: deploymentTarget,
		build: ({state, target, values}) => build(state, target!, values),
	});

/** A look at the selected row, shown in the output overlay: it changes nothing, so it asks and journals nothing. */
const readAction = <T>({
	key,
	target,
	build,
	...spec
}: ActionBasics & {
	target: (state: WarroomState, selectedKey: string | undefined) => Resolved<T>;
	build: (state: WarroomState, target: T) => Omit<Prepared, 'target'>;
}) =>
	defineAction<T>({
		...spec,
		keys: [key],
		keyLabel: key,
		panels: ['pods'],
		risk: 'read',
		timeoutMs: readTimeoutMs,
		journals: [],
		target,
		build: ({state, target: resolved}) => build(state, resolved!),
	});

const rolloutUndo = deploymentAction({
	id: 'rollout-undo',
	title: 'rollout undo',
	key: 'u',
	description: "rollout undo: the selected deployment, or the selected pod's, back to its previous revision",
	hint: true,
	build: (state, {deployment, kubectl, cluster}) => {
		const previous = undoRevision(deployment);
		if (!previous) return {refused: `${deployment.name} has no revision before ${deployment.revision} to go back to`};
		const argv = rolloutUndoArgv(kubectl, deployment.name, previous.revision);
		return {
			command: kubectlCommand(state, argv, drill => drill.undo(deployment.namespace, deployment.name, previous.revision)),
			effect: `roll ${deployment.name} back from ${revisionText(deployment.revision, deployment.images)} to ${revisionText(previous.revision, previous.images)}`,
			summary: `rollout undo of ${deployment.name} to revision ${previous.revision}`,
			cluster,
		};
	},
});

const rolloutRestart = deploymentAction({
	id: 'rollout-restart',
	title: 'rollout restart',
	key: 'R',
	description: "rollout restart: replace the pods of the selected deployment, or of the selected pod's",
	build: (state, {deployment, kubectl, cluster}) => {
		const argv = rolloutRestartArgv(kubectl, deployment.name);
		return {
			command: kubectlCommand(state, argv, drill => drill.restart(deployment.namespace, deployment.name)),
			effect: `replace every pod of ${deployment.name} (${deployment.desired} replicas), as its rollout strategy allows`,
			summary: `rollout restart of ${deployment.name}`,
			cluster,
		};
	},
});

/** The replica count typed, if it is one: digits only, at most `maxReplicas`. */
function parseReplicas(text: string): number | undefined {
	if (!/^\d{1,4}$/.test(text)) return undefined;
	const replicas = Number(text);
	return replicas <= maxReplicas ? replicas : undefined;
}

const scale = deploymentAction({
	id: 'scale',
	title: 'scale',
	key: 's',
	description: "scale the selected deployment, or the selected pod's (0 asks for its name)",
	form: 'scale',
	formOpening: (state, selectedKey) => {
		const resolved = deploymentTarget(state, selectedKey);
		if ('refused' in resolved) return resolved;
		const {deployment} = resolved.value;
		return {
			values: {replicas: String(deployment.desired)},
			note: `${resolved.name}: ${deployment.desired} replicas now, ${deployment.ready} ready (0 to ${maxReplicas})`,
		};
	},
	build: (state, {deployment, kubectl, cluster}, values) => {
		const replicas = parseReplicas(values.replicas ?? '');
		if (replicas === undefined) return {refused: `replicas: a whole number from 0 to ${maxReplicas}`};
		const argv = scaleArgv(kubectl, deployment.name, replicas);
		return {
			command: kubectlCommand(state, argv, drill => drill.scale(deployment.namespace, deployment.name, replicas)),
			effect: `scale ${deployment.name} from ${deployment.desired} to ${replicas} replicas${replicas === 0 ? ': no pod will be left to serve it' : ''}`,
			summary: `scale of ${deployment.name} to ${replicas}`,
			cluster,
			// Nothing serves once it is done: the deployment's own name, typed.
			...(replicas === 0 ? {ask: {confirmation: 'type-name' as const, name: deployment.name}} : {}),
		};
	},
});

/** A pod that crashed and is not ready again: its previous container's log says why, the new one's may be empty. */
const crashed = (pod: Pod) => pod.restarts > 0 && !/^(\d+)\/\1$/.test(pod.ready);

const logs = readAction({
	id: 'logs',
	title: 'logs',
	key: 'l',
	description: `logs: the selected pod's last ${logTailLines} lines`,
	target: podTarget,
	build: (state, {pod, kubectl}) => {
		const previous = crashed(pod);
		const title = `logs ${podName(pod)}${previous ? ' · previous container (it crashed)' : ''} · last ${logTailLines} lines`;
		return {
			command: kubectlCommand(state, logsArgv(kubectl, pod.name, previous), drill => drill.logs(pod, previous), {
				title,
				atEnd: true,
			}),
			effect: `show the last ${logTailLines} lines of ${pod.name}`,
			summary: `logs of ${pod.name}`,
		};
	},
});

/** What `i` describes: the selected pod, or the selected deployment (its rollout, replica sets and events). */
const describedOf = (target: RowTarget) =>
	target.kind === 'pod'
		? {kind: 'pod' as const, object: target.pod, name: podName(target.pod)}
		: {kind: 'deployment' as const, object: target.deployment, name: deploymentFullName(target.deployment)};

const describe = readAction({
	id: 'describe',
	title: 'describe',
	key: 'i',
	description: 'describe the selected pod or deployment, with its events',
	target: rowTarget,
	build: (state, target) => {
		const described = describedOf(target);
		const argv = describeArgv(target.kubectl, described.kind, described.object.name);
		const onDrill = (drill: DrillCluster) =>
			target.kind === 'pod' ? drill.describe(target.pod) : drill.describeDeployment(target.deployment);
		return {
			command: kubectlCommand(state, argv, onDrill, {title: `describe ${described.kind} ${described.name}`, atEnd: false}),
			effect: `describe ${described.kind} ${described.object.name}`,
			summary: `describe of ${described.object.name}`,
		};
	},
});

export const kubernetesActions: readonly Action[] = [rolloutUndo, rolloutRestart, scale, logs, describe];
