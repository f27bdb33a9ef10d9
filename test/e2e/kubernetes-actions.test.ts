/**
 * The Kubernetes keys in a drill, as a responder uses them: the same keys
 * act on the drill's simulated cluster, never a real one. `u` on the
 * crash-looping gateway asks with the revision and image it returns to and
 * the cluster it acts on, and `y` brings the gateway back; `l` shows the
 * crashed container's log; `s` to 0 asks for the name; `--read-only` says
 * that a change is not available.
 */
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {cleanup, keys, type ConsoleSession} from '../helpers/pty';
import {declareIncident, journalEvents, openConsole, quickDrill, quickDrillArgs} from './steps';

afterEach(cleanup);

const crashLooping = /api-gatew\S* +CrashLoopBackOff/;

/** Waits for the gateway to crash-loop and selects one of its pods: the Pods panel filtered down to it. */
async function selectCrashLoopingGateway(app: ConsoleSession): Promise<void> {
	await app.waitFor(crashLooping, {timeout: 8000});
	app.press('1');
	app.press('/');
	await app.type('x2k4j');
	app.press(keys.enter);
	await app.waitFor(screen => screen.filter(line => crashLooping.test(line)).length === 1);
}

it(
	'u rolls the crash-looping gateway back in the drill, asking with the revision, image and cluster, and the timeline says drill',
	{timeout: 30_000},
	async () => {
		const app = await openConsole({args: quickDrillArgs(), cols: 200, rows: 40});
		await declareIncident(app, {title: 'Gateway crash loop'});
		await selectCrashLoopingGateway(app);

		app.press('u');
		const asked = (await app.waitFor('Run it? y/N')).join('\n');
		expect(asked).toContain('rollout undo · mutating');
		expect(asked).toContain('Target: production/api-gateway');
		expect(asked).toMatch(/Cluster: +PROD +context drill-prod · namespace production · drill/);
		expect(app.inverseText().join('\n')).toContain('PROD');
		expect(asked).toContain(
			'Command: kubectl --context drill-prod -n production rollout undo deployment/api-gateway --to-revision=6',
		);
		expect(asked).toContain(
			'Will: roll api-gateway back from revision 7 (registry.example.com/api-gateway:2.15.0) to revision 6 (registry.example.com/api-gateway:2.14.3)',
		);

		app.press('y');
		const after = (await app.waitFor(/1 Pods \d+ not ready · 24 ok/, {timeout: 8000})).join('\n');
		expect(after).not.toMatch(crashLooping);
		// The timeline, zoomed to the width of the screen, has the whole line.
		app.press('4');
		app.press(keys.enter);
		await app.waitFor(/started rollout undo on production\/api-gateway: kubectl .*--to-revision=6 \(drill\)/);
		await app.waitFor(/ran rollout undo on production\/api-gateway: done in \d+ms/);

		const events = journalEvents(join(app.dataDir!, 'drills', quickDrill));
		expect(events.filter(event => event.type.startsWith('action_'))).toMatchObject([
			{
				type: 'action_started',
				action: 'rollout-undo',
				command: 'kubectl --context drill-prod -n production rollout undo deployment/api-gateway --to-revision=6',
				drill: true,
				dryRun: false,
			},
			{type: 'action_finished', action: 'rollout-undo', outcome: 'ok'},
		]);
	},
);

it("l shows the crashed container's log in the drill, and Esc closes it", {timeout: 20_000}, async () => {
	const app = await openConsole({args: quickDrillArgs(), cols: 140, rows: 30});
	await selectCrashLoopingGateway(app);
	app.press('l');
	const shown = (await app.waitFor('previous container (it crashed)')).join('\n');
	expect(shown).toContain('FATAL config: unknown field "upstream_timeout_ms" in routes.yaml line 42');
	expect(shown).toContain('Esc/q close');
	expect(shown).toContain(
		'$ kubectl --context drill-prod -n production logs api-gateway-7d9f8b6c5-x2k4j --all-containers --tail=200 --timestamps --previous',
	);
	app.press(keys.esc);
	await app.waitForGone('previous container (it crashed)');
	await app.waitFor(crashLooping);
});

it('s to 0 asks for the deployment name typed', {timeout: 25_000}, async () => {
	const app = await openConsole({args: quickDrillArgs(), cols: 200, rows: 30});
	await declareIncident(app, {title: 'Gateway crash loop'});
	await selectCrashLoopingGateway(app);
	app.press('s');
	await app.waitFor('production/api-gateway: 3 replicas now, 0 ready (0 to 1000)');
	await app.pressEach([keys.backspace, '0', keys.enter]);
	const asked = (await app.waitFor('Type api-gateway to run it (Enter), Esc cancels')).join('\n');
	expect(asked).toContain('Will: scale api-gateway from 3 to 0 replicas: no pod will be left to serve it');
	expect(asked).toContain('kubectl --context drill-prod -n production scale deployment/api-gateway --replicas=0');
	await app.type('api-gateway');
	app.press(keys.enter);
	// The drill's own job pod may appear meanwhile: the filtered gateway pod leaving the list is what says it scaled.
	await app.waitFor('no pod matches the filter', {timeout: 8000});
	app.press('4');
	app.press(keys.enter);
	await app.waitFor(/started scale on production\/api-gateway: .*--replicas=0 \(drill\)/);
});

it('--read-only: u changes nothing and says so', {timeout: 20_000}, async () => {
	const app = await openConsole({args: [...quickDrillArgs(), '--read-only'], cols: 140, rows: 30});
	await selectCrashLoopingGateway(app);
	app.press('u');
	await app.waitFor('read-only: rollout undo is not available');
	expect(app.screenText()).not.toContain('Run it?');
	expect(app.screenText()).toMatch(crashLooping);
});
