/**
 * From the metrics API's PodMetricsList (what `kubectl top pods` reads; read
 * with `kubectl get --raw`, as kubectl 1.20's `top` prints no JSON) to each
 * pod's CPU and memory, its containers summed. Pure.
 */
import {cleanStrings} from '../../text/sanitize';
import type {ClusterUsage, PodUsage} from '../types';

export type PodMetricsList = {
	items?: Array<{
		metadata?: {name?: string; namespace?: string};
		containers?: Array<{usage?: {cpu?: string; memory?: string}}>;
	}>;
};

/** The API's words for a group it does not serve. */
const absent = /NotFound|could not find the requested resource/;

/** Why there are no metrics: the cluster has no metrics API, or reading it failed. */
export const noUsage = (error: string): ClusterUsage => ({
	available: false,
	reason: absent.test(error) ? 'no metrics API (metrics.k8s.io) in this cluster' : error,
});

const suffixes: Record<string, number> = {
	n: 1e-9,
	u: 1e-6,
	m: 1e-3,
	'': 1,
	k: 1e3,
	K: 1e3,
	M: 1e6,
	G: 1e9,
	T: 1e12,
	Ki: 2 ** 10,
	Mi: 2 ** 20,
	Gi: 2 ** 30,
	Ti: 2 ** 40,
};

/** A Kubernetes quantity (`250m`, `1500000n`, `128Mi`, `1e3`) as a number of its unit, or 0 when it is not one. */
export function parseQuantity(quantity: string | undefined): number {
	const match = /^(\d+(?:\.\d+)?(?:e\d+)?)(n|u|m|k|K|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(quantity ?? '');
	return match ? Number(match[1]) * (suffixes[match[2] ?? ''] ?? 1) : 0;
}

export function readUsage(list: PodMetricsList): ClusterUsage {
	const pods: PodUsage[] = (list.items ?? []).map(item => {
		const containers = item.containers ?? [];
		const sum = (read: (usage: {cpu?: string; memory?: string}) => number) =>
			containers.reduce((total, container) => total + read(container.usage ?? {}), 0);
		return {
			namespace: item.metadata?.namespace ?? '',
			name: item.metadata?.name ?? '',
			cpuMillicores: Math.round(sum(usage => parseQuantity(usage.cpu) * 1000)),
			memoryBytes: Math.round(sum(usage => parseQuantity(usage.memory))),
		};
	});
	return cleanStrings({available: true, pods});
}
