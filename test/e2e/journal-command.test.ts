/**
 * `warroom journal export` and `import` of the built binary: an incident
 * moved from one data directory to another comes out the same, an import
 * is refused whole for a bad line (named by file and line) or a second
 * time, and nothing a journal holds reaches the terminal unstripped.
 */
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup, makeTempDir, runCli} from '../helpers/pty';

afterEach(cleanup);

const hostileTitle = '\u001B]0;owned\u0007Checkout \u009B2Jerrors\u001B[2J';
const longNote = 'x'.repeat(100_000);
/** An incident as an older warroom wrote it: no event ids, a title with escapes, a 100 KB note. */
const oldJournal = [
	{
		seq: 1,
		at: '2026-11-27T03:00:00.000Z',
		actor: 'alice@bastion',
		type: 'declared',
		title: hostileTitle,
		severity: 'P1',
		services: [],
	},
	{seq: 2, at: '2026-11-27T03:01:00.000Z', actor: 'bob@bastion', type: 'note', text: longNote},
	{seq: 3, at: '2026-11-27T03:02:00.000Z', actor: 'alice@bastion', type: 'status', status: 'identified', from: 'investigating'},
];
const linesOf = (events: readonly object[]) => events.map(event => `${JSON.stringify(event)}\n`).join('');

function dataDirWith(files: Record<string, string>): string {
	const dir = makeTempDir();
	mkdirSync(dir, {recursive: true});
	for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
	return dir;
}

const parsedLines = (text: string) =>
	text
		.trimEnd()
		.split('\n')
		.map(line => JSON.parse(line) as Record<string, unknown>);
const withoutImporter = (events: Array<Record<string, unknown>>) => events.map(({importedBy: _, ...kept}) => kept);
const terminalControls = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;

