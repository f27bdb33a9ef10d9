/**
 * The PostgreSQL source: a small `pg` Pool runs the monitoring queries
 * (queries/*.sql) one after another on one connection every interval, and
 * the database and table sizes on a slow interval. A connection the server
 * drops between readings (a restart) is reported to the pool's `error`
 * handler and replaced by the next reading: without that handler an idle
 * client's error event would end the process.
 */
import type {ClientConfig, Pool, PoolClient, QueryResultRow} from 'pg';
import type {Collector} from '../collector';
import type {Config} from '../../config/types';
import type {DatabaseSizes, PostgresData} from '../types';
import {connectionsFrom, longRunningFrom, lockTreeFrom, type CountRow, type LockTreeRow, type LongRunningRow} from './activity';
import {addressOf, poolOptions, postgresFailure} from './connection';
import {passwordFromFile} from './password-file';
import {queries, type QueryName} from './queries';

export type PostgresConfig = NonNullable<Config['postgres']>;

/** Between the end of one reading and the start of the next. */
const intervalMs = 2000;
/** A reading (five short statements, the sizes now and then) that takes longer is given up on. */
const timeoutMs = 6000;
/** The sizes are read this often, never every reading. */
const sizesEveryMs = 60_000;

type ServerRow = {version: string; in_recovery: boolean; max_connections: number; role: string; reads_all_stats: boolean};

/** pg, and its client reading libpq's password file itself when the URL and PGPASSWORD give no password. */
export async function loadPg() {
	// Loaded on first use, not at start: pg is not needed by a console without a database.
	const {default: pg} = await import('pg');
	class Client extends pg.Client {
		constructor(options?: ClientConfig) {
			super(options);
			// pg's own reading of the file would print a deprecation warning across the screen.
			// pg asks a function for the password when the server wants one; undefined means none.
			const own = this as unknown as {password: string | null | (() => Promise<string | undefined>)};
			if (own.password === null) {
				const target = {host: this.host, port: this.port, database: this.database ?? '', user: this.user ?? ''};
				own.password = () => passwordFromFile(target, process.env);
			}
		}
	}
	return {pg, Client};
}

async function createPool(config: PostgresConfig): Promise<{pool: Pool; where: string}> {
	const {pg, Client} = await loadPg();
	const options = poolOptions(config.url);
	const pool = new pg.Pool({...options, Client});
	// An idle connection the server ends (a restart, a terminate) is an error event on the pool:
	// the pool has already dropped it, and the next reading connects afresh and reports what it finds.
	pool.on('error', () => undefined);
	// A client that never connects: pg resolves the URL, the PG* variables and its defaults for it.
	return {pool, where: addressOf(new pg.Client(options))};
}

/**
 * A monitoring statement, prepared under its name: the server plans it once a
 * connection instead of once a reading (planning was ~0.8 ms of a reading with
 * 500 connections, bench/postgres.ts).
 */
const run = <Row extends QueryResultRow>(client: PoolClient, name: QueryName, values?: unknown[]) =>
	client.query<Row>({name: `warroom-${name}`, text: queries[name], ...(values ? {values} : {})});

async function readSizes(client: PoolClient, now: number): Promise<DatabaseSizes> {
	const database = await client.query<{name: string; bytes: number}>(queries.databaseSize);
	const tables = await client.query<{schema: string; name: string; bytes: number}>(queries.largestTables);
	return {readAt: now, ...(database.rows[0] ? {database: database.rows[0]} : {}), tables: tables.rows};
}

export function postgresCollector(config: PostgresConfig, options: {sizesEveryMs?: number} = {}): Collector<PostgresData> {
	let connection: Promise<{pool: Pool; where: string}> | undefined;
	let sizes: DatabaseSizes | undefined;
	let sizesAttemptedAt = -Infinity;

	/** The sizes when they are due (the last ones otherwise); their failure is theirs, not the reading's. */
	const sizesNow = async (client: PoolClient, where: string) => {
		const now = Date.now();
		if (now - sizesAttemptedAt < (options.sizesEveryMs ?? sizesEveryMs)) return sizes;
		sizesAttemptedAt = now;
		try {
			sizes = await readSizes(client, now);
		} catch (error) {
			sizes = {...(sizes ?? {readAt: now, tables: []}), error: postgresFailure(error, where)};
		}
		return sizes;
	};

	const read = async (client: PoolClient, where: string, signal: AbortSignal): Promise<PostgresData> => {
		const started = performance.now();
		await client.query(queries.ping);
		const roundTripMs = Math.round((performance.now() - started) * 10) / 10;
		signal.throwIfAborted();
		// One transaction: PostgreSQL copies its table of backends for pg_stat_activity once a
		// transaction, not once a statement (~0.5 ms with 500 connections, bench/postgres.ts), and
		// the counts, the long queries and the tree then describe one moment.
		await client.query('BEGIN READ ONLY');
		const server = (await run<ServerRow>(client, 'server')).rows[0]!;
		const counts = await run<CountRow>(client, 'connections');
		const longRunning = await run<LongRunningRow>(client, 'longRunning', [config.longQueryMs / 1000]);
		const lockTree = await run<LockTreeRow>(client, 'lockTree');
		await client.query('COMMIT');
		signal.throwIfAborted();
		const currentSizes = await sizesNow(client, where);
		return {
			...connectionsFrom(counts.rows, server.max_connections),
			longRunning: longRunningFrom(longRunning.rows),
			...lockTreeFrom(lockTree.rows),
			server: {
				version: server.version,
				inRecovery: server.in_recovery,
				roundTripMs,
				role: server.role,
				readsAllStats: server.reads_all_stats,
			},
			...(currentSizes ? {sizes: currentSizes} : {}),
		};
	};

	return {
		source: 'postgres',
		intervalMs,
		timeoutMs,
		async collect(signal) {
			connection ??= createPool(config);
			const {pool, where} = await connection;
			let client: PoolClient | undefined;
			try {
				client = await pool.connect();
				const data = await read(client, where, signal);
				client.release();
				return data;
			} catch (error) {
				// A connection that failed a query may be broken: it is closed, not reused.
				client?.release(true);
				if (signal.aborted) throw error;
				// Not as a cause: pg's error carries the client, its connection parameters and password with it.
				// eslint-disable-next-line preserve-caught-error
				throw new Error(postgresFailure(error, where));
			}
		},
	};
}
