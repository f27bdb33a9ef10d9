/** The runbook view on the drill, and `warroom runbooks`, through the built binary. */
import {mkdirSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup, keys, makeTempDir, projectRoot, runCli} from '../helpers/pty';
import {declareIncident, drill, drillArgs, journalEvents, openConsole} from './steps';

afterEach(cleanup);

/** A config whose runbook directory holds one playbook of ours, in the assessment phase, with a harmless diagnostic. */
function configWithPlaybook(playbook: string): string {
	const dir = makeTempDir('warroom-runbooks-');
	mkdirSync(join(dir, 'playbooks'));
	writeFileSync(join(dir, 'playbooks', 'ours.yaml'), playbook);
	const config = join(dir, 'warroom.yaml');
	writeFileSync(config, `runbooks:\n  dirs: [${JSON.stringify(dir)}]\n`);
	return config;
}

const ours = `id: ours
title: Ours
phase: assessment
steps:
  - title: Look
    window: 0-5m
    diagnostics:
      - label: say hello
        argv: [${JSON.stringify(process.execPath)}, -e, "console.log('runbook says hello')"]
    actions:
      - {key: Z, label: say it again, argv: [${JSON.stringify(process.execPath)}, -e, "console.log('again')"], mutates: false}
`;

describe('the runbook view', () => {
	it('ticks the checklist, runs a diagnostic into the overlay, and journals its output as evidence', async () => {
		const config = configWithPlaybook(ours);
		const dataDir = makeTempDir();
		const app = await openConsole({args: ['--config', config, ...drillArgs], dataDir, rows: 30, cols: 110});
		await declareIncident(app, {title: 'Gateway down'});
		// The runbook view: the Runbook panel, zoomed.
		app.press('5');
		app.press(keys.enter);
		await app.waitFor('Initial assessment: Quick health check (0-5m)');
		app.press(' ');
		await app.waitFor(/\[x\] +Is the main API responding\?/);
		// The filter leaves the one diagnostic of ours, selected.
		await app.type('/hello');
		app.press(keys.enter);
		await app.waitFor(/ o +say hello/);
		app.press('o');
		await app.waitFor(/say hello · exit 0 in \d+ms/);
		await app.waitFor('runbook says hello');
		app.press('e');
		await app.waitFor('evidence kept');
		app.press(keys.esc);
		await app.waitFor(screen => !screen.some(line => line.includes('keep as evidence')));
		app.press('?');
		await app.waitFor('say it again (playbook ours)');
		// A drill's incidents are journaled apart from real ones.
		const events = journalEvents(join(dataDir, 'drills', drill));
		expect(events.find(event => event.type === 'checked')).toMatchObject({item: 'Is the main API responding?', done: true});
		expect(events.find(event => event.type === 'evidence')).toMatchObject({exitCode: 0, output: 'runbook says hello'});
	});
});

describe('warroom runbooks', () => {
	it('lists, shows and validates the playbooks without a terminal', async () => {
		const list = await runCli(['runbooks', 'list']);
		expect(list).toMatchObject({code: 0, stderr: ''});
		expect(list.stdout).toContain('initial-assessment  assessment  Initial assessment (1 steps, 3 diagnostics, 0 actions)');
		const show = await runCli(['runbooks', 'show', 'initial-mitigation']);
		expect(show.stdout).toContain('U  roll back api-gateway: $ kubectl --context');
		expect((await runCli(['runbooks', 'validate'])).stdout).toMatch(/^7 playbooks valid: /);
	});

	it('refuses a bad playbook with its file, line and reason, exit 2', async () => {
		const file = join(makeTempDir('warroom-runbooks-'), 'bad.yaml');
		writeFileSync(file, ours.replace('key: Z', 'key: q'));
		const result = await runCli(['runbooks', 'validate', file]);
		expect(result).toMatchObject({code: 2, stdout: ''});
		expect(result.stderr).toBe(`warroom: ${file}: line 11: key "q" is already warroom's own (see ?)\n`);
		expect((await runCli(['runbooks', 'show', 'nope'])).code).toBe(2);
		// U is the built-in initial-mitigation playbook's.
		writeFileSync(file, ours.replace('key: Z', 'key: U'));
		expect((await runCli(['runbooks', 'validate', file], {cwd: tmpdir()})).stderr).toBe(
			`warroom: ${file}: line 11: key "U" is already bound by playbook initial-mitigation (${join(projectRoot, 'runbooks/playbooks/initial-mitigation.yaml')})\n`,
		);
	});

	it('a broken playbook of a team stops only what shows playbooks: notes and snapshots go on', async () => {
		const config = configWithPlaybook(ours.replace('key: Z', 'key: q'));
		const dataDir = makeTempDir();
		const runbooks = await runCli(['--config', config, 'runbooks', 'list']);
		expect(runbooks.code).toBe(2);
		expect(runbooks.stderr).toMatch(/ours\.yaml: line 11: key "q" is already warroom's own/);
		expect(
			await runCli(['--config', config, '--data-dir', dataDir, 'declare', '--severity', 'P2', '--title', 'Checkout slow']),
		).toMatchObject({
			code: 0,
			stderr: '',
		});
		expect(await runCli(['--config', config, '--data-dir', dataDir, 'note', 'INC-1', 'still slow'])).toMatchObject({
			code: 0,
			stderr: '',
		});
		expect((await runCli(['--config', config, '--data-dir', dataDir, 'snapshot', '--format', 'json'])).stderr).toBe('');
	});
});
