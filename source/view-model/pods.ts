/**
 * What the Pods panel writes about the cluster besides its columns' plain
 * values: how long ago the last restart was, usage in kubectl top's units, the title's counts and the
 * line above the rows (healthy pods by namespace, what could not be read).
 * Pure: the panel draws these.
 */
import type {KubernetesData, Pod, PodUsage} from '../sources/types';
import {formatSpan} from '../text/duration';
import {toSingleLine} from '../text/sanitize';

/** A listed pod with its usage, when the cluster has a metrics API. */
export type PodRow = Pod & {usage?: PodUsage};

/**
 * Each usage reading's pods by namespace and name, made once: the usage of a
 * 10,000-pod cluster is read every 10 s, and the rows are computed again on
 * every change of the store (a pod, the clock), where indexing it anew cost
 * ~3 ms each time.
 */
const usageIndexes = new WeakMap<readonly PodUsage[], Map<string, PodUsage>>();

function usageIndex(usage: readonly PodUsage[]): Map<string, PodUsage> {
	let index = usageIndexes.get(usage);
	if (!index) {
		index = new Map(usage.map(entry => [`${entry.namespace}/${entry.name}`, entry]));
		usageIndexes.set(usage, index);
	}
	return index;
}

/** The pods with their usage joined by namespace and name; the same rows when there is none. */
export function withUsage(pods: readonly Pod[], usage: KubernetesData['usage']): PodRow[] {
	if (!usage?.available) return pods as PodRow[];
	const byPod = usageIndex(usage.pods);
	return pods.map(pod => {
		const found = byPod.get(`${pod.namespace}/${pod.name}`);
		return found ? {...pod, usage: found} : pod;
	});
}

/** How long ago the last restart was, `2m ago` (kubectl's `3 (2m ago)`, in a column of its own that a narrow panel drops), when known. */
export const lastRestartText = (pod: Pick<Pod, 'restarts' | 'lastRestartSeconds'>) =>
	pod.restarts > 0 && pod.lastRestartSeconds !== undefined ? `${formatSpan(pod.lastRestartSeconds * 1000)} ago` : '';

/** Millicores as kubectl top writes them: `252m`. */
export const cpuText = (usage: PodUsage | undefined) => (usage ? `${usage.cpuMillicores}m` : '');

/** Bytes as kubectl top writes them: `148Mi`. */
export const memoryText = (usage: PodUsage | undefined) => (usage ? `${Math.round(usage.memoryBytes / 2 ** 20)}Mi` : '');

/** The title's counts: ` 3 not ready · 2 starting · 40 ok · no metrics`, a count of none left out. */
export function podSummary(data: KubernetesData): string {
	const parts = [
		`${data.pods.length} not ready`,
		data.startingCount ? `${data.startingCount} starting` : '',
		data.terminatingCount ? `${data.terminatingCount} terminating` : '',
		`${data.healthyCount} ok`,
		data.usage && !data.usage.available ? 'no metrics' : '',
	];
	return ` ${parts.filter(Boolean).join(' · ')}`;
}

/** What the Pods panel says when no pod is listed: every one is fine. */
export const everyPodFine = 'every pod is Running and Ready';

type PodBanner = {text: string; problem: boolean};

/**
 * The line above the rows, when there is more to say than the title does:
 * what could not be read, first (its last values are shown); else that every
 * pod is fine when only deployments are listed, the healthy pods by
 * namespace, most first, and why there is no usage.
 */
function bannerOf(data: KubernetesData): PodBanner | undefined {
	if (data.problems?.length) return {text: toSingleLine(`not read: ${data.problems.join(' · ')}`), problem: true};
	const namespaces = Object.entries(data.healthyByNamespace ?? {})
		.sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b))
		.map(([namespace, count]) => `${namespace} ${count}`);
	const parts = [
		data.pods.length === 0 && data.deployments?.length ? everyPodFine : '',
		namespaces.length > 0 ? `healthy: ${namespaces.join(' · ')}` : '',
		data.usage && !data.usage.available ? `usage: ${data.usage.reason}` : '',
	].filter(Boolean);
	return parts.length > 0 ? {text: toSingleLine(parts.join(' · ')), problem: false} : undefined;
}

/** Made once per reading: the panel redraws every second (its title's age changes) while the reading does not. */
const banners = new WeakMap<KubernetesData, PodBanner | undefined>();

export function podBanner(data: KubernetesData): PodBanner | undefined {
	if (banners.has(data)) return banners.get(data);
	const banner = bannerOf(data);
	banners.set(data, banner);
	return banner;
}
