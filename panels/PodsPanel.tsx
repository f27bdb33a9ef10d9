/** Pods that are not Running-and-Ready or have restarted. */
import {formatSpan} from '../source/text/duration';
import type {Pod} from '../source/sources/types';
import {podTone} from '../source/view-model/pod-status';
import {SourcePanel} from './SourcePanel';
import type {Column} from './Table';

const columns: Array<Column<Pod>> = [
	{header: 'NAMESPACE', width: 10, priority: 3, cell: pod => pod.namespace},
	{header: 'NAME', width: 18, flex: true, priority: 1, truncate: 'middle', cell: pod => pod.name},
	{header: 'STATUS', width: 16, priority: 1, cell: pod => pod.reason, tone: podTone},
	{header: 'READY', width: 5, priority: 2, align: 'right', cell: pod => pod.ready},
	{header: 'RESTARTS', width: 8, priority: 2, align: 'right', cell: pod => String(pod.restarts)},
	{header: 'AGE', width: 6, priority: 3, align: 'right', cell: pod => formatSpan(pod.ageSeconds * 1000)},
	{header: 'NODE', width: 8, priority: 4, cell: pod => pod.node},
	// A pod started by hand has no owner: nothing, rather than a lone "/".
	{header: 'OWNER', width: 18, priority: 5, cell: ({owner}) => (owner.kind ? `${owner.kind}/${owner.name}` : '')},
];

export function PodsPanel({width, height}: {width: number; height: number}) {
	return (
		<SourcePanel
			panel="pods"
			width={width}
			height={height}
			columns={columns}
			offReason="off: no cluster configured (kubernetes in warroom.yaml)"
			emptyText="every pod is Running and Ready"
			summary={data => ` ${data.pods.length} not ready · ${data.healthyCount} ok`}
		/>
	);
}
