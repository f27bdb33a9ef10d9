/** Pods that are not Running-and-Ready or have restarted, then the healthy ones counted by namespace. */
import {Text} from 'ink';
import {formatSpan} from '../source/text/duration';
import type {KubernetesData} from '../source/sources/types';
import {podTone} from '../source/view-model/pod-status';
import {cpuText, memoryText, podBanner, podSummary, lastRestartText, type PodRow} from '../source/view-model/pods';
import {SourcePanel} from './SourcePanel';
import {useWarroom} from './store-context';
import type {Column} from './Table';
import {useTone} from './theme';

const columns: Array<Column<PodRow>> = [
	{header: 'NAMESPACE', width: 10, priority: 3, cell: pod => pod.namespace},
	{header: 'NAME', width: 18, flex: true, priority: 1, truncate: 'middle', cell: pod => pod.name},
	{header: 'STATUS', width: 16, priority: 1, cell: pod => pod.reason, tone: podTone},
	{header: 'READY', width: 5, priority: 2, align: 'right', cell: pod => pod.ready},
	{header: 'RESTARTS', width: 8, priority: 2, align: 'right', cell: pod => String(pod.restarts)},
	{header: 'LAST', width: 9, priority: 3, align: 'right', cell: lastRestartText},
	{header: 'AGE', width: 6, priority: 3, align: 'right', cell: pod => formatSpan(pod.ageSeconds * 1000)},
	{header: 'NODE', width: 8, priority: 4, cell: pod => pod.node},
	// A pod started by hand has no owner: nothing, rather than a lone "/".
	{header: 'OWNER', width: 18, priority: 5, cell: ({owner}) => (owner.kind ? `${owner.kind}/${owner.name}` : '')},
];

/** Shown only when the cluster has a metrics API, and the first dropped when narrow. */
const usageColumns: Array<Column<PodRow>> = [
	{header: 'CPU', width: 6, priority: 6, align: 'right', cell: pod => cpuText(pod.usage)},
	{header: 'MEM', width: 7, priority: 6, align: 'right', cell: pod => memoryText(pod.usage)},
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
	return (
		<SourcePanel
			panel="pods"
			width={width}
			height={height}
			columns={hasUsage ? [...columns, ...usageColumns] : columns}
			offReason="off: no cluster configured (no kubeconfig, and no kubernetes in warroom.yaml)"
			emptyText="every pod is Running and Ready"
			summary={podSummary}
			banner={banner}
		/>
	);
}
