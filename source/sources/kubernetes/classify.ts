/**
 * From the pods `kubectl get pods -o json` lists to what the Pods panel and
 * `snapshot` show: one classified reason a responder reads (as k9s names
 * them), healthy pods counted rather than listed. Pure: the collector runs
 * kubectl, this decides.
 */
import {podStatus} from '../../view-model/pod-status';
import {cleanStrings} from '../../text/sanitize';
import type {KubernetesData, Pod, PodOwner} from '../types';

/** The parts of a Kubernetes container state read here; the cluster may leave any of them out. */
type ContainerState = {
	waiting?: {reason?: string};
	running?: object;
	terminated?: {reason?: string; exitCode?: number};
};

type ContainerStatus = {
	name?: string;
	ready?: boolean;
	restartCount?: number;
	state?: ContainerState;
	lastState?: ContainerState;
};

/** The parts of a Kubernetes Pod read here. */
export type KubePod = {
	metadata?: {
		name?: string;
		namespace?: string;
		uid?: string;
		creationTimestamp?: string;
		deletionTimestamp?: string;
		labels?: Record<string, string>;
		ownerReferences?: Array<{kind?: string; name?: string; controller?: boolean}>;
	};
	spec?: {nodeName?: string; containers?: unknown[]};
	status?: {
		phase?: string;
		reason?: string;
		conditions?: Array<{type?: string; status?: string; reason?: string}>;
		initContainerStatuses?: ContainerStatus[];
		containerStatuses?: ContainerStatus[];
	};
};

export type KubePodList = {items?: KubePod[]};

/** Waiting reasons that only say a container is on its way, not that it is stuck. */
const startingReasons: ReadonlySet<string> = new Set([podStatus.containerCreating, 'PodInitializing']);

/** As kubectl marks an init container's trouble: the app has not started, and the fix is elsewhere. */
const initPrefix = 'Init:';

/** The label a Deployment's ReplicaSet puts on its pods; the ReplicaSet's name is the Deployment's plus `-<hash>`. */
const templateHashLabel = 'pod-template-hash';

/**
 * What is wrong with one container, if anything: its waiting or failed state.
 * A container the kernel killed for its memory limit reads OOMKilled, over
 * the back-off (or the restart) that followed: that is what to act on.
 */
function containerTrouble(status: ContainerStatus): string | undefined {
	const {state = {}, lastState = {}} = status;
	const {oomKilled} = podStatus;
	if (state.waiting?.reason === podStatus.crashLoop && lastState.terminated?.reason === oomKilled) return oomKilled;
	if (state.waiting?.reason && !startingReasons.has(state.waiting.reason)) return state.waiting.reason;
	const terminated = state.terminated;
	if (terminated && terminated.exitCode !== 0) return terminated.reason ?? podStatus.error;
	if (state.running && lastState.terminated?.reason === oomKilled) return oomKilled;
	return undefined;
}

const firstTrouble = (statuses: ContainerStatus[] = []) => statuses.map(containerTrouble).find(reason => reason !== undefined);

/** The scheduler's reason a pending pod has no node (e.g. Unschedulable), or a container's while it starts. */
function pendingReason(pod: KubePod): string {
	const scheduled = pod.status?.conditions?.find(condition => condition.type === 'PodScheduled');
	if (scheduled?.status === 'False' && scheduled.reason) return scheduled.reason;
	const starting = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find(
		status => status.state?.waiting?.reason === podStatus.containerCreating,
	);
	return starting ? podStatus.containerCreating : podStatus.pending;
}

