/** Pods that are not Running-and-Ready or have restarted. */
import {useMemo} from 'react';
import {formatSpan} from '../source/text/duration';
import type {Pod} from '../source/sources/types';
import {Frame, innerSize} from './Frame';
import {podRows} from '../source/view-model/rows';
import {SourceBody} from './SourceBody';
import {Listing, titled} from './Listing';
import type {Column} from './Table';
import {usePanelUi, useReading, useSourceStatus} from './use-source';
import type {Tone} from './theme';

const settledReasons = new Set(['Running', 'Completed', 'Succeeded']);
const reasonTone = (pod: Pod): Tone => (settledReasons.has(pod.reason) ? (pod.restarts > 0 ? 'warn' : 'ok') : 'bad');

const columns: Array<Column<Pod>> = [
	{header: 'NAMESPACE', width: 10, priority: 3, cell: pod => pod.namespace},
	{header: 'NAME', width: 18, flex: true, priority: 1, truncate: 'middle', cell: pod => pod.name},
	{header: 'STATUS', width: 16, priority: 1, cell: pod => pod.reason, tone: reasonTone},
	{header: 'READY', width: 5, priority: 2, align: 'right', cell: pod => pod.ready},
	{header: 'RESTARTS', width: 8, priority: 2, align: 'right', cell: pod => String(pod.restarts)},
	{header: 'AGE', width: 6, priority: 3, align: 'right', cell: pod => formatSpan(pod.ageSeconds * 1000)},
	{header: 'NODE', width: 8, priority: 4, cell: pod => pod.node},
	{header: 'OWNER', width: 18, priority: 5, cell: pod => `${pod.owner.kind}/${pod.owner.name}`},
];

export function PodsPanel({width, height}: {width: number; height: number}) {
	const reading = useReading('kubernetes');
	const status = useSourceStatus('kubernetes');
	const {focused, filter, selected} = usePanelUi('pods');
	const inner = innerSize(width, height);
	const pods = useMemo(() => podRows(reading.data?.pods ?? [], filter), [reading.data, filter]);
	const counts = reading.data ? ` ${reading.data.pods.length} not ready · ${reading.data.healthyCount} ok` : '';
	return (
		<Frame number={1} title={titled(`Pods${counts}`, filter)} status={status} focused={focused} width={width} height={height}>
			<SourceBody reading={reading} offReason="off: no cluster configured (kubernetes in warroom.yaml)">
				{(_, errorLines) =>
					<Listing filter={filter} noun="pod" emptyText="every pod is Running and Ready" columns={columns} rows={pods} width={inner.width} height={inner.height - errorLines} selected={selected} focused={focused} rowKey={pod => `${pod.namespace}/${pod.name}`} />
				}
			</SourceBody>
		</Frame>
	);
}
