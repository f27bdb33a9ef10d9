/**
 * The one-shot subcommands of the built binary, as a script or a cron job
 * calls them: what they print, what they write, and their exit codes
 * (0 fine, 1 something checked is unhealthy, 2 bad usage, config or input).
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {version} from '../../package.json';
import {cleanup, makeTempDir, runCli} from '../helpers/pty';

afterEach(cleanup);

const journalLines = (dataDir: string, id = 'INC-1') =>
	readFileSync(join(dataDir, `${id}.jsonl`), 'utf8')
		.trim()
		.split('\n')
		.map(line => JSON.parse(line) as Record<string, unknown>);

async function declared(dataDir: string, severity = 'P1'): Promise<void> {
	const result = await runCli([
		'declare',
		'--severity',
		severity,
		'--title',
		'Checkout errors',
		'--services',
		'api-gateway',
		'--data-dir',
		dataDir,
	]);
	expect(result).toMatchObject({code: 0, stdout: `INC-1 declared: ${severity} Checkout errors\n`});
}

describe('--help and --version', () => {
	it('--help prints the usage and exits 0', async () => {
		const result = await runCli(['--help']);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('Usage');
		expect(result.stdout).toContain('warroom snapshot');
		expect(result.stdout).toContain('Exit codes: 0 fine');
	});

	it('--version prints the package version and exits 0', async () => {
		expect(await runCli(['--version'])).toMatchObject({code: 0, stdout: `${version}\n`});
	});
});

describe('bad usage exits 2 with one line on stderr', () => {
	it.each([
		[['frobnicate'], /unknown command "frobnicate"/],
		[['--no-such-flag'], /--no-such-flag/],
		[['declare', '--severity', 'P7', '--title', 'x'], /--severity takes one of P0, P1, P2, P3, got "P7"/],
		[['declare', '--severity', 'P1'], /--title: a title is needed/],
		[['note', 'INC-x', 'hello'], /expected an incident id like INC-3, got "INC-x"/],
		[['snapshot', '--format', 'xml'], /--format takes text or json, got "xml"/],
		[['doctor', '--format', 'xml'], /--format takes text or json, got "xml"/],
	])('%j', async (args, message) => {
		const result = await runCli([...args, '--data-dir', makeTempDir()]);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(message);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stdout).toBe('');
	});

	it.each(['snapshot', 'doctor'])('a bad config names the file, the path in it and what was expected (%s)', async command => {
		const dir = makeTempDir();
		writeFileSync(
			join(dir, 'warroom.yaml'),
			'health:\n  - name: api\n    http: https://api.example.com/health\n    timeout: 3 sec\n',
		);
		const result = await runCli([command, '--data-dir', dir], {cwd: dir});
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/^warroom: warroom\.yaml: health\[0\]\.timeout: expected a duration like .*got "3 sec"\n$/);
	});
});

describe('note, status and severity', () => {
	it('each appends one event to the named incident and says which', async () => {
		const dataDir = makeTempDir();
		await declared(dataDir);
		expect(await runCli(['note', 'INC-1', 'rolled', 'back', 'to', 'v41', '--data-dir', dataDir])).toMatchObject({
			code: 0,
			stdout: 'INC-1: note recorded (event 2)\n',
		});
		expect(await runCli(['status', 'INC-1', 'identified', '--data-dir', dataDir])).toMatchObject({
			code: 0,
			stdout: 'INC-1: status recorded (event 3)\n',
		});
		expect(await runCli(['severity', 'INC-1', 'P0', '--data-dir', dataDir])).toMatchObject({
			code: 0,
			stdout: 'INC-1: severity recorded (event 4)\n',
		});
		expect(journalLines(dataDir).slice(1)).toMatchObject([
			{seq: 2, type: 'note', text: 'rolled back to v41'},
			{seq: 3, type: 'status', status: 'identified', from: 'investigating'},
			{seq: 4, type: 'severity', severity: 'P0', from: 'P1'},
		]);
	});

	it('a note with terminal escapes is written without them', async () => {
		const dataDir = makeTempDir();
		await declared(dataDir);
		const result = await runCli(['note', 'INC-1', '\u001B]0;owned\u0007rolled back\u001B[2J', '--data-dir', dataDir]);
		expect(result).toMatchObject({code: 0, stdout: 'INC-1: note recorded (event 2)\n'});
		const journal = readFileSync(join(dataDir, 'INC-1.jsonl'), 'utf8');
		expect(journal).not.toMatch(/\\u001b|\\u0007/i);
		expect(journalLines(dataDir)[1]).toMatchObject({type: 'note', text: 'rolled back'});
	});

	it('an incident that does not exist is bad input: exit 2, nothing written', async () => {
		const dataDir = makeTempDir();
		await declared(dataDir);
		const result = await runCli(['note', 'INC-7', 'hello', '--data-dir', dataDir]);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/INC-7/);
		expect(journalLines(dataDir)).toHaveLength(1);
	});

	it('refuses an empty note and an unknown status with exit 2', async () => {
		const dataDir = makeTempDir();
		await declared(dataDir);
		expect(await runCli(['note', 'INC-1', '   ', '--data-dir', dataDir])).toMatchObject({
			code: 2,
			stderr: 'warroom: the note is empty\n',
		});
		const status = await runCli(['status', 'INC-1', 'panicking', '--data-dir', dataDir]);
		expect(status.code).toBe(2);
		expect(status.stderr).toMatch(/status takes one of investigating, identified, fixing, monitoring, resolved, got "panicking"/);
		expect(journalLines(dataDir)).toHaveLength(1);
	});
});

describe('snapshot', () => {
	it('exits 0 with no incident and no sources, and reports "incident": null', async () => {
		const result = await runCli(['snapshot', '--format', 'json', '--data-dir', makeTempDir()]);
		expect(result.code).toBe(0);
		const report = JSON.parse(result.stdout) as Record<string, unknown>;
		expect(report.incident).toBeNull();
	});

	it('reports the newest unresolved incident with its deadlines, as text and as JSON', async () => {
		const dataDir = makeTempDir();
		await declared(dataDir, 'P0');
		const json = await runCli(['snapshot', '--format', 'json', '--data-dir', dataDir]);
		expect(json.code).toBe(0);
		const report = JSON.parse(json.stdout) as {
			incident: {id: string; severity: string; deadlines: Array<{name: string; overdue: boolean}>};
		};
		expect(report.incident).toMatchObject({id: 'INC-1', severity: 'P0'});
		expect(report.incident.deadlines.map(deadline => deadline.name).sort()).toEqual(['customer', 'escalate', 'respond']);
		const text = await runCli(['snapshot', '--data-dir', dataDir]);
		expect(text.code).toBe(0);
		expect(text.stdout).toMatch(/^INC-1 P0 investigating: Checkout errors/m);
	});

	it('reports the journal: the file store, where it is, live, how long reading it took, nothing waiting', async () => {
		const dataDir = makeTempDir();
		await declared(dataDir, 'P0');
		const json = await runCli(['snapshot', '--format', 'json', '--data-dir', dataDir]);
		const {journal} = JSON.parse(json.stdout) as {journal: {lagMs: number}};
		expect(journal).toEqual({store: 'file', where: dataDir, state: 'live', lagMs: expect.any(Number), waiting: 0});
		expect(journal.lagMs).toBeGreaterThanOrEqual(0);
		const text = await runCli(['snapshot', '--data-dir', dataDir]);
		expect(text.stdout).toMatch(new RegExp(`^journal: file ${dataDir}, live, read in \\d+ms$`, 'm'));
	});
});
