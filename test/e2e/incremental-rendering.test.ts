/**
 * The console redraws only the lines that changed (Ink's incremental
 * rendering). Ink 6.8 moves the cursor up one line too few before each such
 * redraw (patches/ink+6.8.0.patch fixes it): the frame then creeps down a row
 * per redraw and leaves stale copies of its lines behind. After a minute's
 * worth of ordinary use the screen must still be exactly one frame, in place.
 *
 * Run against another build with WARROOM_BIN=/path/to/warroom.js.
 */
import {afterEach, expect, it} from 'vitest';
import {cleanup, keys, sleep, type ConsoleSession} from '../helpers/pty';
import {declareIncident, drillArgs, elapsedSeconds, openConsole} from './steps';

afterEach(cleanup);

const panelTitles = ['1 Pods', '2 Database', '3 Health', '4 Timeline INC-1', '5 Initial assessment'];

/** The newest elapsed clock on any row: where the incident line is drawn is what is under test. */
const latestClock = (screen: string[]) =>
	Math.max(-1, ...screen.filter(line => line.includes('INC-1  P1')).map(line => elapsedSeconds([line])));

/** Exactly one frame: header on rows 1-2, panels from row 3, footer on rows-1, nothing below, nothing twice. */
function expectOneFrame(app: ConsoleSession, screen: string[], when: string): void {
	const rows = app.rows;
	const dump = `${when}\n${screen.map((line, index) => `${String(index + 1).padStart(3)} |${line}`).join('\n')}`;
	const header = screen.flatMap((line, index) =>
		/^ DRILL {2}INC-1 {2}P1 {2}investigating \d\d:\d\d/.test(line) ? [index + 1] : [],
	);
	expect(header, `the incident line, once, on row 1: ${dump}`).toEqual([1]);
	const deadlines = screen.flatMap((line, index) =>
		/^ PROD {2}respond (in \d+m|done) · escalate in/.test(line) ? [index + 1] : [],
	);
	expect(deadlines, `the deadline line, once, on row 2: ${dump}`).toEqual([2]);
	expect(screen[2], `row 3 opens the panels: ${dump}`).toMatch(/^[┌╔]/);
	expect(screen[rows - 3], `row ${rows - 2} closes the panels: ${dump}`).toMatch(/^[└╚]/);
	expect(screen[rows - 2], `row ${rows - 1} is the footer: ${dump}`).toMatch(/^(\? help · q quit|INC-1 declared|note added)/);
	expect(screen[rows - 1], `row ${rows} is empty: ${dump}`).toBe('');
	for (const title of panelTitles) {
		expect(
			screen.filter(line => line.includes(title)),
			`"${title}" once: ${dump}`,
		).toHaveLength(1);
	}
	// Every non-blank text line of the frame appears once (blank panel rows may repeat).
	const texts = screen.filter(line => /[A-Za-z0-9]/.test(line));
	const repeated = texts.filter((line, index) => texts.indexOf(line) !== index);
	expect(repeated, `no line drawn twice: ${dump}`).toEqual([]);
}

it('after ticks, focus moves, help and a note, the screen is still one frame in place', {timeout: 40_000}, async () => {
	const app = await openConsole({args: drillArgs});
	await declareIncident(app, {title: 'API gateway outage', services: 'api-gateway'});
	const screen = await app.waitFor('5 Initial assessment');
	expectOneFrame(app, screen, 'just declared');

	// The clock redraws the incident line every second; the drill changes panels meanwhile.
	const start = elapsedSeconds(screen);
	await app.waitFor(now => latestClock(now) >= start + 4, {timeout: 8000});
	expectOneFrame(app, await app.settledScreen(), 'after four ticks');

	// Moving the focus redraws two panels' borders at a time.
	for (let i = 0; i < 5; i++) {
		app.press(keys.tab);
		await sleep(120);
	}
	expectOneFrame(app, await app.settledScreen(), 'after Tab ×5');

	// Help covers the panels; any key brings them back.
	app.press('?');
	await app.waitFor('Keys · ');
	await sleep(1100);
	app.press('x');
	await app.waitForGone('Keys · ');
	await sleep(200);
	expectOneFrame(app, await app.settledScreen(), 'after help');

	// A note: the form, then the timeline and the deadline line change.
	app.press('n');
	await app.waitFor('Add a note');
	await app.type('failing over to the standby');
	app.press(keys.enter);
	await app.waitFor('respond done');
	await sleep(1100);
	expectOneFrame(app, await app.settledScreen(), 'after a note');

	// Zoom in and out of the timeline.
	await app.pressEach(['4', keys.enter]);
	await app.waitFor(/TIME +WHO +WHAT/);
	await sleep(300);
	app.press(keys.esc);
	await app.waitFor('1 Pods');
	const before = latestClock(await app.settledScreen());
	await app.waitFor(now => latestClock(now) >= before + 2, {timeout: 5000});
	expectOneFrame(app, await app.settledScreen(), 'after zooming the timeline and two more ticks');
});
