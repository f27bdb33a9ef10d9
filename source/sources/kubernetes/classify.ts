/**
 * From the pods `kubectl get pods -o json` lists to what the Pods panel and
 * `snapshot` show: one classified reason a responder reads (as k9s names
 * them), healthy pods counted rather than listed. Pure: the collector runs
 * kubectl, this decides.
 *
 * Two kinds of pod are on their way rather than broken, and are counted
 * (`startingCount`, `terminatingCount`), neither listed nor healthy: one
 * Pending or creating its containers for less than `startingGraceSeconds`,
 * and one being deleted within its grace period. The API sets a deleted
 * pod's deletionTimestamp to the end of its grace period, so a pod still
 * there `stuckTerminatingSeconds` past it is stuck, and listed.
 */
import {podStatus, podTone} from '../../view-model/pod-status';
import {cleanStrings, toSingleLine} from '../../text/sanitize';
import {formatSpan} from '../../text/duration';
import type {KubernetesData, Pod, PodOwner} from '../types';

/** The parts of a Kubernetes container state read here; the cluster may leave any of them out. */
type ContainerState = {
	waiting?: {reason?: string; message?: string};
	running?: {startedAt?: string};
	terminated?: {reason?: string; exitCode?: number; message?: string; startedAt?: string; finishedAt?: string};
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
		deletionGracePeriodSeconds?: number;
		labels?: Record<string, string>;
		ownerReferences?: Array<{apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean}>;
	};
	spec?: {nodeName?: string; containers?: unknown[]; initContainers?: unknown[]};
	status?: {
		phase?: string;
		reason?: string;
		message?: string;
		conditions?: Array<{type?: string; status?: string; reason?: string; message?: string}>;
		initContainerStatuses?: ContainerStatus[];
		containerStatuses?: ContainerStatus[];
	};
};

export type KubePodList = {items?: KubePod[]};

/** Waiting reasons that only say a container is on its way, not that it is stuck. */
const startingReasons: ReadonlySet<string> = new Set([podStatus.containerCreating, podStatus.podInitializing]);

/** A pod Pending or creating its containers for less than this is starting, not stuck. */
export const startingGraceSeconds = 60;
/** A deleted pod still there this long after its grace period ended is stuck Terminating. */
export const stuckTerminatingSeconds = 60;
/** What the cluster says of a pod is cut to this length: a message can be a whole stack trace. */
const detailLimit = 300;

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

/** The first troubled container's reason, and what the cluster said of it. */
function firstTrouble(statuses: ContainerStatus[] = []): {reason: string; message?: string} | undefined {
	for (const status of statuses) {
		const reason = containerTrouble(status);
		if (reason === undefined) continue;
		const {state = {}, lastState = {}} = status;
		const message = state.waiting?.message ?? state.terminated?.message ?? lastState.terminated?.message;
		const exitCode = state.terminated?.exitCode ?? lastState.terminated?.exitCode;
		return {reason, message: message ?? (exitCode === undefined ? undefined : `exit code ${exitCode}`)};
	}
	return undefined;
}

type Reason = {reason: string; message?: string};

/** The scheduler's reason a pending pod has no node (e.g. Unschedulable) with its message, or a container's while it starts. */
function pendingReason(pod: KubePod): Reason {
	const scheduled = pod.status?.conditions?.find(condition => condition.type === 'PodScheduled');
	if (scheduled?.status === 'False' && scheduled.reason) return {reason: scheduled.reason, message: scheduled.message};
	const starting = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find(
		status => status.state?.waiting?.reason === podStatus.containerCreating,
	);
	return {reason: starting ? podStatus.containerCreating : podStatus.pending};
}

/** Seconds since the deadline of a deleted pod's grace period, negative before it. */
const pastDeletion = (pod: KubePod, now: number) => {
	const deadline = Date.parse(pod.metadata?.deletionTimestamp ?? '');
	return Number.isNaN(deadline) ? 0 : Math.floor((now - deadline) / 1000);
};

/** The one reason shown for a pod: being deleted, evicted, a container's trouble (an init container's first), else its phase. */
function reasonOf(pod: KubePod, allReady: boolean, now: number): Reason {
	const {status = {}} = pod;
	if (pod.metadata?.deletionTimestamp) {
		const past = pastDeletion(pod, now);
		const grace = pod.metadata.deletionGracePeriodSeconds;
		const message = past > 0 ? `still here ${formatSpan(past * 1000)} after its ${grace ?? '?'}s grace period` : undefined;
		return {reason: podStatus.terminating, message};
	}
	if (status.reason === podStatus.evicted) return {reason: podStatus.evicted, message: status.message};
	if (status.phase === 'Succeeded') return {reason: podStatus.completed};
	const initTrouble = firstTrouble(status.initContainerStatuses);
	if (initTrouble) return {...initTrouble, reason: `${initPrefix}${initTrouble.reason}`};
	const trouble = firstTrouble(status.containerStatuses);
	if (trouble) return trouble;
	if (status.phase === 'Pending') return pendingReason(pod);
	if (status.phase === 'Running') return {reason: allReady ? podStatus.running : podStatus.notReady};
	return {reason: status.reason ?? status.phase ?? podStatus.failed, message: status.message};
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
	return Number.isNaN(start) ? undefined : Math.max(0, Math.floor((now - start) / 1000));
};

