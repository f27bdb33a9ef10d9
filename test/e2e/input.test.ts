/** Input from outside the console's control: the environment's time zone, where standard output goes, the files it is pointed at. */
import {execFile, execFileSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {childEnv, cleanup, makeTempDir, projectRoot, runCli, warroomBin, type CliResult} from '../helpers/pty';
import {openConsole} from './steps';

afterEach(cleanup);

it.each([
	['Mars/Olympus', 'UTC: TZ invalid', 'UTC'],
	['Europe/Paris', 'Europe/Paris', 'Europe/Paris'],
])('with TZ=%s the timeline names the zone its times are in (%s)', async (tz, label, zone) => {
	const dataDir = makeTempDir();
	const at = new Date(Date.now() - 3600_000).toISOString();
	const declared = {seq: 1, at, actor: 'alice@bastion', type: 'declared', title: 'Slow search', severity: 'P2', services: []};
	writeFileSync(join(dataDir, 'INC-1.jsonl'), `${JSON.stringify(declared)}\n`);
	const app = await openConsole({dataDir, cols: 120, rows: 30, env: {TZ: tz}});
	const screen = await app.waitFor(`4 Timeline INC-1 (${label})`);
	const time = new Date(at).toLocaleTimeString('en-GB', {hour12: false, timeZone: zone});
	expect(screen.join('\n')).toContain(`${time} alice@bastion  declared P2 "Slow search"`);
});

/** Runs the bundle through `sh -c` so that standard output can be redirected as a responder's shell would. */
function runWithStdout(redirect: string, args: string[]): Promise<CliResult> {
	return new Promise(done => {
		execFile('/bin/sh', ['-c', `exec "$0" "$@" ${redirect}`, process.execPath, warroomBin, ...args], {env: childEnv(), cwd: projectRoot, timeout: 15_000}, (error, stdout, stderr) => {
			done({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
		});
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

it.each([
	['a named pipe', (dir: string) => {
		const fifo = join(dir, 'warroom.yaml');
		execFileSync('mkfifo', [fifo]);
		return fifo;
	}],
	['a device', () => '/dev/zero'],
])('--config pointing at %s exits 2 at once, naming the file', async (kind, make) => {
	const dir = makeTempDir();
	const file = make(dir);
	const started = Date.now();
	const result = await runCli(['snapshot', '--config', file, '--data-dir', dir]);
	expect(result).toMatchObject({code: 2, stdout: '', stderr: `warroom: ${file}: not a regular file (${kind})\n`});
	expect(Date.now() - started).toBeLessThan(5000);
});
