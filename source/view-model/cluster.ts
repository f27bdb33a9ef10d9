/**
 * Which cluster the console is on, as the header names it: the context the
 * Kubernetes reading showed (else the configured one), the cluster it points
 * at when its name says something more, and whether the context is
 * production. Pure; the header draws it.
 */
import {isProductionContext} from '../sources/kubernetes/production-context';
import type {WarroomState} from '../store';

export type ClusterName = {text: string; production: boolean};

type ClusterState = Pick<WarroomState, 'readings' | 'mode'>;

/** The context the reading showed, else the configured one: where commands go, what the header and placeholders name. */
export const currentContext = (state: ClusterState): string | undefined =>
	state.readings.kubernetes.data?.context ?? state.mode.kubernetes.context;

export function clusterName(state: ClusterState): ClusterName | undefined {
	const data = state.readings.kubernetes.data;
	const context = currentContext(state);
	if (context === undefined) return undefined;
	const cluster = data?.cluster;
	// Clusters are often named as their context: said once.
	const text = cluster === undefined || cluster === context ? context : `${context} (${cluster})`;
	return {text, production: isProductionContext(context, state.mode.kubernetes.production)};
}
