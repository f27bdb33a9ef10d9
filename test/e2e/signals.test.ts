/** Every way out gives the responder's terminal back: the normal screen, the cursor shown, nothing of the console left on it. */
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup, keys, sleep} from '../helpers/pty';
import {drillArgs, openConsole} from './steps';

afterEach(cleanup);

const signals = [
	['SIGTERM', 143],
	['SIGHUP', 129],
	['SIGINT', 130],
	['SIGQUIT', 131],
] as const;

/** Exited with `code`, back on the normal screen with the cursor shown and nothing of the console on it. */
async function expectCleanExit(app: Awaited<ReturnType<typeof openConsole>>, code: number) {
	const exit = await app.exited;
	expect(exit.exitCode).toBe(code);
	expect(app.isAlternateScreen()).toBe(false);
	expect(app.isCursorHidden()).toBe(false);
	expect(app.screen().filter(line => line !== '')).toEqual([]);
}

describe('leaving the console', () => {
	it('Ctrl+C quits with 0 and restores the normal screen', async () => {
		const app = await openConsole({args: drillArgs});
		expect(app.isAlternateScreen()).toBe(true);
		app.press(keys.ctrlC);
		await expectCleanExit(app, 0);
	});

	it('Ctrl+C in the middle of a form still quits cleanly', async () => {
		const app = await openConsole({args: drillArgs});
		app.press('d');
		await app.waitFor('Declare an incident');
		await app.type('half a ti');
		app.press(keys.ctrlC);
		await expectCleanExit(app, 0);
	});

	for (const [signal, code] of signals) {
		it(`${signal} exits with ${code}, restores the normal screen and shows the cursor`, async () => {
			const app = await openConsole({args: drillArgs});
			expect(app.isAlternateScreen()).toBe(true);
			app.kill(signal);
			await expectCleanExit(app, code);
		});
	}

	// The SSH link drops, or the terminal is closed, while the screen is being redrawn:
	// two quick key presses leave Ink with a throttled frame still to draw when the signal lands.
	for (const [signal, code] of signals.slice(0, 2)) {
		it(`${signal} during a redraw leaves nothing of the console on the normal screen`, async () => {
			const app = await openConsole({args: drillArgs});
			await app.waitFor('every pod is Running and Ready');
			await sleep(200);
			app.press(keys.tab);
			await sleep(15);
			app.press(keys.tab);
			await sleep(15);
			app.kill(signal);
			const exit = await app.exited;
			expect(exit.exitCode).toBe(code);
			expect(app.isAlternateScreen()).toBe(false);
			expect(
				app.screen().filter(line => line !== ''),
				`the normal screen after ${signal}\n${app.dump()}`,
			).toEqual([]);
		});
	}
});
