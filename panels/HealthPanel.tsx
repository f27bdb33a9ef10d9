/** The health checks: HTTP(S), TLS certificates, TCP ports and commands, one line each. */
import type {HealthResult} from '../source/sources/types';
import {checkSummary, healthSummary, sinceText, sparkline, stateText, stateTone} from '../source/view-model/health';
import {SourcePanel} from './SourcePanel';
import type {Column} from './Table';

const trendWidth = 8;

// Each column one wider than what it draws: the space before the next (cells are trimmed, so it cannot be in them).
const columns: Array<Column<HealthResult>> = [
	{header: 'CHECK', width: 10, flex: true, priority: 1, cell: check => check.name},
	{header: 'STATE', width: 5, priority: 1, cell: stateText, tone: stateTone},
	{header: 'TIME', width: 8, priority: 3, cell: check => (check.latencyMs === undefined ? '' : `${check.latencyMs}ms`)},
	{header: 'TREND', width: trendWidth + 1, priority: 5, cell: check => sparkline(check.history ?? [], trendWidth)},
	{header: 'SINCE', width: 20, priority: 3, cell: check => sinceText(check), tone: stateTone},
	{header: 'KIND', width: 8, priority: 4, cell: check => check.kind},
	{header: 'DETAIL', width: 12, flex: true, priority: 2, cell: checkSummary},
];

export function HealthPanel({width, height}: {width: number; height: number}) {
	return (
		<SourcePanel
			panel="health"
			width={width}
			height={height}
			columns={columns}
			offReason="off: no checks configured (health in warroom.yaml)"
			emptyText="no checks"
			summary={healthSummary}
		/>
	);
}
