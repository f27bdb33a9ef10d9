/** The console on a real data dir (no drill): incidents declared elsewhere, and two responders at once. */
import {mkdirSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {cleanup, makeTempDir, runCli} from '../helpers/pty';
import {addNote, countdownSeconds, declareIncident, expectFrameInPlace, openConsole} from './steps';

afterEach(cleanup);

it('shows an incident declared from the command line, with P0 deadlines, and no sources configured', async () => {
	const dataDir = makeTempDir();
	const declared = await runCli(['declare', '--severity', 'P0', '--title', 'DB down', '--data-dir', dataDir]);
	expect(declared).toMatchObject({code: 0, stdout: 'INC-1 declared: P0 DB down\n'});

	const app = await openConsole({dataDir});
	const screen = await app.waitFor(/escalate in 4m · respond in 14m · customer in 29m/);
	expect(screen[0]).toMatch(/^ INC-1 {2}P0 {2}investigating \d\d:\d\d · next: escalate in 04:[0-5]\d · DB down$/);
	expect(screen[0]).not.toContain('DRILL');
	expect(countdownSeconds(screen, 'escalate')).toBeGreaterThan(4 * 60);
	expect(screen[1]).toBe('escalate in 4m · respond in 14m · customer in 29m');
	const text = screen.join('\n');
	expect(text).toContain('off: no cluster configured');
	expect(text).toContain('off: no database configured');
	expect(text).toContain('off: no checks configured');
	expect(text).toMatch(/4 Timeline INC-1/);
	expect(text).toMatch(/declared P0 "DB dow/);
	expect(text).toContain('5 Initial assessment 0-5m');
	expectFrameInPlace(app, /^ INC-1/);
});

it('two consoles on one data dir see each other’s events within 2 s', async () => {
	const dataDir = makeTempDir();
	const alice = await openConsole({dataDir, cols: 120, rows: 30});
	const bob = await openConsole({dataDir, cols: 120, rows: 30});
	await alice.waitFor('no incident declared');
	await bob.waitFor('no incident declared');

	await declareIncident(alice, {severity: 'P2', title: 'Checkout latency', services: 'checkout'});
	await alice.waitFor('declared P2 "Checkout latency" (checkout)');
	const screen = await bob.waitFor('declared P2 "Checkout latency" (checkout)', {timeout: 2000});
	expect(screen[0]).toMatch(/^ INC-1 {2}P2 {2}investigating/);

	await addNote(bob, 'p99 back under 300ms');
	await bob.waitFor('note: p99 back under 300ms');
	await alice.waitFor('note: p99 back under 300ms', {timeout: 2000});

	for (const responder of [alice, bob]) {
		const seen = await responder.settledScreen();
		const text = seen.join('\n');
		const declaredRow = seen.findIndex(line => line.includes('declared P2 "Checkout latency"'));
		const noteRow = seen.findIndex(line => line.includes('note: p99 back under 300ms'));
		expect(declaredRow, text).toBeGreaterThan(0);
		expect(noteRow, 'the note comes after the declaration').toBe(declaredRow + 1);
		// The header follows at the clock's next tick at the latest.
		await responder.waitFor(now => /^respond done/.test(now[1] ?? ''), {timeout: 1500});
	}
});

it('an unreadable incident file is reported and skipped: the open incident stays, the console keeps following, snapshot exits 1', async () => {
	const dataDir = makeTempDir();
	expect((await runCli(['declare', '--severity', 'P0', '--title', 'DB down', '--data-dir', dataDir])).code).toBe(0);
	const unreadable = join(dataDir, 'INC-2.jsonl');
	mkdirSync(unreadable);
	const skipped = `INC-2 skipped: cannot read ${unreadable}: is a directory`;

	const app = await openConsole({dataDir, cols: 120, rows: 30});
	const screen = await app.waitFor('INC-2 skipped');
	expect(screen[0]).toMatch(/^ INC-1 {2}P0 {2}investigating/);
	expect((await runCli(['note', 'INC-1', 'failover started', '--data-dir', dataDir])).code).toBe(0);
	await app.waitFor('note: failover started');
	expect(app.exit).toBeUndefined();

	const snapshot = await runCli(['snapshot', '--format', 'json', '--data-dir', dataDir]);
	expect(snapshot.stderr).toBe(`warroom: ${skipped}\n`);
	expect(snapshot.code).toBe(1);
	const report = JSON.parse(snapshot.stdout) as {incident: {id: string}; journalProblems: unknown};
	expect(report.incident.id).toBe('INC-1');
	expect(report.journalProblems).toEqual([{incident: 'INC-2', message: `cannot read ${unreadable}: is a directory`}]);

	const declared = await runCli(['declare', '--severity', 'P1', '--title', 'Cache down', '--data-dir', dataDir]);
	expect(declared).toEqual({code: 0, stdout: 'INC-3 declared: P1 Cache down\n', stderr: `warroom: ${skipped}\n`});
	expect(
		readdirSync(dataDir)
			.filter(name => /^INC-\d+\.jsonl$/.test(name))
			.sort(),
	).toEqual(['INC-1.jsonl', 'INC-2.jsonl', 'INC-3.jsonl']);
});
