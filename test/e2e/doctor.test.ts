/**
 * `warroom doctor` of the built binary against real parts: the real kubectl
 * against the fast-layer API (an admin, and a viewer who may not patch), a
 * real PostgreSQL with roles that lack a grant, data directories that are a
 * file or cannot be written, programs and names that are not there, and the
 * terminal: a pseudo-terminal of two sizes, and a pipe. (A bad config and a
 * bad --format: subcommands.test.ts, beside snapshot's.)
 */
import {execFile} from 'node:child_process';
import {chmodSync, cpSync, readdirSync, writeFileSync} from 'node:fs';
import {createServer, type Server, type Socket} from 'node:net';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {kubeToken, viewerToken, type KubeApi} from '../helpers/kube-api';
import {startCluster} from '../helpers/kube-deployments';
import {postgresForThisFile, roles} from '../helpers/postgres-server';
import {childEnv, cleanup, makeTempDir, projectRoot, runCli, startConsole, warroomBin, type CliResult} from '../helpers/pty';

afterEach(cleanup);

/** A warroom.yaml with these lines, in a folder of its own. */
function configFile(yaml: string): string {
	const file = join(makeTempDir('warroom-config-'), 'warroom.yaml');
	writeFileSync(file, yaml);
	return file;
}

const doctor = (args: string[], env?: Record<string, string | undefined>) =>
	runCli(['doctor', '--data-dir', makeTempDir(), ...args], env ? {env} : {});

/** The line of one finding, and the fix line under it, if any. */
function finding(result: CliResult, check: string): {line: string; fix?: string} {
	const lines = result.stdout.split('\n');
	const index = lines.findIndex(line => new RegExp(`^\\S+ +${check}: `).test(line));
	if (index < 0) throw new Error(`no "${check}" line in:\n${result.stdout}\n${result.stderr}`);
	const next = lines[index + 1] ?? '';
	return {line: lines[index]!, ...(/^ +fix: /.test(next) ? {fix: next.trim()} : {})};
}

