/** The database: connections against max, the lock tree, and long-running queries. */
import {Text} from 'ink';
import {formatSpan} from '../source/text/duration';
import type {LockRow} from '../source/sources/postgres/lock-tree';
import {toSingleLine} from '../source/text/sanitize';
import type {PostgresData} from '../source/sources/types';
import type {DatabaseRow} from '../source/view-model/rows';
import {SourcePanel} from './SourcePanel';
import type {Column} from './Table';
import {useTone} from './theme';

const lockLabel = (lock: LockRow) => {
	const indent = lock.depth === 0 ? '' : `${'  '.repeat(lock.depth - 1)}└ `;
	return `${indent}${lock.pid}`;
};

const columns: Array<Column<DatabaseRow>> = [
	{header: 'PID', width: 10, priority: 1, cell: row => (row.kind === 'lock' ? lockLabel(row.lock) : String(row.query.pid))},
	{
		header: 'WAIT/RUN',
		width: 12,
		priority: 1,
		cell: row =>
			row.kind === 'query'
				? `runs ${formatSpan(row.query.durationSeconds * 1000)}`
				: row.lock.waitSeconds === undefined
					? `blocks ${row.lock.blocking}`
					: `waits ${formatSpan(row.lock.waitSeconds * 1000)}`,
		tone: row => (row.kind === 'lock' ? (row.lock.depth === 0 ? 'bad' : 'warn') : 'warn'),
	},
	{header: 'USER', width: 9, priority: 3, cell: row => (row.kind === 'lock' ? (row.lock.user ?? '') : row.query.user)},
	{header: 'STATE', width: 10, priority: 4, cell: row => (row.kind === 'lock' ? (row.lock.state ?? '') : row.query.state)},
	{header: 'QUERY', width: 20, flex: true, priority: 2, cell: row => (row.kind === 'lock' ? row.lock.query : row.query.query)},
];

function Connections({data}: {data: PostgresData}) {
	const colour = useTone();
	const {total, max, byState} = data.connections;
	const percent = Math.round((total / max) * 100);
	const tone = percent >= 90 ? 'bad' : percent >= 75 ? 'warn' : 'ok';
	const states = Object.entries(byState)
		.map(([state, count]) => `${toSingleLine(state)} ${count}`)
		.join(' · ');
	return (
		<Text wrap="truncate-end">
			connections{' '}
			<Text color={colour(tone)} bold={tone === 'bad'}>
				{total}/{max} {percent}%
			</Text>
			{states ? ` · ${states}` : ''}
			{data.blocking.length > 0 ? ` · ${data.blocking.length} waiting on locks` : ''}
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
			offReason="off: no database configured (postgres in warroom.yaml)"
			emptyText="no locks waited on, no long-running queries"
			banner={data => <Connections data={data} />}
		/>
	);
}
