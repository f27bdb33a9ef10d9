/**
 * The Health panel in the built console, against real servers on
 * 127.0.0.1: a check that fails and recovers shows so, with since when, and
 * is journaled on the incident; Enter in the zoomed panel opens its detail
 * view; `warroom snapshot` exits 1 while a check fails and 0 once all are
 * ok. The credential of a header, which the failing server repeats, is
 * nowhere on screen, in the journal or in the snapshot.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {cleanup, keys, makeTempDir, runCli} from '../helpers/pty';
import {flip, startHealthWorld, type HealthWorld} from '../helpers/health-servers';
import {declareIncident, journalEvents, openConsole} from './steps';

const token = `tok-${'Zk9s3cr3t'.repeat(22)}`;
const env = {API_TOKEN: token};
let world: HealthWorld;
let configDir: string;
let config: string;

beforeAll(async () => {
	world = await startHealthWorld();
	// Its own folder: `cleanup` removes the temporary ones after every test.
	configDir = mkdtempSync(join(tmpdir(), 'warroom-health-config-'));
	config = join(configDir, 'warroom.yaml');
	writeFileSync(
		config,
		[
			'health:',
			`  - {name: api, http: '${world.http}/flip', headers: {Authorization: 'Bearer \${API_TOKEN}'}, interval: 300ms, timeout: 1s}`,
			`  - {name: db-port, tcp: '127.0.0.1:${world.openPort}', interval: 5s}`,
			'',
		].join('\n'),
	);
});

afterEach(cleanup);
afterAll(async () => {
	await world.close();
	rmSync(configDir, {recursive: true, force: true});
});

describe('the Health panel', () => {
	it('shows a check fail and recover, journals both, and opens its details; the credential shows nowhere', async () => {
		flip.status = 200;
		const app = await openConsole({args: ['--config', config], env, cols: 160, rows: 40});
		await app.waitFor(/3 Health all ok/);
		await declareIncident(app, {title: 'API errors'});

		// Zoomed, the panel has room for the whole row.
		app.press('3');
		app.press(keys.enter);
		await app.waitFor(/Enter detai/);

		flip.status = 503;
		await app.waitFor(/api +FAIL .*since \d\d:\d\d:\d\d .*503 Service Unavailable · expected 2xx: rejected/, {
			timeout: 10_000,
		});
		flip.status = 200;
		await app.waitFor(/api +ok .*recovered \d\d:\d\d:\d\d/, {timeout: 10_000});

		app.press(keys.enter);
		await app.waitFor(/GET http:\/\/127\.0\.0\.1:\d+\/flip/);
		expect(app.screenText()).toMatch(/HTTP 200 OK in \d+ms/);
		expect(app.screenText()).toContain('status 200');

		app.press(keys.esc);
		await app.waitForGone(/GET http:/);
		app.press(keys.esc);
		await app.waitFor(/check api failing since \d\d:\d\d:\d\d: expected 2xx: rejected •••/);
		await app.waitFor(/check api recovered after/);
		const journal = readFileSync(join(app.dataDir!, 'INC-1.jsonl'), 'utf8');
		expect(journalEvents(app.dataDir!).map(event => event.type)).toEqual(['declared', 'check_failed', 'check_recovered']);
		expect(journal).toContain('rejected •••');

		expect(journal).not.toContain(token.slice(0, 30));
		expect(app.output).not.toContain(token.slice(0, 30));
		// The hostile body's escape sequence never reached the terminal.
		expect(app.output).not.toContain('\u001B]0;owned');
	});

	it('makes `warroom snapshot` exit 1 while a check fails and 0 once every check is ok', async () => {
		const dataDir = makeTempDir();
		flip.status = 500;
		const failing = await runCli(['snapshot', '--format', 'json', '--config', config, '--data-dir', dataDir], {env});
		expect(failing.code).toBe(1);
		const report = JSON.parse(failing.stdout) as {health: {state: string; checks: Array<Record<string, unknown>>}};
		expect(report.health.state).toBe('ok');
		expect(report.health.checks).toMatchObject([
			{name: 'api', kind: 'http', ok: false, state: 'failing', status: '500 Internal Server Error'},
			{name: 'db-port', kind: 'tcp', ok: true, state: 'ok', status: 'open'},
		]);
		expect(failing.stdout).not.toContain(token.slice(0, 30));

		flip.status = 200;
		const ok = await runCli(['snapshot', '--config', config, '--data-dir', dataDir], {env});
		expect(ok.stdout).toMatch(/ok {3}api 200 OK/);
		expect(ok.code).toBe(0);
	});
});