describe('the cluster', () => {
	let api: KubeApi;
	beforeAll(async () => {
		api = await startCluster();
	});
	afterAll(async () => {
		await api.close();
	});
	const clusterConfig = () => configFile('kubernetes:\n  context: prod-eu\n');

	it('an admin: kubectl, the context answering, and every verb of the panel and the keys allowed', async () => {
		const result = await doctor(['--config', clusterConfig()], api.env(api.kubeconfig({context: 'prod-eu'})));
		expect(result.stderr).toBe('');
		expect(finding(result, 'kubectl').line).toMatch(/^ok +kubectl: v1\.\d+\.\d+\S* \(kubectl on PATH\)$/);
		expect(finding(result, 'cluster').line).toMatch(
			/^ok +cluster: context prod-eu \(cluster fast-layer\) answers: server v1\.32\.0-fast-layer$/,
		);
		expect(finding(result, 'cluster reads').line).toMatch(
			/^ok +cluster reads: allowed: list pods, watch pods, list deployments, list replicasets, list events in all namespaces$/,
		);
		expect(finding(result, 'cluster keys').line).toMatch(
			/^ok +cluster keys: allowed: get pods\/log \(l\), patch deployments \(u R\), patch deployments\/scale \(s\) in all namespaces$/,
		);
		expect(result.stdout).not.toContain(kubeToken);
	});

	it('a viewer: patch deployments is named as denied, with the keys it stops, as a warning (exit 0)', async () => {
		const env = api.env(api.kubeconfig({context: 'prod-eu', token: viewerToken}));
		const result = await doctor(['--config', clusterConfig()], env);
		expect(finding(result, 'cluster reads').line).toMatch(/^ok +cluster reads: allowed/);
		const keys = finding(result, 'cluster keys');
		expect(keys.line).toBe(
			'WARN     cluster keys: denied: patch deployments (u R), patch deployments/scale (s) in all namespaces: those keys will be refused',
		);
		expect(keys.fix).toMatch(/--clusterrole=edit.*kubectl auth can-i patch deployments -A --context prod-eu says yes$/);
		expect(result.code).toBe(0);
		const json = await doctor(['--config', clusterConfig(), '--format', 'json'], env);
		const report = JSON.parse(json.stdout) as {missing: number; warnings: number; findings: Array<Record<string, string>>};
		expect(report.findings.find(entry => entry.check === 'cluster keys')).toMatchObject({
			status: 'warn',
			detail: expect.stringContaining('patch deployments (u R)'),
			fix: expect.stringContaining('--clusterrole=edit'),
		});
		expect(report.missing).toBe(0);
		expect(json.stdout).not.toContain(viewerToken);
	});

	it('a role that may not list events: the panel’s read is missing (exit 1), per namespace configured', async () => {
		api.forbid('events');
		try {
			const config = configFile('kubernetes:\n  context: prod-eu\n  namespaces: [production, jobs]\n');
			const result = await doctor(['--config', config], api.env(api.kubeconfig({context: 'prod-eu'})));
			expect(finding(result, 'cluster reads').line).toBe(
				'MISSING  cluster reads: denied: list events in namespace production; list events in namespace jobs: the Pods panel cannot show them',
			);
			expect(finding(result, 'cluster reads').fix).toMatch(/--clusterrole=view.*kubectl auth can-i list events -n production/);
			expect(result.code).toBe(1);
		} finally {
			await api.stop();
			await api.start();
		}
	});

	it('a context the kubeconfig does not have is missing, with how to list them', async () => {
		const config = configFile('kubernetes:\n  context: prod-us\n');
		const result = await doctor(['--config', config], api.env(api.kubeconfig({context: 'prod-eu'})));
		expect(finding(result, 'cluster')).toEqual({
			line: 'MISSING  cluster: context "prod-us" not found in the kubeconfig',
			fix: 'fix: kubectl config get-contexts lists them: kubectl config use-context NAME, or kubernetes.context in warroom.yaml',
		});
		expect(result.code).toBe(1);
	});

	it('a kubectl path that does not exist is missing, and nothing else of the cluster is asked', async () => {
		const config = configFile('kubernetes:\n  context: prod-eu\n  kubectl: /opt/nowhere/kubectl\n');
		const result = await doctor(['--config', config], api.env(api.kubeconfig({context: 'prod-eu'})));
		expect(finding(result, 'kubectl')).toEqual({
			line: 'MISSING  kubectl: /opt/nowhere/kubectl not found (kubernetes.kubectl in warroom.yaml)',
			fix: "fix: set kubernetes.kubectl in warroom.yaml to kubectl's path (command -v kubectl), or install it at /opt/nowhere/kubectl",
		});
		expect(result.stdout).not.toMatch(/^\S+ +cluster/m);
		expect(result.code).toBe(1);
	});

	it('without a kubeconfig or a kubernetes section the cluster is skipped, with a word, and so is a database not configured', async () => {
		const result = await doctor([]);
		expect(finding(result, 'cluster').line).toMatch(
			/^skipped +cluster: no kubernetes section in warroom\.yaml and no kubeconfig/,
		);
		expect(finding(result, 'database').line).toMatch(
			/^skipped +database: no postgres section in warroom\.yaml and no DATABASE_URL/,
		);
		expect(result.code).toBe(0);
	});
});

