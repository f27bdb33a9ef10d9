/**
 * `warroom doctor`'s probe of a PostgreSQL incident store against a real
 * server: no schema, a current one, an older and a newer one, a role that
 * may write and one that may only read, a role that cannot see the schema,
 * a wrong password, a stopped server and a frozen one. The schema is the
 * least the probe reads (the migrations make the real one).
 */
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {buildDoctorReport, doctorText} from '../../source/doctor/finding';
import {journalFindings, readStore, sharedStoreFindings} from '../../source/doctor/journal-store';
import {postgresStoreProbe} from '../../source/doctor/store-postgres';
import type {JournalLink} from '../../source/incident/journal';
import type * as StoreSchema from '../../source/incident/store-schema';
import {postgresForThisFile, roles, type Role} from '../helpers/postgres-server';

const server = postgresForThisFile();
/** A build that knows two migrations: a store can then be older (1) as well as newer (3) than it. */
const knownVersion = 2;
vi.mock('../../source/incident/store-schema', async importOriginal => ({
	...(await importOriginal<typeof StoreSchema>()),
	knownVersion: 2,
}));

/** As the store's owner: the warroom schema at `version`, the app role may write, the plain role only read. */
async function makeSchema(version: number): Promise<void> {
	const admin = await server.session('admin', 'schema');
	await admin.query('CREATE SCHEMA warroom');
	await admin.query('CREATE TABLE warroom.schema_migrations (version int PRIMARY KEY)');
	await admin.query('INSERT INTO warroom.schema_migrations SELECT generate_series(1, $1::int)', [version]);
	await admin.query('CREATE TABLE warroom.events (incident int, seq int, payload jsonb, PRIMARY KEY (incident, seq))');
	await admin.query(`GRANT USAGE ON SCHEMA warroom TO ${roles.app.name}, ${roles.plain.name}`);
	await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA warroom TO ${roles.app.name}, ${roles.plain.name}`);
	await admin.query(`GRANT INSERT ON warroom.events TO ${roles.app.name}`);
	await admin.query(
		'CREATE FUNCTION warroom.append_event(int, uuid, text, boolean, text, jsonb) RETURNS void LANGUAGE sql AS $$ SELECT $$',
	);
	await admin.query('REVOKE EXECUTE ON FUNCTION warroom.append_event FROM PUBLIC');
	await admin.query(`GRANT EXECUTE ON FUNCTION warroom.append_event TO ${roles.app.name}`);
}

afterEach(async () => {
	const admin = await server.session('admin', 'cleanup');
	await admin.query('DROP SCHEMA IF EXISTS warroom CASCADE');
});

/** What doctor prints for the store, signed in as `role`. */
async function doctorLines(role: Role, options: {password?: string} = {}): Promise<string> {
	const url = server.url(role, options);
	const link: JournalLink = {
		store: 'postgres',
		where: `127.0.0.1:${server.port}/shop`,
		state: 'connecting',
		since: 0,
		waiting: 0,
	};
	const dataDir = await mkdtemp(join(tmpdir(), 'warroom-doctor-store-'));
	try {
		const findings = await journalFindings({...link, store: 'postgres', probe: () => postgresStoreProbe(url, {})}, dataDir);
		return doctorText(buildDoctorReport(findings, 0));
	} finally {
		await rm(dataDir, {recursive: true, force: true});
	}
}

describe('a PostgreSQL incident store', () => {
	it('without the warroom schema: answers, and says to migrate', async () => {
		const text = await doctorLines('app');
		expect(text).toMatch(
			new RegExp(
				`^ok +journal: postgres store at 127\\.0\\.0\\.1:${server.port}/shop answers as shop_app \\(round trip \\d+ ms\\)$`,
				'm',
			),
		);
		expect(text).toContain(
			`MISSING  journal schema: 127.0.0.1:${server.port}/shop has no warroom schema\n         fix: run warroom db migrate`,
		);
		expect(text).not.toContain('journal writes');
		expect(text).toContain('ok       journal outbox: nothing waiting to be sent');
	});

	it('current, as a role that may write: every line ok', async () => {
		await makeSchema(knownVersion);
		const text = await doctorLines('app');
		expect(text).toContain('ok       journal schema: version 2 (current)');
		expect(text).toContain(
			'ok       journal writes: role shop_app may write (INSERT on warroom.events, EXECUTE on warroom.append_event)',
		);
		expect(text).toMatch(/\ndoctor: everything the console needs is here$/);
	});

	it('as a role that may only read: read-only, saying why, with the GRANT', async () => {
		await makeSchema(knownVersion);
		const text = await doctorLines('plain');
		expect(text).toContain(
			[
				'WARN     journal writes: role warroom_plain may only read the incident store (no INSERT on warroom.events): the console runs read-only',
				'         fix: as the store owner: the writers\' grants (README, "A shared store for a team") TO warroom_plain',
			].join('\n'),
		);
	});

	it('as a role that may insert but not run append_event: read-only, as the console itself judges it', async () => {
		await makeSchema(knownVersion);
		await server.asAdmin('shop', [`GRANT INSERT ON warroom.events TO ${roles.plain.name}`]);
		expect(await doctorLines('plain')).toContain(
			'WARN     journal writes: role warroom_plain may only read the incident store (no EXECUTE on warroom.append_event): the console runs read-only',
		);
	});

	it.each([
		[1, 'schema version 1; this warroom needs 2', 'run warroom db migrate'],
		[3, 'schema version 3; this warroom knows up to 2', 'upgrade warroom'],
	])('a schema at version %i: missing, with its fix', async (version, detail, fix) => {
		await makeSchema(version);
		expect(await doctorLines('app')).toContain(
			`MISSING  journal schema: 127.0.0.1:${server.port}/shop has ${detail}\n         fix: ${fix}`,
		);
	});

	it('as a role that cannot see the schema: why the version cannot be read', async () => {
		await makeSchema(knownVersion);
		expect(await doctorLines('monitor')).toContain(
			'MISSING  journal schema: cannot read the schema version: permission denied for schema warroom',
		);
	});

	it('a wrong password: the sign-in refused, the credentials to check, and the password nowhere', async () => {
		const password = 'wrong-\u001b[2J-pw-77e1';
		const text = await doctorLines('app', {password});
		expect(text).toMatch(
			new RegExp(
				`^MISSING  journal: postgres store at 127\\.0\\.0\\.1:${server.port}/shop: 127\\.0\\.0\\.1:${server.port}/shop refused the sign-in: password authentication failed for user "shop_app"$`,
				'm',
			),
		);
		expect(text).toContain('fix: check the user and password: incidents.url in warroom.yaml, or PG* variables and ~/.pgpass');
		expect(text).not.toContain('pw-77e1');
	});

	it('a stopped server: missing, naming host and port, never the password', async () => {
		await server.stop();
		try {
			const text = await doctorLines('app');
			expect(text).toMatch(
				new RegExp(
					`^MISSING  journal: postgres store at 127\\.0\\.0\\.1:${server.port}/shop: connection refused by 127\\.0\\.0\\.1:${server.port}/shop: is the server up\\?$`,
					'm',
				),
			);
			expect(text).toContain('pg_isready');
			expect(text).not.toContain(roles.app.password);
		} finally {
			await server.start();
		}
	});

	it('a frozen server: given up on within the connect timeout, in words', async () => {
		server.freeze();
		const started = Date.now();
		try {
			const reading = await readStore(postgresStoreProbe(server.url('app'), {}));
			expect(reading).toEqual({
				reached: false,
				failure: `no answer from 127.0.0.1:${server.port}/shop within 3s`,
				signInRefused: false,
			});
			expect(Date.now() - started).toBeLessThan(6000);
		} finally {
			server.thaw();
		}
	});

	it('the findings never carry the URL given, password and all', async () => {
		await makeSchema(knownVersion);
		const url = server.url('app');
		const reading = await readStore(postgresStoreProbe(url, {}));
		const link: JournalLink = {store: 'postgres', where: `127.0.0.1:${server.port}/shop`, state: 'live', since: 0, waiting: 0};
		const text = JSON.stringify(
			sharedStoreFindings(link, reading, {
				file: '/srv/warroom/outbox/0a1b2c3d4e5f6789.jsonl',
				waiting: 0,
				problems: [],
				setAside: {file: '/srv/warroom/outbox/0a1b2c3d4e5f6789.refused.jsonl', count: 0},
			}),
		);
		expect(text).not.toContain(roles.app.password);
		expect(reading).toMatchObject({reached: true, role: roles.app.name, schema: {version: knownVersion}, writes: 'ok'});
	});
});
