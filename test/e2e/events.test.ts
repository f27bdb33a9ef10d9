/**
 * What a responder gets from journals written by others: an event that is not
 * valid, clocks that disagree, a very long journal, and a change that changes
 * nothing.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {cleanup, keys, makeTempDir, runCli} from '../helpers/pty';
import {openConsole} from './steps';

afterEach(cleanup);

const minute = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const declaredLine = (at: string) =>
	JSON.stringify({seq: 1, at, actor: 'x@y', type: 'declared', title: 't', severity: 'P1', services: []});

type Report = {incident: null | {id: string; severity: string; deadlines: Array<{name: string; status: string}>}};

async function snapshotOf(dataDir: string, ...args: string[]) {
	const result = await runCli(['snapshot', '--format', 'json', '--data-dir', dataDir, ...args]);
	return {...result, report: result.code === 2 ? undefined : (JSON.parse(result.stdout) as Report)};
}

it('`severity INC-1 P1` on a P1 incident exits 2, says so and writes nothing (issue 5, item 5)', async () => {
	const dataDir = makeTempDir();
	expect((await runCli(['declare', '--severity', 'P1', '--title', 'API down', '--data-dir', dataDir])).code).toBe(0);
	const journal = join(dataDir, 'INC-1.jsonl');
	const written = readFileSync(journal, 'utf8');

	expect(await runCli(['severity', 'INC-1', 'P1', '--data-dir', dataDir])).toEqual({
		code: 2,
		stdout: '',
		stderr: 'warroom: INC-1 is already P1\n',
	});
	expect(await runCli(['status', 'INC-1', 'investigating', '--data-dir', dataDir])).toEqual({
		code: 2,
		stdout: '',
		stderr: 'warroom: INC-1 is already investigating\n',
	});

	expect(readFileSync(journal, 'utf8')).toBe(written);
	const {report} = await snapshotOf(dataDir);
	expect(report?.incident?.deadlines.find(deadline => deadline.name === 'respond')?.status).toBe('pending');
});

it('at the console, choosing the severity the incident already has says so and records nothing (issue 5, item 5)', async () => {
	const dataDir = makeTempDir();
	expect((await runCli(['declare', '--severity', 'P1', '--title', 'API down', '--data-dir', dataDir])).code).toBe(0);
	const journal = join(dataDir, 'INC-1.jsonl');
	const written = readFileSync(journal, 'utf8');

	const app = await openConsole({dataDir, cols: 120, rows: 40});
	await app.waitFor('declared P1 "API down"');
	app.press('p');
	await app.waitFor('Change severity');
	app.press(keys.enter);
	await app.waitFor('INC-1 is already P1');
	expect(readFileSync(journal, 'utf8')).toBe(written);
	expect(app.screen()[1]).toMatch(/^respond in/);
});

it('an event with a bad time is a journal problem on its line: the console and snapshot carry on (issue 5, item 6)', async () => {
	const dataDir = makeTempDir();
	writeFileSync(
		join(dataDir, 'INC-1.jsonl'),
		`${declaredLine(iso(Date.now() - 60 * minute))}\n{"seq":2,"at":"bad","actor":"x@y","type":"checked","item":"Root cause identified","done":true}\n`,
	);

	const {code, stderr, report} = await snapshotOf(dataDir);
	expect({code, stderr}).toEqual({code: 0, stderr: ''});
	expect(report?.incident).toMatchObject({id: 'INC-1', severity: 'P1'});

	const app = await openConsole({dataDir, cols: 120, rows: 40});
	await app.waitFor('declared P1 "t"');
	// The timeline, zoomed, has room for the whole problem line.
	app.press('4');
	app.press(keys.enter);
	const screen = await app.waitFor('journal line 2: event 2: "at" is not a valid ISO-8601 UTC time');
	expect(screen[0]).toMatch(/^ INC-1 {2}P1 {2}investigating 1:0\d:\d\d · next: respond OVERDUE/);
	expect(app.screenText()).not.toContain('Invalid time value');
	expect(app.isAlternateScreen()).toBe(true);
	expect(app.exit).toBeUndefined();
});

it('a declaration with a bad time is a problem, never NaN:NaN (issue 5, item 6)', async () => {
	const dataDir = makeTempDir();
	writeFileSync(join(dataDir, 'INC-1.jsonl'), `${declaredLine('bad')}\n`);

	expect(await runCli(['snapshot', '--incident', 'INC-1', '--data-dir', dataDir])).toMatchObject({
		code: 2,
		stderr: 'warroom: INC-1 has no valid declaration: journal line 1: event 1: "at" is not a valid ISO-8601 UTC time\n',
	});

	const app = await openConsole({dataDir, args: ['--incident', 'INC-1'], cols: 120, rows: 40});
	app.press('4');
	app.press(keys.enter);
	await app.waitFor('journal line 1: event 1: "at" is not a valid ISO-8601 UTC time');
	expect(app.screenText()).not.toContain('NaN');
});

it('a declaration stamped in the future: the clock waits at 00:00, and a note stamped before it meets nothing (issue 5, item 17)', async () => {
	const dataDir = makeTempDir();
	const now = Date.now();
	writeFileSync(
		join(dataDir, 'INC-1.jsonl'),
		`${declaredLine(iso(now + 10 * minute))}\n${JSON.stringify({seq: 2, at: iso(now), actor: 'x@y', type: 'note', text: 'on it'})}\n`,
	);

	const app = await openConsole({dataDir, cols: 120, rows: 40});
	const first = await app.waitFor(/next: respond in 1:09:\d\d/);
	// A second later (the countdown moved), the elapsed clock has not counted down.
	const countdown = /respond in (1:09:\d\d)/.exec(first[0] ?? '')?.[1];
	const later = await app.waitFor(
		screen => !(screen[0] ?? '').includes(`respond in ${countdown}`) && /respond in 1:09/.test(screen[0] ?? ''),
	);
	expect(later[0]).toMatch(/^ INC-1 {2}P1 {2}investigating 00:00 · next: respond in 1:09:\d\d/);
	expect(later[1]).toMatch(/^respond in 1h09m/);
	app.press('4');
	app.press(keys.enter);
	await app.waitFor('clock skew: event 2 is before the declaration');
});

it('a journal of 200,000 events: snapshot answers and the console shows it (issue 5, item 19)', {timeout: 60_000}, async () => {
	const dataDir = makeTempDir();
	const declaredAt = Date.now() - 3 * 24 * 60 * minute;
	const lines = [declaredLine(iso(declaredAt))];
	for (let index = 0; index < 200_000; index++) {
		lines.push(
			JSON.stringify({
				seq: index + 2,
				at: iso(declaredAt + minute + index * 1000),
				actor: 'x@y',
				type: 'note',
				text: `note ${index}`,
			}),
		);
	}
	writeFileSync(join(dataDir, 'INC-1.jsonl'), `${lines.join('\n')}\n`);

	const {code, stderr, report} = await snapshotOf(dataDir);
	expect({code, stderr}).toEqual({code: 0, stderr: ''});
	expect(report?.incident?.deadlines.find(deadline => deadline.name === 'respond')?.status).toBe('met');

	const app = await openConsole({dataDir, cols: 120, rows: 40});
	await app.waitFor(screen => /^respond done/.test(screen[1] ?? ''), {timeout: 15_000});
	await app.waitFor('note: note 199999');
});
