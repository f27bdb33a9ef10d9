/**
 * What the collector reads besides the pods, every few seconds alongside
 * their watch: deployments with their rollout history, recent Warning
 * events, and pod usage from the metrics API. Each is read on its own, so
 * one failing blanks none of the others: a failed one keeps its last value
 * and says why in `problems`; usage that cannot be read says why in itself.
 */
import type {KubernetesData} from '../types';
import {keptWorkload, readDeployments} from './deployments';
import {readWarnings, type KubeEventList} from './events';
import {contextArgs, getItems, parseJson, runKubectl, streamItems, type KubernetesConfig} from './kubectl';
import {noUsage, readUsage, type PodMetricsList} from './usage';
import {messageOf} from '../../errors';
import {formatTook} from '../../text/duration';

export type ClusterDetails = Pick<KubernetesData, 'deployments' | 'warnings' | 'usage' | 'problems'>;

/** The metrics API's pods, of each configured namespace or of all. */
async function getMetrics(config: KubernetesConfig, signal: AbortSignal): Promise<PodMetricsList> {
	const base = '/apis/metrics.k8s.io/v1beta1';
	const paths =
		config.namespaces.length > 0 ? config.namespaces.map(namespace => `${base}/namespaces/${namespace}/pods`) : [`${base}/pods`];
	const lists = await Promise.all(
		paths.map(async path =>
			parseJson<PodMetricsList>(
				await runKubectl(config, ['get', '--raw', path, ...contextArgs(config)], signal),
				'the metrics API',
			),
		),
	);
	return {items: lists.flatMap(list => list.items ?? [])};
}

/** A detail the API has not answered within this is given up on: the pods are read without waiting for it. */
const detailsTimeoutMs = 10_000;

/**
 * Every detail read afresh (usage only `withUsage`: else it is kept from
 * `previous`); one that fails or hangs keeps its value in `previous` and is
 * named in `problems`.
 */
export async function readDetails(
	config: KubernetesConfig,
	previous: ClusterDetails,
	signal: AbortSignal,
	{
		now = Date.now,
		timeoutMs = detailsTimeoutMs,
		withUsage = true,
	}: {now?: () => number; timeoutMs?: number; withUsage?: boolean} = {},
): Promise<ClusterDetails> {
	const timeout = AbortSignal.timeout(timeoutMs);
	const bounded = AbortSignal.any([signal, timeout]);
	const [deployments, warnings, usage] = await Promise.allSettled([
		streamItems(config, 'the deployment list', ['deployments,replicasets'], keptWorkload, bounded),
		getItems<NonNullable<KubeEventList['items']>[number]>(
			config,
			'the event list',
			['events', '--field-selector', 'type=Warning'],
			bounded,
		),
		withUsage || !previous.usage ? getMetrics(config, bounded) : undefined,
	]);
	const why = (reason: unknown, what: string) =>
		timeout.aborted && !signal.aborted ? `kubectl: ${what}: no answer within ${formatTook(timeoutMs)}` : messageOf(reason);
	const problems = [
		...(deployments.status === 'rejected' ? [why(deployments.reason, 'the deployments')] : []),
		...(warnings.status === 'rejected' ? [why(warnings.reason, 'the events')] : []),
	];
	return {
		...(deployments.status === 'fulfilled'
			? {deployments: readDeployments({items: deployments.value})}
			: previous.deployments && {deployments: previous.deployments}),
		...(warnings.status === 'fulfilled'
			? {warnings: readWarnings({items: warnings.value}, now())}
			: previous.warnings && {warnings: previous.warnings}),
		usage:
			usage.status === 'rejected'
				? noUsage(why(usage.reason, 'the metrics API'))
				: usage.value
					? readUsage(usage.value)
					: previous.usage,
		...(problems.length > 0 ? {problems} : {}),
	};
}
