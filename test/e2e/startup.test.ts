/**
 * The start of the console on a data dir with an open incident: the first
 * frame already shows the incident, and keys typed before it are handled
 * against the incident the screen then shows, in the order typed.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {cleanup, makeTempDir, runCli, startConsole} from '../helpers/pty';
import {openConsole} from './steps';

afterEach(cleanup);

async function dataDirWithIncident(): Promise<string> {
	const dataDir = makeTempDir();
	const declared = await runCli(['declare', '--severity', 'P1', '--title', 'Checkout down', '--data-dir', dataDir]);
	expect(declared.code, declared.stderr).toBe(0);
	return dataDir;
}

const journalTypes = (dataDir: string) =>
	readFileSync(join(dataDir, 'INC-1.jsonl'), 'utf8')
		.trim()
		.split('\n')
		.map(line => JSON.parse(line) as {type: string; text?: string});

it('never draws "no incident declared" while an open incident is being read: the first frame shows it', async () => {
	const dataDir = await dataDirWithIncident();
	const app = await openConsole({dataDir});
	await app.waitFor(/^ INC-1 {2}P1 {2}investigating/m);
	// Every byte the console wrote, not only the screen now: no frame ever said it.
	expect(app.output).not.toContain('no incident declared');
	expect(app.output).not.toContain('press d to declare');
});

it('keys typed before the first frame go to the incident the first frame shows, in order', async () => {
	const dataDir = await dataDirWithIncident();
	const app = startConsole({dataDir, cols: 120, rows: 30});
	// Typed at once, before the console has drawn anything.
	app.press('nhello from the start\r');
	await app.waitFor('note: hello from the start', {timeout: 10_000});
	await app.waitFor('note added to the timeline');
	const events = journalTypes(dataDir);
	expect(events.map(event => event.type)).toEqual(['declared', 'note']);
	expect(events[1]!.text).toBe('hello from the start');
	expect(app.output).not.toContain('no incident declared');
});
