/**
 * The mitigation keys through the built console against the real control
 * plane, as a responder uses them on a bad rollout: `u` rolls the Deployment
 * back to the revision and image its confirmation names, `s` scales it (to 0
 * only with its name typed), `R` replaces its pods, `l` shows the crashed
 * container's last words; each change confirmed, journaled, and seen in the
 * real Deployment and its pods. A user with only the view role is told which
 * verb the cluster forbids. One control plane for the file, a namespace per
 * test.
 */
import {expect, it} from 'vitest';
import {keys, type ConsoleSession} from '../helpers/pty';
import {declareIncident, journalEvents, openConsole} from '../e2e/steps';
import {testContext, viewerToken} from './control-plane';
import {
	allRunning,
	badRollout,
	brokenImage,
	brokenWorker,
	clusterConfig,
	clusterSuite,
	createNamespace,
	deploy,
	deploymentImage,
	getDeployment,
	goodImage,
	isRunningReady,
	listPods,
	podImage,
	selectPod,
	waitForPods,
	type ClusterPod,
} from './steps';

const suite = clusterSuite();

/** The console on `namespaces` of the suite's cluster, as the admin unless a kubeconfig is given, an incident declared: a change needs one. */
async function consoleWithIncident(namespaces: string[], kubeconfig?: string): Promise<ConsoleSession> {
	const app = await openConsole({
		args: ['--config', clusterConfig(namespaces)],
		env: suite.plane.env(kubeconfig),
		cols: 200,
		rows: 40,
	});
	await declareIncident(app, {title: 'web crash loop'});
	// The deployments are read with the usage, apart from the pods: a key pressed before would be refused until they are.
	await app.waitFor('usage: ', {timeout: 30_000});
	return app;
}

const podRow = (pod: ClusterPod, reason: string) => new RegExp(`${pod.metadata.name}\\s+${reason}`);

it('u rolls the bad deploy back to the revision and image it names: its pods Running, the row gone, the selection moved, exit 0 journaled', async () => {
	const {namespace, crashing} = await badRollout(suite.plane);
	// Another broken pod, listed under the web one: where the selection goes once that one is gone.
	const worker = await brokenWorker(suite.plane);
	const app = await consoleWithIncident([namespace, worker.namespace]);
	await app.waitFor(podRow(worker.crashing, 'CrashLoopBackOff'), {timeout: 30_000});
	app.press('1');
	app.press(keys.up);
	await app.waitFor(() => app.inverseText().some(row => row.includes(crashing.metadata.name)));

	app.press('u');
	const asked = (await app.waitFor('Run it? y/N', {timeout: 10_000})).join('\n');
	expect(asked).toContain(`Will: roll web back from revision 2 (${brokenImage}) to revision 1 (${goodImage})`);
	expect(asked).toMatch(new RegExp(`Cluster: +context ${testContext} · namespace ${namespace}`));
	const command = `kubectl --context ${testContext} -n ${namespace} rollout undo deployment/web --to-revision=1`;
	expect(asked).toContain(`Command: ${command}`);
	app.press('y');

	await waitForPods(suite.plane, namespace, allRunning(2, goodImage));
	expect(await deploymentImage(suite.plane, namespace, 'web')).toBe(goodImage);
	const gone = `${namespace}/${crashing.metadata.name}`;
	const moved = `${worker.namespace}/${worker.crashing.metadata.name}`;
	await app.waitFor(`the selected pod ${gone} is gone: selection moved to ${moved}`, {timeout: 30_000});
	const after = (await app.waitFor(/Pods 1 not ready · 2 ok/, {timeout: 30_000})).join('\n');
	expect(after).not.toMatch(podRow(crashing, 'CrashLoopBackOff'));
	expect(app.inverseText()).toContainEqual(expect.stringContaining(worker.crashing.metadata.name));

	const events = journalEvents(app.dataDir!).filter(event => event.type.startsWith('action_'));
	expect(events).toMatchObject([
		{type: 'action_started', action: 'rollout-undo', target: `${namespace}/web`, command, dryRun: false},
		{type: 'action_finished', action: 'rollout-undo', outcome: 'ok', exitCode: 0},
	]);
});

