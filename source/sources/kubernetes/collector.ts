/**
 * The Kubernetes source: kubectl lists the pods (all namespaces, or each
 * configured one) as JSON, then watches them (or, with `watch: false`,
 * lists them every few seconds), and the classifier decides which need a
 * look. Alongside, every few seconds, the deployments, warnings and usage
 * (`details.ts`), and which context and cluster are read (`context.ts`).
 */
import {setTimeout as sleep} from 'node:timers/promises';
import {collectOnce, failedReading, goodReading, type Collector, type Publish, type RefreshReason} from '../collector';
import type {KubernetesData, Reading} from '../types';
import {classifyPods, type HealthyPods, type KubePod} from './classify';
import {readIdentity, type ClusterIdentity} from './context';
import {readDetails, type ClusterDetails} from './details';
import {
	contextArgs,
	failureOf,
	kubectlBinary,
	loadExeca,
	streamItems,
	scopeArgs,
	stderrLineLimit,
	type KubernetesConfig,
} from './kubectl';

export type {KubernetesConfig} from './kubectl';

/** Between two lists when the source is polled rather than watched. */
const intervalMs = 5000;
/** A list of 10,000 pods takes kubectl a few seconds; an API server that hangs is given up on after this. */
const timeoutMs = 30_000;
/**
 * Between two readings of the deployments, warnings and usage while the pods
 * are watched: on 10,000 pods they are the dearest part of a reading, and
 * none needs to be sooner. A rollout shows itself at once (a pod of a
 * ReplicaSet the deployments do not know wakes the reading), a change made
 * here or `r` reads them now, and metrics-server samples every 15 to 60 s.
 */
const detailsMs = 30_000;
/** The usage is read with the details, not with every early reading a rollout or a change wakes. */
const usageMs = detailsMs;
/** After a dropped watch or a failed list, the wait before listing again: doubled on each failure in a row, up to `maxMs`. */
const reconnect = {firstMs: 500, maxMs: 10_000};
/** A burst of changes (a rollout replacing 100 pods) is published as one reading, at most this often. */
const coalesceMs = 250;
/** A watch that never drops is still replaced by a fresh list this often, repairing any event missed. */
const resyncMs = 5 * 60_000;

/** The argument lists, one per namespace asked for (none: all of them), each printing `output`. */
function kubectlArgs(config: KubernetesConfig, output: string[]): string[][] {
	return scopeArgs(config).map(scope => ['get', 'pods', ...scope, ...output, ...contextArgs(config)]);
}

/** A pod as the server sends it, with the parts `kept` leaves out. */
type ServedPod = Omit<KubePod, 'spec'> & {
	metadata?: {managedFields?: unknown};
	spec?: Omit<NonNullable<KubePod['spec']>, 'containers'> & {
		volumes?: unknown;
		containers?: Array<{name?: string; image?: string}>;
	};
};

/**
 * What is kept of a pod between readings: all of it but the bulk nothing
 * reads (the server's managedFields, the volumes, each container's spec
 * beyond its name and image), which is most of it. A watch keeps every pod
 * of the cluster: 10,000 whole ones hold some 70 MB.
 */
export function kept(pod: ServedPod): KubePod {
	const {managedFields: _managedFields, ...metadata} = pod.metadata ?? {};
	const {volumes: _volumes, containers, ...spec} = pod.spec ?? {};
	return {
		...pod,
		...(pod.metadata ? {metadata} : {}),
		...(pod.spec
			? {spec: {...spec, ...(containers ? {containers: containers.map(({name, image}) => ({name, image}))} : {})}}
			: {}),
	};
}

/** Every pod asked for, from one list per scope, each kept without its bulk. */
const listAll = (config: KubernetesConfig, signal: AbortSignal) => streamItems(config, 'the pod list', ['pods'], kept, signal);

/** One reading: the pods, with the cluster they are in and its details. */
const composeData = (
	pods: KubePod[],
	fetchedAt: number,
	identity: ClusterIdentity,
	details: ClusterDetails,
	healthyPods?: HealthyPods,
): KubernetesData => ({
	...identity,
	...classifyPods({items: pods}, fetchedAt, healthyPods),
	...details,
});

/** An ADDED, MODIFIED or DELETED pod; or an ERROR, whose object is a Status saying what broke the watch. */
type WatchEvent = {type?: string; object?: ServedPod & {message?: string}};

