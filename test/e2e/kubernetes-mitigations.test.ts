/**
 * The Kubernetes mitigations end to end: the built console in a pty, the
 * real kubectl, the fast-layer cluster behind it. A bad rollout crash-loops;
 * the responder selects one of its pods and rolls back, restarts, scales,
 * reads the logs and the events, and every change is confirmed with the
 * exact command and the cluster, lands in the cluster (its state is read
 * back here), shows its result and is journaled. The faults too: a user who
 * may not write, `--dry-run`, `--read-only`, and a deployment that changed
 * while its confirmation was open.
 */
import {execa} from 'execa';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeEach, expect, it} from 'vitest';
import {viewerToken, type KubeApi} from '../helpers/kube-api';
import type {KubeObject} from '../helpers/kube-cluster';
import {startCluster} from '../helpers/kube-deployments';
import {currentImage, pods} from '../helpers/kube-pods';
import {cleanup, keys, makeTempDir, type ConsoleSession} from '../helpers/pty';
import {declareIncident, journalEvents, openConsole} from './steps';

/** The image of the bad rollout: its pods crash-loop. */
const badImage = 'registry/app:2.1.0';
const context = 'prod-eu';

let api: KubeApi;

beforeEach(async () => {
	// A healthy checkout, an OOMKilled indexer and an unschedulable ledger; the gateway's pods come from its rollout.
	api = await startCluster([pods.healthy, pods.oomKilled, pods.unschedulable]);
	api.crashImage(badImage);
	// The bad rollout, through the real kubectl: revision 4, its two pods crash-looping.
	const rollout = await kubectl([
		'patch',
		'deployment/api-gateway',
		'--type=json',
		`-p=[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"${badImage}"}]`,
	]);
	expect(rollout.stderr).toBe('');
	// What the console sends is counted from here.
	api.requests.length = 0;
});

afterEach(async () => {
	await cleanup();
	await api.close();
});

async function kubectl(args: string[], kubeconfig = api.kubeconfig({context})) {
	return execa('kubectl', ['-n', 'production', ...args], {env: {...process.env, ...api.env(kubeconfig)}, reject: false});
}

const gateway = () => api.object('deployments', 'production', 'api-gateway');
const templateOf = (deployment: KubeObject | undefined) =>
	(
		deployment?.spec as {
			template: {metadata?: {annotations?: Record<string, string>}; spec: {containers: Array<{image: string}>}};
		}
	).template;
const gatewayPods = () => api.objects('pods').filter(pod => pod.metadata?.labels?.app === 'api-gateway');
const patches = () => api.requests.filter(request => request.startsWith('PATCH '));

/** The console on the fast-layer cluster through the context `prod-eu`, as `token` (the admin's by default). */
async function openClusterConsole(options: {args?: string[]; token?: string; rows?: number} = {}): Promise<ConsoleSession> {
	const config = join(makeTempDir('warroom-config-'), 'warroom.yaml');
	writeFileSync(config, `kubernetes:\n  context: ${context}\n`);
	const env = api.env(api.kubeconfig({context, ...(options.token ? {token: options.token} : {})}));
	const app = await openConsole({
		args: ['--config', config, ...(options.args ?? [])],
		env,
		cols: 220,
		rows: options.rows ?? 40,
	});
	// The pods and the deployments are read apart: the gateway's can be acted on once both are in.
	await app.waitFor(/usage: no metrics API[^]*api-gateway-\S+ +CrashLoopBackOff/, {timeout: 10_000});
	return app;
}

/** `/` with part of `pod`'s name: the Pods panel filtered down to it, the selection on it. */
async function selectPod(app: ConsoleSession, pod: string): Promise<void> {
	app.press('1');
	app.press('/');
	await app.type(pod.slice(-5));
	app.press(keys.enter);
	await app.waitFor(screen => screen.filter(line => line.includes('CrashLoopBackOff')).length === 1);
	expect(app.screenText()).toContain(pod);
}

/** The footer line: the last notice, or the key hints. */
const footer = (app: ConsoleSession) => app.screen()[app.rows - 2] ?? '';

const crashingPod = () => gatewayPods()[0]?.metadata?.name ?? '';

