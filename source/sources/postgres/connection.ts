/**
 * How the console connects to PostgreSQL, and what it says when it cannot.
 * The URL is the config's (or DATABASE_URL, resolved with the settings);
 * without one, `pg` reads libpq's PG* variables and ~/.pgpass itself.
 * Every connection carries its timeouts, so a monitoring query never queues
 * behind a lock or waits on a server that does not answer.
 */
import type {ClientConfig, PoolConfig} from 'pg';

/**
 * What a kind of connection waits for: the server gives up on a statement
 * after `statementMs` (statement_timeout) and on a lock after `lockMs`
 * (lock_timeout); the client gives up on an answer after `queryMs`
 * (query_timeout: a server that hangs). `what` names its queries in errors.
 */
export type Timeouts = {what: string; statementMs: number; lockMs: number; queryMs: number};

/** The monitored database: a reading never queues behind a lock (only the table sizes take any). */
const monitoringTimeouts: Timeouts = {what: 'a monitoring query', statementMs: 2000, lockMs: 500, queryMs: 4000};

/**
 * The incident store: an append waits its turn on the incident's row lock
 * (another console appending), yet gives up on a hung server within a few
 * seconds, before the outbox's own 5 s, so the outbox takes the event.
 */
export const storeTimeouts: Timeouts = {what: 'an incident store query', statementMs: 3500, lockMs: 3000, queryMs: 4000};

/**
 * The incident store's long work, set per statement: `db migrate` waits for
 * another host's migration, and an import writes a whole incident at once.
 */
export const storeLongTimeouts: Timeouts = {
	what: 'an incident store migration or import',
	statementMs: 60_000,
	lockMs: 30_000,
	queryMs: 65_000,
};

/** A connection not made in this time is given up on (pg's default is to wait forever). */
export const connectTimeoutMs = 3000;

function connectionOptions(url: string | undefined, timeouts: Timeouts): ClientConfig {
	return {
		...(url === undefined ? {} : {connectionString: url}),
		application_name: 'warroom',
		statement_timeout: timeouts.statementMs,
		lock_timeout: timeouts.lockMs,
		query_timeout: timeouts.queryMs,
		connectionTimeoutMillis: connectTimeoutMs,
		keepAlive: true,
	};
}

export function poolOptions(url: string | undefined): PoolConfig {
	return {
		...connectionOptions(url, monitoringTimeouts),
		// One reading at a time uses one connection; the second covers a reading abandoned at its timeout.
		max: 2,
		// `snapshot` reads once and exits: an idle connection must not hold the process open.
		allowExitOnIdle: true,
	};
}

/** One connection of its own, with the pool's timeouts: doctor's questions. */
export function clientOptions(url: string | undefined): ClientConfig {
	return connectionOptions(url, monitoringTimeouts);
}

/** A connection to the incident store (the journal's pool and listener, db migrate, doctor's probe), with its own timeouts. */
export function storeOptions(url: string | undefined): ClientConfig {
	return connectionOptions(url, storeTimeouts);
}

/** `host:port` (or the socket) a client connects to, for messages. */
export const addressOf = ({host, port}: {host: string; port: number}) =>
	host.startsWith('/') ? `${host}/.s.PGSQL.${port}` : `${host}:${port}`;

type PgError = {code?: string; message?: string; hostname?: string};

const seconds = (ms: number) => `${ms / 1000}s`;

/** A pool's, then a client's words for a connection not made in time. */
const connectTimedOut = /connection timeout|timeout exceeded when trying to connect|^timeout expired$/i;
/** A query sent whose answer did not come within query_timeout. */
const queryTimedOut = /Query read timeout/i;
const connectionCut = /Connection terminated/i;

/**
 * A failure in words a responder can act on, naming the server (`host:port`)
 * but never the password: the error's own message is quoted only for
 * server errors, which never contain it.
 */
export function postgresFailure(error: unknown, where: string, timeouts: Timeouts = monitoringTimeouts): string {
	const {code, message = String(error), hostname} = (error ?? {}) as PgError;
	switch (code) {
		case '28P01':
		case '28000':
			return `postgres: ${where} refused the sign-in: ${message}`;
		case 'ECONNREFUSED':
			return `postgres: connection refused by ${where}: is the server up?`;
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return `postgres: cannot resolve ${hostname ?? where}: no such host (DNS ${code})`;
		case 'ETIMEDOUT':
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return `postgres: ${where} cannot be reached (${code})`;
		case '57P01':
		case '57P02':
		case '57P03':
			return `postgres: ${where} is shutting down or starting up: ${message}`;
		case '57014':
			return `postgres: ${timeouts.what} ran past the statement timeout (${seconds(timeouts.statementMs)}): the server is slow`;
		case '55P03':
			return `postgres: ${timeouts.what} waited past the lock timeout (${seconds(timeouts.lockMs)})`;
	}
	if (connectTimedOut.test(message)) return `postgres: no answer from ${where} within ${seconds(connectTimeoutMs)}`;
	if (queryTimedOut.test(message)) return `postgres: no answer from ${where} within ${seconds(timeouts.queryMs)}`;
	if (connectionCut.test(message)) return `postgres: the connection to ${where} was cut`;
	return `postgres: ${message}`;
}

/** Codes of a server that could not be reached, or is shutting down or starting up (57P0x); SQLSTATE class 08 too. */
const unreachableCodes = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'57P01',
	'57P02',
	'57P03',
]);
/** A client whose connection failed earlier says so on its next query. */
const notQueryable = /not queryable/i;

/** A failure to reach the server (refused, cut, timed out, shutting down), not a refusal by it: worth trying again later. */
export function isUnreachable(error: unknown): boolean {
	const {code, message = ''} = (error ?? {}) as PgError;
	if (code !== undefined && (unreachableCodes.has(code) || code.startsWith('08'))) return true;
	return [connectTimedOut, queryTimedOut, connectionCut, notQueryable].some(pattern => pattern.test(message));
}

/**
 * The server and database a URL names (else libpq's PG* variables), as a
 * confirmation shows which database it acts on: `host:port/database`, and
 * never a user or a password; a URL that does not parse is named by its
 * `setting` in warroom.yaml.
 */
export function serverOf(url: string | undefined, env: NodeJS.ProcessEnv, setting = 'postgres.url'): string {
	let parsed: URL | undefined;
	try {
		parsed = url === undefined ? undefined : new URL(url);
	} catch {
		return `the database of ${setting}`;
	}
	const host = parsed?.searchParams.get('host') || parsed?.hostname || env.PGHOST || 'localhost';
	const port = parsed?.port || env.PGPORT || '5432';
	const database = decodeURIComponent(parsed?.pathname.slice(1) ?? '') || env.PGDATABASE || 'the database named after the user';
	return `${addressOf({host, port: Number(port)})}/${database}`;
}
