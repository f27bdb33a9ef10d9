/**
 * The runbook: the current phase's checklist and its playbooks' steps and
 * diagnostics while an incident is open, the severity classification while
 * none is.
 */
import {Box, Text} from 'ink';
import {useShallow} from 'zustand/react/shallow';
import {localTime} from '../source/incident/timeline';
import {severityLevels} from '../source/incident/policy';
import {formatSpan} from '../source/text/duration';
import {Frame, innerSize} from './Frame';
import {runbookRowText, type DiagnosticRow, type RunbookRow} from '../source/view-model/rows';
import {panels, runbookPhase} from '../source/view-model/panels';
import {useWarroom} from './store-context';
import {Table, type Column} from './Table';
import {usePanelRows, usePanelUi} from './use-source';
import {useTone} from './theme';

const columns: Array<Column<RunbookRow>> = [
	{
		header: 'DONE',
		width: 4,
		priority: 1,
		cell: row => (row.kind === 'check' ? (row.done ? '[x]' : '[ ]') : row.kind === 'diagnostic' ? diagnosticMark(row) : ''),
		tone: row => (row.kind === 'check' && row.done ? 'ok' : row.kind === 'step' ? 'dim' : undefined),
	},
	{
		header: 'STEP',
		width: 16,
		flex: true,
		priority: 1,
		cell: row => runbookRowText(row),
		tone: row => (row.kind === 'step' ? 'dim' : undefined),
	},
	{
		header: 'DONE BY',
		width: 16,
		priority: 2,
		cell: row =>
			row.kind === 'check' && row.done ? `${row.done.by.split('@')[0]} ${localTime(new Date(row.done.at).toISOString())}` : '',
	},
];

/** How `o` treats a diagnostic: runs it (o), goes to the panel that shows it (its number), or names the key that does it. */
function diagnosticMark({diagnostic}: DiagnosticRow): string {
	if ('argv' in diagnostic) return ' o';
	if ('panel' in diagnostic) return ` →${panels[diagnostic.panel].number}`;
	return ` ${diagnostic.key}`;
}

function Classification() {
	const policy = useWarroom(state => state.policy);
	const colour = useTone();
	return (
		<Box flexDirection="column">
			{severityLevels.map(level => {
				const rule = policy.severities[level];
				const respond = rule.deadlines.find(deadline => deadline.id === 'respond');
				return (
					<Text key={level} wrap="truncate-end">
						<Text bold color={colour(level === 'P0' ? 'bad' : level === 'P1' ? 'warn' : undefined)}>
							{level} {rule.name}
						</Text>
						{respond ? ` respond ${formatSpan(respond.within)}` : ''} · {rule.definition}
					</Text>
				);
			})}
		</Box>
	);
}

export function RunbookPanel({width, height}: {width: number; height: number}) {
	// The phase changes on minute boundaries at most: select it, not `now`, to redraw only then.
	const {hasIncident, phase} = useWarroom(
		useShallow(state => ({
			hasIncident: state.incident !== undefined,
			phase: runbookPhase(state),
		})),
	);
	const {focused, selected} = usePanelUi('runbook');
	const rows = usePanelRows('runbook');
	const inner = innerSize(width, height);
	const window =
		phase?.from === undefined ? '' : ` ${phase.from / 60_000}-${phase.until === undefined ? '' : `${phase.until / 60_000}`}m`;
	return (
		<Frame
			number={panels.runbook.number}
			title={phase ? `${phase.label}${window}` : 'Severities'}
			focused={focused}
			width={width}
			height={height}
		>
			{hasIncident ? (
				<Table
					columns={columns}
					rows={rows}
					width={inner.width}
					height={inner.height}
					selected={selected}
					focused={focused}
					rowKey={panels.runbook.key}
				/>
			) : (
				<Classification />
			)}
		</Frame>
	);
}
