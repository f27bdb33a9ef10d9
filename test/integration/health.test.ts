/**
 * The health checks against real servers on 127.0.0.1 (test/helpers/health-servers.ts),
 * certificates made with openssl and real child processes: what each kind
 * reports, how a check that hangs is abandoned (a command's whole process
 * group killed), how the damping turns a flapping check failing and back,
 * and that a header's credential reaches no reading.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {outputLines} from '../../source/actions/output';
import {parseConfig} from '../../source/config/load';
import {createRedactor} from '../../source/config/secrets';
import type {Config} from '../../source/config/types';
import {runCollector} from '../../source/sources/collector';
import {healthCollector} from '../../source/sources/health/collector';
import {runCheck} from '../../source/sources/health/run-check';
import {readSourcesOnce} from '../../source/sources/source-list';
import type {HealthData, HealthResult, Reading} from '../../source/sources/types';
import {flip, hostileText, sessionToken, slowLoad, startHealthWorld, type HealthWorld} from '../helpers/health-servers';
import {isAlive} from '../helpers/processes';

let world: HealthWorld;
let scratch: string;

beforeAll(async () => {
	world = await startHealthWorld();
	scratch = mkdtempSync(join(tmpdir(), 'warroom-health-'));
});

afterAll(async () => {
	await world.close();
	rmSync(scratch, {recursive: true, force: true});
});

const token = `tok-${'s3cr3t'.repeat(33)}`;

/** The checks a warroom.yaml declares, as the console gets them. */
const configOf = (yaml: string): Config =>
	parseConfig(`health:\n${yaml}`, 'warroom.yaml', {baseDir: scratch, env: {API_TOKEN: token}});

/** One run of the one check declared. */
async function checkOnce(yaml: string): Promise<HealthResult> {
	const config = configOf(`  - ${yaml}`);
	return runCheck(config.health[0]!, new AbortController().signal, createRedactor(config.secrets));
}

describe('an http check', () => {
	it('is ok on a 200, with its status and latency', async () => {
		const result = await checkOnce(`{name: api, http: '${world.http}/ok'}`);
		expect(result).toMatchObject({ok: true, state: 'ok', status: '200 OK'});
		expect(result.latencyMs).toBeGreaterThanOrEqual(0);
		expect(result.detail).toContain('all good');
	});

	it('fails on a 500, showing the start of the body without its escape sequences', async () => {
		const result = await checkOnce(`{name: api, http: '${world.http}/fail'}`);
		expect(result).toMatchObject({ok: false, state: 'failing', status: '500 Internal Server Error'});
		expect(result.error).toBe('expected 2xx: upstream error database down');
		// The detail keeps the body as sent: the overlay cleans every line it draws.
		expect(result.detail).toContain('HTTP 500 Internal Server Error');
	});

	it('shows the response headers in the detail, a session cookie masked', async () => {
		const result = await checkOnce(`{name: api, http: '${world.http}/session'}`);
		expect(result.detail).toContain('x-request-id: req-42');
		expect(result.detail).toContain('set-cookie: •••');
		expect(result.detail).not.toContain(sessionToken);
	});

	it('accepts the statuses it is told to expect', async () => {
		expect(await checkOnce(`{name: api, http: '${world.http}/fail', expectStatus: 500}`)).toMatchObject({ok: true});
	});

	it('is ok when slow but within its timeout, and timed out when slower', async () => {
		expect(await checkOnce(`{name: api, http: '${world.http}/slow', timeout: 2s}`)).toMatchObject({ok: true});
		expect(await checkOnce(`{name: api, http: '${world.http}/slow', timeout: 100ms}`)).toMatchObject({
			ok: false,
			error: 'timed out after 100ms',
		});
	});

	it('gives up on a server that never answers at its timeout', async () => {
		const started = Date.now();
		const result = await checkOnce(`{name: api, http: '${world.http}/hang', timeout: 300ms}`);
		expect(result).toMatchObject({ok: false, error: 'timed out after 300ms'});
		expect(Date.now() - started).toBeLessThan(2000);
	});

	it('follows a redirect by default, and fails on it when told not to follow', async () => {
		const followed = await checkOnce(`{name: api, http: '${world.http}/redirect'}`);
		expect(followed).toMatchObject({ok: true, status: '200 OK'});
		expect(followed.detail).toContain('(redirected to');
		expect(await checkOnce(`{name: api, http: '${world.http}/redirect', followRedirects: false}`)).toMatchObject({
			ok: false,
			status: '302 Found',
		});
	});

	it('looks for its text in the body, in the first 64 KB of a 100 KB one', async () => {
		expect(await checkOnce(`{name: api, http: '${world.http}/big', bodyContains: needle}`)).toMatchObject({ok: true});
		expect(await checkOnce(`{name: api, http: '${world.http}/big', bodyContains: haystack}`)).toMatchObject({ok: false});
		const missing = await checkOnce(`{name: api, http: '${world.http}/ok', bodyContains: healthy}`);
		expect(missing).toMatchObject({ok: false, error: 'body does not contain "healthy"'});
		const big = await checkOnce(`{name: api, http: '${world.http}/big'}`);
		expect(big.detail!.length).toBeLessThan(3000);
	});

	it('says a name does not resolve, and a port is closed', async () => {
		expect(await checkOnce(`{name: api, http: 'http://no-such-host.invalid/health'}`)).toMatchObject({
			ok: false,
			error: 'name does not resolve',
		});
		expect(await checkOnce(`{name: api, http: 'http://127.0.0.1:${world.closedPort}/'}`)).toMatchObject({
			ok: false,
			error: 'connection refused',
		});
	});
});