describe('an API server that accepts connections and never answers', () => {
	let server: Server;
	const sockets = new Set<Socket>();
	beforeAll(async () => {
		server = createServer(socket => sockets.add(socket));
		await new Promise<void>(listening => server.listen(0, '127.0.0.1', listening));
	});
	afterAll(async () => {
		for (const socket of sockets) socket.destroy();
		await new Promise(closed => server.close(closed));
	});

	it('is missing within kubectl’s request timeout', async () => {
		const {port} = server.address() as {port: number};
		const kubeconfig = configFile(
			JSON.stringify({
				apiVersion: 'v1',
				kind: 'Config',
				clusters: [{name: 'stuck', cluster: {server: `https://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true}}],
				users: [{name: 'responder', user: {token: 'stuck-token'}}],
				contexts: [{name: 'prod-eu', context: {cluster: 'stuck', user: 'responder'}}],
				'current-context': 'prod-eu',
			}),
		);
		const started = Date.now();
		const result = await doctor([], {KUBECONFIG: kubeconfig, HOME: makeTempDir()});
		expect(Date.now() - started).toBeLessThan(12_000);
		expect(finding(result, 'cluster').line).toMatch(/^MISSING +cluster: context prod-eu: the API server does not answer: /);
		expect(finding(result, 'cluster').fix).toBe(
			'fix: check the network (VPN?) and the cluster: kubectl --context prod-eu get --raw /version',
		);
		expect(result.code).toBe(1);
	});
});

describe('the database', () => {
	const server = postgresForThisFile();
	const databaseConfig = (url: string) => configFile(`postgres:\n  url: ${JSON.stringify(url)}\n`);

	it('a role with pg_monitor and pg_signal_backend: everything ok, and no password anywhere', async () => {
		const result = await doctor(['--config', databaseConfig(server.url('signaller'))]);
		expect(finding(result, 'database').line).toMatch(
			new RegExp(`^ok +database: 127\\.0\\.0\\.1:${server.port}/shop answers as warroom_signaller \\(PostgreSQL \\d+`),
		);
		expect(finding(result, 'database reads').line).toBe('ok       database reads: role warroom_signaller has pg_read_all_stats');
		expect(finding(result, 'database keys').line).toMatch(/^ok +database keys: role warroom_signaller has pg_signal_backend/);
		expect(result.stdout).not.toContain(roles.signaller.password);
		expect(result.code).toBe(0);
	});

	it('a role without pg_monitor: the panel’s grant is missing (exit 1), the keys’ a warning, each with its GRANT', async () => {
		const result = await doctor(['--config', databaseConfig(server.url('plain'))]);
		expect(finding(result, 'database reads')).toEqual({
			line: "MISSING  database reads: role warroom_plain lacks pg_read_all_stats: the Database panel cannot see other roles' queries, and C and K refuse their backends",
			fix: 'fix: as a superuser: GRANT pg_monitor TO warroom_plain;',
		});
		expect(finding(result, 'database keys')).toEqual({
			line: 'WARN     database keys: role warroom_plain lacks pg_signal_backend: C and K can signal only backends of its own role',
			fix: 'fix: as a superuser: GRANT pg_signal_backend TO warroom_plain;',
		});
		expect(result.code).toBe(1);
	});

	it('a role with pg_monitor only: the keys’ grant is named, and doctor exits 0', async () => {
		const result = await doctor(['--config', databaseConfig(server.url('monitor'))]);
		expect(finding(result, 'database reads').line).toMatch(/^ok /);
		expect(finding(result, 'database keys').fix).toBe('fix: as a superuser: GRANT pg_signal_backend TO warroom_monitor;');
		expect(result.code).toBe(0);
	});

	it('a wrong password is missing, says the sign-in was refused and never prints the password', async () => {
		const wrong = `wrong-${'p'.repeat(200)}`;
		const result = await doctor(['--config', databaseConfig(server.url('monitor', {password: wrong}))]);
		expect(finding(result, 'database').line).toMatch(/^MISSING +database: 127\.0\.0\.1:\d+\/shop refused the sign-in: /);
		expect(finding(result, 'database').fix).toMatch(/check the user and password/);
		expect(`${result.stdout}${result.stderr}`).not.toContain('pppp');
		expect(result.code).toBe(1);
	});

	it('a server that is down is missing, with pg_isready to try', async () => {
		const result = await doctor(['--config', databaseConfig('postgres://someone:secret-pw-1@127.0.0.1:1/shop')]);
		expect(finding(result, 'database')).toEqual({
			line: 'MISSING  database: connection refused by 127.0.0.1:1/shop: is the server up?',
			fix: 'fix: pg_isready -h 127.0.0.1 -p 1, then check postgres.url in warroom.yaml (or DATABASE_URL)',
		});
		expect(result.stdout).not.toContain('secret-pw-1');
	});
});

describe('the health checks', () => {
	it('a program that is not there and a name that does not resolve are missing; the rest ok; no secret shown', async () => {
		const token = 'T'.repeat(200);
		const config = configFile(
			[
				'health:',
				'  - name: "api\\e[31m\\u202e"',
				'    http: "https://deploy:url-pw-9f1c@127.0.0.1:8443/health"',
				'    headers: {Authorization: "Bearer ${API_TOKEN}"}',
				'  - name: critical',
				'    command: [run-health-checks-nowhere, --critical-only]',
				'  - name: node',
				'    command: [node, --version]',
				'  - name: db-port',
				'    tcp: no-such-host.invalid:5432',
				'',
			].join('\n'),
		);
		const result = await doctor(['--config', config], {API_TOKEN: token});
		expect(finding(result, 'health check api').line).toBe('ok       health check api: http: connects to 127.0.0.1');
		expect(finding(result, 'health check critical')).toEqual({
			line: 'MISSING  health check critical: command: run-health-checks-nowhere not found on PATH',
			fix: 'fix: install run-health-checks-nowhere, or give its full path in warroom.yaml',
		});
		expect(finding(result, 'health check node').line).toMatch(/^ok +health check node: command: runs \/\S+\/node$/);
		expect(finding(result, 'health check db-port').line).toMatch(
			/^MISSING +health check db-port: tcp: cannot resolve no-such-host\.invalid: /,
		);
		expect(result.code).toBe(1);
		const output = `${result.stdout}${result.stderr}`;
		expect(output).not.toContain('TTTT');
		expect(output).not.toContain('url-pw-9f1c');
		expect(output).not.toMatch(/\u001b|\u202e/);
	});

	it('a program that exists but may not be run is missing, with the chmod', async () => {
		const script = join(makeTempDir(), 'check.sh');
		writeFileSync(script, '#!/bin/sh\nexit 0\n');
		chmodSync(script, 0o644);
		const result = await doctor([
			'--config',
			configFile(`health:\n  - name: script\n    command: [${JSON.stringify(script)}]\n`),
		]);
		expect(finding(result, 'health check script')).toEqual({
			line: `MISSING  health check script: command: ${script} cannot be run: permission denied (EACCES)`,
			fix: `fix: chmod +x ${script}`,
		});
	});
});

describe('the data directory', () => {
	it('one that does not exist yet is ok, and doctor leaves nothing behind', async () => {
		const parent = makeTempDir();
		const dataDir = join(parent, 'incidents', 'prod');
		const result = await runCli(['doctor', '--data-dir', dataDir]);
		expect(finding(result, 'data dir').line).toMatch(/^ok +data dir: .*does not exist yet; it can be created/);
		expect(finding(result, 'journal lock').line).toBe('ok       journal lock: taken and released');
		expect(readdirSync(parent)).toEqual([]);
	});

	it('one that exists is written to and synced, and left as it was', async () => {
		const dataDir = makeTempDir();
		const result = await runCli(['doctor', '--data-dir', dataDir]);
		expect(finding(result, 'data dir').line).toBe(
			`ok       data dir: ${dataDir} is writable (a file written, synced and removed): the journal's incidents are kept there`,
		);
		expect(finding(result, 'journal').line).toMatch(
			new RegExp(`^ok +journal: file store in ${dataDir}: 0 incidents, listed in \\d+ ms$`),
		);
		expect(readdirSync(dataDir)).toEqual([]);
	});

	it('one this user may write to but not list: the journal cannot read its incidents (exit 1)', async () => {
		const dataDir = makeTempDir();
		chmodSync(dataDir, 0o333);
		const result = await runAsOrdinaryUser(['doctor', '--data-dir', dataDir]);
		expect(finding(result, 'data dir').line).toMatch(/^ok +data dir: .* is writable/);
		expect(finding(result, 'journal')).toEqual({
			line: `MISSING  journal: file store in ${dataDir}: cannot read ${dataDir}: permission denied (EACCES)`,
			fix: `fix: chmod u+rx ${dataDir} (or chown it to this user), or point --data-dir (or WARROOM_DATA_DIR, incidents.dir in warroom.yaml) at another directory`,
		});
		expect(result.code).toBe(1);
	});

	it('a file in its place is missing (exit 1)', async () => {
		const file = join(makeTempDir(), 'incidents');
		writeFileSync(file, 'not a directory\n');
		const result = await runCli(['doctor', '--data-dir', file]);
		expect(finding(result, 'data dir')).toEqual({
			line: `MISSING  data dir: ${file} is not a directory`,
			fix: 'fix: remove it, or point --data-dir (or WARROOM_DATA_DIR, incidents.dir in warroom.yaml) at another directory',
		});
		expect(result.code).toBe(1);
	});

	it('one this user may not write to is missing, with the chmod', async () => {
		const dataDir = makeTempDir();
		chmodSync(dataDir, 0o555);
		// Root writes anywhere: the console runs as an ordinary user here.
		const result = await runAsOrdinaryUser(['doctor', '--data-dir', dataDir]);
		expect(finding(result, 'data dir')).toEqual({
			line: `MISSING  data dir: ${dataDir}: cannot write there: permission denied (EACCES)`,
			fix: `fix: chmod u+w ${dataDir} (or chown it to this user), or point --data-dir (or WARROOM_DATA_DIR, incidents.dir in warroom.yaml) at another directory`,
		});
		expect(result.stdout).not.toMatch(/journal lock/);
		expect(result.code).toBe(1);
		expect(readdirSync(dataDir)).toEqual([]);
	});
});

/**
 * The built bundle and its runbooks copied where `nobody` may read them: the
 * checkout may sit in a directory only root can enter (a clone into `mktemp -d`).
 */
function bundleNobodyCanRead(): string {
	const root = makeTempDir('warroom-nobody-');
	chmodSync(root, 0o755);
	for (const folder of ['dist', 'runbooks']) cpSync(join(projectRoot, folder), join(root, folder), {recursive: true});
	return join(root, 'dist', 'warroom.js');
}

/** The built binary as `nobody` when the tests run as root, else as this user. */
function runAsOrdinaryUser(args: string[]): Promise<CliResult> {
	const [file, argv] =
		process.getuid?.() === 0
			? ['runuser', ['-u', 'nobody', '--', process.execPath, bundleNobodyCanRead(), ...args]]
			: [process.execPath, [warroomBin, ...args]];
	return new Promise(done => {
		execFile(file, argv, {env: childEnv({HOME: '/tmp'}), cwd: '/tmp', timeout: 15_000}, (error, stdout, stderr) =>
			done({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr}),
		);
	});
}

describe('the terminal', () => {
	it('in a terminal of 80×24 it is ok', async () => {
		const app = startConsole({args: ['doctor']});
		const exit = await app.exited;
		expect(app.screenText()).toMatch(/ok +terminal: 80×24, TERM=xterm-256color/);
		expect(exit.exitCode).toBe(0);
	});

	it('in a terminal smaller than 80×24 it is missing (exit 1)', async () => {
		const app = startConsole({args: ['doctor'], cols: 100, rows: 20});
		const exit = await app.exited;
		expect(app.screenText()).toMatch(/MISSING +terminal: 100×20: the console needs at least 80×24/);
		expect(exit.exitCode).toBe(1);
	});

	it('piped, it warns that the console needs a terminal, and exits 0', async () => {
		const result = await runCli(['doctor', '--data-dir', makeTempDir()]);
		expect(finding(result, 'terminal')).toEqual({
			line: 'WARN     terminal: not a terminal: the console needs one (standard output is a pipe or a file)',
			fix: 'fix: run `warroom` itself in a terminal (ssh -t HOST for a remote one)',
		});
		expect(result.stdout).toMatch(/\ndoctor: 0 missing, 1 warning\n$/);
		expect(result.code).toBe(0);
	});
});