it(
	'u rolls the bad rollout back through kubectl: asked with revision, image, cluster and command; the pods run again; journaled',
	{timeout: 30_000},
	async () => {
		const app = await openClusterConsole();
		await declareIncident(app, {title: 'Gateway crash loop'});
		const pod = crashingPod();
		await selectPod(app, pod);

		app.press('u');
		const asked = (await app.waitFor('Run it? y/N')).join('\n');
		expect(asked).toContain('Target: production/api-gateway');
		expect(asked).toMatch(/Cluster: +PROD +context prod-eu · namespace production/);
		expect(asked).toContain(
			'Command: kubectl --context prod-eu -n production rollout undo deployment/api-gateway --to-revision=3',
		);
		expect(asked).toContain(
			`Will: roll api-gateway back from revision 4 (${badImage}, registry/envoy:1.28.0) to revision 3 (${currentImage}, registry/envoy:1.28.0)`,
		);
		expect(patches()).toEqual([]);

		app.press('y');
		await app.waitFor(() => /ran rollout undo on production\/api-gateway: exit 0 in \d+/.test(footer(app)), {timeout: 10_000});
		expect(templateOf(gateway()).spec.containers[0]?.image).toBe(currentImage);
		// The gateway's two pods run again: none is listed, and they are counted healthy.
		await app.waitFor(/1 Pods 2 not ready · 3 ok/);
		expect(app.screenText()).not.toContain('CrashLoopBackOff');

		const events = journalEvents(app.dataDir!).filter(event => event.type.startsWith('action_'));
		expect(events).toEqual([
			expect.objectContaining({
				type: 'action_started',
				action: 'rollout-undo',
				target: 'production/api-gateway',
				command: 'kubectl --context prod-eu -n production rollout undo deployment/api-gateway --to-revision=3',
				dryRun: false,
				actor: expect.stringMatching(/.@./),
			}),
			expect.objectContaining({
				type: 'action_finished',
				action: 'rollout-undo',
				outcome: 'ok',
				exitCode: 0,
				durationMs: expect.any(Number),
				actor: expect.stringMatching(/.@./),
			}),
		]);
	},
);

it(
	'the selection follows the pod through the rollback: once it is gone the notice says where it moved, beside the rollback’s result',
	{timeout: 30_000},
	async () => {
		const app = await openClusterConsole();
		await declareIncident(app, {title: 'Gateway crash loop'});
		app.press('1');
		app.press('/');
		await app.type('api-gateway');
		app.press(keys.enter);
		await app.waitFor(screen => screen.filter(line => line.includes('CrashLoopBackOff')).length === 2);
		const selectedPod = () => /api-gateway-\S+/.exec(app.inverseText().join('\n'))?.[0];
		const first = selectedPod();
		app.press('j');
		await app.waitFor(() => selectedPod() !== first);
		const pod = selectedPod()!;
		// The filter cleared, the selection stays on that pod wherever it is listed now.
		app.press(keys.esc);
		await app.waitFor(/OOMKilled[^]*Unschedulable/);
		await app.waitFor(() => selectedPod() === pod);

		app.press('u');
		await app.waitFor('Run it? y/N');
		app.press('y');
		const moved = await app.waitFor(`the selected pod production/${pod} is gone: selection moved to production/`, {
			timeout: 10_000,
		});
		// The rollback's result, on the footer with it: neither notice hides the other, whichever came first.
		await app.waitFor(() => /ran rollout undo on production\/api-gateway: exit 0 in \d+/.test(footer(app)));
		expect(footer(app)).toContain(`the selected pod production/${pod} is gone`);
		expect(moved.filter(line => line.includes(pod) && line.includes('CrashLoopBackOff'))).toEqual([]);
	},
);

it('R restarts the deployment: its template gets the restartedAt stamp', {timeout: 30_000}, async () => {
	const app = await openClusterConsole();
	await declareIncident(app, {title: 'Gateway crash loop'});
	await selectPod(app, crashingPod());
	app.press('R');
	const asked = (await app.waitFor('Run it? y/N')).join('\n');
	expect(asked).toContain('Command: kubectl --context prod-eu -n production rollout restart deployment/api-gateway');
	app.press('y');
	await app.waitFor(() => /ran rollout restart on production\/api-gateway: exit 0 in \d+/.test(footer(app)), {timeout: 10_000});
	expect(templateOf(gateway()).metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT/);
	expect(patches()).toEqual(['PATCH /apis/apps/v1/namespaces/production/deployments/api-gateway?fieldManager=kubectl-rollout']);
});

