/** The files a person points the console at (config, runbook policy, drills) are read within limits, and every refusal names the file. */
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {loadConfig} from '../../source/config/load';
import {loadDrill} from '../../source/sources/drill/drill-file';
import {loadPolicy} from '../../source/incident/policy-file';
import {messageThrown} from '../helpers/errors';

const root = mkdtempSync(join(tmpdir(), 'warroom-input-files-'));
afterAll(() => rmSync(root, {recursive: true, force: true}));

const aliasBomb = `${['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((name, index) => `${name}: &${name} [${Array(9).fill(`*${'abcdefgh'[index]}`).join(', ')}]`)].join('\n')}\n`;
const overOneMiB = `# ${'x'.repeat(1024 * 1024)}\n`;

/** Each loader, given a file with `text` (or the path of a special file), as a user would point it there. */
const loaders: Record<string, (setUp: {text?: string; linkTo?: string}) => {file: string; load: () => unknown}> = {
	config: ({text, linkTo}) => {
		const file = join(mkdtempSync(join(root, 'config-')), 'warroom.yaml');
		place(file, text, linkTo);
		return {file, load: () => loadConfig({path: file, cwd: root, env: {}})};
	},
	'runbook severity.yaml': ({text, linkTo}) => {
		const file = join(mkdtempSync(join(root, 'runbook-')), 'severity.yaml');
		place(file, text, linkTo);
		return {file, load: () => loadPolicy(file)};
	},
	drill: ({text, linkTo}) => {
		const dir = mkdtempSync(join(root, 'drill-'));
		mkdirSync(join(dir, 'drills'));
		const file = join(dir, 'drills', 'bad.yaml');
		place(file, text, linkTo);
		return {file, load: () => loadDrill('bad', [dir])};
	},
};

function place(file: string, text: string | undefined, linkTo: string | undefined) {
	if (linkTo) symlinkSync(linkTo, file);
	else writeFileSync(file, text ?? '');
}

const refusal = (load: () => unknown) => messageThrown(load);

describe.each(Object.keys(loaders))('a %s file', kind => {
	const setUp = loaders[kind]!;

	it('that is not a regular file (a device) is refused without reading it', () => {
		const {file, load} = setUp({linkTo: '/dev/null'});
		expect(refusal(load)).toBe(`${file}: not a regular file (a device)`);
	});

	it('that is a directory is refused', () => {
		const {file, load} = setUp({linkTo: root});
		expect(refusal(load)).toBe(`${file}: not a regular file (a directory)`);
	});

	it('over 1 MiB is refused before it is parsed', () => {
		const {file, load} = setUp({text: overOneMiB});
		expect(refusal(load)).toBe(`${file}: larger than 1 MiB (1048579 bytes)`);
	});

	it('that expands YAML aliases without bound is refused, naming the file', () => {
		const {file, load} = setUp({text: aliasBomb});
		expect(refusal(load)).toBe(`${file}: too many YAML aliases (more than 100 expansions): write the values out`);
	});
});
