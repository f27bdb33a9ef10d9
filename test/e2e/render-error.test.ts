/**
 * A component that throws while drawing: the console leaves cleanly (normal
 * screen, cursor shown, bracketed paste off), prints the error after leaving
 * and exits 70, instead of freezing on Ink's error overview.
 */
import {resolve} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {cleanup, makeTempDir, projectRoot, startConsole, warroomBin} from '../helpers/pty';
import {writeOpenIncident} from './steps';

afterEach(cleanup);

it('a render error exits 70 with the terminal restored and the error on the normal screen', async () => {
	const dataDir = makeTempDir();
	writeOpenIncident(dataDir);
	const app = startConsole({
		dataDir,
		cols: 120,
		rows: 30,
		bin: resolve(projectRoot, 'test/e2e/fixtures/render-fault.mjs'),
		env: {RENDER_FAULT_BIN: warroomBin},
	});
	await app.waitFor(() => app.exit !== undefined, {timeout: 10_000});
	expect(app.exit?.exitCode).toBe(70);
	expect(app.isAlternateScreen()).toBe(false);
	expect(app.isCursorHidden()).toBe(false);
	expect(app.terminal.modes.bracketedPasteMode).toBe(false);
	const text = app.screenText();
	expect(text).toContain('warroom: RangeError: Invalid time value');
	expect(text).toMatch(/^ {4}at /m);
	// Ink's own error overview is not what the responder is left with.
	expect(text).not.toContain(' ERROR ');
});
