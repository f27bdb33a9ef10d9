/**
 * A note that cannot be saved puts its form back with what was typed, says
 * why, and saves once the journal takes it again: nothing typed is lost. (A
 * write that fails outright comes back the same way: test/unit/executor.test.ts.)
 */
import {mkdirSync, readFileSync, renameSync, rmdirSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {cleanup, keys, makeTempDir, runCli} from '../helpers/pty';
import {openConsole} from './steps';

afterEach(cleanup);

it('a note whose incident file turned unreadable reopens its form with the text typed, and Enter saves it once it can', async () => {
	const dataDir = makeTempDir();
	expect((await runCli(['declare', '--severity', 'P1', '--title', 'Checkout errors', '--data-dir', dataDir])).code).toBe(0);
	const app = await openConsole({dataDir});
	await app.waitFor(/INC-1 {2}P1/);
	app.press('n');
	await app.waitFor('Add a note');
	await app.type('rolled back to v41');

	// The journal file turns into something nothing can read or append to: a directory.
	const file = join(dataDir, 'INC-1.jsonl');
	renameSync(file, `${file}.aside`);
	mkdirSync(file);
	// Once the console has seen it (the header above the form), Enter cannot save.
	await app.waitFor(screen => (screen[0] ?? '').includes('no incident declared'));
	app.press(keys.enter);
	const screen = await app.waitFor('! no incident: declare one first (d)');
	const text = screen.join('\n');
	expect(text).toContain('Add a note');
	expect(text).toContain('rolled back to v41');

	rmdirSync(file);
	renameSync(`${file}.aside`, file);
	// The console reads the incident again once the file is back.
	await app.waitFor(screen => /^ INC-1 {2}P1/.test(screen[0] ?? ''));
	app.press(keys.enter);
	await app.waitFor('note added to the timeline');
	const notes = readFileSync(file, 'utf8')
		.trim()
		.split('\n')
		.map(line => JSON.parse(line) as {type: string; text?: string})
		.filter(event => event.type === 'note');
	expect(notes.map(note => note.text)).toEqual(['rolled back to v41']);
});
