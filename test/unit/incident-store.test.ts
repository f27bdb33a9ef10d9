/**
 * Choosing the incident store (incidents.store, url), masking its password,
 * and the PostgreSQL journal's pure parts: what counts as an unreachable
 * store, and how a stored row becomes an event.
 */
import {describe, expect, it, vi} from 'vitest';
import {parseConfig} from '../../source/config/load';
import {withIncidentStoreSecrets} from '../../source/config/settings';
import {createRedactor} from '../../source/config/secrets';
import {emptyConfig, type Config} from '../../source/config/types';
import {ConfigError, UsageError} from '../../source/errors';
import {FileJournal} from '../../source/incident/file-journal';
import {openJournal} from '../../source/incident/open-journal';
import {eventOfRow, notifiedChange} from '../../source/incident/postgres-journal';
import {isUnreachable} from '../../source/sources/postgres/connection';
import {dbCommand} from '../../source/cli/db-command';
import {messageThrown} from '../helpers/errors';

const parse = (text: string, env: Record<string, string> = {}) =>
	parseConfig(text, 'warroom.yaml', {baseDir: '/srv/warroom', env});

const postgresStore = (url?: string): Config => ({
	...emptyConfig,
	incidents: {store: 'postgres', ...(url === undefined ? {} : {url})},
});

describe('incidents.store in warroom.yaml', () => {
	it('reads the store and its url, from the environment', () => {
		const config = parse('incidents: {store: postgres, url: "${WARROOM_DB_URL}"}\n', {
			WARROOM_DB_URL: 'postgres://ops:pw-9d1c@db:5433/incidents',
		});
		expect(config.incidents).toEqual({store: 'postgres', url: 'postgres://ops:pw-9d1c@db:5433/incidents'});
		expect(createRedactor(config.secrets)('pw-9d1c')).toBe('•••');
	});

	it.each([
		['incidents: {store: mysql}\n', 'warroom.yaml: incidents.store: expected one of file, postgres, got "mysql"'],
		['incidents: {url: "postgres://db/x"}\n', 'warroom.yaml: incidents.url: a url is for store: postgres (the store is file)'],
		['incidents: {store: postgres, url: 5}\n', 'warroom.yaml: incidents.url: expected a string, got 5'],
	])('%j: %s', (text, message) => {
		expect(messageThrown(() => parse(text), ConfigError)).toBe(message);
	});

	it("masks a url's password written in the file, and PGPASSWORD, for a postgres store only", () => {
		const withUrl = withIncidentStoreSecrets(postgresStore('postgres://ops:s3cr%40t-77@db/incidents'), {
			PGPASSWORD: 'pg-pass-77',
		});
		expect(createRedactor(withUrl.secrets)('s3cr@t-77, s3cr%40t-77, pg-pass-77')).toBe('•••, •••, •••');
		expect(withIncidentStoreSecrets(emptyConfig, {PGPASSWORD: 'pg-pass-77'}).secrets).toEqual([]);
	});
});

describe('openJournal', () => {
	const settings = (config: Config) => ({
		config,
		dataDir: '/nonexistent/data',
		actor: 'bob@bastion',
		redact: (text: string) => text,
	});

	it('a drill keeps its own file journal, even when the incidents are in PostgreSQL', async () => {
		const journal = await openJournal(settings(postgresStore('postgres://127.0.0.1:1/none')), {drill: 'api-gateway-outage'});
		expect(journal).toBeInstanceOf(FileJournal);
		expect(journal.link()).toMatchObject({store: 'file', where: '/nonexistent/data/drills/api-gateway-outage'});
	});

	it('without a url, a postgres store is where the PG* variables say, never DATABASE_URL; unreachable, it opens offline', async () => {
		for (const [name, value] of Object.entries({
			DATABASE_URL: 'postgres://prod:prod-pw@production:5432/shop',
			PGHOST: '127.0.0.1',
			PGPORT: '1',
			PGDATABASE: 'incidents',
		}))
			vi.stubEnv(name, value);
		try {
			const journal = await openJournal(settings(postgresStore()));
			expect(journal.link()).toMatchObject({store: 'postgres', where: '127.0.0.1:1/incidents', state: 'offline'});
			expect(journal.link().error).toMatch(/connection refused by 127\.0\.0\.1:1\/incidents/);
			await journal.close();
		} finally {
			vi.unstubAllEnvs();
		}
	});
});

describe('warroom db migrate', () => {
	it('is a usage error when the incidents are not in PostgreSQL', async () => {
		const settings = {config: emptyConfig, dataDir: '/x', runbookDirs: [], actor: 'a', redact: (text: string) => text} as never;
		await expect(dbCommand(settings, ['migrate'], {write: () => undefined})).rejects.toThrow(UsageError);
		await expect(dbCommand(settings, ['migrate'], {write: () => undefined})).rejects.toThrow(/set incidents.store: postgres/);
		await expect(dbCommand(settings, ['drop'], {write: () => undefined})).rejects.toThrow(
			/expected warroom db migrate, got "warroom db drop"/,
		);
	});
});

describe('the PostgreSQL journal, decided without a server', () => {
	it.each([
		[{code: 'ECONNREFUSED'}, true],
		[{code: 'ECONNRESET'}, true],
		[{code: '57P01', message: 'terminating connection due to administrator command'}, true],
		[{code: '08006'}, true],
		[new Error('Query read timeout'), true],
		[new Error('Connection terminated unexpectedly'), true],
		[new Error('timeout expired'), true],
		[{code: '28P01', message: 'password authentication failed'}, false],
		[{code: '42501', message: 'permission denied for table events'}, false],
		[{code: '23505'}, false],
	])('%j unreachable: %s', (error, unreachable) => {
		expect(isUnreachable(error)).toBe(unreachable);
	});

	const row = {
		incident: 1,
		seq: 2,
		event_id: '7d0b6a52-6f43-4c8e-9d53-3f0f1e0c2a11',
		at: '2026-11-27T16:00:00.000Z',
		actor: 'incident_writer',
		imported_by: null,
		late: null,
		type: 'note',
		payload: {text: 'hello'},
	};

	it('rebuilds a row as the event, the envelope from the columns only', () => {
		expect(eventOfRow({...row, payload: {text: 'hello', actor: 'mallory', seq: 99}})).toEqual({
			seq: 2,
			at: row.at,
			actor: 'incident_writer',
			type: 'note',
			eventId: row.event_id,
			text: 'hello',
		});
		expect(eventOfRow({...row, late: true, imported_by: 'importer'})).toMatchObject({late: true, importedBy: 'importer'});
	});

	it('takes from a notification only what the store sends: INC-N:seq', () => {
		expect(notifiedChange('INC-12:345')).toEqual({incident: 12, seq: 345});
		expect(notifiedChange('INC-2147483647:2147483647')).toEqual({incident: 2147483647, seq: 2147483647});
		for (const payload of [
			undefined,
			'',
			'INC-0:1',
			'INC-1:0',
			'INC-01:2',
			'INC-1:2\n',
			'INC-1:2:3',
			' INC-1:2',
			'INC-99999999999:1',
			`INC-1:${'9'.repeat(7990)}`,
			'INC-1:2\u001b[2J',
		])
			expect(notifiedChange(payload)).toBeUndefined();
	});

	it('says what is wrong with a row it cannot read', () => {
		expect(eventOfRow({...row, payload: [1]})).toBe('event 2: payload is not a JSON object');
		expect(eventOfRow({...row, payload: null})).toBe('event 2: payload is not a JSON object');
		expect(eventOfRow({...row, payload: {text: 42}})).toMatch(/^event 2: .*"text"/);
	});
});
