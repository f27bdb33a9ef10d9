/**
 * A real PostgreSQL server for a test file: initdb into a temporary
 * directory, a free port on 127.0.0.1, a socket directory of its own,
 * fsync off (about a second to start). As root the server runs as the
 * `postgres` user, as initdb demands. It makes the roles the tests sign in
 * as and a `shop` database with an `accounts` table to lock rows of, and
 * gives `pg` clients for the sessions a test plays. A server that cannot
 * start fails the suite with the reason; one left by a crashed test is shut
 * down when the test process exits.
 */
import {execFileSync} from 'node:child_process';
import {
	appendFileSync,
	chownSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import pg from 'pg';
import {afterAll, afterEach, beforeAll} from 'vitest';

/**
 * The roles tests sign in as. `monitor` has pg_monitor; `signaller` has
 * pg_monitor and pg_signal_backend; `plain` has no privilege to read other
 * roles' activity.
 */
export const roles = {
	admin: {name: 'postgres', password: 'admin-pw-51c0'},
	monitor: {name: 'warroom_monitor', password: 'monitor-pw-8e2a'},
	signaller: {name: 'warroom_signaller', password: 'signaller-pw-90d1'},
	plain: {name: 'warroom_plain', password: 'plain-pw-3b7d'},
	app: {name: 'shop_app', password: 'app-pw-6f14'},
	/** The incident store's roles: a console that writes, and one that may only read. */
	writer: {name: 'incident_writer', password: 'writer-pw-2c9e'},
	reader: {name: 'incident_reader', password: 'reader-pw-71ad'},
} as const;

/** The database an incident store is set up in (empty until migrated). */
export const incidentsDatabase = 'incidents';

/** What an administrator grants the incident store's roles once `warroom db migrate` made the schema (the README's block). */
export const incidentStoreGrants = [
	`GRANT USAGE ON SCHEMA warroom TO ${roles.writer.name}, ${roles.reader.name}`,
	`GRANT SELECT ON ALL TABLES IN SCHEMA warroom TO ${roles.writer.name}, ${roles.reader.name}`,
	`GRANT INSERT ON warroom.incidents, warroom.events TO ${roles.writer.name}`,
	`GRANT UPDATE (last_seq) ON warroom.incidents TO ${roles.writer.name}`,
	'REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA warroom FROM PUBLIC',
	`GRANT EXECUTE ON FUNCTION warroom.append_event, warroom.declare_incident TO ${roles.writer.name}`,
];

export type Role = keyof typeof roles;

export type PostgresServer = {
	port: number;
	/** A URL signing in as `role` (the monitor by default) to the `shop` database (or `database`); `password` overrides the role's. */
	url(role?: Role, options?: {password?: string; database?: string}): string;
	/** Runs `statements` as the administrator on `database`; the last one's rows. */
	asAdmin(database: string, statements: string[]): Promise<Array<Record<string, unknown>>>;
	/** A connected client of `role` naming itself `application`, closed by `endSessions` or `close`. */
	session(role: Role, application: string): Promise<pg.Client>;
	/** Terminates every session's backend (one may be in pg_sleep, or waiting on a lock) and closes its client. */
	endSessions(): Promise<void>;
	/** The pids waiting on a lock now, lowest first. */
	waitingPids(): Promise<number[]>;
	/** The pid of a connected session. */
	pidOf(client: pg.Client): Promise<number>;
	/** Shuts the server down (`pg_ctl stop -m fast`): clients connected get 57P01. */
	stop(): Promise<void>;
	/** Starts it again after `stop`, on the same port. */
	start(): Promise<void>;
	/** Freezes every server process (SIGSTOP): a server that accepts connections and never answers. */
	freeze(): void;
	/** Undoes `freeze`. */
	thaw(): void;
	/** Stops it and removes its files. */
	close(): Promise<void>;
};

const asRoot = process.getuid?.() === 0;

/** Where Debian puts the server when it is not on PATH. */
function findBinDir(): string {
	for (const dir of (process.env.PATH ?? '').split(':')) if (existsSync(join(dir, 'initdb'))) return dir;
	const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort().reverse() : [];
	for (const version of versions) {
		const dir = join('/usr/lib/postgresql', version, 'bin');
		if (existsSync(join(dir, 'initdb'))) return dir;
	}
	throw new Error(
		'PostgreSQL is not installed: no initdb on PATH nor in /usr/lib/postgresql/*/bin (apt-get install postgresql, as .ci/run does)',
	);
}

/**
 * Runs a server binary, as the postgres user when we are root, under
 * `launcher` when given (`ip netns exec NAME`); its output is in the error
 * when it fails.
 */
function runServerTool(binDir: string, tool: string, args: string[], launcher: readonly string[] = []): void {
	const asUser = asRoot ? ['runuser', '-u', 'postgres', '--', join(binDir, tool), ...args] : [join(binDir, tool), ...args];
	const [file, ...argv] = [...launcher, ...asUser] as [string, ...string[]];
	try {
		execFileSync(file, argv, {stdio: 'pipe', timeout: 30_000});
	} catch (error) {
		const output = error as {stderr?: Buffer; stdout?: Buffer; message: string};
		throw new Error(`PostgreSQL test server: ${tool} failed: ${String(output.stderr ?? '') || output.message}`, {
			cause: error,
		});
	}
}

/** initdb refuses to run as root: the server runs as the postgres user the package made. */
function postgresUser(): {uid: number; gid: number} {
	try {
		const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], {encoding: 'utf8', stdio: 'pipe'}).trim());
		return {uid: id('-u'), gid: id('-g')};
	} catch (error) {
		throw new Error(
			'PostgreSQL test server: running as root needs a postgres user to run the server as (apt-get install postgresql makes it)',
			{
				cause: error,
			},
		);
	}
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as {port: number};
			server.close(() => resolve(port));
		});
	});
}

