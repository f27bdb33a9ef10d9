/**
 * Pasted text is text, never keys: a newline in a paste does not submit the
 * form, and nothing after it runs as a binding (bracketed paste).
 */
import {afterEach, expect, it} from 'vitest';
import {writeOpenIncident} from '../helpers/incidents';
import {cleanup, keys, makeTempDir, sleep} from '../helpers/pty';
import {journalEvents, openConsole} from './steps';

afterEach(cleanup);

const paste = (text: string) => `\x1b[200~${text}\x1b[201~`;

async function consoleOnIncident() {
	const dataDir = makeTempDir();
	writeOpenIncident(dataDir);
	const app = await openConsole({dataDir, cols: 120, rows: 30});
	await app.waitFor('declared P1 "API gateway outage"');
	return {app, dataDir};
}

it('turns bracketed paste on in the console and off on the way out', async () => {
	const {app} = await consoleOnIncident();
	expect(app.terminal.modes.bracketedPasteMode).toBe(true);
	app.press('q');
	expect((await app.exited).exitCode).toBe(0);
	expect(app.terminal.modes.bracketedPasteMode).toBe(false);
});

it('a paste into a note is one note, its newlines spaces: no declare form, no quit, no escalation', async () => {
	const {app, dataDir} = await consoleOnIncident();
	app.press('n');
	await app.waitFor('Add a note');
	// The end of the paste arrives in a later read, as a terminal may split a long paste.
	app.press('\x1b[200~first line\nd\n');
	await sleep(50);
	app.press('e\rq second\x1b[201~');
	await app.waitFor('first line d e q second');
	app.press(keys.enter);
	await app.waitFor('note: first line d e q second');
	expect(app.screenText()).not.toContain('Declare an incident');
	expect(app.exit).toBeUndefined();
	expect(journalEvents(dataDir).map(event => [event.type, event.text])).toEqual([
		['declared', undefined],
		['note', 'first line d e q second'],
	]);
});

it('a paste outside a text field is ignored with a notice', async () => {
	const {app, dataDir} = await consoleOnIncident();
	app.press(paste('d\nq\n'));
	await app.waitFor('paste ignored: not in a text field');
	// Still running, and nothing opened: the next key acts as usual.
	app.press('?');
	await app.waitFor('help: the keys live here');
	expect(app.exit).toBeUndefined();
	await app.pressEach([keys.esc, 'S']);
	await app.waitFor('Change status');
	app.press(paste('fixing'));
	await app.waitFor('paste ignored: not in a text field');
	expect(journalEvents(dataDir)).toHaveLength(1);
});

it('Ctrl-C quits even inside a paste the terminal never ends', async () => {
	const {app} = await consoleOnIncident();
	app.press('\x1b[200~abc');
	// Ctrl-C in a read of its own, as a key pressed after the paste began.
	await sleep(50);
	app.press(keys.ctrlC);
	expect((await app.exited).exitCode).toBe(0);
});

it('coloured text pasted into a note, or a colour sequence sent as keys, is text without its escapes: the console carries on', async () => {
	const {app, dataDir} = await consoleOnIncident();
	// ESC[31m reads as a Ctrl chord naming no key: Ink 6.8 threw on it (ink#901, patched).
	app.press('\x1b[1;31m');
	app.press('n');
	await app.waitFor('Add a note');
	app.press(paste('p99 \x1b[31mred\x1b[0m again'));
	await app.waitFor('p99 red again');
	app.press(keys.enter);
	await app.waitFor('note: p99 red again');
	expect(app.exit).toBeUndefined();
	expect(journalEvents(dataDir).at(-1)).toMatchObject({type: 'note', text: 'p99 red again'});
});
