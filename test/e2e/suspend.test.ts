/**
 * Ctrl+Z (a key in raw mode) and kill -TSTP give the shell its screen back;
 * `fg` (SIGCONT) takes the terminal again and redraws the whole frame.
 */
import {readFileSync} from 'node:fs';
import {afterEach, expect, it} from 'vitest';
import {cleanup, keys} from '../helpers/pty';
import {drillArgs, expectFrameInPlace, openConsole} from './steps';

afterEach(cleanup);

/** The process state letter from /proc: `T` while stopped. */
const processState = (pid: number) => /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];

for (const how of ['Ctrl+Z', 'SIGTSTP'] as const) {
	it(`${how} leaves the alternate screen and stops; SIGCONT comes back to a whole frame that takes keys`, async () => {
		const app = await openConsole({args: drillArgs});
		expect(app.terminal.modes.bracketedPasteMode).toBe(true);
		if (how === 'Ctrl+Z') app.press('\x1a');
		else process.kill(app.pid, 'SIGTSTP');
		await app.waitFor(() => !app.isAlternateScreen() && !app.isCursorHidden() && processState(app.pid) === 'T');
		expect(app.terminal.modes.bracketedPasteMode).toBe(false);
		expect(await app.isRawMode()).toBe(false);
		// Nothing of the console is left where the shell's prompt goes.
		expect(app.screen().filter(line => line !== '')).toEqual([]);
		// The window changes while the shell has it: the frame comes back at the new size.
		app.resize(100, 30);
		process.kill(app.pid, 'SIGCONT');
		await app.waitFor(
			screen => app.isAlternateScreen() && screen[28]!.includes('? help') && screen[0]!.includes('no incident declared'),
		);
		expectFrameInPlace(app, /no incident declared/);
		expect(app.isCursorHidden()).toBe(true);
		expect(app.terminal.modes.bracketedPasteMode).toBe(true);
		expect(await app.isRawMode()).toBe(true);
		app.press('?');
		await app.waitFor('help: the keys live here');
		await app.pressEach([keys.esc, 'q']);
		expect((await app.exited).exitCode).toBe(0);
		expect(app.isAlternateScreen()).toBe(false);
	});
}
