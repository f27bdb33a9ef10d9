/**
 * A drill's simulated cluster: the deployments its script declares, with
 * their revisions and replicas, which the Kubernetes actions change in a
 * drill instead of a real cluster. The scenes script what the pods show;
 * the simulation then applies what the responder did:
 *
 * - while the running revision is `broken`, the deployment's pods are the
 *   ones the scene lists (its other replicas are healthy); once a rollout
 *   undo runs a revision that is not, every replica is healthy;
 * - a restart starts the listed pods again: their ages and restarts count
 *   from the restart;
 * - a scale changes how many replicas there are: fewer takes the healthy
 *   ones first, more of a broken revision fail like the others.
 */
import type {Deployment, DeploymentRevision, Pod} from '../types';

export type DrillRevision = DeploymentRevision & {
	/** Its pods fail: the scenes show them failing while it runs. */
	broken?: boolean;
	/** What its pods log, for `l`, a line each (a drill's strings are single lines). */
	logs?: string[];
};

export type DrillDeployment = {
	namespace: string;
	name: string;
	replicas: number;
	/** Newest first, the running one first: `kubectl rollout history` read backwards. */
	revisions: DrillRevision[];
};

/** A pod as a scene lists it, before its age is known: `since` is the drill time it started. */
export type ScenePod = Omit<Pod, 'restarts' | 'ageSeconds'> & {since: number; restartEvery?: number};

/** Where a deployment stands: the running revision first, its replicas, and the drill time of its last restart. */
export type DeploymentState = {deployment: DrillDeployment; revisions: DrillRevision[]; replicas: number; restartedAt?: number};

export const initialStates = (deployments: readonly DrillDeployment[]): DeploymentState[] =>
	deployments.map(deployment => ({deployment, revisions: deployment.revisions, replicas: deployment.replicas}));

const owns = ({deployment}: DeploymentState, pod: {namespace: string; owner: Pod['owner']}) =>
	pod.owner.kind === 'Deployment' && pod.owner.name === deployment.name && pod.namespace === deployment.namespace;

/** A pod's name with its own suffix replaced: the extra replicas of a scale-up. */
const replicaName = (pod: ScenePod, index: number) => `${pod.name.replace(/-[a-z0-9]+$/, '')}-drill${index}`;

/** What a scene's pods and healthy count become once the simulation has applied what was done. */
export function simulate(
	scenePods: readonly ScenePod[],
	healthyPods: number,
	states: readonly DeploymentState[],
): {pods: ScenePod[]; healthyCount: number; deployments: Deployment[]} {
	let pods = scenePods.filter(pod => !states.some(state => owns(state, pod)));
	let healthyCount = healthyPods;
	const deployments = states.map(state => {
		const listed = scenePods.filter(pod => owns(state, pod));
		const scripted = Math.max(0, state.deployment.replicas - listed.length);
		const running = state.revisions[0]!;
		const failing = running.broken && listed.length > 0;
		// Scaling down takes the healthy replicas first.
		const healthy = failing ? Math.max(0, scripted - Math.max(0, state.deployment.replicas - state.replicas)) : state.replicas;
		const shown = failing
			? Array.from({length: state.replicas - healthy}, (_, index) => {
					const pod = listed[index] ?? {...listed.at(-1)!, name: replicaName(listed.at(-1)!, index)};
					return state.restartedAt === undefined ? pod : {...pod, since: Math.max(pod.since, state.restartedAt)};
				})
			: [];
		pods = [...pods, ...shown];
		healthyCount += healthy - scripted;
		return deploymentOf(state, healthy);
	});
	return {pods, healthyCount, deployments};
}

const deploymentOf = ({deployment, revisions, replicas}: DeploymentState, ready: number): Deployment => ({
	namespace: deployment.namespace,
	name: deployment.name,
	desired: replicas,
	ready,
	updated: replicas,
	available: ready,
	revision: revisions[0]!.revision,
	images: revisions[0]!.images,
	history: revisions.map(({revision, replicaSet, images}) => ({revision, replicaSet, images})),
});

