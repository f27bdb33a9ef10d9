/**
 * What doctor asks of the database: that it answers with the connection
 * settings of the Database panel (the URL, else libpq's PG* variables and
 * ~/.pgpass, with the panel's timeouts), and that the console's role has
 * what the panel reads with (pg_read_all_stats, in pg_monitor) and what C
 * and K signal with (pg_signal_backend), naming the GRANT that gives it.
 * The server is named by host, port and database, never a user's password.
 */
import {loadPg, type PostgresConfig} from '../sources/postgres/collector';
import {clientOptions, postgresFailure, serverOf} from '../sources/postgres/connection';
import {doctorQueries} from '../sources/postgres/queries';
import type {Finding} from './finding';

/** The role and its privileges, as queries/privileges.sql reads them. */
export type RolePrivileges = {
	role: string;
	/** The role's name as an identifier in SQL: quoted when it needs it. */
	role_ident: string;
	version: string;
	reads_all_stats: boolean;
	signals_backends: boolean;
};

/** The findings of the privileges read: the panel's missing (exit 1), the keys' a warning. */
export function privilegeFindings(privileges: RolePrivileges): Finding[] {
	const {role, role_ident: ident} = privileges;
	return [
		privileges.reads_all_stats
			? {check: 'database reads', status: 'ok', detail: `role ${role} has pg_read_all_stats`}
			: {
					check: 'database reads',
					status: 'missing',
					detail: `role ${role} lacks pg_read_all_stats: the Database panel cannot see other roles' queries, and C and K refuse their backends`,
					fix: `as a superuser: GRANT pg_monitor TO ${ident};`,
				},
		privileges.signals_backends
			? {check: 'database keys', status: 'ok', detail: `role ${role} has pg_signal_backend (C cancel, K terminate)`}
			: {
					check: 'database keys',
					status: 'warn',
					detail: `role ${role} lacks pg_signal_backend: C and K can signal only backends of its own role`,
					fix: `as a superuser: GRANT pg_signal_backend TO ${ident};`,
				},
	];
}

/** The fix for a database that does not answer: a sign-in refused wants credentials, anything else the server. */
function connectFix(error: unknown, {host, port}: {host: string; port: number}): string {
	const code = (error as {code?: string} | undefined)?.code;
	if (code === '28P01' || code === '28000')
		return 'check the user and password: postgres.url in warroom.yaml, DATABASE_URL, PGPASSWORD or ~/.pgpass';
	return `pg_isready -h ${host} -p ${port}, then check postgres.url in warroom.yaml (or DATABASE_URL)`;
}

export async function postgresFindings(config: PostgresConfig | undefined, env: NodeJS.ProcessEnv): Promise<Finding[]> {
	if (!config)
		return [
			{
				check: 'database',
				status: 'skipped',
				detail: 'no postgres section in warroom.yaml and no DATABASE_URL: the Database panel stays off',
			},
		];
	const server = serverOf(config.url, env);
	const {Client} = await loadPg();
	const client = new Client(clientOptions(config.url));
	let privileges: RolePrivileges;
	const started = performance.now();
	try {
		await client.connect();
		privileges = (await client.query<RolePrivileges>(doctorQueries.privileges)).rows[0]!;
	} catch (error) {
		return [
			{
				check: 'database',
				status: 'missing',
				detail: postgresFailure(error, server).replace(/^postgres: /, ''),
				fix: connectFix(error, client),
			},
		];
	} finally {
		await client.end().catch(() => undefined);
	}
	const tookMs = Math.round(performance.now() - started);
	return [
		{
			check: 'database',
			status: 'ok',
			detail: `${server} answers as ${privileges.role} (PostgreSQL ${privileges.version}, ${tookMs} ms)`,
		},
		...privilegeFindings(privileges),
	];
}
