/** The console follows the terminal's size, and says so when it is too small to draw. */
import {afterEach, expect, it} from 'vitest';
import {cleanup} from '../helpers/pty';
import {drillArgs, expectFrameInPlace, openConsole} from './steps';

afterEach(cleanup);

const nonEmpty = (screen: string[]) => screen.filter(line => line !== '');

it('says the terminal is too small below 80×24 and draws the console again once it is big enough', async () => {
	const app = await openConsole({args: drillArgs});
	await app.waitFor('1 Pods');

	app.resize(60, 20);
	await app.waitFor('terminal too small');
	await app.waitFor(now => nonEmpty(now).length === 1);
	const screen = app.screen();
	expect(nonEmpty(screen)).toEqual(['terminal too small: need 80×24, have 60×20']);
	expect(screen[0]).toBe('terminal too small: need 80×24, have 60×20');

	app.resize(80, 23);
	await app.waitFor('terminal too small: need 80×24, have 80×23');
	expect(nonEmpty(app.screen())).toEqual(['terminal too small: need 80×24, have 80×23']);

	app.resize(80, 24);
	await app.waitFor('1 Pods');
	expect(app.screenText()).not.toContain('terminal too small');
	for (const title of ['1 Pods', '2 Database', '3 Health', '4 Timeline', '5 Severities'])
		expect(app.rowsContaining(title)).toHaveLength(1);
	expectFrameInPlace(app, /no incident declared/);
	expect(app.isAlternateScreen()).toBe(true);
});

it('fills a large terminal: the frame spans the width and stops one row short of the bottom', async () => {
	const app = await openConsole({args: drillArgs});
	await app.waitFor('1 Pods');

	app.resize(200, 60);
	const screen = await app.waitFor(now => (now[2] ?? '').length >= 198 && (now[58] ?? '').startsWith('? help'));
	// The top panel row: Pods then Health, its right border in the last column.
	const top = screen[2]!;
	expect(top).toMatch(/^[┌╔][─═] 1 Pods/);
	expect(top.length).toBe(200);
	expect(top.at(-1)).toMatch(/[┐╗]/);
	expect(top).toContain('3 Health');
	// The database panel spans the whole width.
	const database = screen.find(line => line.includes('2 Database'))!;
	expect(database.length).toBe(200);
	expect(screen[59]).toBe('');
	expect(screen[57]).toMatch(/^[└╚]/);
	expect(screen[58]).toMatch(/^\? help · q quit/);
	// At 200 columns nothing on the drill line needs cutting short.
	expect(screen[1]).toBe('drill api-gateway-outage: API gateway outage after a bad deploy · nothing here touches a real system');
	// Lines that did not change are drawn again too: the screen was wiped for the new size.
	expect(screen[0]).toContain('no incident declared: press d to declare one');

	app.resize(80, 24);
	await app.waitFor(now => (now[2] ?? '').length === 80 && (now[22] ?? '').startsWith('? help') && now[23] === '');
	expectFrameInPlace(app, /no incident declared/);
	expect(app.screen().every(line => line.length <= 80)).toBe(true);
});