/**
 * The simulated cluster a drill's actions change. Its errors read as
 * kubectl's would, since the confirmation showed a kubectl command.
 */
export class DrillCluster {
	private states: DeploymentState[];

	/** `elapsedMs`: the drill's time now, for the restarts. */
	constructor(
		deployments: readonly DrillDeployment[],
		private readonly elapsedMs: () => number,
	) {
		this.states = initialStates(deployments);
	}

	/** Where every deployment stands now. */
	current(): readonly DeploymentState[] {
		return this.states;
	}

	/** Runs the pod template of `revision` again, as a new revision, the way `rollout undo --to-revision` does. */
	undo(namespace: string, name: string, revision: number): void {
		this.change(namespace, name, state => {
			const target = state.revisions.find(entry => entry.revision === revision);
			if (!target) throw new Error(`error: unable to find specified revision ${revision} in history`);
			const next = Math.max(...state.revisions.map(entry => entry.revision)) + 1;
			return {...state, revisions: [{...target, revision: next}, ...state.revisions.filter(entry => entry !== target)]};
		});
	}

	restart(namespace: string, name: string): void {
		this.change(namespace, name, state => ({...state, restartedAt: this.elapsedMs()}));
	}

	scale(namespace: string, name: string, replicas: number): void {
		this.change(namespace, name, state => ({...state, replicas}));
	}

	/** What the pod's containers log: its deployment's running revision's script. */
	logs(pod: Pod, previous: boolean): string {
		const running = this.stateOf(pod)?.revisions[0];
		const which = previous ? 'the previous container' : 'the container';
		return running?.logs?.join('\n') ?? `no log lines in the drill's script for ${which} of ${pod.namespace}/${pod.name}`;
	}

	/** `kubectl describe pod`, as far as the drill knows the pod. */
	describe(pod: Pod): string {
		const running = this.stateOf(pod)?.revisions[0];
		const events =
			pod.restarts > 0
				? [`  Warning  BackOff  kubelet  Back-off restarting failed container (x${pod.restarts})`]
				: ['  Normal   Started  kubelet  Started container'];
		return [
			`Name:           ${pod.name}`,
			`Namespace:      ${pod.namespace}`,
			`Node:           ${pod.node}`,
			`Status:         ${pod.phase}`,
			`Reason:         ${pod.reason}`,
			`Ready:          ${pod.ready}`,
			`Restart Count:  ${pod.restarts}`,
			`Controlled By:  ${pod.owner.kind}/${pod.owner.name}`,
			...(running ? [`Image:          ${running.images.join(', ')}`] : []),
			'Events:',
			'  Type     Reason   From     Message',
			...events,
		].join('\n');
	}

	/** `kubectl describe deployment`, as far as the drill knows it: its replicas and the revision it runs. */
	describeDeployment(deployment: Deployment): string {
		return [
			`Name:               ${deployment.name}`,
			`Namespace:          ${deployment.namespace}`,
			`Replicas:           ${deployment.desired} desired | ${deployment.updated} updated | ${deployment.ready} ready | ${deployment.available} available`,
			`Revision:           ${deployment.revision}`,
			`Image:              ${deployment.images.join(', ')}`,
			`OldReplicaSets:     ${
				deployment.history
					.slice(1)
					.map(entry => entry.replicaSet)
					.join(', ') || '<none>'
			}`,
			`NewReplicaSet:      ${deployment.history[0]?.replicaSet ?? '<none>'}`,
		].join('\n');
	}

	private stateOf(pod: Pod): DeploymentState | undefined {
		return this.states.find(state => owns(state, pod));
	}

	private change(namespace: string, name: string, next: (state: DeploymentState) => DeploymentState): void {
		const index = this.states.findIndex(({deployment}) => deployment.namespace === namespace && deployment.name === name);
		if (index === -1) throw new Error(`Error from server (NotFound): deployments.apps "${name}" not found`);
		this.states = this.states.map((state, at) => (at === index ? next(state) : state));
	}
}
