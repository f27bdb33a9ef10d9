import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {reservedKeys} from '../../source/actions/keys';
import {loadPlaybooks, parsePlaybook} from '../../source/incident/playbook-file';
import {fillArgv, type Diagnostic, type Playbook} from '../../source/incident/playbook';
import {loadPolicy} from '../../source/incident/policy-file';
import {builtInRunbooksDir} from '../../source/paths';
import {cleanup, makeTempDir} from '../helpers/pty';

afterAll(cleanup);

const playbooks = loadPlaybooks([builtInRunbooksDir], reservedKeys());
const seed = readFileSync(join(import.meta.dirname, '../fixtures/seed-runbook.md'), 'utf8');

const byId = (id: string): Playbook => playbooks.find(playbook => playbook.id === id)!;
const entries = playbooks.flatMap(playbook => playbook.steps.flatMap(step => [...step.diagnostics, ...step.actions]));

/** The seed's fenced blocks of a language, each as its text. */
const blocks = (language: string) =>
	[...seed.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map(match => match[1]!);

/** A command of a bash block: its lines, a quote left open joining the lines up to the one that closes it. */
function commands(block: string): string[][] {
	const found: string[][] = [];
	let open: string[] | undefined;
	for (const line of block.split('\n').map(text => text.trimEnd())) {
		if (open) {
			open.push(line);
			if (line.includes('"')) open = undefined;
		} else if (line.trim() !== '' && !line.startsWith('#')) {
			const command = [line];
			found.push(command);
			if ((line.match(/"/g) ?? []).length % 2 === 1) open = command;
		}
	}
	return found;
}

describe('the built-in playbooks', () => {
	it("all validate, their keys clear of warroom's own, one playbook per section of the seed runbook", () => {
		expect(playbooks.map(playbook => playbook.id).sort()).toEqual([
			'ai-pipeline',
			'api-gateway-outage',
			'database-performance',
			'incident-declaration',
			'initial-assessment',
			'initial-mitigation',
			'useful-commands',
		]);
		expect(byId('initial-mitigation').steps.map(step => step.title)).toEqual([
			'API/service issues',
			'Database issues',
			'Pipeline issues',
		]);
	});

	it('hold every command of the seed, a multi-line one with its script whole', () => {
		const seeds = entries.map(entry => entry.seed);
		for (const lines of blocks('bash').flatMap(commands)) {
			if (lines.length === 1) {
				expect(seeds, lines[0]).toContain(lines[0]);
				continue;
			}
			// `python -c "` and the script's first line name it; the diagnostic runs the script itself.
			const named = `${lines[0]}${lines[1]}"`;
			const entry = entries.find(candidate => candidate.seed === named) as Extract<Diagnostic, {argv: string[]}>;
			expect(entry, named).toBeDefined();
			const script = lines.slice(1, -1).join('\n');
			expect(fillArgv(entry.argv, {})).toEqual({argv: ['python', '-c', `${script}\n`]});
		}
	});

	it("point at the Database panel for the seed's SQL, and at K for the query it would kill", () => {
		const titles = blocks('sql').flatMap(block => [...block.matchAll(/^-- (?!SELECT)(.+)$/gm)].map(match => match[1]!));
		expect(titles).toHaveLength(3);
		for (const title of titles)
			expect(
				entries.find(entry => entry.seed === title),
				title,
			).toBeDefined();
	});

	it("give each immediate-response step the seed's time window, in the clock's phase", () => {
		const steps = [...seed.matchAll(/^### Step \d: (.+) \((\d+)-(\d+) minutes\)$/gm)];
		expect(steps).toHaveLength(3);
		const policy = loadPolicy(join(builtInRunbooksDir, 'severity.yaml'));
		for (const [, title, from, until] of steps) {
			const playbook = playbooks.find(candidate => candidate.title.toLowerCase() === title!.toLowerCase())!;
			expect(playbook, title).toBeDefined();
			for (const step of playbook.steps) expect(step.window).toBe(`${from}-${until}m`);
			const phase = policy.phases.find(candidate => candidate.id === playbook.phase)!;
			expect([phase.from, phase.until]).toEqual([Number(from) * 60_000, Number(until) * 60_000]);
		}
	});

	it("list the seed's four assessment questions as the assessment's checklist", () => {
		const questions = [...seed.matchAll(/^- \[ \] (.+)$/gm)].map(match => match[1]);
		expect(questions).toHaveLength(4);
		expect(byId('initial-assessment').steps[0]!.checklist).toEqual(questions);
	});

	it("match the seed's severity table: each severity's response time is its respond deadline", () => {
		const policy = loadPolicy(join(builtInRunbooksDir, 'severity.yaml'));
		const rows = [...seed.matchAll(/^\| \*\*(P\d) - \w+\*\* \| (\d+) (minutes|hour|hours) \|/gm)];
		expect(rows).toHaveLength(4);
		for (const [, level, amount, unit] of rows) {
			const within = Number(amount) * (unit === 'minutes' ? 60_000 : 3_600_000);
			const respond = policy.severities[level as 'P0'].deadlines.find(deadline => deadline.id === 'respond');
			expect(respond?.within, level).toBe(within);
		}
	});
});

/** Writes playbook files into a new runbook directory; returns it. */
function runbookDir(files: Record<string, string>): string {
	const dir = makeTempDir('warroom-playbooks-');
	mkdirSync(join(dir, 'playbooks'));
	for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'playbooks', name), text);
	return dir;
}

const playbookYaml = (key: string, argv = '[kubectl, get, pods, -n, "{namespace}"]') => `id: ours-${key.toLowerCase()}
title: Ours
phase: mitigation
steps:
  - title: Fix it
    actions:
      - key: ${key}
        label: fix it
        argv: ${argv}
        mutates: false
`;

describe('a playbook of your own', () => {
	it('adds its actions beside the built-in ones', () => {
		const dir = runbookDir({'ours.yaml': playbookYaml('Z')});
		const loaded = loadPlaybooks([dir, builtInRunbooksDir], reservedKeys());
		expect(loaded.find(playbook => playbook.id === 'ours-z')?.steps[0]!.actions[0]!.key).toBe('Z');
	});

	it("is refused when its key is one of warroom's own: file, line and reason", () => {
		const dir = runbookDir({'ours.yaml': playbookYaml('u')});
		expect(() => loadPlaybooks([dir], reservedKeys())).toThrow(
			`${join(dir, 'playbooks', 'ours.yaml')}: line 7: key "u" is already warroom's own (see ?)`,
		);
	});

	it('is refused when another playbook has its key already, naming both', () => {
		const dir = runbookDir({'a.yaml': playbookYaml('Z'), 'b.yaml': playbookYaml('Z').replace('id: ours-z', 'id: theirs')});
		expect(() => loadPlaybooks([dir], reservedKeys())).toThrow(
			`${join(dir, 'playbooks', 'b.yaml')}: line 7: key "Z" is already bound by playbook ours-z (${join(dir, 'playbooks', 'a.yaml')})`,
		);
	});

	it('is refused with a placeholder warroom cannot fill', () => {
		const text = playbookYaml('Z', '[kubectl, get, pods, -n, "{namspace}"]');
		expect(() => parsePlaybook(text, 'ours.yaml', [])).toThrow(
			'ours.yaml: line 9: unknown placeholder {namspace} (known: {namespace}, {deployment}, {pod}, {pid}, {context})',
		);
	});

	it('is refused when it is not YAML, or not a playbook, at the line of the mistake', () => {
		expect(() => parsePlaybook('id: x\nsteps: [\n', 'ours.yaml', [])).toThrow(/^ours\.yaml: line \d: /);
		expect(() => parsePlaybook(playbookYaml('Z').replace('mutates: false', 'mutates: maybe'), 'ours.yaml', [])).toThrow(
			'ours.yaml: line 10: steps[0].actions[0].mutates: expected true or false, got "maybe"',
		);
		expect(() => parsePlaybook(playbookYaml('Z').replace('mutates: false', 'mutates: true'), 'ours.yaml', [])).toThrow(
			'ours.yaml: line 7: a mutating action needs confirm: yes-no or type-name',
		);
	});

	it('never puts an escape sequence on screen: labels are cleaned at load', () => {
		const text = playbookYaml('Z').replace('label: fix it', 'label: "fix \\e[31mit\\u202e"');
		expect(parsePlaybook(text, 'ours.yaml', []).steps[0]!.actions[0]!.label).toBe('fix it');
	});
});

describe('filling a command', () => {
	const values = {namespace: 'production', pod: 'api-x2k4j', deployment: 'api-gateway', context: 'prod-eu', pid: '4242'};

	it('fills every placeholder, and keeps doubled braces as one', () => {
		expect(
			fillArgv(['kubectl', '--context', '{context}', 'logs', '-n', '{namespace}', '{pod}', "print(f'{{x}}')"], values),
		).toEqual({
			argv: ['kubectl', '--context', 'prod-eu', 'logs', '-n', 'production', 'api-x2k4j', "print(f'{x}')"],
		});
	});

	it.each([
		['pod', '--kubeconfig=/tmp/evil', 'pod name "--kubeconfig=/tmp/evil" is not a DNS-1123 subdomain'],
		['pod', 'api\u001b]0;owned\u0007', 'pod name "api" is not'],
		['namespace', `a${'b'.repeat(100_000)}`, '… (100001 characters)" is not a DNS label'],
		['pid', '1; kill -9 1', 'pid "1; kill -9 1" is not a positive whole number'],
		['pid', '2147483648', 'pid "2147483648" is not a positive whole number'],
		['context', '-o=yaml', 'context name "-o=yaml" is not printable'],
	] as const)('refuses a hostile %s value', (name, value, reason) => {
		const filled = fillArgv([`{${name}}`], {...values, [name]: value});
		expect(filled).toEqual({refused: expect.stringContaining(reason)});
		expect(JSON.stringify(filled)).not.toMatch(/\\u001b|\\u0007/);
	});

	it('says where a missing value comes from', () => {
		expect(fillArgv(['{pid}'], {})).toEqual({refused: '{pid} has no value: select a backend in the Database panel (2)'});
	});
});
