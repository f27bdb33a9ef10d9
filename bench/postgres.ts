/**
 * (d) What one refresh of the Database panel costs the database: a real
 * PostgreSQL server (the tests' harness) with pg_stat_statements preloaded
 * and 500 client connections, 50 of them waiting in lock chains. Warroom's
 * collector and pg_activity (in a pseudo-terminal) refresh side by side, so
 * that both meet the same load on shared cores, each signed in as a role of
 * its own (both with pg_monitor): pg_stat_statements tells their statements
 * apart by user. Database time is execution plus planning time; pg_activity's
 * refreshes are counted by the calls of its server-information statement,
 * which it runs once a refresh.
 */
import {spawnSync} from 'node:child_process';
import {register} from 'node:module';
import pg from 'pg';
import * as pty from 'node-pty';
import {holdRow, roles, startPostgres, waitBehind, type PostgresServer} from '../test/helpers/postgres-server';
import {max, median, sleep, table} from './harness';

// The collector imports its SQL as text, as the build does.
register('./sql-as-text.mjs', import.meta.url);
const {postgresCollector} = await import('../source/sources/postgres/collector');

export const postgresTargets = {ratioToPgActivity: 0.5, refreshMs: 50};

/** The load: 500 client connections. */
const load = {rowChains: 9, waitersPerChain: 5, ddlReaders: 4, running: 20, idleInTransaction: 20, connections: 500};
const tools = {
	warroom: {name: 'bench_warroom', password: 'warroom-bench-pw'},
	pgActivity: {name: 'bench_pg_activity', password: 'pg-activity-bench-pw'},
};

export type StatementCost = {query: string; calls: number; execMs: number; planMs: number};
export type ToolCost = {refreshes: number; msPerRefresh: number; statements: StatementCost[]};
/** Warroom and pg_activity (when installed) refreshing side by side, so that both meet the same load on the 2 cores. */
type Phase = {warroom: ToolCost; pgActivity?: ToolCost};
export type PostgresResult = {
	connections: number;
	waiting: number;
	/** One a pg_activity view: running queries (the target's), then blocking queries. */
	phases: Array<Phase & {view: string}>;
	/** Each warroom refresh's collect(), over all phases. */
	wallMs: number[];
	/** Warroom's cost a refresh over pg_activity's default view's, measured side by side. */
	ratio?: number;
	ok: {ratio?: boolean; refresh: boolean};
};

const admin = (server: PostgresServer) =>
	new pg.Client({
		host: '127.0.0.1',
		port: server.port,
		user: roles.admin.name,
		password: roles.admin.password,
		database: 'shop',
	});

async function prepare(database: pg.Client): Promise<void> {
	await database.query('CREATE EXTENSION pg_stat_statements').catch((error: Error) => {
		throw new Error(`bench: ${error.message}: PostgreSQL's contrib extensions are missing (Debian: postgresql-15)`);
	});
	for (const tool of Object.values(tools))
		await database.query(`CREATE ROLE ${tool.name} LOGIN PASSWORD '${tool.password}' IN ROLE pg_monitor`);
	await database.query('CREATE TABLE orders (id int PRIMARY KEY)');
	await database.query(`ALTER TABLE orders OWNER TO ${roles.app.name}`);
}