/** The ReplicaSet that made a pod, as `namespace/name`, if one did. */
function replicaSetOf(pod: KubePod): string | undefined {
	const owner = pod.metadata?.ownerReferences?.find(reference => reference.controller && reference.kind === 'ReplicaSet');
	return owner?.name === undefined ? undefined : `${pod.metadata?.namespace}/${owner.name}`;
}

/** Every ReplicaSet in the deployments' rollout history, as `namespace/name`. */
const knownReplicaSets = (details: ClusterDetails) =>
	new Set(
		(details.deployments ?? []).flatMap(deployment =>
			deployment.history.map(revision => `${deployment.namespace}/${revision.replicaSet}`),
		),
	);

/** A pod's identity across events: its uid (a pod recreated under the same name is another pod). */
const keyOf = (pod: KubePod) => pod.metadata?.uid ?? `${pod.metadata?.namespace}/${pod.metadata?.name}`;

/**
 * One `kubectl get pods --watch` (kubectl lists, then watches from that
 * list's resourceVersion), each event line handed to `apply`, until it ends
 * or `signal` aborts. Returns why it failed, or nothing when it just ended.
 */
async function watchScope(config: KubernetesConfig, args: string[], apply: (event: WatchEvent) => void, signal: AbortSignal) {
	const execa = await loadExeca();
	const binary = kubectlBinary(config);
	// stdout is not kept: a watch runs for hours.
	const child = execa(binary, args, {reject: false, stdin: 'ignore', cancelSignal: signal, buffer: {stdout: false}});
	let failure: string | undefined;
	try {
		for await (const line of child) {
			const event = JSON.parse(line) as WatchEvent;
			// kubectl prints the ERROR event and then exits as if the watch had simply ended.
			if (event.type === 'ERROR')
				failure = `kubectl: the watch failed: ${(event.object?.message ?? 'no message').slice(0, stderrLineLimit)}`;
			else apply(event);
		}
	} catch {
		failure = 'kubectl: the watch printed something that is not a JSON event';
		child.kill();
	}
	const result = await child;
	return result.isCanceled ? undefined : (failure ?? failureOf(result, binary));
}

/**
 * The first of the watches (one per scope) to end ends them all, so the pod
 * set is relisted as a whole. Returns why it ended, if it failed.
 */
async function watchScopes(config: KubernetesConfig, apply: (event: WatchEvent) => void, signal: AbortSignal) {
	const ended = new AbortController();
	const scopes = AbortSignal.any([signal, ended.signal]);
	const watches = kubectlArgs(config, ['--watch', '-o', 'json', '--output-watch-events']).map(args =>
		watchScope(config, args, apply, scopes),
	);
	const failure = await Promise.race(watches);
	ended.abort();
	await Promise.all(watches);
	return failure;
}

/**
 * Lists the pods, then applies the watch's changes to that list, publishing
 * a reading per burst of changes; relists when the watch drops (after a
 * backoff), on every resync and on a refresh asked for. A failure publishes an error
 * that keeps the last pods. The details are read every `detailsMs`, and
 * published with the pods as they are. A refresh reads the details at once,
 * settling when they are published: after a rollout the deployment's
 * revision is the new one; a refresh asked for relists the pods too. A pod of a ReplicaSet
 * the details do not know (someone's rollout has begun) has them read at
 * once too, so that a confirmation still open sees the deployment change.
 */