describe('a tls check', () => {
	const tls = (port: number, more = '') => checkOnce(`{name: cert, tls: 'localhost:${port}', ca: '${world.caFile}'${more}}`);

	it('is ok with the days left and the issuer of a certificate that verifies', async () => {
		const result = await tls(world.https.valid);
		expect(result).toMatchObject({ok: true, state: 'ok', certDaysLeft: 90, status: '90d left · Warroom Test CA'});
		expect(result.detail).toMatch(/subject: CN=localhost/);
		expect(result.detail).toMatch(/issuer: O=Warroom Test CA, CN=Warroom Test CA/);
		expect(result.detail).toMatch(/chain:\n {2}0: CN=localhost/);
	});

	it('warns when it expires in fewer days than warnDays', async () => {
		expect(await tls(world.https.soon)).toMatchObject({ok: true, state: 'warning', certDaysLeft: 3});
		expect(await tls(world.https.soon, ', warnDays: 2')).toMatchObject({ok: true, state: 'ok'});
	});

	it('fails on an expired certificate', async () => {
		expect(await tls(world.https.expired)).toMatchObject({ok: false, certDaysLeft: -3, error: 'expired 3 days ago'});
	});

	it('fails on a certificate for another name, and checks the SNI name when given', async () => {
		expect(await tls(world.https.wrongName)).toMatchObject({ok: false, error: 'not valid for localhost'});
		expect(await tls(world.https.wrongName, ', sni: other.example')).toMatchObject({ok: true});
	});

	it('fails on a self-signed certificate, whose chain does not verify', async () => {
		expect(await tls(world.https.selfSigned)).toMatchObject({ok: false, error: 'chain does not verify: self-signed'});
	});

	it('describes a certificate whose subject holds escape sequences in lines the detail view draws clean', async () => {
		const result = await tls(world.https.hostileSubject);
		expect(result).toMatchObject({ok: true});
		const shown = outputLines(result.detail!).join('\n');
		// Node hands the name's UTF-8 over byte by byte (U+202E comes as "â", U+0080, "®"): the controls among them go.
		expect(shown).toMatch(/subject: O=Evil\S*database down\S*, CN=localhost/);
		expect(shown).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202E\u200B]/);
	});

	it('fails on a closed port', async () => {
		expect(await tls(world.closedPort)).toMatchObject({ok: false, error: 'connection refused'});
	});
});

describe('a tcp check', () => {
	it('is ok on an open port and fails on a closed one or a name that does not resolve', async () => {
		expect(await checkOnce(`{name: db, tcp: '127.0.0.1:${world.openPort}'}`)).toMatchObject({ok: true, status: 'open'});
		expect(await checkOnce(`{name: db, tcp: '127.0.0.1:${world.closedPort}'}`)).toMatchObject({
			ok: false,
			error: 'connection refused',
		});
		expect(await checkOnce(`{name: db, tcp: 'no-such-host.invalid:5432'}`)).toMatchObject({
			ok: false,
			error: 'name does not resolve',
		});
	});
});

describe('a command check', () => {
	const node = JSON.stringify(process.execPath);

	it('is ok on exit 0, showing its last line and keeping its whole output', async () => {
		const result = await checkOnce(
			`{name: script, command: [${node}, -e, "console.log('auth: ok'); console.log('pipeline: ok')"], cwd: '.', env: {MODE: critical}}`,
		);
		expect(result).toMatchObject({ok: true, status: 'pipeline: ok'});
		expect(result.detail).toContain('auth: ok\npipeline: ok');
	});

	it('runs in its working directory with its environment', async () => {
		const result = await checkOnce(
			`{name: script, command: [${node}, -e, "console.log(process.cwd(), process.env.MODE)"], cwd: '.', env: {MODE: critical}}`,
		);
		expect(result.status).toBe(`${scratch} critical`);
	});

	it('fails on another exit, with its last line as the error, cleaned', async () => {
		const result = await checkOnce(
			`{name: script, command: [${node}, -e, "console.error(${JSON.stringify(`api: FAILED ${hostileText}`).replaceAll('"', "'")}); process.exit(1)"]}`,
		);
		expect(result).toMatchObject({ok: false, status: 'exit 1', error: 'api: FAILED database down'});
	});

	it('fails when the program does not exist', async () => {
		expect(await checkOnce(`{name: script, command: [/nonexistent/health-check]}`)).toMatchObject({
			ok: false,
			error: 'not found: /nonexistent/health-check',
		});
	});

	it('is killed at its timeout with every process it started: no orphan is left', async () => {
		const pidFile = join(scratch, 'grandchild.pid');
		const script = `const {spawn} = require('node:child_process'); const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {stdio: 'ignore'}); require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(child.pid)); setInterval(() => {}, 1000);`;
		const result = await checkOnce(`{name: script, command: [${node}, -e, ${JSON.stringify(script)}], timeout: 1s}`);
		expect(result).toMatchObject({ok: false, error: 'timed out after 1.0s'});
		const grandchild = Number(readFileSync(pidFile, 'utf8'));
		expect(grandchild).toBeGreaterThan(0);
		await expect.poll(() => isAlive(grandchild), {timeout: 5000}).toBe(false);
	});
});