const setupSql = [
	`CREATE ROLE ${roles.monitor.name} LOGIN PASSWORD '${roles.monitor.password}' IN ROLE pg_monitor`,
	`CREATE ROLE ${roles.signaller.name} LOGIN PASSWORD '${roles.signaller.password}' IN ROLE pg_monitor, pg_signal_backend`,
	`CREATE ROLE ${roles.plain.name} LOGIN PASSWORD '${roles.plain.password}'`,
	`CREATE ROLE ${roles.app.name} LOGIN PASSWORD '${roles.app.password}'`,
	`CREATE ROLE ${roles.writer.name} LOGIN PASSWORD '${roles.writer.password}'`,
	`CREATE ROLE ${roles.reader.name} LOGIN PASSWORD '${roles.reader.password}'`,
	'CREATE DATABASE shop',
	`CREATE DATABASE ${incidentsDatabase}`,
];
const shopSql = [
	'CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL)',
	'INSERT INTO accounts SELECT id, 100 FROM generate_series(1, 10) AS id',
	`GRANT ALL ON accounts TO ${roles.app.name}`,
];

export type PostgresServerOptions = {
	/** Added to the server's settings (postgresql.conf syntax: strings quoted), e.g. the benchmark's max_connections. */
	settings?: Record<string, string | number>;
	/**
	 * A network namespace to run the server in (test/helpers/netns.ts), listening
	 * on `address` there: `url` names that address, for clients on that
	 * network; the test process itself reaches the server through its socket.
	 */
	namespace?: {launcher: readonly string[]; address: string};
};

