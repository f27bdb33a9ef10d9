/** The health checks: HTTP(S), TLS certificates, TCP ports and commands. */
import type {HealthData, HealthResult} from '../source/sources/types';
import {healthDetail} from '../source/view-model/rows';
import {SourcePanel} from './SourcePanel';
import type {Column} from './Table';

const columns: Array<Column<HealthResult>> = [
	{header: 'CHECK', width: 10, flex: true, priority: 1, cell: check => check.name},
	{header: 'STATE', width: 5, priority: 1, cell: check => (check.ok ? 'ok' : 'FAIL'), tone: check => (check.ok ? 'ok' : 'bad')},
	{
		header: 'TIME',
		width: 6,
		priority: 3,
		align: 'right',
		cell: check => (check.latencyMs === undefined ? '' : `${check.latencyMs}ms`),
	},
	{header: 'KIND', width: 7, priority: 4, cell: check => check.kind},
	{header: 'DETAIL', width: 12, flex: true, priority: 2, cell: healthDetail},
];

const failures = (data: HealthData) => {
	const failing = data.checks.filter(check => !check.ok).length;
	return failing > 0 ? ` ${failing} FAIL` : ' all ok';
};

export function HealthPanel({width, height}: {width: number; height: number}) {
	return (
		<SourcePanel
			panel="health"
			width={width}
			height={height}
			columns={columns}
			offReason="off: no checks configured (health in warroom.yaml)"
			emptyText="no checks"
			summary={failures}
		/>
	);
}