/** Since the newest end of a container's previous run: when it last restarted. */
function lastRestartSeconds(statuses: ContainerStatus[], now: number): number | undefined {
	const ends = statuses.map(status => secondsBetween(status.lastState?.terminated?.finishedAt, now));
	const known = ends.filter(seconds => seconds !== undefined);
	return known.length > 0 ? Math.min(...known) : undefined;
}

/** One pod as the panel lists it, every string from the cluster on one clean line. */
export function classifyPod(pod: KubePod, now: number): Pod {
	const statuses = pod.status?.containerStatuses ?? [];
	const everyStatus = [...(pod.status?.initContainerStatuses ?? []), ...statuses];
	const containers = pod.spec?.containers?.length ?? statuses.length;
	const readyCount = statuses.filter(status => status.ready).length;
	const allReady = containers > 0 && readyCount === containers;
	const {reason, message} = reasonOf(pod, allReady, now);
	const lastRestart = lastRestartSeconds(everyStatus, now);
	const detail = message === undefined ? '' : toSingleLine(message).slice(0, detailLimit);
	return cleanStrings({
		namespace: pod.metadata?.namespace ?? '',
		name: pod.metadata?.name ?? '',
		phase: pod.status?.phase ?? '',
		reason,
		ready: `${readyCount}/${containers}`,
		// Init containers' restarts count too, as kubectl counts them: a crash-looping init container restarts the pod's start.
		restarts: everyStatus.reduce((sum, status) => sum + (status.restartCount ?? 0), 0),
		ageSeconds: secondsBetween(pod.metadata?.creationTimestamp, now) ?? 0,
		node: pod.spec?.nodeName ?? '',
		owner: ownerOf(pod),
		...(pod.metadata?.uid ? {uid: pod.metadata.uid} : {}),
		...(lastRestart === undefined ? {} : {lastRestartSeconds: lastRestart}),
		...(detail ? {detail} : {}),
	});
}

/** Reasons of a pod on its way up (Pending, or a container on its way): listed only once it has been at it for `startingGraceSeconds`. */
const startingStatuses: ReadonlySet<string> = new Set([podStatus.pending, ...startingReasons]);

/** A pod on its way, neither broken nor healthy: starting, or being deleted within its grace period. */
function transitionOf(kubePod: KubePod, pod: Pod, now: number): 'starting' | 'terminating' | undefined {
	if (pod.reason === podStatus.terminating)
		return pastDeletion(kubePod, now) > stuckTerminatingSeconds ? undefined : 'terminating';
	return startingStatuses.has(pod.reason) && pod.ageSeconds < startingGraceSeconds ? 'starting' : undefined;
}

/**
 * Healthy: running with every container ready and never restarted, or a
 * job's pod that finished. A finished pod is not broken, so it is counted,
 * not listed.
 */
export const isHealthy = (pod: Pod) =>
	(pod.reason === podStatus.running && pod.restarts === 0) || pod.reason === podStatus.completed;

/** The pods of a reading: the ones needing a look, the healthy ones counted (by namespace too), the ones on their way counted. */
export type ClassifiedPods = Pick<
	KubernetesData,
	'pods' | 'healthyCount' | 'healthyByNamespace' | 'startingCount' | 'terminatingCount'
>;

/**
 * Pod objects already found healthy, each with its namespace. Healthy does
 * not depend on the time (a running, ready, never restarted pod stays so
 * until the cluster says otherwise, in a new object; starting, terminating
 * and stuck do, so those pods are classified on every reading), so a watch,
 * which keeps every pod that did not change as the same object, classifies
 * only the pods that changed: with 10,000 pods, a change costs a lookup per
 * pod, not a classification.
 */
export type HealthyPods = WeakMap<KubePod, string>;

export function classifyPods(list: KubePodList, now: number, healthyPods: HealthyPods = new WeakMap()): ClassifiedPods {
	const listed: Pod[] = [];
	const healthyByNamespace: Record<string, number> = {};
	const counts = {healthy: 0, starting: 0, terminating: 0};
	const countHealthy = (namespace: string) => {
		counts.healthy += 1;
		healthyByNamespace[namespace] = (healthyByNamespace[namespace] ?? 0) + 1;
	};
	for (const kubePod of list.items ?? []) {
		const known = healthyPods.get(kubePod);
		if (known !== undefined) {
			countHealthy(known);
			continue;
		}
		const pod = classifyPod(kubePod, now);
		const transition = transitionOf(kubePod, pod, now);
		if (transition) counts[transition] += 1;
		else if (isHealthy(pod)) {
			healthyPods.set(kubePod, pod.namespace);
			countHealthy(pod.namespace);
		} else listed.push(pod);
	}
	// Broken first, then the running pods that restarted: what to look at first is at the top.
	listed.sort((a, b) => Number(podTone(a) !== 'bad') - Number(podTone(b) !== 'bad'));
	return {
		pods: listed,
		healthyCount: counts.healthy,
		healthyByNamespace,
		startingCount: counts.starting,
		terminatingCount: counts.terminating,
	};
}
