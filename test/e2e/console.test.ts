/**
 * The console as a responder meets it on a drill: the first screen, help,
 * declaring an incident, the running clock, a note, quitting.
 */
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup, keys, startConsole, sleep} from '../helpers/pty';
import {addNote, countdownSeconds, declareIncident, drillArgs, elapsedSeconds, expectFrameInPlace, openConsole} from './steps';

afterEach(cleanup);

describe('the console on a drill', () => {
	it('opens on the alternate screen with the header, five framed panels and the key hints', async () => {
		const app = await openConsole({args: drillArgs});
		const screen = await app.waitFor('5 Severities');
		expect(app.isAlternateScreen()).toBe(true);
		expect(app.isCursorHidden()).toBe(true);
		expect(screen[0]).toContain(' DRILL ');
		expect(screen[0]).toContain('no incident declared: press d to declare one');
		expect(screen[1]).toContain('drill api-gateway-outage');
		for (const title of ['1 Pods', '2 Database', '3 Health', '4 Timeline', '5 Severities']) {
			expect(app.rowsContaining(title), `"${title}" once in a panel title\n${app.dump()}`).toHaveLength(1);
		}
		expect(screen[22]).toMatch(/^\? help · q quit · Tab next panel/);
		expectFrameInPlace(app, /^ DRILL {3}PROD {2}drill-prod · no incident declared/);
		expect(app.screenText()).toContain('nothing recorded yet');
		expect(app.screenText()).toMatch(/P1 High respond 1h/);
	});

	it('? lists the live keys and any key closes the list', async () => {
		const app = await openConsole({args: drillArgs});
		app.press('?');
		const help = await app.waitFor('Keys · ');
		const text = help.join('\n');
		expect(text).toMatch(/Keys · pods panel · any key closes/);
		expect(text).toMatch(/q\s+quit/);
		expect(text).toMatch(/d\s+declare an incident/);
		expect(text).toMatch(/Tab\s+next panel/);
		// Nothing to note on before an incident exists: the key is not live, so not listed.
		expect(text).not.toMatch(/add a note/);
		expect(app.rowsContaining('1 Pods')).toEqual([]);

		app.press('x');
		await app.waitForGone('Keys · ');
		await app.waitFor('1 Pods');
		expectFrameInPlace(app, /no incident declared/);
	});

	it('d opens the declare form: a title is required, ←/→ choose the severity, Esc cancels', async () => {
		const app = await openConsole({args: drillArgs});
		app.press('d');
		let form = await app.waitFor('Declare an incident');
		expect(form.join('\n')).toMatch(/> Severity: +P0 +P1 +P2 +P3/);
		expect(form.join('\n')).toMatch(/Title:/);
		expect(form.join('\n')).toMatch(/Affected services:/);
		expect(form.join('\n')).toContain('Enter save · Tab/↑↓ field · ←→ choose · Esc cancel');
		// P1 is chosen: drawn in inverse video.
		expect(app.output).toMatch(/\x1b\[7m P1 \x1b\[27m/);

		// Enter on an empty title: the form stays, says why, and puts the cursor on the title.
		app.press(keys.enter);
		form = await app.waitFor('a title is needed');
		expect(form.join('\n')).toMatch(/! a title is needed/);
		expect(form.join('\n')).toMatch(/> Title:/);
		expect(form.join('\n')).toContain('Declare an incident');

		// Back to the severity: → picks P2, ← ← picks P0.
		app.press(keys.up);
		await app.waitFor(/> Severity:/);
		await app.pressEach([keys.right]);
		await app.waitFor(() => /\x1b\[7m P2 \x1b\[27m/.test(app.output.slice(app.output.lastIndexOf('Severity'))));
		await app.pressEach([keys.left, keys.left]);
		await app.waitFor(() => /\x1b\[7m P0 \x1b\[27m/.test(app.output.slice(app.output.lastIndexOf('Severity'))));

		// Tab walks the fields and wraps around.
		await app.pressEach([keys.tab]);
		await app.waitFor(/> Title:/);
		await app.pressEach([keys.tab]);
		await app.waitFor(/> Affected services:/);
		await app.pressEach([keys.tab]);
		await app.waitFor(/> Severity:/);

		app.press(keys.esc);
		await app.waitForGone('Declare an incident');
		const screen = await app.waitFor('1 Pods');
		expect(screen[0]).toContain('no incident declared');
		expect(app.screenText()).not.toContain('INC-1');
	});

	it('declaring starts the clock and the deadlines; a note meets the respond deadline', async () => {
		const app = await openConsole({args: drillArgs});
		await declareIncident(app, {severity: 'P1', title: 'API gateway outage', services: 'api-gateway, auth'});

		let screen = await app.waitFor(/respond in 59m · escalate in 1h59m · customer in 1h59m/);
		expect(screen[0]).toMatch(/^ DRILL {2}INC-1 {2}P1 {2}investigating \d\d:\d\d · next: respond in 59:[0-5]\d · API gateway/);
		expect(screen[1]).toBe(' PROD  respond in 59m · escalate in 1h59m · customer in 1h59m · drill-prod');
		expect(screen[22]).toBe('INC-1 declared: P1 API gateway outage');
		expect(app.screenText()).toContain('4 Timeline INC-1');
		expect(app.screenText()).toMatch(/declared P1 "API ga/);
		expect(app.screenText()).toContain('5 Initial assessment 0-5m');
		expectFrameInPlace(app, /INC-1/);

		// The clock counts up and the countdown down, second by second.
		const elapsed = elapsedSeconds(screen);
		const left = countdownSeconds(screen, 'respond');
		screen = await app.waitFor(now => elapsedSeconds(now) >= elapsed + 2, {timeout: 4000});
		expect(countdownSeconds(screen, 'respond')).toBeLessThanOrEqual(left - 2);
		expect(countdownSeconds(screen, 'respond')).toBeGreaterThanOrEqual(left - 4);

		// The timeline zoomed (4, Enter) shows the declaration in full.
		await app.pressEach(['4', keys.enter]);
		await app.waitFor('declared P1 "API gateway outage" (api-gateway, auth)');
		expect(app.rowsContaining('1 Pods')).toEqual([]);
		await app.pressEach([keys.esc]);
		await app.waitFor('1 Pods');

		await addNote(app, 'rolled back');
		screen = await app.waitFor('respond done');
		expect(screen[1]).toMatch(/^ PROD {2}respond done · escalate in 1h59m · customer in 1h59m/);
		expect(screen[0]).toMatch(/next: escalate in 1:59:[0-5]\d/);
		expect(app.screenText()).toMatch(/[│║] \d\d:\d\d:\d\d \S+ +note: rolled back/);
		expect(app.screenText()).toMatch(/declared P1 "API ga/);
	});

	it('right after declaring, the runbook shows the first phase, never the last', async () => {
		const app = await openConsole({args: drillArgs});
		app.press('d');
		await app.waitFor('Declare an incident');
		await app.pressEach([keys.tab]);
		await app.type('Gateway 502s');
		const from = app.output.length;
		app.press(keys.enter);
		await app.waitFor('INC-1 declared');
		const screen = await app.waitFor('5 Initial assessment 0-5m');
		expect(screen.join('\n')).not.toContain('Investigation');
		// Until the clock's next tick, no frame drawn may show another phase either.
		const start = elapsedSeconds(screen);
		await app.waitFor(now => elapsedSeconds(now) >= start + 1, {timeout: 3000});
		const drawn = app.output.slice(from).match(/5 [A-Z][a-z]+(?: [a-z]+)* [\d-]+m/g) ?? [];
		expect(drawn.length).toBeGreaterThan(0);
		expect([...new Set(drawn)]).toEqual(['5 Initial assessment 0-5m']);
	});

	it('the note form opens with n and an empty note is refused', async () => {
		const app = await openConsole({args: drillArgs});
		await declareIncident(app, {title: 'Gateway 502s'});
		app.press('n');
		await app.waitFor('Add a note');
		expect(app.screenText()).toMatch(/> Note:/);
		app.press(keys.enter);
		await app.waitFor('the note is empty');
		app.press(keys.esc);
		await app.waitForGone('Add a note');
		expect(app.screenText()).not.toContain('note:');
		expect(app.screen()[1]).toMatch(/^ PROD {2}respond in/);
	});

	it('q quits with 0 and gives the normal screen and the cursor back', async () => {
		const app = await openConsole({args: drillArgs});
		expect(app.isAlternateScreen()).toBe(true);
		app.press('q');
		const exit = await app.exited;
		expect(exit.exitCode).toBe(0);
		expect(app.isAlternateScreen()).toBe(false);
		expect(app.isCursorHidden()).toBe(false);
		// The console drew only on the alternate screen: the normal one is as it was.
		expect(app.screenText()).not.toContain('1 Pods');
	});
});

describe('keys typed while the console starts', () => {
	it('are never echoed under the frame, and act once the console is up', async () => {
		const app = startConsole({args: drillArgs});
		for (let waited = 0; !app.output.includes('\u001B[?1049h') && waited < 10_000; waited += 1) await sleep(1);
		// A responder typing from the moment the screen switches until the first frame is up.
		for (let typed = 0; typed < 400 && !app.screenText().includes('? help'); typed += 1) {
			app.press('x');
			await sleep(1);
		}
		await app.waitFor('? help');
		app.press('d');
		const screen = await app.waitFor('Declare an incident');
		expect(screen[23]).toBe('');
		expect(app.screenText()).not.toMatch(/x{2,}/);
	});
});
