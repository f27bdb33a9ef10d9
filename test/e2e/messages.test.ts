/**
 * Messages and the post-mortem, as a responder produces them: a drill played
 * from the declaration through a mitigation to the resolution, the initial
 * message copied through OSC 52 (read off the wire), the post-mortem written
 * to a file whose timeline is the journal's; a field the journal cannot give
 * asked for in the form; and the same texts without a TTY.
 */
import {createHash} from 'node:crypto';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {cleanup, keys, makeTempDir, runCli, type ConsoleSession} from '../helpers/pty';
import {declareIncident, journalEvents, openConsole, quickDrill, quickDrillArgs} from './steps';

afterEach(cleanup);

const footer = (app: ConsoleSession) => app.screen()[app.rows - 2] ?? '';
const osc52 = /\u001B\]52;c;([A-Za-z0-9+/=]*)\u0007/g;
const copied = (app: ConsoleSession) =>
	[...app.output.matchAll(osc52)].map(match => Buffer.from(match[1]!, 'base64').toString('utf8'));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A team's runbook directory: one playbook for the assessment, whose diagnostic prints what a log query would. */
function teamRunbooks(): string {
	const dir = makeTempDir('warroom-team-runbooks-');
	mkdirSync(join(dir, 'playbooks'));
	writeFileSync(
		join(dir, 'playbooks', 'gateway.yaml'),
		`id: gateway-checks
title: Gateway checks
phase: assessment
steps:
  - title: Errors
    window: 0-5m
    diagnostics:
      - label: count the 503s
        argv: [${JSON.stringify(process.execPath)}, -e, "console.log('503s in the last minute: 42')"]
`,
	);
	return dir;
}