it(
	's scales to the number typed; s again starts from it; 0 needs the name typed, a wrong one is refused, and Esc runs nothing',
	{timeout: 30_000},
	async () => {
		const app = await openClusterConsole();
		await declareIncident(app, {title: 'Gateway crash loop'});
		await selectPod(app, crashingPod());
		app.press('s');
		await app.waitFor('production/api-gateway: 2 replicas now, 0 ready (0 to 1000)');
		await app.pressEach([keys.backspace, '5', keys.enter]);
		const asked = (await app.waitFor('Run it? y/N')).join('\n');
		expect(asked).toContain('Will: scale api-gateway from 2 to 5 replicas');
		expect(asked).toContain('Command: kubectl --context prod-eu -n production scale deployment/api-gateway --replicas=5');
		app.press('y');
		await app.waitFor(() => /ran scale on production\/api-gateway: exit 0 in \d+/.test(footer(app)), {timeout: 10_000});
		expect((gateway()?.spec as {replicas: number}).replicas).toBe(5);
		// The filter is the first pod's: its four new siblings are counted in the panel's title.
		await app.waitFor(/1 Pods 7 not ready · 1 ok/);

		// Asked again at once, the form starts from the replicas the cluster has now.
		app.press('s');
		await app.waitFor('production/api-gateway: 5 replicas now, 0 ready (0 to 1000)');
		await app.pressEach([keys.backspace, '0', keys.enter]);
		const typeName = (await app.waitFor('Type api-gateway to run it (Enter), Esc cancels')).join('\n');
		expect(typeName).toContain('Will: scale api-gateway from 5 to 0 replicas: no pod will be left to serve it');
		await app.type('api-gatewey');
		app.press(keys.enter);
		await app.waitFor('"api-gatewey" is not api-gateway: type the name exactly, or Esc');
		app.press(keys.esc);
		await app.waitFor(() => footer(app).includes('not run: scale on production/api-gateway'));
		expect(patches()).toEqual(['PATCH /apis/apps/v1/namespaces/production/deployments/api-gateway/scale']);
		expect((gateway()?.spec as {replicas: number}).replicas).toBe(5);
	},
);

/** What a hostile log line or event message may carry: a colour, a title change, a bidi override, a zero-width space. */
const hostile = '\u001b[31mred\u001b[0m \u001b]0;owned\u0007title \u202Eelgnis\u202C \u200Bzero';
const cleaned = 'red title elgnis zero';