/** 500 sessions of the shop application: lock chains on rows and behind an ALTER TABLE, long queries, open transactions, the rest idle. */
async function makeLoad(server: PostgresServer): Promise<number> {
	let opened = 0;
	for (let id = 1; id <= load.rowChains; id++) {
		await holdRow(server, `holder-${id}`, id);
		for (let waiter = 1; waiter <= load.waitersPerChain; waiter++)
			await waitBehind(server, `waiter-${id}-${waiter}`, `UPDATE accounts SET balance = balance - 1 WHERE id = ${id}`);
		opened += 1 + load.waitersPerChain;
	}
	const reader = await server.session('app', 'report');
	await reader.query('BEGIN');
	await reader.query('SELECT count(*) FROM orders');
	await waitBehind(server, 'migration', 'ALTER TABLE orders ADD COLUMN note text');
	for (let waiter = 1; waiter <= load.ddlReaders; waiter++)
		await waitBehind(server, `orders-reader-${waiter}`, 'SELECT count(*) FROM orders');
	opened += 2 + load.ddlReaders;
	const batch = async (count: number, start: (index: number) => Promise<void>) => {
		for (let first = 0; first < count; first += 25)
			await Promise.all(Array.from({length: Math.min(25, count - first)}, (_, index) => start(first + index)));
		opened += count;
	};
	await batch(load.running, async index => {
		const session = await server.session('app', `long-${index}`);
		void session.query('SELECT pg_sleep(3600)').catch(() => undefined);
	});
	await batch(load.idleInTransaction, async index => {
		const session = await server.session('app', `open-${index}`);
		await session.query('BEGIN');
		await session.query('SELECT 1');
	});
	await batch(load.connections - opened, async index => {
		await server.session('app', `idle-${index}`);
	});
	return opened;
}

async function statementsOf(database: pg.Client, role: string): Promise<StatementCost[]> {
	const {rows} = await database.query<{query: string; calls: string; exec_ms: number; plan_ms: number}>(
		`SELECT s.query, s.calls, s.total_exec_time AS exec_ms, s.total_plan_time AS plan_ms
		FROM pg_stat_statements AS s JOIN pg_roles AS r ON r.oid = s.userid
		WHERE r.rolname = $1 ORDER BY s.total_exec_time + s.total_plan_time DESC`,
		[role],
	);
	return rows.map(row => ({query: row.query, calls: Number(row.calls), execMs: row.exec_ms, planMs: row.plan_ms}));
}

const sum = (statements: StatementCost[], time: 'execMs' | 'planMs') =>
	statements.reduce((total, statement) => total + statement[time], 0);
const databaseMs = (statements: StatementCost[]) => sum(statements, 'execMs') + sum(statements, 'planMs');

const costOf = (statements: StatementCost[], refreshes: number): ToolCost => ({
	refreshes,
	msPerRefresh: databaseMs(statements) / refreshes,
	statements,
});

/** Both refresh every half a second; warroom's refreshes are also timed. */
const refreshEveryMs = 500;

type Warroom = {refresh(): Promise<void>; wallMs: number[]};

async function startWarroom(server: PostgresServer): Promise<Warroom> {
	const {name, password} = tools.warroom;
	const url = `postgres://${name}:${password}@127.0.0.1:${server.port}/shop`;
	// The default threshold is 5 minutes; 1 s lists the waiters and sleepers as long-running too.
	const collector = postgresCollector({url, longQueryMs: 1000});
	const signal = new AbortController().signal;
	// The first readings connect and read the sizes, which come once a minute, never every refresh.
	for (let warmUp = 0; warmUp < 3; warmUp++) {
		const data = await collector.collect(signal);
		if (data.blocking.length !== load.rowChains * load.waitersPerChain + 1 + load.ddlReaders)
			throw new Error(`bench: warroom read ${data.blocking.length} waiting backends, not the 50 made`);
	}
	const wallMs: number[] = [];
	return {
		wallMs,
		async refresh() {
			const started = performance.now();
			await collector.collect(signal);
			wallMs.push(performance.now() - started);
		},
	};
}

/** What identifies pg_activity's statements: the server figures it reads once a refresh, its blocking view's. */
const refreshStatement = 'dbinfo AS';
const blockingStatement = 'pg_locks AS blocking';

/** Resolves once pg_activity has run the statement that contains `text`. */
async function ranStatement(database: pg.Client, text: string): Promise<void> {
	const deadline = performance.now() + 20_000;
	while (!(await statementsOf(database, tools.pgActivity.name)).some(statement => statement.query.includes(text))) {
		if (performance.now() > deadline)
			throw new Error(`bench: pg_activity did not run its ${JSON.stringify(text)} statement within 20 s`);
		await sleep(100);
	}
}