it(
	'a drill from declaration to post-mortem: the checklist ticked, a diagnostic kept as evidence, the initial message copied over OSC 52, the post-mortem written with the journal as its timeline',
	{timeout: 60_000},
	async () => {
		const app = await openConsole({args: quickDrillArgs(quickDrill, [teamRunbooks()]), cols: 200, rows: 40});
		const journal = join(app.dataDir!, 'drills', quickDrill);
		await declareIncident(app, {title: 'Gateway crash loop', services: 'api-gateway'});

		// The runbook view: the first question of the assessment ticked, the team's diagnostic run and kept.
		app.press('5');
		app.press(keys.enter);
		await app.waitFor('Initial assessment: Quick health check (0-5m)');
		app.press(' ');
		await app.waitFor(/\[x\] +Is the main API responding\?/);
		await app.type('/503s');
		app.press(keys.enter);
		await app.waitFor(/ o +count the 503s/);
		app.press('o');
		await app.waitFor(/count the 503s · exit 0 in \d+ms/);
		await app.waitFor('503s in the last minute: 42');
		app.press('e');
		await app.waitFor('evidence kept');
		app.press(keys.esc);
		await app.waitFor(screen => !screen.some(line => line.includes('keep as evidence')));
		// Back to every panel: the filter cleared, then unzoomed.
		app.press(keys.esc);
		await app.waitFor('Are critical services (auth, pipeline, database) healthy?');
		app.press(keys.esc);
		await app.waitFor(/1 Pods/);

		// A mitigation in the drill: the crash-looping gateway rolled back.
		await app.waitFor(/api-gatew\S* +CrashLoopBackOff/, {timeout: 8000});
		app.press('1');
		app.press('/');
		await app.type('x2k4j');
		app.press(keys.enter);
		app.press('u');
		await app.waitFor('Run it? y/N');
		app.press('y');
		await app.waitFor(/ran rollout undo on production\/api-gateway: done in/, {timeout: 10_000});

		app.press('t');
		await app.waitFor('Write a message from the journal');
		app.press(keys.enter);
		const preview = (await app.waitFor('INCIDENT ALERT')).join('\n');
		expect(preview).toContain('We are currently investigating reports of Gateway crash loop.');
		expect(preview).toContain('Affected services: api-gateway');
		expect(preview).toMatch(/Next update by: \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
		expect(preview).toContain('c copy (OSC 52) · w write a file');

		app.press('c');
		await app.waitFor(() => footer(app).includes('copied the initial message to the clipboard (OSC 52)'));
		const [message] = copied(app);
		expect(message).toMatch(/^🚨 INCIDENT ALERT - \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
		expect(message).toContain('Incident ID: INC-1');
		expect(message).not.toMatch(/\{[A-Za-z]+\}/);
		expect(journalEvents(journal).at(-1)).toMatchObject({
			type: 'message_produced',
			template: 'initial',
			how: 'copied',
			sha256: sha256(message!),
		});
		// The customer deadline is met by it: the next one due is the next update.
		app.press(keys.esc);
		await app.waitFor(/4 Timeline INC-1/);
		expect(app.screen()[0]).toMatch(/next: update in 29:\d\d/);

		app.press('S');
		await app.waitFor('Change status');
		await app.type('r');
		app.press(keys.enter);
		await app.waitFor(() => footer(app).includes('status: resolved'));
		// The seed's promise to customers: the full post-mortem within 48 hours.
		await app.waitFor(screen => /next: post-mortem in 1d 23:59:\d\d/.test(screen[0] ?? ''));

		app.press('P');
		await app.waitFor('post-mortem draft');
		app.press('w');
		await app.waitFor(() => /wrote the post-mortem draft to \S+/.test(footer(app)));
		await app.waitFor(screen => /post-mortem done/.test(screen[1] ?? ''));
		const events = journalEvents(journal);
		const written = events.at(-1)!;
		expect(written).toMatchObject({type: 'message_produced', template: 'postmortem', how: 'file'});
		const markdown = readFileSync(written.file as string, 'utf8');
		expect(written.sha256).toBe(sha256(markdown));

		const timeline = markdown.split('## Timeline (UTC)\n\n')[1]!.split('\n\n')[0]!.split('\n').slice(2);
		const before = events.slice(0, -1);
		expect(timeline).toHaveLength(before.length);
		timeline.forEach((row, index) => expect(row.startsWith(`| ${before[index]!.at as string} | `)).toBe(true));
		expect(before.map(event => event.type)).toEqual(
			expect.arrayContaining([
				'declared',
				'checked',
				'evidence',
				'action_started',
				'action_finished',
				'message_produced',
				'status',
			]),
		);
		expect(markdown).toMatch(/evidence kept: .* exit 0 in/);
		expect(markdown).toContain(
			'| rollout undo on production/api-gateway | `kubectl --context drill-prod -n production rollout undo',
		);
		expect(markdown).toMatch(/- Declaration to first mitigation: \d+s/);
		expect(markdown).toMatch(/- Declaration to first customer message: \d+s/);
		expect(markdown).toContain('- Drill: quick-outage (no real system was touched)');
	},
);

it('asks in the form for what the journal cannot give, and w writes the message to a file', {timeout: 20_000}, async () => {
	const app = await openConsole({cols: 120, rows: 30});
	await declareIncident(app, {title: 'Checkout errors', services: 'checkout'});
	app.press('t');
	await app.waitFor('Write a message from the journal');
	app.press(keys.right);
	app.press(keys.enter);
	await app.waitFor('the update message needs: Impact on users');
	app.press(keys.tab);
	app.press(keys.tab);
	await app.type('Checkout fails for 1 in 5 users');
	app.press(keys.enter);
	await app.waitFor('INCIDENT UPDATE');
	app.press('w');
	await app.waitFor(() => /wrote the update message to \S+INC-1-update-\S+\.md/.test(footer(app)));
	const written = journalEvents(app.dataDir!).at(-1)!;
	const text = readFileSync(written.file as string, 'utf8');
	expect(text).toContain('Impact: Checkout fails for 1 in 5 users');
	expect(text).toContain('We are still working on the incident affecting checkout.');
	expect(written).toMatchObject({type: 'message_produced', template: 'update', how: 'file'});
});

it('warroom template and warroom postmortem print the same texts without a TTY, and name the flags for what is missing', async () => {
	const dataDir = makeTempDir();
	await runCli(['declare', '--severity', 'P0', '--title', 'Login down', '--services', 'auth', '--data-dir', dataDir]);
	const initial = await runCli(['template', 'initial', '--data-dir', dataDir]);
	expect(initial.code).toBe(0);
	expect(initial.stdout).toContain('We are currently investigating reports of Login down.');
	expect(initial.stdout).toMatch(/Next update by: .* UTC/);

	const resolution = await runCli(['template', 'resolution', '--data-dir', dataDir]);
	expect(resolution).toMatchObject({code: 2, stdout: ''});
	expect(resolution.stderr).toBe(
		'warroom: the resolution message needs --root-cause (root cause), --impact (impact on users), --resolution (what was done)\n',
	);
	const given = await runCli([
		'template',
		'resolution',
		'--root-cause',
		'expired signing key',
		'--impact',
		'nobody could log in',
		'--resolution',
		'key rotated',
		'--data-dir',
		dataDir,
	]);
	expect(given.code).toBe(0);
	expect(given.stdout).toContain('- Issue: expired signing key\n- Duration:');

	const postmortem = await runCli(['postmortem', '--incident', 'INC-1', '--data-dir', dataDir]);
	expect(postmortem.code).toBe(0);
	expect(postmortem.stdout).toMatch(/^# Post-mortem: INC-1 — Login down\n/);
	expect(postmortem.stdout).toContain('declared P0 "Login down" (auth)');
	expect((await runCli(['template', 'farewell', '--data-dir', dataDir])).stderr).toBe(
		'warroom: template takes one of initial, update, resolution, internal, got "farewell"\n',
	);
});

it('never prints a secret of the config, even when a responder pasted it into the journal', async () => {
	const dataDir = makeTempDir();
	const token = `tok_${'s'.repeat(196)}`;
	const config = join(dataDir, 'warroom.yaml');
	writeFileSync(
		config,
		'health:\n  - name: api\n    http: http://127.0.0.1:9/health\n    headers: {Authorization: "Bearer ${API_TOKEN}"}\n',
	);
	const env = {API_TOKEN: token};
	const common = ['--config', config, '--data-dir', dataDir];
	await runCli(['declare', '--severity', 'P1', '--title', `401 with ${token}`, '--services', 'api', ...common], {env});
	const initial = await runCli(['template', 'initial', ...common], {env});
	expect(initial.code).toBe(0);
	expect(initial.stdout).toContain('We are currently investigating reports of 401 with •••.');
	const postmortem = await runCli(['postmortem', '--root-cause', `leaked ${token}`, ...common], {env});
	expect(postmortem.code).toBe(0);
	expect(postmortem.stdout).toContain('leaked •••');
	for (const output of [initial, postmortem]) expect(output.stdout + output.stderr).not.toContain(token.slice(0, 40));
});
