/** --read-only binds nothing that writes; NO_COLOR keeps every state in words and drops the colours. */
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup, keys, makeTempDir, runCli} from '../helpers/pty';
import {formSpecs} from '../../source/actions/forms';
import {registry} from '../../source/actions/registry';
import {panelIds} from '../../source/view-model/panels';
import {hour, writeOpenIncident} from '../helpers/incidents';
import {addNote, drillArgs, journalEvents, openConsole, quickDrill, quickDrillArgs} from './steps';

/** What the terminal sends for a key the key map names. */
const terminalKey = (name: string) => ({space: ' ', enter: keys.enter, tab: keys.tab, esc: keys.esc})[name] ?? name;

afterEach(cleanup);

/** SGR parameters that set or reset a colour (foreground, background, bright, 256/true colour). */
function colourCodes(output: string): string[] {
	const found = new Set<string>();
	for (const match of output.matchAll(/\x1b\[([0-9;:]*)m/g)) {
		const params = (match[1] ?? '').split(/[;:]/).filter(Boolean).map(Number);
		if (params.some(n => (n >= 30 && n <= 49) || (n >= 90 && n <= 107))) found.add(JSON.stringify(match[0]));
	}
	return [...found];
}

/** A P0 declared two hours ago, in the quick drill's journal: every deadline is overdue. */
function overdueIncident(dataDir: string): void {
	writeOpenIncident(join(dataDir, 'drills', quickDrill), {title: 'Gateway down', severity: 'P0', ageMs: 2 * hour});
}

describe('--read-only', () => {
	it('marks the footer, opens no form on d, and help lists nothing that writes', async () => {
		const app = await openConsole({args: [...drillArgs, '--read-only']});
		let screen = await app.waitFor('[READ-ONLY]');
		expect(screen[22]).toMatch(/^\[READ-ONLY\] \? help · q quit/);
		expect(screen[22]).not.toContain('declare');
		expect(screen[0]).toContain('no incident declared');
		expect(screen[0]).not.toContain('press d');

		// Keys are handled in order: once help is up, d has been handled, and a form would have caught the ?.
		app.press('d?');
		screen = await app.waitFor('Keys · ');
		expect(screen.join('\n')).not.toContain('Declare an incident');
		expect(screen[0]).toContain('no incident declared');
		// The overlay: between the header's two lines and the footer.
		const help = screen.slice(2, 22).join('\n');
		expect(help).toContain('read-only: nothing that writes is bound');
		expect(help).toMatch(/q\s+quit/);
		expect(help).toMatch(/r\s+refresh every source now/);
		expect(help).not.toMatch(/declare/);
		expect(help).not.toMatch(/\bd\s{2,}/);
	});

	it('with an incident open, no key of the registry that is not a read opens or journals anything, and help offers none', async () => {
		const dataDir = makeTempDir();
		await runCli(['declare', '--severity', 'P1', '--title', 'Queue backlog', '--data-dir', dataDir]);
		const app = await openConsole({dataDir, args: ['--read-only']});
		await app.waitFor(/INC-1 {2}P1/);
		const writers = registry.filter(action => action.risk !== 'read');
		expect(writers.map(action => action.id)).toEqual(
			expect.arrayContaining(['declare', 'note', 'status', 'severity', 'escalate', 'communicate', 'tick']),
		);
		for (const action of writers) {
			// In a panel where the action would be live.
			app.press(String(panelIds.indexOf(action.panels?.[0] ?? 'pods') + 1));
			for (const key of action.keys) {
				// Help opening proves the key before it was handled; a form or a confirmation would have taken the ? instead.
				app.press(`${terminalKey(key)}?`);
				const screen = (await app.waitFor('Keys · ')).join('\n');
				expect(screen, `after ${key}`).not.toMatch(/Run it\?|to run it|Enter save/);
				if (action.form) expect(screen, `after ${key}`).not.toContain(formSpecs[action.form].title);
				expect(screen, `help after ${key}`).not.toContain(action.description);
				app.press(keys.esc);
				await app.waitForGone('Keys · ');
			}
		}
		app.press('?');
		const help = (await app.waitFor('Keys · ')).slice(2, 22).join('\n');
		expect(help).toContain('read-only: nothing that writes is bound');
		expect(help).toMatch(/r\s+refresh every source now/);
		app.press(keys.esc);
		await app.waitForGone('Keys · ');
		expect((await app.settledScreen())[1]).toMatch(/^respond in/);
		expect(journalEvents(dataDir).map(event => event.type)).toEqual(['declared']);
	});
});

describe('--dry-run', () => {
	it('marks the footer and still records what only writes the journal (a note)', async () => {
		const dataDir = makeTempDir();
		await runCli(['declare', '--severity', 'P1', '--title', 'Queue backlog', '--data-dir', dataDir]);
		const app = await openConsole({dataDir, args: ['--dry-run']});
		expect((await app.waitFor('[DRY-RUN]')).at(-2)).toMatch(/^\[DRY-RUN\] \? help/);
		await addNote(app, 'restarted the consumer by hand');
		expect(journalEvents(dataDir).at(-1)).toMatchObject({type: 'note', text: 'restarted the consumer by hand'});
	});
});

describe('NO_COLOR', () => {
	it('keeps FAIL, ok and OVERDUE on screen and writes no colour codes', async () => {
		const dataDir = makeTempDir();
		overdueIncident(dataDir);
		const app = await openConsole({args: quickDrillArgs(), dataDir, env: {NO_COLOR: '1'}});
		let screen = await app.waitFor('OVERDUE');
		expect(screen[0]).toMatch(/INC-1 {2}P0 {2}investigating 2:00:\d\d · next: escalate OVERDUE \+1:55:\d\d/);
		expect(screen[1]).toMatch(/^ PROD {2}escalate OVERDUE 1h55m · respond OVERDUE 1h45m · customer OVERDUE 1h30m/);
		screen = await app.waitFor(/api +FAIL/);
		const text = screen.join('\n');
		expect(text).toMatch(/api-cert +ok/);
		expect(text).toMatch(/CrashLoopBackOff/);
		expect(colourCodes(app.output)).toEqual([]);
		// Emphasis without colour is still allowed, and used: the severity badge is inverse, the clock bold.
		expect(app.output).toMatch(/\x1b\[7m/);
		expect(app.output).toMatch(/\x1b\[1m/);
	});

	it('without NO_COLOR the same screen is coloured (the check above can fail)', async () => {
		const dataDir = makeTempDir();
		overdueIncident(dataDir);
		const app = await openConsole({args: quickDrillArgs(), dataDir});
		await app.waitFor('OVERDUE');
		expect(colourCodes(app.output)).not.toEqual([]);
	});
});