it('s scales the deployment to 3, its new pod counted healthy; to 0 only once its name is typed', async () => {
	const {namespace, crashing} = await badRollout(suite.plane);
	const app = await consoleWithIncident([namespace]);
	await selectPod(app, crashing.metadata.name);

	app.press('s');
	await app.waitFor(`${namespace}/web: 2 replicas now`, {timeout: 10_000});
	await app.pressEach([keys.backspace, '3', keys.enter]);
	const asked = (await app.waitFor('Run it? y/N', {timeout: 10_000})).join('\n');
	expect(asked).toContain(`Command: kubectl --context ${testContext} -n ${namespace} scale deployment/web --replicas=3`);
	app.press('y');
	// The stalled rollout's new ReplicaSet stays at its one broken pod: the third replica is the old image's.
	await waitForPods(
		suite.plane,
		namespace,
		pods => pods.filter(pod => isRunningReady(pod) && podImage(pod) === goodImage).length === 3,
	);
	expect((await getDeployment(suite.plane, namespace, 'web')).spec.replicas).toBe(3);
	await app.waitFor(/Pods 1 not ready · 3 ok/, {timeout: 30_000});

	app.press('s');
	await app.waitFor(`${namespace}/web: 3 replicas now`, {timeout: 10_000});
	await app.pressEach([keys.backspace, '0', keys.enter]);
	await app.waitFor('Type web to run it', {timeout: 10_000});
	await app.type('we');
	app.press(keys.enter);
	await app.waitFor('"we" is not web: type the name exactly, or Esc');
	expect((await getDeployment(suite.plane, namespace, 'web')).spec.replicas).toBe(3);
	await app.type('b');
	app.press(keys.enter);
	await waitForPods(suite.plane, namespace, pods => pods.length === 0);
	expect((await getDeployment(suite.plane, namespace, 'web')).spec.replicas).toBe(0);
	await app.waitFor(/Pods 0 not ready · 0 ok/, {timeout: 30_000});
});

/** Reports that `pod`'s container was OOM-killed once and runs again, as its kubelet would: the Pods panel lists it for its restart. */
async function oomKilledOnce(pod: ClusterPod): Promise<void> {
	const path = `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/status`;
	const at = new Date().toISOString();
	const containerStatuses = pod.status?.containerStatuses?.map(status => ({
		...status,
		restartCount: 1,
		lastState: {terminated: {exitCode: 137, reason: 'OOMKilled', startedAt: at, finishedAt: at}},
	}));
	await suite.plane.api('PATCH', path, {status: {containerStatuses}}, 'application/merge-patch+json');
}

it('R replaces every pod of the deployment, its template stamped restartedAt', async () => {
	const namespace = await createNamespace(suite.plane, 'shop');
	await deploy(suite.plane, namespace, 'web', goodImage);
	const before = await listPods(suite.plane, namespace);
	const restarted = before[0]!;
	await oomKilledOnce(restarted);
	const app = await consoleWithIncident([namespace]);
	await app.waitFor(podRow(restarted, 'OOMKilled'), {timeout: 30_000});
	await selectPod(app, restarted.metadata.name);

	app.press('R');
	const asked = (await app.waitFor('Run it? y/N', {timeout: 10_000})).join('\n');
	expect(asked).toContain(`Command: kubectl --context ${testContext} -n ${namespace} rollout restart deployment/web`);
	app.press('y');

	const uids = new Set(before.map(pod => pod.metadata.uid));
	await waitForPods(
		suite.plane,
		namespace,
		pods => allRunning(2, goodImage)(pods) && !pods.some(pod => uids.has(pod.metadata.uid)),
	);
	const template = (await getDeployment(suite.plane, namespace, 'web')).spec.template;
	expect(template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT/);
	const after = (await app.waitFor(/Pods 0 not ready · 2 ok/, {timeout: 30_000})).join('\n');
	expect(after).toContain('no pod matches the filter');
});

it("l on the crash-looping pod shows its previous container's last words, served by the node", async () => {
	const {namespace, crashing} = await badRollout(suite.plane);
	const app = await openConsole({args: ['--config', clusterConfig([namespace])], env: suite.plane.env(), cols: 200, rows: 40});
	await selectPod(app, crashing.metadata.name);

	app.press('l');
	const lastWords = /\d{4}-\d\d-\d\dT[\d:.]+Z panic: upstream "payments" has no address/;
	const shown = (await app.waitFor(lastWords, {timeout: 20_000})).join('\n');
	expect(shown).toContain(`logs ${namespace}/${crashing.metadata.name} · previous container (it crashed)`);
	expect(shown).toContain(
		`$ kubectl --context ${testContext} -n ${namespace} logs ${crashing.metadata.name} --all-containers --tail=200 --timestamps --previous`,
	);
});

it('u as a user with only the view role: the result names the verb the cluster forbids, and the journal says failed', async () => {
	const {namespace, crashing} = await badRollout(suite.plane);
	const app = await consoleWithIncident([namespace], suite.plane.kubeconfig({token: viewerToken}));
	await selectPod(app, crashing.metadata.name);

	app.press('u');
	await app.waitFor('Run it? y/N', {timeout: 10_000});
	app.press('y');
	await app.waitFor(/ran rollout undo on \S+\/web: exit 1 .*\bpatch\b.*\bdeployments\b/, {timeout: 30_000});
	expect(await deploymentImage(suite.plane, namespace, 'web')).toBe(brokenImage);
	const finished = journalEvents(app.dataDir!).find(event => event.type === 'action_finished');
	expect(finished).toMatchObject({action: 'rollout-undo', outcome: 'failed', exitCode: 1});
	expect(finished?.stderrTail).toMatch(/User "viewer" cannot patch resource "deployments"/);
});