const pgActivityInstalled = () => spawnSync('pg_activity', ['--version']).status === 0;

/** pg_activity in a terminal, refreshing every 0.5 s, in the view `key` selects (none: running queries), while `during` runs. */
async function withPgActivity<T>(
	server: PostgresServer,
	database: pg.Client,
	key: string | undefined,
	during: () => Promise<T>,
): Promise<T> {
	const {name, password} = tools.pgActivity;
	const child = pty.spawn(
		'pg_activity',
		['--refresh', String(refreshEveryMs / 1000), `host=127.0.0.1 port=${server.port} user=${name} dbname=shop`],
		{name: 'xterm-256color', cols: 160, rows: 50, env: {...process.env, PGPASSWORD: password, TERM: 'xterm-256color'}},
	);
	let screen = '';
	child.onData(data => {
		screen = (screen + data).slice(-2000);
	});
	const exited = new Promise<void>(resolve => child.onExit(() => resolve()));
	try {
		// Its start-up statements (version, superuser, data directory) are not a refresh: measured from a refresh of the view on.
		await database.query('SELECT pg_stat_statements_reset()');
		await ranStatement(database, refreshStatement);
		if (key) {
			child.write(key);
			await ranStatement(database, blockingStatement);
		}
		return await during();
	} catch (error) {
		throw new Error(`${(error as Error).message}; pg_activity's last output: ${JSON.stringify(screen)}`, {cause: error});
	} finally {
		child.write('q');
		const hard = setTimeout(() => child.kill('SIGKILL'), 2000);
		await exited;
		clearTimeout(hard);
	}
}

/** Warroom refreshing for `seconds` (with pg_activity when it runs): what each refresh cost the database. */
async function phase(database: pg.Client, warroom: Warroom, seconds: number, pgActivityRuns: boolean): Promise<Phase> {
	await database.query('SELECT pg_stat_statements_reset()');
	const end = performance.now() + seconds * 1000;
	let refreshes = 0;
	while (performance.now() < end) {
		const started = performance.now();
		await warroom.refresh();
		refreshes++;
		await sleep(refreshEveryMs - (performance.now() - started));
	}
	const warroomCost = costOf(await statementsOf(database, tools.warroom.name), refreshes);
	if (!pgActivityRuns) return {warroom: warroomCost};
	const statements = await statementsOf(database, tools.pgActivity.name);
	// pg_activity reads the server's figures once a refresh.
	const pgActivityRefreshes = statements.find(statement => statement.query.includes(refreshStatement))?.calls ?? 0;
	if (pgActivityRefreshes === 0) throw new Error('bench: pg_activity made no refresh');
	return {warroom: warroomCost, pgActivity: costOf(statements, pgActivityRefreshes)};
}

export async function measurePostgres(options: {seconds: number}): Promise<PostgresResult> {
	const server = await startPostgres({
		settings: {
			max_connections: load.connections + 60,
			shared_preload_libraries: "'pg_stat_statements'",
			'pg_stat_statements.track_planning': 'on',
		},
	});
	const database = admin(server);
	try {
		await database.connect();
		await prepare(database);
		const connections = await makeLoad(server);
		const waiting = (await server.waitingPids()).length;
		const warroom = await startWarroom(server);
		const phases: PostgresResult['phases'] = [];
		if (pgActivityInstalled()) {
			// The target's view twice as long: the 2 cores are shared, and a longer sum is a steadier one.
			for (const [view, key, seconds] of [
				['running queries (its default view)', undefined, 2 * options.seconds],
				['blocking queries (view 3)', '3', options.seconds],
			] as const)
				phases.push({view, ...(await withPgActivity(server, database, key, () => phase(database, warroom, seconds, true)))});
		} else {
			phases.push({view: 'pg_activity is not installed', ...(await phase(database, warroom, options.seconds, false))});
		}
		const first = phases[0]!;
		const ratio = first.pgActivity && first.warroom.msPerRefresh / first.pgActivity.msPerRefresh;
		return {
			connections,
			waiting,
			phases,
			wallMs: warroom.wallMs,
			...(ratio === undefined ? {} : {ratio}),
			ok: {
				...(ratio === undefined ? {} : {ratio: ratio <= postgresTargets.ratioToPgActivity}),
				refresh: median(warroom.wallMs) <= postgresTargets.refreshMs,
			},
		};
	} finally {
		await database.end().catch(() => undefined);
		await server.close();
	}
}

