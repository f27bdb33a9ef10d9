/**
 * The rows the monitoring queries return (queries/*.sql), turned into what
 * the Database panel and `snapshot` show. Pure: the collector runs the
 * queries, these decide.
 */
import type {BlockedBackend, Count, LockSession, LongRunningQuery, PostgresData} from '../types';

/** A row of connections.sql: one count of one dimension. */
export type CountRow = {dimension: 'state' | 'user' | 'application'; name: string; count: number};

/** A row of long-running.sql. */
export type LongRunningRow = {
	pid: number;
	backend_start: string;
	usename: string;
	application_name: string;
	state: string;
	duration_seconds: number;
	query: string;
};

/** A row of lock-tree.sql: `blocked_by` is null for a backend that blocks without waiting. */
export type LockTreeRow = {
	pid: number;
	backend_start: string;
	blocked_by: number[] | null;
	wait_seconds: number;
	usename: string;
	application_name: string;
	state: string;
	wait_event: string;
	transaction_seconds: number | null;
	query: string;
};

/** How many users and applications the panel names. */
const topCount = 5;

const wholeSeconds = (seconds: number) => Math.max(0, Math.floor(seconds));

const mostFirst = (rows: CountRow[]): Count[] =>
	rows
		.map(({name, count}) => ({name, count}))
		.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
		.slice(0, topCount);

/** Connections by state against `max`, and the users and applications holding the most. */
export function connectionsFrom(rows: readonly CountRow[], max: number): Pick<PostgresData, 'connections' | 'top'> {
	const of = (dimension: CountRow['dimension']) => rows.filter(row => row.dimension === dimension);
	const states = of('state');
	return {
		connections: {
			total: states.reduce((sum, row) => sum + row.count, 0),
			max,
			byState: Object.fromEntries(mostFirst(states).map(({name, count}) => [name, count])),
		},
		top: {users: mostFirst(of('user')), applications: mostFirst(of('application'))},
	};
}

export const longRunningFrom = (rows: readonly LongRunningRow[]): LongRunningQuery[] =>
	rows.map(row => ({
		pid: row.pid,
		backendStart: row.backend_start,
		user: row.usename,
		application: row.application_name,
		state: row.state,
		durationSeconds: wholeSeconds(row.duration_seconds),
		query: row.query,
	}));

/** The waiters with whom they wait for (the contract's `blocking`), and every backend of the tree with what is shown of it. */
export function lockTreeFrom(rows: readonly LockTreeRow[]): Pick<PostgresData, 'blocking' | 'sessions'> {
	const blocking: BlockedBackend[] = rows
		.filter(row => row.blocked_by !== null && row.blocked_by.length > 0)
		.sort((a, b) => a.pid - b.pid)
		.map(row => ({
			pid: row.pid,
			backendStart: row.backend_start,
			blockedBy: [...(row.blocked_by ?? [])].sort((a, b) => a - b),
			waitSeconds: wholeSeconds(row.wait_seconds),
			query: row.query,
		}));
	const sessions: LockSession[] = rows
		.map(row => ({
			pid: row.pid,
			backendStart: row.backend_start,
			user: row.usename,
			application: row.application_name,
			state: row.state,
			waitEvent: row.wait_event,
			...(row.transaction_seconds === null ? {} : {transactionSeconds: wholeSeconds(row.transaction_seconds)}),
			query: row.query,
		}))
		.sort((a, b) => a.pid - b.pid);
	return {blocking, sessions};
}
