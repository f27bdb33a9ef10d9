/**
 * What the Database panel says above its rows, most important first: can
 * we connect and how full it is; then what a responder must know before
 * reading the rows (the role cannot see other roles' queries, a chain
 * starts at a transaction left idle); then who holds the connections and
 * how big the database is. Pure: the panel draws the lines it has room for.
 */
import type {Count, PostgresData} from '../sources/types';
import {formatSpan} from '../text/duration';
import {lockRows} from './rows';

export type SummaryLine = {text: string; tone?: 'ok' | 'warn' | 'bad' | 'dim'};

/** pg_stat_activity's states as a narrow column can hold them. */
const shortStates: Record<string, string> = {
	'idle in transaction': 'idle in tx',
	'idle in transaction (aborted)': 'idle in tx (aborted)',
	'': 'hidden',
};

/** A backend's state in a cell: short, and `hidden` when the role cannot read it. */
export const stateLabel = (state: string) => shortStates[state] ?? state;

/** A backend idle in a transaction (aborted or not): it holds its locks while its client does nothing. */
export const idleInTransaction = (state: string) => state.startsWith('idle in transaction');

const units = ['B', 'kB', 'MB', 'GB', 'TB'];

/** `812 kB`, `1.2 GB`: a size as a responder reads it. */
export function formatBytes(bytes: number): string {
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${unit === 0 || value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

const counts = (items: readonly Count[]) => items.map(item => `${item.name || '(none)'} ${item.count}`).join(', ');

function connectionsLine(data: PostgresData): SummaryLine {
	const {total, max, byState} = data.connections;
	const percent = max > 0 ? Math.round((total / max) * 100) : 0;
	const server = data.server
		? [
				`PostgreSQL ${data.server.version.split(' ')[0]} ${data.server.inRecovery ? 'replica (in recovery)' : 'primary'}`,
				`up ${data.server.roundTripMs}ms`,
			]
		: [];
	const states = Object.entries(byState).map(([state, count]) => `${stateLabel(state)} ${count}`);
	const waiting = data.blocking.length > 0 ? [`${data.blocking.length} waiting on locks`] : [];
	return {
		text: [...server, `connections ${total}/${max} ${percent}%`, ...states, ...waiting].join(' · '),
		...(percent >= 90 ? {tone: 'bad' as const} : percent >= 75 ? {tone: 'warn' as const} : {}),
	};
}

/** The missing privilege, by name, instead of rows that are silently empty. */
function privilegeLine(data: PostgresData): SummaryLine[] {
	if (!data.server || data.server.readsAllStats) return [];
	const {role} = data.server;
	const hidden = data.connections.byState['hidden'] ?? 0;
	return [
		{
			text: `role ${role} lacks pg_read_all_stats: ${hidden} backends of other roles hidden · GRANT pg_monitor TO ${role}`,
			tone: 'warn',
		},
	];
}

/** A chain whose root is idle in transaction waits on a client doing nothing: cancelling its query frees nothing. */
function idleRootLines(data: PostgresData): SummaryLine[] {
	return lockRows(data)
		.filter(row => row.root && idleInTransaction(row.state))
		.map(row => ({
			text: `${row.pid}${row.user ? ` (${row.user})` : ''} is idle in transaction${row.transactionSeconds === undefined ? '' : ` ${formatSpan(row.transactionSeconds * 1000)}`}, blocking ${row.blocking}: cancel frees nothing, only terminate does`,
			tone: 'bad',
		}));
}

function holdersLine(data: PostgresData): SummaryLine[] {
	const parts = [
		...(data.top && data.top.users.length > 0 ? [`users ${counts(data.top.users)}`] : []),
		...(data.top && data.top.applications.length > 0 ? [`apps ${counts(data.top.applications)}`] : []),
		...(data.sizes?.database ? [`${data.sizes.database.name} ${formatBytes(data.sizes.database.bytes)}`] : []),
		...(data.sizes && data.sizes.tables.length > 0
			? [`largest ${data.sizes.tables.map(table => `${table.name} ${formatBytes(table.bytes)}`).join(', ')}`]
			: []),
	];
	return parts.length > 0 ? [{text: parts.join(' · '), tone: 'dim'}] : [];
}

export const databaseSummary = (data: PostgresData): SummaryLine[] => [
	connectionsLine(data),
	...privilegeLine(data),
	...idleRootLines(data),
	...holdersLine(data),
];
