/**
 * Pods that are not Running-and-Ready or have restarted, the healthy ones
 * counted by namespace above them; then every deployment, those rolling out
 * or short of ready replicas first, so any of them can be selected and acted on.
 */
import {useMemo} from 'react';
import {Text} from 'ink';
import {formatSpan} from '../source/text/duration';
import type {Deployment, KubernetesData} from '../source/sources/types';
import {deploymentName, deploymentReady, deploymentTone, statusOfDeployment} from '../source/view-model/deployments';
import {podTone} from '../source/view-model/pod-status';
import {cpuText, everyPodFine, memoryText, podBanner, podSummary, lastRestartText, type PodRow} from '../source/view-model/pods';
import type {PodsPanelRow} from '../source/view-model/rows';
import {SourcePanel} from './SourcePanel';
import {useWarroom} from './store-context';
import type {Column} from './Table';
import {useTone} from './theme';

/** A cell drawn one way for a pod and another for a deployment; nothing where a column says nothing of that kind. */
const byKind =
	<T,>(ofPod: (pod: PodRow) => T, ofDeployment: (deployment: Deployment) => T) =>
	(row: PodsPanelRow) =>
		row.kind === 'pod' ? ofPod(row.pod) : ofDeployment(row.deployment);

const none = () => '';

const columns: Array<Column<PodsPanelRow>> = [
	{
		header: 'NAMESPACE',
		width: 10,
		priority: 3,
		cell: byKind(
			pod => pod.namespace,
			deployment => deployment.namespace,
		),
	},
	{
		header: 'NAME',
		width: 18,
		flex: true,
		priority: 1,
		truncate: 'middle',
		cell: byKind(pod => pod.name, deploymentName),
	},
	{
		header: 'STATUS',
		width: 16,
		priority: 1,
		cell: byKind(pod => pod.reason, statusOfDeployment),
		tone: byKind(podTone, deploymentTone),
	},
	// A pod's ready containers, a deployment's ready replicas: x of y either way.
	{header: 'READY', width: 5, priority: 2, align: 'right', cell: byKind(pod => pod.ready, deploymentReady)},
	{header: 'RESTARTS', width: 8, priority: 2, align: 'right', cell: byKind(pod => String(pod.restarts), none)},
	{header: 'LAST', width: 9, priority: 3, align: 'right', cell: byKind(lastRestartText, none)},
	{header: 'AGE', width: 6, priority: 3, align: 'right', cell: byKind(pod => formatSpan(pod.ageSeconds * 1000), none)},
	{header: 'NODE', width: 8, priority: 4, cell: byKind(pod => pod.node, none)},
	// A pod started by hand has no owner: nothing, rather than a lone "/".
	{
		header: 'OWNER',
		width: 18,
		priority: 5,
		cell: byKind(({owner}) => (owner.kind ? `${owner.kind}/${owner.name}` : ''), none),
	},
];

/** A pod's name reads whole up to here: a deployment's extra columns go before the names get narrower. */
const podNameWidth = 30;

/** Shown only when the reading has deployments: what a deployment's row says that a pod's does not. */
const deploymentColumns: Array<Column<PodsPanelRow>> = [
	{
		header: 'UP-TO-DATE',
		width: 10,
		priority: 5,
		align: 'right',
		minFlexWidth: podNameWidth,
		cell: byKind(none, deployment => String(deployment.updated)),
	},
	{
		header: 'REV',
		width: 3,
		priority: 5,
		align: 'right',
		minFlexWidth: podNameWidth,
		cell: byKind(none, deployment => String(deployment.revision)),
	},
	// The longest cell, and one `u`'s confirmation repeats: the first dropped.
	{
		header: 'IMAGES',
		width: 20,
		priority: 7,
		truncate: 'middle',
		minFlexWidth: podNameWidth,
		cell: byKind(none, deployment => deployment.images.join(', ')),
	},
];

/** Shown only when the cluster has a metrics API, and the first dropped when narrow. */
const usageColumns: Array<Column<PodsPanelRow>> = [
	{header: 'CPU', width: 6, priority: 6, align: 'right', cell: byKind(pod => cpuText(pod.usage), none)},
	{header: 'MEM', width: 7, priority: 6, align: 'right', cell: byKind(pod => memoryText(pod.usage), none)},
];

function Banner({text, problem}: {text: string; problem: boolean}) {
	const colour = useTone();
	return (
		<Text color={colour(problem ? 'warn' : 'dim')} wrap="truncate-end">
			{text}
		</Text>
	);
}

/** The line above the rows, only when it has something to say: it takes a row from the pods. */
function banner(data: KubernetesData) {
	const line = podBanner(data);
	return line ? [<Banner key="banner" text={line.text} problem={line.problem} />] : [];
}

export function PodsPanel({width, height}: {width: number; height: number}) {
	const hasUsage = useWarroom(state => state.readings.kubernetes.data?.usage?.available === true);
	const hasDeployments = useWarroom(state => (state.readings.kubernetes.data?.deployments?.length ?? 0) > 0);
	// The same array from reading to reading, so the table's rows that did not change are not drawn again.
	const shownColumns = useMemo(
		() => [...columns, ...(hasDeployments ? deploymentColumns : []), ...(hasUsage ? usageColumns : [])],
		[hasDeployments, hasUsage],
	);
	return (
		<SourcePanel
			panel="pods"
			width={width}
			height={height}
			columns={shownColumns}
			offReason="off: no cluster configured (no kubeconfig, and no kubernetes in warroom.yaml)"
			emptyText={everyPodFine}
			summary={podSummary}
			banner={banner}
		/>
	);
}
