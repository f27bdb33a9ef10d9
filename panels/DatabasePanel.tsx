/**
 * The database: can we connect and how full it is, then the lock tree (each
 * waiter under the backend it waits for, the root of every chain first) and
 * the long-running queries.
 */
import {Text} from 'ink';
import {formatSpan} from '../source/text/duration';
import type {LockRow} from '../source/sources/postgres/lock-tree';
import {databaseSummary, idleInTransaction, stateLabel, type SummaryLine} from '../source/view-model/database-summary';
import {toSingleLine} from '../source/text/sanitize';
import type {DatabaseRow} from '../source/view-model/rows';
import {SourcePanel} from './SourcePanel';
import type {Column} from './Table';
import {useTone} from './theme';

/** The pid under its parent's: guides, not spaces, as a cell's leading spaces are trimmed. */
const lockLabel = (lock: LockRow) => {
	const indent = lock.depth === 0 ? '' : `${'│ '.repeat(lock.depth - 1)}└ `;
	return `${indent}${lock.pid}`;
};

const span = (seconds: number | undefined) => (seconds === undefined ? '' : formatSpan(seconds * 1000));

/** Where the backend stands: the root of a chain and how many wait behind it, how long a waiter has waited, how long a query has run. */
function standing(row: DatabaseRow): string {
	if (row.kind === 'query') return `runs ${span(row.query.durationSeconds)}`;
	if (row.lock.root) return `ROOT blocks ${row.lock.blocking}`;
	return row.lock.waitSeconds === undefined ? `blocks ${row.lock.blocking}` : `waits ${span(row.lock.waitSeconds)}`;
}

const backend = (row: DatabaseRow) => (row.kind === 'lock' ? row.lock : row.query);

const columns: Array<Column<DatabaseRow>> = [
	{header: 'PID', width: 10, priority: 1, cell: row => (row.kind === 'lock' ? lockLabel(row.lock) : String(row.query.pid))},
	{
		header: 'WAIT/RUN',
		width: 14,
		priority: 1,
		cell: standing,
		tone: row => (row.kind === 'lock' && row.lock.root ? 'bad' : 'warn'),
	},
	{header: 'USER', width: 10, priority: 3, cell: row => backend(row).user},
	{header: 'APP', width: 10, priority: 6, cell: row => backend(row).application},
	{
		header: 'STATE',
		width: 10,
		priority: 4,
		cell: row => stateLabel(backend(row).state),
		tone: row => (idleInTransaction(backend(row).state) ? 'bad' : undefined),
	},
	{header: 'EVENT', width: 18, priority: 5, cell: row => (row.kind === 'lock' ? row.lock.waitEvent : '')},
	{header: 'XACT', width: 6, priority: 7, cell: row => (row.kind === 'lock' ? span(row.lock.transactionSeconds) : '')},
	{header: 'QUERY', width: 20, flex: true, priority: 2, cell: row => backend(row).query},
];

function Summary({line}: {line: SummaryLine}) {
	const colour = useTone();
	return (
		<Text wrap="truncate-end" color={colour(line.tone)} bold={line.tone === 'bad'}>
			{toSingleLine(line.text)}
		</Text>
	);
}

export function DatabasePanel({width, height}: {width: number; height: number}) {
	return (
		<SourcePanel
			panel="database"
			width={width}
			height={height}
			columns={columns}
			offReason="off: no database configured (postgres: in warroom.yaml, or DATABASE_URL)"
			emptyText="no locks waited on, no long-running queries"
			banner={data => databaseSummary(data).map(line => <Summary key={line.text} line={line} />)}
		/>
	);
}
