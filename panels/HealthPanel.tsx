/** The health checks: HTTP(S), TLS certificates, TCP ports and commands. */
import {useMemo} from 'react';
import type {HealthResult} from '../source/sources/types';
import {Frame, innerSize} from './Frame';
import {healthDetail, healthRows} from '../source/view-model/rows';
import {SourceBody} from './SourceBody';
import {Listing, titled} from './Listing';
import type {Column} from './Table';
import {usePanelUi, useReading, useSourceStatus} from './use-source';

const columns: Array<Column<HealthResult>> = [
	{header: 'CHECK', width: 10, flex: true, priority: 1, cell: check => check.name},
	{header: 'STATE', width: 5, priority: 1, cell: check => (check.ok ? 'ok' : 'FAIL'), tone: check => (check.ok ? 'ok' : 'bad')},
	{header: 'TIME', width: 6, priority: 3, align: 'right', cell: check => (check.latencyMs === undefined ? '' : `${check.latencyMs}ms`)},
	{header: 'KIND', width: 7, priority: 4, cell: check => check.kind},
	{header: 'DETAIL', width: 12, flex: true, priority: 2, cell: healthDetail},
];

export function HealthPanel({width, height}: {width: number; height: number}) {
	const reading = useReading('health');
	const status = useSourceStatus('health');
	const {focused, filter, selected} = usePanelUi('health');
	const inner = innerSize(width, height);
	const checks = useMemo(() => healthRows(reading.data?.checks ?? [], filter), [reading.data, filter]);
	const failing = reading.data?.checks.filter(check => !check.ok).length ?? 0;
	const counts = reading.data ? (failing > 0 ? ` ${failing} FAIL` : ' all ok') : '';
	return (
		<Frame number={3} title={titled(`Health${counts}`, filter)} status={status} focused={focused} width={width} height={height}>
			<SourceBody reading={reading} offReason="off: no checks configured (health in warroom.yaml)">
				{(_, errorLines) =>
					<Listing filter={filter} noun="check" emptyText="no checks" columns={columns} rows={checks} width={inner.width} height={inner.height - errorLines} selected={selected} focused={focused} rowKey={check => check.name} />
				}
			</SourceBody>
		</Frame>
	);
}
