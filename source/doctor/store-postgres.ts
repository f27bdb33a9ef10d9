/**
 * Doctor's probe of a PostgreSQL incident store: one connection, made as
 * the journal makes its own (the URL, else libpq's PG* variables and
 * ~/.pgpass, with the store's timeouts, so a server that hangs is given up on),
 * asking what queries/store-*.sql ask. Failures name the server by host,
 * port and database, never a user's password.
 */
import type {Client} from 'pg';
import {loadPg} from '../sources/postgres/collector';
import {postgresFailure, serverOf, storeOptions, storeTimeouts} from '../sources/postgres/connection';
import storeAccess from './queries/store-access.sql';
import storeSchemaVersion from './queries/store-schema-version.sql';
import type {StoreProbe} from './journal-store';

type Access = {role: string; role_ident: string; has_schema: boolean; may_insert: boolean};

/** A sign-in refused (bad password, no such role, no such database): the credentials are wrong, the server is fine. */
const signInCodes = new Set(['28P01', '28000', '3D000']);

export function postgresStoreProbe(url: string | undefined, env: NodeJS.ProcessEnv, knownVersion: number): StoreProbe {
	const server = serverOf(url, env);
	let connected: Promise<Client> | undefined;
	let access: Access | undefined;
	const client = () =>
		(connected ??= (async () => {
			const pg = await loadPg();
			const made = new pg.Client(storeOptions(url));
			// A connection the server ends between two questions fails the next one, which says so.
			made.on('error', () => undefined);
			await made.connect();
			return made;
		})());
	const accessOf = () => {
		if (!access) throw new Error('doctor asks who it is (reach) before anything else');
		return access;
	};
	return {
		knownVersion,
		async reach() {
			const connection = await client();
			const started = performance.now();
			access = (await connection.query<Access>(storeAccess)).rows[0]!;
			const roundTripMs = Math.round(performance.now() - started);
			return {role: access.role, roleIdent: access.role_ident, roundTripMs};
		},
		async schemaVersion() {
			if (!accessOf().has_schema) return undefined;
			const {rows} = await (await client()).query<{version: number | null}>(storeSchemaVersion);
			return rows[0]?.version ?? undefined;
		},
		canWrite: async () => accessOf().may_insert,
		explain: error => ({
			failure: postgresFailure(error, server, storeTimeouts).replace(/^postgres: /, ''),
			signInRefused: signInCodes.has((error as {code?: string} | undefined)?.code ?? ''),
		}),
		async close() {
			const made = await connected?.catch(() => undefined);
			await made?.end().catch(() => undefined);
		},
	};
}