/** A statement on one line, its comments left out, cut to `width`. */
const oneLine = (query: string, width = 60) => {
	const line = query
		.replace(/--[^\n]*/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return line.length > width ? `${line.slice(0, width - 1)}…` : line;
};

const ms = (value: number) => `${value.toFixed(2)} ms`;
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

/** The figures with their targets, then where each tool's database time goes, statement by statement. */
export function postgresReport(result: PostgresResult): string {
	const ratioHeading = `warroom / pg_activity (target ≤ ${postgresTargets.ratioToPgActivity})`;
	const rows = result.phases.flatMap(({view, warroom, pgActivity}) => [
		...(pgActivity ? [[`pg_activity, ${view}`, pgActivity] as const] : []),
		[`warroom, refreshing meanwhile`, warroom] as const,
	]);
	const lines = [
		`database time a refresh (pg_stat_statements: execution + planning), ${result.connections} connections, ${result.waiting} waiting on locks`,
		table([
			['', 'refreshes', 'execution', 'planning', 'both', ratioHeading],
			...rows.map(([name, cost]) => {
				const phase = result.phases.find(candidate => candidate.warroom === cost);
				return [
					name,
					String(cost.refreshes),
					ms(sum(cost.statements, 'execMs') / cost.refreshes),
					ms(sum(cost.statements, 'planMs') / cost.refreshes),
					ms(cost.msPerRefresh),
					phase?.pgActivity ? (cost.msPerRefresh / phase.pgActivity.msPerRefresh).toFixed(2) : '',
				];
			}),
		]),
		result.ratio === undefined
			? 'pg_activity is not installed (apt-get install pg-activity): no comparison'
			: `warroom / pg_activity's default view: ${result.ratio.toFixed(2)}× (target ≤ ${postgresTargets.ratioToPgActivity}: ${verdict(result.ok.ratio!)})`,
		`one warroom refresh, wall time of collect(): median ${ms(median(result.wallMs))}, ` +
			`90th percentile ${ms(percentile(result.wallMs, 0.9))}, max ${ms(max(result.wallMs))} ` +
			`(target median ≤ ${postgresTargets.refreshMs} ms: ${verdict(result.ok.refresh)})`,
	];
	for (const [name, cost] of rows) {
		lines.push(`${name}, a refresh by statement:`);
		for (const statement of cost.statements)
			lines.push(
				`  ${ms((statement.execMs + statement.planMs) / cost.refreshes).padStart(9)}  ×${(statement.calls / cost.refreshes).toFixed(1)}  ${oneLine(statement.query)}`,
			);
	}
	return lines.join('\n');
}

const percentile = (values: number[], fraction: number) =>
	[...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * fraction))]!;

const round = (value: number) => Number(value.toFixed(2));
const costJson = (cost: ToolCost | undefined) => cost && {refreshes: cost.refreshes, msPerRefresh: round(cost.msPerRefresh)};

export const postgresJson = (result: PostgresResult) => ({
	connections: result.connections,
	waiting: result.waiting,
	phases: result.phases.map(({view, warroom, pgActivity}) => ({
		view,
		warroom: costJson(warroom),
		pgActivity: costJson(pgActivity),
	})),
	wallMedianMs: round(median(result.wallMs)),
	wallMaxMs: round(max(result.wallMs)),
	...(result.ratio === undefined ? {} : {ratio: round(result.ratio)}),
	targets: postgresTargets,
	ok: result.ok,
});