export async function startPostgres(options: PostgresServerOptions = {}): Promise<PostgresServer> {
	const binDir = findBinDir();
	const dir = mkdtempSync(join(tmpdir(), 'warroom-pg-'));
	const data = join(dir, 'data');
	const socketDir = join(dir, 'socket');
	mkdirSync(socketDir);
	const passwordFile = join(dir, 'password');
	writeFileSync(passwordFile, roles.admin.password);
	if (asRoot) {
		const {uid, gid} = postgresUser();
		for (const path of [dir, socketDir, passwordFile]) chownSync(path, uid, gid);
	}
	// Free here, and in a namespace of its own every port is.
	const port = await freePort();
	const launcher = options.namespace?.launcher ?? [];
	const host = options.namespace?.address ?? '127.0.0.1';
	// A socket is a path, reached from every namespace: how the test process signs in as administrator there.
	const testHost = options.namespace ? socketDir : host;
	runServerTool(binDir, 'initdb', [
		'-D',
		data,
		'-U',
		roles.admin.name,
		'--pwfile',
		passwordFile,
		'--auth-local=trust',
		'--auth-host=scram-sha-256',
		'--no-sync',
		'-E',
		'UTF8',
		'--locale=C',
	]);
	const settings = {
		port,
		listen_addresses: `'${host}'`,
		unix_socket_directories: `'${socketDir}'`,
		fsync: 'off',
		synchronous_commit: 'off',
		full_page_writes: 'off',
		max_connections: 60,
		deadlock_timeout: "'10s'",
		...options.settings,
	};
	writeFileSync(
		join(data, 'postgresql.auto.conf'),
		Object.entries(settings)
			.map(([name, value]) => `${name} = ${value}\n`)
			.join(''),
	);

	// initdb lets password sign-ins in from 127.0.0.1 only: a namespace's clients come from its subnet.
	if (options.namespace) appendFileSync(join(data, 'pg_hba.conf'), 'host all all samenet scram-sha-256\n');
	const log = join(dir, 'server.log');
	let running = false;
	const start = async () => {
		try {
			runServerTool(binDir, 'pg_ctl', ['-D', data, '-l', log, '-w', '-t', '30', 'start'], launcher);
		} catch (error) {
			const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-10).join('\n') : '';
			throw new Error(`${(error as Error).message}\n${tail}`, {cause: error});
		}
		running = true;
	};
	const stop = async () => {
		if (!running) return;
		// A signal to the pid in its data directory: stopping needs no namespace (and works once it is gone).
		runServerTool(binDir, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
		running = false;
	};
	/** The postmaster and its children, for signals. */
	const serverPids = () => {
		const postmaster = readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]!;
		const children = execFileSync('pgrep', ['-P', postmaster], {encoding: 'utf8'}).split('\n').filter(Boolean);
		return [postmaster, ...children].map(Number);
	};
	// A test process that dies leaves no server behind.
	const shutDownOnExit = () => {
		if (!running) return;
		try {
			process.kill(Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]), 'SIGQUIT');
		} catch {
			// Already gone.
		}
	};
	process.once('exit', shutDownOnExit);

	const url = (role: Role = 'monitor', options: {password?: string; database?: string} = {}) =>
		`postgres://${roles[role].name}:${encodeURIComponent(options.password ?? roles[role].password)}@${host}:${port}/${options.database ?? 'shop'}`;
	const adminOn = async (database: string, statements: string[]) => {
		const client = new pg.Client({...adminConfig(testHost, port), database});
		await client.connect();
		let rows: Array<Record<string, unknown>> = [];
		try {
			for (const statement of statements) rows = (await client.query(statement)).rows as Array<Record<string, unknown>>;
		} finally {
			await client.end();
		}
		return rows;
	};
	try {
		await start();
		await adminOn('postgres', setupSql);
		await adminOn('shop', shopSql);
	} catch (error) {
		// A server that did not come up whole is not left behind, nor are its files.
		shutDownOnExit();
		process.removeListener('exit', shutDownOnExit);
		rmSync(dir, {recursive: true, force: true});
		throw error;
	}

	const sessions = new Map<pg.Client, number>();
	const endSessions = async () => {
		const open = [...sessions];
		sessions.clear();
		if (open.length === 0) return;
		const admin = new pg.Client(adminConfig(testHost, port));
		await admin.connect();
		await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [open.map(([, pid]) => pid)]);
		await admin.end();
		await Promise.all(open.map(([client]) => client.end().catch(() => undefined)));
	};
	const pidOf = async (client: pg.Client) => (await client.query<{pid: number}>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
	return {
		port,
		url,
		asAdmin: adminOn,
		async session(role, application) {
			const {name: user, password} = roles[role];
			const client = new pg.Client({host: testHost, port, user, password, database: 'shop', application_name: application});
			// A session a test terminates reports it here; the test checks what it needs through its queries.
			client.on('error', () => undefined);
			await client.connect();
			sessions.set(client, await pidOf(client));
			return client;
		},
		endSessions,
		async waitingPids() {
			const admin = new pg.Client({...adminConfig(testHost, port), database: 'shop'});
			await admin.connect();
			const {rows} = await admin.query<{pid: number}>('SELECT DISTINCT pid FROM pg_locks WHERE NOT granted ORDER BY pid');
			await admin.end();
			return rows.map(row => row.pid);
		},
		pidOf: async client => sessions.get(client) ?? pidOf(client),
		stop,
		start,
		freeze: () => signalEach(serverPids(), 'SIGSTOP'),
		thaw: () => signalEach(serverPids(), 'SIGCONT'),
		async close() {
			await endSessions();
			await stop();
			process.removeListener('exit', shutDownOnExit);
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

/**
 * One server for the test file that calls this: started before its first
 * test, its sessions ended after each test, removed after the last.
 */
export function postgresForThisFile(): PostgresServer {
	let server: PostgresServer | undefined;
	beforeAll(async () => {
		server = await startPostgres();
	});
	afterEach(async () => {
		await server?.endSessions();
	});
	afterAll(async () => {
		await server?.close();
	});
	const started = () => {
		if (!server) throw new Error('the PostgreSQL test server starts in beforeAll: use it inside a test');
		return server;
	};
	return new Proxy({} as PostgresServer, {get: (_target, name) => started()[name as keyof PostgresServer]});
}

/**
 * An incident store in `database` as an administrator sets one up: the
 * schema (`warroom db migrate`'s migrations), then the README's grants.
 */
export async function prepareIncidentStore(server: PostgresServer, database = incidentsDatabase): Promise<void> {
	// Imported when called: a bench registers its loader of the schema's .sql files after importing this file.
	const {migrateStore} = await import('../../source/incident/store-schema');
	const admin = new pg.Client({connectionString: server.url('admin', {database})});
	await admin.connect();
	try {
		await migrateStore(admin, database);
		for (const grant of incidentStoreGrants) await admin.query(grant);
	} finally {
		await admin.end();
	}
}

/** A session of the shop application that updated row `id` in a transaction and left it open: it holds the row. */
export async function holdRow(server: PostgresServer, application: string, id = 1): Promise<number> {
	const session = await server.session('app', application);
	await session.query('BEGIN');
	await session.query('UPDATE accounts SET balance = balance + 1 WHERE id = $1', [id]);
	return server.pidOf(session);
}

/** The statement the sessions queued on row 1 run. */
export const updateRow = 'UPDATE accounts SET balance = balance - 1 WHERE id = 1';

/** A session that starts `sql` and is waiting on a lock when this returns (its statement left running); its pid. */
export async function waitBehind(server: PostgresServer, application: string, sql: string, role: Role = 'app'): Promise<number> {
	const session = await server.session(role, application);
	const pid = await server.pidOf(session);
	void session.query(sql).catch(() => undefined);
	const deadline = Date.now() + 5000;
	while (!(await server.waitingPids()).includes(pid)) {
		if (Date.now() > deadline) throw new Error(`session ${application} (${pid}) did not start waiting on a lock: ${sql}`);
		await new Promise(resolve => setTimeout(resolve, 20));
	}
	return pid;
}

/**
 * Signals every process listed; one gone since it was listed (a backend
 * ending, reaped by the postmaster as soon as it runs again) is skipped, so
 * that a thaw never stops halfway and leaves the rest of the server frozen.
 */
function signalEach(pids: number[], signal: NodeJS.Signals): void {
	for (const pid of pids) {
		try {
			process.kill(pid, signal);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
		}
	}
}

const adminConfig = (host: string, port: number) => ({
	host,
	port,
	user: roles.admin.name,
	password: roles.admin.password,
});
