/**
 * Quitting while a note is being written: every way out waits for the write
 * (at most 3 s), and says on stderr what was not saved when it cannot wait
 * any longer.
 */
import {afterEach, expect, it} from 'vitest';
import {holdIncidentLock, writeOpenIncident} from '../helpers/incidents';
import {cleanup, keys, makeTempDir} from '../helpers/pty';
import {journalEvents, openConsole} from './steps';

afterEach(cleanup);

async function consoleOnIncident(dataDir = makeTempDir()) {
	writeOpenIncident(dataDir);
	const app = await openConsole({dataDir, cols: 120, rows: 30});
	await app.waitFor('declared P1 "API gateway outage"');
	return app;
}

async function typeNote(app: Awaited<ReturnType<typeof consoleOnIncident>>, text: string) {
	app.press('n');
	await app.waitFor('Add a note');
	await app.type(text);
}

it('q pressed with Enter keeps the note, every time', {timeout: 30_000}, async () => {
	for (let run = 1; run <= 6; run++) {
		const dataDir = makeTempDir();
		const app = await consoleOnIncident(dataDir);
		await typeNote(app, `note ${run}`);
		// Enter and q in one read, as from a fast typist or tmux send-keys.
		app.press(`${keys.enter}q`);
		expect((await app.exited).exitCode, `run ${run}`).toBe(0);
		expect(
			journalEvents(dataDir).map(event => event.text),
			`run ${run}`,
		).toEqual([undefined, `note ${run}`]);
	}
});

it('shows "saving…" while the note waits for the journal', async () => {
	const dataDir = makeTempDir();
	const app = await consoleOnIncident(dataDir);
	const release = holdIncidentLock(dataDir);
	await typeNote(app, 'waiting for the lock');
	app.press(keys.enter);
	await app.waitFor(screen => screen[28]!.startsWith('saving… '));
	release();
	await app.waitFor('note added to the timeline');
	expect(app.screen()[28]).not.toContain('saving…');
});

for (const [way, exitCode] of [
	['SIGHUP', 129],
	['SIGTERM', 143],
	['Ctrl+C', 0],
] as const) {
	it(`${way} while a note is being written waits for it, then exits ${exitCode}`, async () => {
		const dataDir = makeTempDir();
		const app = await consoleOnIncident(dataDir);
		const release = holdIncidentLock(dataDir);
		await typeNote(app, `saved despite ${way}`);
		app.press(keys.enter);
		await app.waitFor('saving…');
		if (way === 'Ctrl+C') app.press(keys.ctrlC);
		else app.kill(way);
		await app.waitFor('quitting once the journal has what was typed (at most 3 s)');
		release();
		const exit = await app.exited;
		expect(exit.exitCode).toBe(exitCode);
		expect(journalEvents(dataDir).map(event => event.text)).toEqual([undefined, `saved despite ${way}`]);
		expect(app.isAlternateScreen()).toBe(false);
		expect(app.screenText()).not.toContain('not saved');
	});
}

it('gives up after 3 s, exits 1 and names the note that was not saved', async () => {
	const dataDir = makeTempDir();
	const app = await consoleOnIncident(dataDir);
	holdIncidentLock(dataDir);
	await typeNote(app, 'the lock never came');
	app.press(`${keys.enter}q`);
	const started = Date.now();
	const exit = await app.exited;
	const waited = Date.now() - started;
	expect(exit.exitCode).toBe(1);
	expect(waited).toBeGreaterThanOrEqual(2900);
	expect(waited).toBeLessThan(5000);
	expect(app.isAlternateScreen()).toBe(false);
	expect(app.screenText()).toContain('warroom: not saved: note: "the lock never came" (the journal did not answer within 3 s)');
	expect(journalEvents(dataDir)).toHaveLength(1);
});

it('a dropped SSH link waits for the note in flight before the console goes', async () => {
	const dataDir = makeTempDir();
	const app = await consoleOnIncident(dataDir);
	holdIncidentLock(dataDir);
	await typeNote(app, 'typed as the link dropped');
	app.press(keys.enter);
	await app.waitFor('saving…');
	const started = Date.now();
	app.hangUp();
	await app.exited;
	// Drawing on the closed terminal fails from now on (EIO); the console still waits its 3 s for
	// the journal, then goes. (node-pty cannot tell the exit code of a process whose terminal it closed.)
	const waited = Date.now() - started;
	expect(waited).toBeGreaterThanOrEqual(2900);
	expect(waited).toBeLessThan(5000);
});
