/**
 * A component that throws while drawing, or an exception nothing catches:
 * the console leaves cleanly (normal screen, cursor shown, bracketed paste
 * off), prints the error after leaving and exits 70, instead of freezing on
 * Ink's error overview. The faults are injected by wrappers in fixtures/.
 */
import {resolve} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {writeOpenIncident} from '../helpers/incidents';
import {cleanup, makeTempDir, projectRoot, startConsole, warroomBin, type ConsoleSession} from '../helpers/pty';

afterEach(cleanup);

/** Runs the console under a fault wrapper and waits for it to go; returns the normal screen's text. */
async function crashedConsole(fault: string, trigger?: (app: ConsoleSession) => Promise<void>): Promise<string> {
	const dataDir = makeTempDir();
	writeOpenIncident(dataDir);
	const app = startConsole({
		dataDir,
		cols: 120,
		rows: 30,
		bin: resolve(projectRoot, 'test/e2e/fixtures', fault),
		env: {FAULT_BIN: warroomBin},
	});
	await trigger?.(app);
	await app.waitFor(() => app.exit !== undefined, {timeout: 10_000});
	expect(app.exit?.exitCode).toBe(70);
	expect(app.isAlternateScreen()).toBe(false);
	expect(app.isCursorHidden()).toBe(false);
	expect(app.terminal.modes.bracketedPasteMode).toBe(false);
	return app.screenText();
}

it('a render error exits 70 with the terminal restored and the error on the normal screen', async () => {
	const text = await crashedConsole('render-fault.mjs');
	expect(text).toContain('warroom: RangeError: Invalid time value');
	expect(text).toMatch(/^ {4}at /m);
	// Ink's own error overview is not what the responder is left with.
	expect(text).not.toContain(' ERROR ');
});

it('an uncaught exception exits 70 with the terminal restored and the error on the normal screen', async () => {
	const text = await crashedConsole('uncaught-fault.mjs', async app => {
		await app.waitFor('? help');
		process.kill(app.pid, 'SIGUSR2');
	});
	expect(text).toContain('warroom: Error: injected fault outside the screen');
	expect(text).toMatch(/^ {4}at /m);
});