function watchPods(
	config: KubernetesConfig,
	publish: Publish<KubernetesData>,
	signal: AbortSignal,
): (reason: RefreshReason) => Promise<void> {
	let pods = new Map<string, KubePod>();
	let identity: ClusterIdentity = {};
	let details: ClusterDetails = {};
	const healthyPods: HealthyPods = new WeakMap();
	let last: Reading<KubernetesData> = {state: 'loading'};
	/** Aborted to end the current list or watch early: a refresh or a resync. */
	let round = new AbortController();
	let pending: NodeJS.Timeout | undefined;
	/** Aborted to end the wait between two readings of the details: a refresh wants them now. */
	let nap = new AbortController();
	/** The refreshes waiting for the next reading of the details to be published. */
	let waiting: Array<() => void> = [];
	/** The ReplicaSets the details know, and those already read for: each new one wakes the details once. */
	let known = new Set<string>();
	const readFor = new Set<string>();

	const show = (tookMs: number) => {
		clearTimeout(pending);
		pending = undefined;
		if (signal.aborted) return;
		const fetchedAt = Date.now();
		last = goodReading(composeData([...pods.values()], fetchedAt, identity, details, healthyPods), fetchedAt, tookMs);
		publish(last);
	};
	const fail = (error: string, attemptedAt: number, tookMs: number) => {
		if (signal.aborted) return;
		last = failedReading(last, error, attemptedAt, tookMs);
		publish(last);
	};
	const apply = ({type, object}: WatchEvent) => {
		if (!object) return;
		if (type === 'DELETED') pods.delete(keyOf(object));
		else if (type === 'ADDED' || type === 'MODIFIED') pods.set(keyOf(object), kept(object));
		else return;
		const replicaSet = type === 'ADDED' ? replicaSetOf(object) : undefined;
		if (replicaSet !== undefined && details.deployments !== undefined && !known.has(replicaSet) && !readFor.has(replicaSet)) {
			readFor.add(replicaSet);
			nap.abort();
		}
		pending ??= setTimeout(show, coalesceMs, 0);
	};
	const lister: Collector<KubePod[]> = {
		source: 'kubernetes',
		intervalMs,
		timeoutMs,
		async collect(listing) {
			identity = await readIdentity(config, listing);
			return listAll(config, listing);
		},
	};

	let usageReadAt = Number.NEGATIVE_INFINITY;
	const readDetailsEvery = async () => {
		while (!signal.aborted) {
			// A refresh asked for while this reading is under way waits for the next one, which then starts at once.
			const answered = waiting;
			waiting = [];
			// A refresh asked for reads the usage too; the clock reads it only as often as it changes.
			const withUsage = answered.length > 0 || Date.now() - usageReadAt >= usageMs;
			const read = await readDetails(config, details, signal, {withUsage}).catch(() => undefined);
			if (read && !signal.aborted) {
				if (withUsage) usageReadAt = Date.now();
				details = read;
				known = knownReplicaSets(details);
				if (last.data) {
					last = {...last, data: {...last.data, ...details}};
					publish(last);
				}
			}
			for (const done of answered) done();
			await sleep(detailsMs, undefined, {signal: AbortSignal.any([signal, nap.signal])}).catch(() => undefined);
			nap = new AbortController();
		}
		for (const done of waiting) done();
	};

	const run = async () => {
		let waitMs = reconnect.firstMs;
		while (!signal.aborted) {
			round = new AbortController();
			const current = AbortSignal.any([signal, round.signal]);
			const listed = await collectOnce(lister, {state: 'loading'}, {signal: current});
			if (listed.data) {
				pods = new Map(listed.data.map(pod => [keyOf(pod), pod]));
				show(listed.tookMs ?? 0);
				const resync = setTimeout(() => round.abort(), resyncMs);
				const startedAt = Date.now();
				const failure = await watchScopes(config, apply, current);
				clearTimeout(resync);
				if (failure) fail(failure, Date.now(), Date.now() - startedAt);
				// A watch that lasted is no failure in a row: the next drop waits the shortest again.
				if (Date.now() - startedAt >= reconnect.maxMs) waitMs = reconnect.firstMs;
			} else if (!round.signal.aborted) fail(listed.error ?? 'failed', listed.attemptedAt ?? Date.now(), listed.tookMs ?? 0);
			if (round.signal.aborted) continue;
			await sleep(waitMs, undefined, {signal: current}).catch(() => undefined);
			waitMs = Math.min(waitMs * 2, reconnect.maxMs);
		}
		clearTimeout(pending);
	};

	void run();
	void readDetailsEvery();
	return reason => {
		// The watch sees a change made from the console: a relist would only open a gap between two lists for its deletions to fall in.
		if (reason === 'asked') round.abort();
		if (signal.aborted) return Promise.resolve();
		const published = new Promise<void>(done => waiting.push(done));
		nap.abort();
		return published;
	};
}

/**
 * Lists the pods and reads the details on every reading, or keeps the pods
 * live by a watch unless the config says `watch: false`; kubectl's failures
 * become the reading's error, the token never in it.
 */
export function kubernetesCollector(config: KubernetesConfig): Collector<KubernetesData> {
	let details: ClusterDetails = {};
	const polled: Collector<KubernetesData> = {
		source: 'kubernetes',
		intervalMs,
		timeoutMs,
		async collect(signal) {
			const identity = await readIdentity(config, signal);
			const abandoned = new AbortController();
			const reading = readDetails(config, details, AbortSignal.any([signal, abandoned.signal]));
			try {
				const pods = await listAll(config, signal);
				details = await reading;
				return composeData(pods, Date.now(), identity, details);
			} finally {
				// A failed list fails the reading: its details' kubectl runs are ended, not left behind.
				abandoned.abort();
				await reading;
			}
		},
	};
	return config.watch ? {...polled, watch: (publish, signal) => watchPods(config, publish, signal)} : polled;
}
