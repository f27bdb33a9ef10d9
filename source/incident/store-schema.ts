/**
 * The incident store's schema (`warroom` in PostgreSQL): the numbered
 * migrations this build knows, applying them (`warroom db migrate`), and the
 * check every console makes before it uses a store, so a console never
 * writes to a schema it does not know.
 */
import type pg from 'pg';
import {UsageError} from '../errors';
import {storeLongTimeouts} from '../sources/postgres/connection';
import storeAccessQuery from './store-access.sql';
import journal from './store-migrations/001-journal.sql';

/** In order; a migration is never edited once released, only followed by another. */
export const migrations: ReadonlyArray<{version: number; sql: string}> = [{version: 1, sql: journal}];

export const knownVersion = migrations.at(-1)!.version;

/** A store this console cannot use as it is: exit 2 with the line saying what to do. */
export class StoreSchemaMismatch extends UsageError {
	override name = 'StoreSchemaMismatch';
}

type Queryable = Pick<pg.ClientBase, 'query'>;

/** The store's schema version; 0 when it has no warroom schema. */
export async function schemaVersion(client: Queryable): Promise<number> {
	// Two statements: the server resolves a table's name even in a branch not taken.
	const {rows} = await client.query<{exists: boolean}>("SELECT to_regclass('warroom.schema_migrations') IS NOT NULL AS exists");
	if (!rows[0]?.exists) return 0;
	const {rows: versions} = await client.query<{version: number}>(
		'SELECT coalesce(max(version), 0) AS version FROM warroom.schema_migrations',
	);
	return versions[0]?.version ?? 0;
}

/**
 * A store's schema version against the one this build knows: fine, or what
 * is wrong (none, older, newer) and the one fix for it. Pure: the console's
 * refusal and doctor's finding say the same.
 */
export function schemaVerdict(version: number, known: number): {ok: true} | {problem: string; fix: string} {
	if (version === known) return {ok: true};
	if (version === 0) return {problem: 'no warroom schema', fix: 'run warroom db migrate'};
	return version > known
		? {problem: `schema version ${version}; this warroom knows up to ${known}`, fix: 'upgrade warroom'}
		: {problem: `schema version ${version}; this warroom needs ${known}`, fix: 'run warroom db migrate'};
}

/** Throws StoreSchemaMismatch unless the store's schema is the one this build knows. */
export async function checkSchema(client: Queryable, where: string): Promise<void> {
	const verdict = schemaVerdict(await schemaVersion(client), knownVersion);
	if ('problem' in verdict)
		throw new StoreSchemaMismatch(`the incident store at ${where} has ${verdict.problem}: ${verdict.fix}`);
}

/** Who the console signs in as, and what it lacks to write (undefined: it may): store-access.sql. */
export async function storeAccess(client: Queryable): Promise<{role: string; roleIdent: string; cannotWrite?: string}> {
	const {rows} = await client.query<{role: string; role_ident: string; cannot_write: string | null}>(storeAccessQuery);
	const {role, role_ident: roleIdent, cannot_write: cannotWrite} = rows[0]!;
	return {role, roleIdent, ...(cannotWrite === null ? {} : {cannotWrite})};
}

/** A statement of the store's long work (db migrate, an import): pg's own QueryConfig type lacks the per-query timeout it honours. */
type LongQuery = pg.QueryConfig & {query_timeout: number};

/** The client waits for a long statement as long as the server may take over it, and a little more, so the server's reason comes first. */
export const longQuery = (text: string, values?: unknown[]): LongQuery => ({
	text,
	...(values === undefined ? {} : {values}),
	query_timeout: storeLongTimeouts.queryMs,
});

/** The server's timeouts for the long work: `SESSION` for db migrate's connection of its own, `LOCAL` for an import's transaction on a pooled one. */
export const longTimeouts = (scope: 'SESSION' | 'LOCAL') =>
	`SET ${scope} lock_timeout = ${storeLongTimeouts.lockMs}; SET ${scope} statement_timeout = ${storeLongTimeouts.statementMs}`;

/** Holds `warroom db migrate` on one host at a time. */
const migrateLock = "hashtext('warroom.schema_migrations')";

/**
 * Applies the migrations the store lacks, each in its own transaction, under
 * a session advisory lock: two hosts migrating at once apply each one once.
 * Returns the version reached and how many were applied now.
 */
export async function migrateStore(client: Queryable, where: string): Promise<{version: number; applied: number}> {
	// Another host's migration may hold the lock a while: wait for it, not for ever.
	await client.query(longTimeouts('SESSION'));
	await client.query(longQuery(`SELECT pg_advisory_lock(${migrateLock})`));
	try {
		await client.query(
			longQuery(`CREATE SCHEMA IF NOT EXISTS warroom;
			CREATE TABLE IF NOT EXISTS warroom.schema_migrations (
				version int PRIMARY KEY,
				applied_at timestamptz NOT NULL DEFAULT now(),
				applied_by text NOT NULL DEFAULT current_user
			)`),
		);
		const from = await schemaVersion(client);
		if (from > knownVersion) await checkSchema(client, where);
		const pending = migrations.filter(migration => migration.version > from);
		for (const {version, sql} of pending) {
			await client.query('BEGIN');
			try {
				await client.query(longQuery(sql));
				await client.query(longQuery('INSERT INTO warroom.schema_migrations (version) VALUES ($1)', [version]));
				await client.query('COMMIT');
			} catch (error) {
				await client.query('ROLLBACK').catch(() => undefined);
				throw new Error(`migration ${version} failed: ${(error as Error).message}`, {cause: error});
			}
		}
		return {version: knownVersion, applied: pending.length};
	} finally {
		await client.query(`SELECT pg_advisory_unlock(${migrateLock})`).catch(() => undefined);
	}
}