describe('warroom journal export and import', () => {
	it('moves an incident to another data directory under a fresh id, and exports the same events from there', async () => {
		const from = dataDirWith({'INC-1.jsonl': linesOf(oldJournal)});
		const to = dataDirWith({});
		await runCli(['declare', '--severity', 'P3', '--title', 'already here', '--data-dir', to]);
		const exportFile = join(makeTempDir(), 'inc.jsonl');

		const exported = await runCli(['journal', 'export', 'INC-1', '--data-dir', from]);
		expect(exported).toMatchObject({code: 0, stderr: ''});
		expect(exported.stdout).not.toMatch(terminalControls);
		writeFileSync(exportFile, exported.stdout);
		const imported = await runCli(['journal', 'import', exportFile, '--data-dir', to]);
		const again = await runCli(['journal', 'export', 'INC-2', '--data-dir', to]);
		const onward = dataDirWith({});
		const onwardFile = join(makeTempDir(), 'again.jsonl');
		writeFileSync(onwardFile, again.stdout);
		expect(await runCli(['journal', 'import', onwardFile, '--data-dir', onward])).toMatchObject({code: 0});
		const third = await runCli(['journal', 'export', 'INC-1', '--data-dir', onward]);

		expect(imported).toMatchObject({
			code: 0,
			stderr: '',
			stdout: `${exportFile} imported as INC-2 (3 events): Checkout errors\n`,
		});
		expect(again.code).toBe(0);
		// The old lines had no event id: the import gave them one; everything else is as it was.
		expect(withoutImporter(parsedLines(again.stdout)).map(({eventId: _, ...kept}) => kept)).toEqual(parsedLines(exported.stdout));
		expect(parsedLines(again.stdout).map(({importedBy}) => importedBy)).toEqual(Array(3).fill(expect.stringContaining('@')));
		// From there on, an incident moves exactly as it is (the importer is the same user here).
		expect(third).toMatchObject({code: 0, stdout: again.stdout});
		const events = parsedLines(readFileSync(join(to, 'INC-2.jsonl'), 'utf8'));
		expect(events[0]).toMatchObject({seq: 1, title: hostileTitle, eventId: expect.stringMatching(/^[0-9a-f-]{36}$/)});
		expect(events[1]).toMatchObject({seq: 2, actor: 'bob@bastion', text: longNote});
		// The same export once more: the event ids made for the old lines are the same, so the store knows it.
		const twice = await runCli(['journal', 'import', exportFile, '--data-dir', to]);
		expect(twice).toMatchObject({
			code: 2,
			stdout: '',
			stderr: `warroom: ${exportFile}: nothing imported: this incident is in ${to} already, as INC-2\n`,
		});
	});

	it('imports from standard input, and refuses an old file imported a second time', async () => {
		const to = dataDirWith({});

		const first = await runCli(['journal', 'import', '-', '--data-dir', to], {input: linesOf(oldJournal)});
		const second = await runCli(['journal', 'import', '-', '--data-dir', to], {input: linesOf(oldJournal)});

		expect(first).toMatchObject({code: 0, stdout: 'stdin imported as INC-1 (3 events): Checkout errors\n'});
		expect(second).toMatchObject({
			code: 2,
			stderr: `warroom: stdin: nothing imported: this incident is in ${to} already, as INC-1\n`,
		});
	});

	it.each([
		['a directory', (dir: string) => dir, (dir: string) => `${dir}: cannot read: is a directory (EISDIR)`],
		[
			'a missing file',
			(dir: string) => join(dir, 'nope.jsonl'),
			(dir: string) => `${join(dir, 'nope.jsonl')}: cannot read: no such file (ENOENT)`,
		],
		[
			'an empty file',
			(dir: string) => (writeFileSync(join(dir, 'empty.jsonl'), ''), join(dir, 'empty.jsonl')),
			(dir: string) => `${join(dir, 'empty.jsonl')}: is empty: expected the JSON lines \`warroom journal export\` writes`,
		],
		[
			'a duplicate seq',
			(dir: string) => (
				writeFileSync(join(dir, 'dup.jsonl'), linesOf([...oldJournal.slice(0, 2), oldJournal[1]!])),
				join(dir, 'dup.jsonl')
			),
			(dir: string) => `${join(dir, 'dup.jsonl')}:3: seq 2 again, expected 3`,
		],
	])('refuses %s in one line, exit 2, importing nothing', async (_, fileIn, message) => {
		const dir = makeTempDir();
		const to = dataDirWith({});

		const result = await runCli(['journal', 'import', fileIn(dir), '--data-dir', to]);

		expect(result).toMatchObject({code: 2, stdout: '', stderr: `warroom: ${message(dir)}\n`});
		expect(await runCli(['journal', 'export', 'INC-1', '--data-dir', to])).toMatchObject({code: 2});
	});

	it('refuses to export an incident with unreadable lines, naming them, and one that does not exist', async () => {
		const dir = dataDirWith({'INC-1.jsonl': `${linesOf(oldJournal.slice(0, 1))}garbage\n${linesOf(oldJournal.slice(1))}{}\n`});

		const damaged = await runCli(['journal', 'export', 'INC-1', '--data-dir', dir]);
		const missing = await runCli(['journal', 'export', 'INC-9', '--data-dir', dir]);

		expect(damaged).toMatchObject({
			code: 2,
			stdout: '',
			stderr: 'warroom: INC-1: nothing exported: lines 2, 5 cannot be read (line 2: not valid JSON)\n',
		});
		expect(missing).toMatchObject({code: 2, stdout: '', stderr: `warroom: no incident INC-9 in ${dir}\n`});
	});

	it('masks a secret of the config that a responder pasted into the journal', async () => {
		const token = `tok_${'s'.repeat(60)}`;
		const dir = dataDirWith({
			'INC-1.jsonl': linesOf([oldJournal[0]!, {...oldJournal[1]!, text: `curl -H "Authorization: Bearer ${token}"`}]),
			'warroom.yaml':
				'health:\n  - name: api\n    http: http://127.0.0.1:9/health\n    headers: {Authorization: "Bearer ${API_TOKEN}"}\n',
		});

		const result = await runCli(['journal', 'export', 'INC-1', '--config', join(dir, 'warroom.yaml'), '--data-dir', dir], {
			env: {API_TOKEN: token},
		});

		expect(result.code).toBe(0);
		expect(result.stdout).not.toContain(token.slice(0, 20));
		expect(parsedLines(result.stdout)[1]).toMatchObject({text: 'curl -H "Authorization: •••"'});
	});

	it.each([[['journal']], [['journal', 'export']], [['journal', 'import']], [['journal', 'export', 'INC-1', 'more']]])(
		'%j is bad usage: exit 2',
		async args => {
			const result = await runCli([...args, '--data-dir', makeTempDir()]);
			expect(result.code).toBe(2);
			expect(result.stderr.trim().split('\n')).toHaveLength(1);
		},
	);
});
