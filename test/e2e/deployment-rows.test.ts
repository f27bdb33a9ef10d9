/**
 * Acting on a deployment row of the Pods panel, as a responder does: `/`
 * down to `deploy/…`, `s`, a count, `y`. In a drill the simulated cluster
 * changes; against the fast-layer API the real kubectl scales a healthy
 * deployment, which no pod row offered.
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import type {KubeApi} from '../helpers/kube-api';
import {startCluster} from '../helpers/kube-deployments';
import {pods} from '../helpers/kube-pods';
import {cleanup, keys, makeTempDir, type ConsoleSession} from '../helpers/pty';
import {declareIncident, journalEvents, openConsole, quickDrill, quickDrillArgs} from './steps';

let api: KubeApi | undefined;

afterEach(async () => {
	await cleanup();
	await api?.close();
	api = undefined;
});

/** The Pods panel filtered down to one deployment's row, found by what it says. */
async function selectDeployment(app: ConsoleSession, name: string, row: RegExp): Promise<void> {
	app.press('1');
	app.press('/');
	await app.type(`deploy/${name}`);
	app.press(keys.enter);
	await app.waitFor(row, {timeout: 10_000});
}

/** `s`, the count typed over the one the form opens on, Enter: the confirmation's text. */
async function scaleTo(app: ConsoleSession, note: string, replicas: string): Promise<string> {
	app.press('s');
	await app.waitFor(note);
	await app.pressEach([keys.backspace, keys.backspace, keys.backspace, keys.backspace]);
	await app.type(replicas);
	app.press(keys.enter);
	return (await app.waitFor('Run it? y/N')).join('\n');
}

it(
	's on the deploy/api-gateway row scales the drill’s gateway: asked y/N with its cluster, and the row counts 5',
	{timeout: 30_000},
	async () => {
		const app = await openConsole({args: quickDrillArgs(), cols: 200, rows: 40});
		await declareIncident(app, {title: 'Gateway crash loop'});
		await app.waitFor(/api-gatew\S* +CrashLoopBackOff/, {timeout: 8000});
		await selectDeployment(app, 'api-gateway', /deploy\/api-gateway +Unavailable +0\/3/);
		const asked = await scaleTo(app, 'production/api-gateway: 3 replicas now, 0 ready (0 to 1000)', '5');
		expect(asked).toContain('scale · mutating');
		expect(asked).toContain('Target: production/api-gateway');
		expect(asked).toMatch(/Cluster: +PROD +context drill-prod · namespace production · drill/);
		expect(asked).toContain('Command: kubectl --context drill-prod -n production scale deployment/api-gateway --replicas=5');
		app.press('y');
		// Ready of desired, then up-to-date and the revision: 5 replicas asked for, all of revision 7.
		await app.waitFor(/deploy\/api-gateway +Unavailable +0\/5 +5 +7 /, {timeout: 8000});
		await app.waitFor(/ran scale on production\/api-gateway: done in \d+ms/);
		const events = journalEvents(join(app.dataDir!, 'drills', quickDrill));
		expect(events.filter(event => event.type.startsWith('action_'))).toMatchObject([
			{type: 'action_started', action: 'scale', target: 'production/api-gateway', drill: true},
			{type: 'action_finished', action: 'scale', outcome: 'ok'},
		]);
	},
);

it(
	's on a healthy deployment’s row scales it through the real kubectl, and the row reads the new count',
	{timeout: 40_000},
	async () => {
		api = await startCluster([pods.healthy, pods.crashLoop]);
		const config = join(makeTempDir('warroom-config-'), 'warroom.yaml');
		writeFileSync(config, 'kubernetes:\n  context: prod-eu\n');
		const env = api.env(api.kubeconfig({context: 'prod-eu'}));
		const app = await openConsole({args: ['--config', config], env, cols: 200, rows: 40});
		await declareIncident(app, {title: 'Checkout slow'});
		await selectDeployment(app, 'checkout', /deploy\/checkout +Available +2\/2/);
		const asked = await scaleTo(app, 'production/checkout: 2 replicas now, 2 ready (0 to 1000)', '5');
		expect(asked).toContain('Target: production/checkout');
		expect(asked).toMatch(/Cluster: +PROD +context prod-eu · namespace production/);
		expect(asked).toMatch(/Command: \S*kubectl --context prod-eu -n production scale deployment\/checkout --replicas=5/);
		app.press('y');
		await app.waitFor(/deploy\/checkout +Available +5\/5/, {timeout: 15_000});
		await app.waitFor(/ran scale on production\/checkout: exit 0 in \d+ms/);
		expect(api.object('deployments', 'production', 'checkout')?.spec).toMatchObject({replicas: 5});
		expect(api.requests).toContain('PATCH /apis/apps/v1/namespaces/production/deployments/checkout/scale');
		expect(journalEvents(app.dataDir!).filter(event => event.type.startsWith('action_'))).toMatchObject([
			{type: 'action_started', action: 'scale', target: 'production/checkout'},
			{type: 'action_finished', action: 'scale', outcome: 'ok', exitCode: 0},
		]);
	},
);
