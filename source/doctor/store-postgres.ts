/**
 * Doctor's probe of a PostgreSQL incident store: one connection, made as
 * the journal makes its own (the URL, else libpq's PG* variables and
 * ~/.pgpass, with the store's timeouts, so a server that hangs is given up on),
 * asking what the console asks before it writes (store-schema.ts). Failures name the server by host,
 * port and database, never a user's password.
 */
import type {Client} from 'pg';
import {loadPg} from '../sources/postgres/collector';
import {postgresFailure, serverOf, storeOptions, storeTimeouts} from '../sources/postgres/connection';
import {knownVersion, schemaVersion, storeAccess} from '../incident/store-schema';
import type {StoreProbe} from './journal-store';

/** A sign-in refused (bad password, no such role, no such database): the credentials are wrong, the server is fine. */
const signInCodes = new Set(['28P01', '28000', '3D000']);

export function postgresStoreProbe(url: string | undefined, env: NodeJS.ProcessEnv): StoreProbe {
	const server = serverOf(url, env, 'incidents.url');
	let connected: Promise<Client> | undefined;
	let access: Awaited<ReturnType<typeof storeAccess>> | undefined;
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
			access = await storeAccess(connection);
			const roundTripMs = Math.round(performance.now() - started);
			return {role: access.role, roleIdent: access.roleIdent, roundTripMs};
		},
		schemaVersion: async () => schemaVersion(await client()),
		cannotWrite: async () => accessOf().cannotWrite,
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