it(
	"l shows the crashed container's previous log from the API, cleaned, scrolled from its end; i shows the pod's events",
	{timeout: 30_000},
	async () => {
		const pod = crashingPod();
		const previous = Array.from({length: 60}, (_, index) => `line ${index + 1} of the crashed run`);
		previous[57] = `config error: ${hostile}`;
		api.setLogs('production', pod, 'app', {current: ['starting again'], previous});
		// The sidecar never crashed: it has no previous run, which must not hide the app's.
		api.setLogs('production', pod, 'envoy', {current: ['envoy ready']});
		const app = await openClusterConsole();
		await selectPod(app, pod);

		app.press('l');
		const shown = (await app.waitFor(`logs production/${pod} · previous container (it crashed)`, {timeout: 10_000})).join('\n');
		expect(shown).toContain('line 60 of the crashed run');
		expect(shown).toContain(`config error: ${cleaned}`);
		expect(shown).not.toContain('line 1 of the crashed run');
		expect(api.requests).toContain(
			`GET /api/v1/namespaces/production/pods/${pod}/log?container=app&previous=true&tailLines=200&timestamps=true`,
		);
		app.press('g');
		await app.waitFor(/line 1 of the crashed run/);
		app.press(keys.esc);
		await app.waitForGone('previous container (it crashed)');

		api.set('events', [
			...api.objects('events'),
			{
				apiVersion: 'v1',
				kind: 'Event',
				metadata: {name: `${pod}.backoff`, namespace: 'production', uid: 'uid-event-gateway-backoff'},
				involvedObject: {kind: 'Pod', namespace: 'production', name: pod, uid: gatewayPods()[0]?.metadata?.uid},
				reason: 'BackOff',
				message: `Back-off restarting failed container app ${hostile}`,
				source: {component: 'kubelet', host: 'node-a'},
				firstTimestamp: new Date(Date.now() - 60_000).toISOString(),
				lastTimestamp: new Date().toISOString(),
				count: 4,
				type: 'Warning',
			},
		]);
		app.press('i');
		const described = (await app.waitFor(`describe pod production/${pod}`, {timeout: 10_000})).join('\n');
		expect(described).toMatch(new RegExp(`Name: +${pod}`));
		app.press('G');
		const events = (await app.waitFor(/Warning +BackOff/)).join('\n');
		// kubectl describe writes an escape as `^[` itself; the bidi and zero-width characters are ours to drop.
		expect(events).toMatch(/Back-off restarting failed container app \^\[\[31mred\^\[\[0m \^\[\]0;ownedtitle elgnis zero/);
		expect(app.output).not.toContain('\u001b]0;owned');
		expect(app.output).not.toContain('\u202E');
	},
);

it(
	'a user who may not patch: the footer says the cluster refused and which verb, the journal has the failure',
	{timeout: 30_000},
	async () => {
		const app = await openClusterConsole({token: viewerToken});
		await declareIncident(app, {title: 'Gateway crash loop'});
		await selectPod(app, crashingPod());
		app.press('u');
		await app.waitFor('Run it? y/N');
		app.press('y');
		await app.waitFor(
			() => footer(app).includes('kubectl: 403 Forbidden: viewer may not patch deployments.apps in namespace production'),
			{timeout: 10_000},
		);
		expect(footer(app)).toMatch(/ran rollout undo on production\/api-gateway: exit 1 in \d+/);
		expect(templateOf(gateway()).spec.containers[0]?.image).toBe(badImage);
		const finished = journalEvents(app.dataDir!).find(event => event.type === 'action_finished');
		expect(finished).toMatchObject({
			outcome: 'failed',
			exitCode: 1,
			stderrTail: expect.stringContaining('User "viewer" cannot patch resource "deployments" in API group "apps"'),
		});
	},
);

it('--dry-run: y journals what would run, and the cluster sees no write', {timeout: 30_000}, async () => {
	const app = await openClusterConsole({args: ['--dry-run']});
	await declareIncident(app, {title: 'Gateway crash loop'});
	await selectPod(app, crashingPod());
	app.press('u');
	await app.waitFor('Run it? y/N');
	app.press('y');
	await app.waitFor(() => footer(app).includes('would run rollout undo on production/api-gateway: kubectl --context prod-eu'));
	expect(journalEvents(app.dataDir!).filter(event => event.type.startsWith('action_'))).toMatchObject([
		{type: 'action_started', dryRun: true, command: expect.stringContaining('rollout undo deployment/api-gateway')},
		{type: 'action_finished', outcome: 'dry-run'},
	]);
	expect(patches()).toEqual([]);
	expect(templateOf(gateway()).spec.containers[0]?.image).toBe(badImage);
});

it('--read-only: u says it is not available, and asks nothing', {timeout: 30_000}, async () => {
	const app = await openClusterConsole({args: ['--read-only']});
	await selectPod(app, crashingPod());
	app.press('u');
	await app.waitFor(() => footer(app).includes('read-only: rollout undo is not available'));
	expect(app.screenText()).not.toContain('Run it?');
	expect(patches()).toEqual([]);
});

/** Someone else's rollout of `image` under way: its ReplicaSet at revision 5 and a first pod, the old pods still there. */
function anotherRolloutBegins(image: string): void {
	const revision = 'deployment.kubernetes.io/revision';
	const withImage = <T extends KubeObject>(object: T, annotations: Record<string, string>, name?: string): T => {
		const copy = structuredClone(object);
		copy.metadata = {...copy.metadata, annotations: {...copy.metadata?.annotations, ...annotations}};
		if (name) copy.metadata = {...copy.metadata, name, uid: `uid-${name}`};
		templateOf(copy).spec.containers[0]!.image = image;
		return copy;
	};
	const running = api.objects('replicasets').find(replicaSet => replicaSet.metadata?.annotations?.[revision] === '4')!;
	const next = withImage(running, {[revision]: '5'}, 'api-gateway-6f7e8d9c0b');
	api.set('replicasets', [...api.objects('replicasets'), next]);
	api.set('deployments', [
		...api.objects('deployments').filter(deployment => deployment.metadata?.name !== 'api-gateway'),
		withImage(gateway()!, {[revision]: '5'}),
	]);
	const first = structuredClone(gatewayPods()[0]!);
	first.metadata = {
		...first.metadata,
		name: 'api-gateway-6f7e8d9c0b-s1rge',
		uid: 'uid-api-gateway-s1rge',
		ownerReferences: [
			{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: next.metadata?.name, uid: next.metadata?.uid, controller: true},
		],
	};
	api.emit('ADDED', first as never);
}

it(
	'a confirmation left open while another rollout begins says at once that y runs nothing now, and y runs nothing',
	{timeout: 30_000},
	async () => {
		const app = await openClusterConsole();
		await declareIncident(app, {title: 'Gateway crash loop'});
		await selectPod(app, crashingPod());
		app.press('u');
		await app.waitFor('--to-revision=3');
		anotherRolloutBegins('registry/app:2.2.0');
		await app.waitFor(
			'! changed while asked: y now runs nothing (not run: production/api-gateway changed since it was confirmed; ask again)',
			// The details are read every 10 s: a new ReplicaSet's first pod has them read at once.
			{timeout: 4000},
		);
		app.press('y');
		await app.waitFor(() => footer(app).includes('not run: production/api-gateway changed since it was confirmed; ask again'));
		expect(patches()).toEqual([]);
		expect(journalEvents(app.dataDir!).filter(event => event.type.startsWith('action_'))).toEqual([]);
		// Asked again, it starts from the rollout under way.
		app.press('u');
		expect((await app.waitFor('Run it? y/N')).join('\n')).toContain(
			'Will: roll api-gateway back from revision 5 (registry/app:2.2.0, registry/envoy:1.28.0) to revision 4',
		);
	},
);