/** The one reason shown for a pod: being deleted, evicted, a container's trouble (an init container's first), else its phase. */
function reasonOf(pod: KubePod, allReady: boolean): string {
	const {status = {}} = pod;
	if (pod.metadata?.deletionTimestamp) return podStatus.terminating;
	if (status.reason === podStatus.evicted) return podStatus.evicted;
	if (status.phase === 'Succeeded') return podStatus.completed;
	const initTrouble = firstTrouble(status.initContainerStatuses);
	if (initTrouble) return `${initPrefix}${initTrouble}`;
	const trouble = firstTrouble(status.containerStatuses);
	if (trouble) return trouble;
	if (status.phase === 'Pending') return pendingReason(pod);
	if (status.phase === 'Running') return allReady ? podStatus.running : podStatus.notReady;
	return status.reason ?? status.phase ?? podStatus.failed;
}

/** The controller owning the pod; a Deployment's ReplicaSet is named as its Deployment, the thing a responder rolls back. */
function ownerOf(pod: KubePod): PodOwner {
	const references = pod.metadata?.ownerReferences ?? [];
	const owner = references.find(reference => reference.controller) ?? references[0];
	if (!owner) return {kind: '', name: ''};
	const hash = pod.metadata?.labels?.[templateHashLabel];
	const name = owner.name ?? '';
	if (owner.kind === 'ReplicaSet' && hash && name.endsWith(`-${hash}`))
		return {kind: 'Deployment', name: name.slice(0, -hash.length - 1)};
	return {kind: owner.kind ?? '', name};
}

const secondsBetween = (from: string | undefined, now: number) => {
	const start = from ? Date.parse(from) : Number.NaN;
	return Number.isNaN(start) ? 0 : Math.max(0, Math.floor((now - start) / 1000));
};

/** One pod as the panel lists it, every string from the cluster on one clean line. */
export function classifyPod(pod: KubePod, now: number): Pod {
	const statuses = pod.status?.containerStatuses ?? [];
	const containers = pod.spec?.containers?.length ?? statuses.length;
	const readyCount = statuses.filter(status => status.ready).length;
	const allReady = containers > 0 && readyCount === containers;
	return cleanStrings({
		namespace: pod.metadata?.namespace ?? '',
		name: pod.metadata?.name ?? '',
		phase: pod.status?.phase ?? '',
		reason: reasonOf(pod, allReady),
		ready: `${readyCount}/${containers}`,
		// Init containers' restarts count too, as kubectl counts them: a crash-looping init container restarts the pod's start.
		restarts: [...(pod.status?.initContainerStatuses ?? []), ...statuses].reduce(
			(sum, status) => sum + (status.restartCount ?? 0),
			0,
		),
		ageSeconds: secondsBetween(pod.metadata?.creationTimestamp, now),
		node: pod.spec?.nodeName ?? '',
		owner: ownerOf(pod),
	});
}

/**
 * Healthy: running with every container ready and never restarted, or a
 * job's pod that finished. A finished pod is not broken, so it is counted,
 * not listed.
 */
export const isHealthy = (pod: Pod) =>
	(pod.reason === podStatus.running && pod.restarts === 0) || pod.reason === podStatus.completed;

/**
 * Pod objects already found healthy. Healthy does not depend on the time
 * (a running, ready, never restarted pod stays so until the cluster says
 * otherwise, in a new object), so a watch, which keeps every pod that did
 * not change as the same object, classifies only the pods that changed:
 * with 10,000 pods, a change costs a lookup per pod, not a classification.
 */
export type HealthyPods = WeakSet<KubePod>;

/** The Kubernetes reading: the pods needing a look, the healthy ones counted. */
export function classifyPods(
	list: KubePodList,
	now: number,
	context?: string,
	healthyPods: HealthyPods = new WeakSet(),
): KubernetesData {
	const unhealthy: Pod[] = [];
	let healthyCount = 0;
	for (const kubePod of list.items ?? []) {
		if (healthyPods.has(kubePod)) {
			healthyCount += 1;
			continue;
		}
		const pod = classifyPod(kubePod, now);
		if (isHealthy(pod)) {
			healthyPods.add(kubePod);
			healthyCount += 1;
		} else unhealthy.push(pod);
	}
	return {...(context ? {context} : {}), pods: unhealthy, healthyCount};
}