describe('the health source', () => {
	it('turns a flapping check failing after two failures in a row, and ok after two successes', async () => {
		flip.status = 200;
		// Longer than the collector waits to publish results together: every result is seen.
		const config = configOf(`  - {name: flip, http: '${world.http}/flip', interval: 700ms}`);
		const readings: Array<Reading<HealthData>> = [];
		const handle = runCollector(healthCollector(config.health, createRedactor(config.secrets)), reading =>
			readings.push(reading),
		);
		const state = () => readings.at(-1)?.data?.checks[0];
		const results = {timeout: 5000};
		try {
			await expect.poll(() => state()?.state, results).toBe('ok');
			flip.status = 503;
			await expect.poll(() => state()?.ok, results).toBe(false);
			const firstFailure = readings.find(reading => reading.data?.checks[0]?.ok === false)?.data?.checks[0];
			expect(firstFailure?.state).toBe('ok');
			await expect.poll(() => state()?.state, results).toBe('failing');
			flip.status = 200;
			await expect.poll(() => state()?.recovered, results).toBe(true);
			expect(state()).toMatchObject({state: 'ok', ok: true});
			expect(state()?.history?.length).toBeGreaterThan(3);
		} finally {
			handle.stop();
		}
	});

	it('runs at most 16 checks at once', async () => {
		const checks = Array.from({length: 40}, (_, n) => `  - {name: slow-${n}, http: '${world.http}/slow'}`).join('\n');
		const config = configOf(checks);
		slowLoad.most = 0;
		const data = await healthCollector(config.health, createRedactor(config.secrets)).collect(new AbortController().signal);
		expect(data.checks.filter(check => check.ok)).toHaveLength(40);
		expect(slowLoad.most).toBe(16);
	});

	it('runs every check at once on refresh (the r key), not at its next interval', async () => {
		flip.status = 200;
		const config = configOf(`  - {name: flip, http: '${world.http}/flip', interval: 1h}`);
		const readings: Array<Reading<HealthData>> = [];
		const handle = runCollector(healthCollector(config.health, createRedactor(config.secrets)), reading =>
			readings.push(reading),
		);
		try {
			await expect.poll(() => readings.at(-1)?.data?.checks[0]?.status).toBe('200 OK');
			flip.status = 503;
			handle.refresh();
			await expect.poll(() => readings.at(-1)?.data?.checks[0]?.status).toBe('503 Service Unavailable');
		} finally {
			handle.stop();
		}
	});

	it('runs no check again after a change made from the console: a check is not the cluster', async () => {
		flip.status = 200;
		const config = configOf(`  - {name: flip, http: '${world.http}/flip', interval: 1h}`);
		const readings: Array<Reading<HealthData>> = [];
		const handle = runCollector(healthCollector(config.health, createRedactor(config.secrets)), reading =>
			readings.push(reading),
		);
		try {
			await expect.poll(() => readings.at(-1)?.data?.checks[0]?.status).toBe('200 OK');
			const before = flip.requests;
			await handle.refresh('changed');
			await new Promise(resolve => setTimeout(resolve, 200));
			expect(flip.requests).toBe(before);
		} finally {
			handle.stop();
		}
	});

	it('reports no credential from a header, though the server echoes it', async () => {
		const config = configOf(`  - {name: api, http: '${world.http}/echo', headers: {Authorization: 'Bearer \${API_TOKEN}'}}`);
		const redact = createRedactor(config.secrets);
		const readings = await readSourcesOnce({health: healthCollector(config.health, redact)}, redact);
		const text = JSON.stringify(readings);
		expect(text).toContain('401 Unauthorized');
		expect(text).toContain('x-seen: •••');
		expect(text).toContain('rejected •••');
		expect(text).not.toContain(token);
		expect(text).not.toContain(token.slice(0, 40));
	});
});
