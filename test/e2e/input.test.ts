/** Input from outside the console's control: the environment's time zone, where standard output goes, the files it is pointed at. */
import {execFile, execFileSync, spawnSync} from 'node:child_process';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {childEnv, cleanup, makeTempDir, projectRoot, runCli, warroomBin, type CliResult} from '../helpers/pty';
import {hour, writeOpenIncident} from '../helpers/incidents';
import {openConsole} from './steps';

afterEach(cleanup);

it.each([
	['Mars/Olympus', 'UTC: TZ invalid', 'UTC'],
	['Europe/Paris', 'Europe/Paris', 'Europe/Paris'],
])('with TZ=%s the timeline names the zone its times are in (%s)', async (tz, label, zone) => {
	const dataDir = makeTempDir();
	const at = writeOpenIncident(dataDir, {title: 'Slow search', severity: 'P2', services: [], ageMs: hour});
	const app = await openConsole({dataDir, cols: 120, rows: 30, env: {TZ: tz}});
	const screen = await app.waitFor(`4 Timeline INC-1 (${label})`);
	const time = new Date(at).toLocaleTimeString('en-GB', {hour12: false, timeZone: zone});
	expect(screen.join('\n')).toContain(`${time} alice@bastion  declared P2 "Slow search"`);
});

/** Runs the bundle through `sh -c` so that standard output can be redirected as a responder's shell would. */
function runWithStdout(redirect: string, args: string[]): Promise<CliResult> {
	return new Promise(done => {
		execFile(
			'/bin/sh',
			['-c', `exec "$0" "$@" ${redirect}`, process.execPath, warroomBin, ...args],
			{env: childEnv(), cwd: projectRoot, timeout: 15_000},
			(error, stdout, stderr) => {
				done({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
			},
		);
	});
}

it.each([
	['> /dev/full', /cannot write to standard output: no space left on device \(ENOSPC\)/],
	['>&-', /cannot write to standard output: it is closed/],
])('snapshot %s fails, saying why, instead of exiting 0', async (redirect, reason) => {
	const dataDir = makeTempDir();
	const result = await runWithStdout(redirect, ['snapshot', '--data-dir', dataDir]);
	expect(result.stderr).toMatch(reason);
	expect(result.code).not.toBe(0);
});

it('snapshot > /dev/null is fine', async () => {
	const result = await runWithStdout('> /dev/null', ['snapshot', '--data-dir', makeTempDir()]);
	expect(result).toMatchObject({code: 0, stderr: ''});
});

it('declare spawned with its output ignored exits 0 once it has declared, so a script does not declare twice', () => {
	const dataDir = makeTempDir();
	const args = [warroomBin, 'declare', '--severity', 'P2', '--title', 'Slow search', '--data-dir', dataDir];
	const result = spawnSync(process.execPath, args, {
		env: childEnv(),
		stdio: ['ignore', 'ignore', 'pipe'],
		encoding: 'utf8',
		timeout: 15_000,
	});
	expect(result.stderr).toBe('');
	expect(result.status).toBe(0);
	expect(readFileSync(join(dataDir, 'INC-1.jsonl'), 'utf8')).toContain('"title":"Slow search"');
});

it.each([
	[
		'a named pipe',
		(dir: string) => {
			const fifo = join(dir, 'warroom.yaml');
			execFileSync('mkfifo', [fifo]);
			return fifo;
		},
	],
	['a device', () => '/dev/zero'],
])('--config pointing at %s exits 2 at once, naming the file', async (kind, make) => {
	const dir = makeTempDir();
	const file = make(dir);
	const started = Date.now();
	const result = await runCli(['snapshot', '--config', file, '--data-dir', dir]);
	expect(result).toMatchObject({code: 2, stdout: '', stderr: `warroom: ${file}: not a regular file (${kind})\n`});
	expect(Date.now() - started).toBeLessThan(5000);
});

/** A runbook directory whose severity.yaml carries terminal escapes in a deadline label and a phase label. */
function hostileRunbooks(dir: string): string {
	const runbooks = join(dir, 'runbooks');
	mkdirSync(runbooks);
	const policy = readFileSync(join(projectRoot, 'runbooks', 'severity.yaml'), 'utf8')
		.replace(
			'{id: respond, label: respond, within: 1h,',
			'{id: respond, label: "\\e]0;owned\\a\\e[5mrespond\\e[0m now", within: 1h,',
		)
		.replace('label: Initial assessment', 'label: "\\e[31;5mInitial\\e[0m assessment"');
	writeFileSync(join(runbooks, 'severity.yaml'), policy);
	const config = join(dir, 'warroom.yaml');
	writeFileSync(config, `runbooks:\n  dirs: [${runbooks}]\n`);
	return config;
}

it('runbook labels with terminal escapes reach neither snapshot --format text nor the screen', async () => {
	const dir = makeTempDir();
	const config = hostileRunbooks(dir);
	expect(
		await runCli(['declare', '--severity', 'P1', '--title', 'Gateway down', '--data-dir', dir, '--config', config]),
	).toMatchObject({code: 0});
	const snapshot = await runCli(['snapshot', '--format', 'text', '--data-dir', dir, '--config', config]);
	expect(snapshot.stdout).toContain('  respond now in 59m');
	expect(snapshot.stdout).not.toContain('\u001B');
	expect(snapshot.stdout).not.toContain('\u0007');

	const app = await openConsole({dataDir: dir, args: ['--config', config]});
	const screen = await app.waitFor('5 Initial assessment 0-5m');
	const top = screen.findIndex(line => line.includes('5 Initial assessment 0-5m'));
	expect(screen[top], app.dump()).toMatch(/┐$/);
	expect(app.output).not.toMatch(/\u001B\[31;5m|\u001B\]0;owned/);
});

it('a config key with escapes is reported without them', async () => {
	const dir = makeTempDir();
	const config = join(dir, 'warroom.yaml');
	writeFileSync(config, 'kubernetes:\n  "\\e]0;owned\\a\\e[5mcontex": prod\n');
	const result = await runCli(['snapshot', '--data-dir', dir, '--config', config]);
	expect(result).toMatchObject({
		code: 2,
		stderr: `warroom: ${config}: kubernetes.contex: unknown key (expected one of context, namespaces, production, kubectl, watch)\n`,
	});
});

it('declare records and echoes a title from the command line without its escapes', async () => {
	const dir = makeTempDir();
	const declared = await runCli([
		'declare',
		'--severity',
		'P1',
		'--title',
		'Gateway\u001B[2J\u001B]0;owned\u0007 down\u202E',
		'--data-dir',
		dir,
	]);
	expect(declared).toMatchObject({code: 0, stdout: 'INC-1 declared: P1 Gateway down\n'});
	const snapshot = await runCli(['snapshot', '--format', 'json', '--data-dir', dir]);
	expect(JSON.parse(snapshot.stdout).incident.title).toBe('Gateway down');
});

/** A drill whose pods have CJK, emoji (ZWJ sequences included), right-to-left and invisible characters in their names. */
function wideDrill(dir: string): string {
	const runbooks = join(dir, 'runbooks');
	mkdirSync(join(runbooks, 'drills'), {recursive: true});
	const names = [
		'決済-api-障害対応中のポッド',
		'👨‍👩‍👧-family-🔥-pod',
		'שלום-עולם-مرحبا-pod',
		'zero\u200Bwidth-\u202Eevil-\u2066iso',
	];
	const pods = names.map(
		name =>
			`      - {namespace: prod, name: ${JSON.stringify(name)}, phase: Running, reason: CrashLoopBackOff, ready: 0/1, since: 1s, node: n1, owner: {kind: Deployment, name: api}}`,
	);
	const drillText = [
		'name: wide',
		'title: Wide names',
		'context: drill',
		'scenes:',
		'  - at: 0s',
		'    healthyPods: 1',
		'    pods:',
		...pods,
		'    postgres: {connections: {max: 10, byState: {}}, queries: []}',
		'    health: []',
		'',
	];
	writeFileSync(join(runbooks, 'drills', 'wide.yaml'), drillText.join('\n'));
	const config = join(dir, 'warroom.yaml');
	writeFileSync(config, `runbooks:\n  dirs: [${runbooks}]\n`);
	return config;
}

it.each([
	[80, 24],
	[200, 50],
])('pod names in CJK, emoji and RTL keep every right border in the last column at %i columns', async (cols, rows) => {
	const dir = makeTempDir();
	const app = await openConsole({args: ['--drill', 'wide', '--config', wideDrill(dir)], cols, rows});
	await app.waitFor('1 Pods 4 not ready');
	await app.settle();
	const buffer = app.terminal.buffer.active;
	for (let row = 2; row < rows - 2; row++) {
		const line = buffer.getLine(buffer.viewportY + row);
		expect(line?.getCell(cols - 1)?.getChars(), `row ${row + 1}\n${app.dump()}`).toMatch(/^[│║┐╗┘╝]$/);
	}
	expect(app.output).not.toMatch(/[\u200B\u202A-\u202E\u2066-\u2069]/);
});
