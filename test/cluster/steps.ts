/**
 * What the cluster tests do to the real control plane and wait for, each in a
 * line: a namespace per test, a Deployment rolled out to a good or a broken
 * image, and waits on what the API serves (never on a fixed sleep).
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll} from 'vitest';
import {cleanup, keys, makeTempDir, runCli, type CliResult, type ConsoleSession} from '../helpers/pty';
import {startControlPlane, testContext, type ControlPlane} from './control-plane';
import {startKubeletDriver, type KubeletDriver} from './kubelet-driver';

/**
 * A control plane and its node for the test file: started before its first
 * test, stopped after its last; `suite.plane` once started. Consoles and
 * temporary files go after each test.
 */
export function clusterSuite(): {plane: ControlPlane} {
	const suite = {} as {plane: ControlPlane};
	let driver: KubeletDriver | undefined;
	beforeAll(async () => {
		suite.plane = await startControlPlane();
		driver = await startKubeletDriver(suite.plane);
		console.log(`control plane up in ${suite.plane.startMs} ms`);
	});
	afterAll(async () => {
		await driver?.stop();
		await suite.plane?.stop();
	});
	afterEach(cleanup);
	return suite;
}

/** The image the driver runs, and one whose tag makes it crash-loop. */
export const goodImage = 'registry.example/shop/web:1.4.2';
export const brokenImage = 'registry.example/shop/web:1.5.0-broken';

export type ClusterPod = {
	metadata: {name: string; namespace: string; uid: string; deletionTimestamp?: string};
	spec: {nodeName?: string; containers: Array<{name: string; image: string}>};
	status?: {
		phase?: string;
		conditions?: Array<{type: string; status: string}>;
		containerStatuses?: Array<{restartCount: number; state?: {waiting?: {reason?: string}}}>;
	};
};

export type ClusterDeployment = {
	spec: {
		replicas: number;
		template: {metadata: {annotations?: Record<string, string>}; spec: {containers: Array<{image: string}>}};
	};
};

export const podImage = (pod: ClusterPod) => pod.spec.containers[0]?.image;

export const isRunningReady = (pod: ClusterPod) =>
	pod.status?.phase === 'Running' &&
	!pod.metadata.deletionTimestamp &&
	pod.status.conditions?.some(condition => condition.type === 'Ready' && condition.status === 'True') === true;

export const isCrashLooping = (pod: ClusterPod) =>
	pod.status?.containerStatuses?.some(status => status.state?.waiting?.reason === 'CrashLoopBackOff') === true;

let namespaces = 0;

/** A fresh namespace, its name short enough for the Pods panel's column (each test file has a control plane of its own). */
export async function createNamespace(plane: ControlPlane, prefix: string): Promise<string> {
	const namespace = `${prefix}-${++namespaces}`;
	await plane.kubectl(['create', 'namespace', namespace]);
	return namespace;
}

export async function listPods(plane: ControlPlane, namespace: string): Promise<ClusterPod[]> {
	return (await plane.api<{items: ClusterPod[]}>('GET', `/api/v1/namespaces/${namespace}/pods`)).items;
}

/** Resolves with the namespace's pods once `ready` holds for them; fails after `timeoutMs` with what was there. */
export async function waitForPods(
	plane: ControlPlane,
	namespace: string,
	ready: (pods: ClusterPod[]) => boolean,
	timeoutMs = 60_000,
): Promise<ClusterPod[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const pods = await listPods(plane, namespace);
		if (ready(pods)) return pods;
		if (Date.now() > deadline) {
			const seen = pods.map(pod => `${pod.metadata.name} ${podImage(pod)} ${pod.status?.phase ?? 'no status'}`);
			throw new Error(`pods of ${namespace} never got there in ${timeoutMs / 1000}s; last seen:\n${seen.join('\n')}`);
		}
		await new Promise(done => setTimeout(done, 250));
	}
}

/** All `replicas` pods of the namespace Running and Ready on `image`, and no other pod. */
export const allRunning = (replicas: number, image: string) => (pods: ClusterPod[]) =>
	pods.length === replicas && pods.every(pod => isRunningReady(pod) && podImage(pod) === image);

/** The Deployment `name` with `replicas` pods of `image`, once they all run. */
export async function deploy(plane: ControlPlane, namespace: string, name: string, image: string, replicas = 2): Promise<void> {
	await plane.kubectl(['create', 'deployment', name, `--image=${image}`, `--replicas=${replicas}`, '-n', namespace]);
	await waitForPods(plane, namespace, allRunning(replicas, image));
}

/** The namespace's first pod of `image` once it crash-loops. */
async function crashLoopingPod(plane: ControlPlane, namespace: string, image: string): Promise<ClusterPod> {
	const isIt = (pod: ClusterPod) => isCrashLooping(pod) && podImage(pod) === image;
	return (await waitForPods(plane, namespace, pods => pods.some(isIt))).find(isIt)!;
}

/**
 * A bad deploy, as it happens, in a namespace of its own: the Deployment `web`
 * runs two pods of `goodImage`, then its image is set to `brokenImage`. The
 * rollout stalls with the old pods still running and the new one crash-looping.
 */
export async function badRollout(plane: ControlPlane): Promise<{namespace: string; crashing: ClusterPod}> {
	const namespace = await createNamespace(plane, 'shop');
	await deploy(plane, namespace, 'web', goodImage);
	await plane.kubectl(['set', 'image', 'deployment/web', `web=${brokenImage}`, '-n', namespace]);
	return {namespace, crashing: await crashLoopingPod(plane, namespace, brokenImage)};
}

/** A Deployment `worker` broken from its first deploy, in a namespace of its own: its one pod crash-loops. */
export async function brokenWorker(plane: ControlPlane): Promise<{namespace: string; crashing: ClusterPod}> {
	const namespace = await createNamespace(plane, 'jobs');
	const image = 'registry.example/jobs/worker:3.0-broken';
	await plane.kubectl(['create', 'deployment', 'worker', `--image=${image}`, '-n', namespace]);
	return {namespace, crashing: await crashLoopingPod(plane, namespace, image)};
}

export async function getDeployment(plane: ControlPlane, namespace: string, name: string): Promise<ClusterDeployment> {
	return plane.api<ClusterDeployment>('GET', `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`);
}

/** The image the Deployment's pod template names now. */
export async function deploymentImage(plane: ControlPlane, namespace: string, name: string): Promise<string | undefined> {
	return (await getDeployment(plane, namespace, name)).spec.template.spec.containers[0]?.image;
}

/** A warroom.yaml reading the suite's cluster through its context, in the given namespaces (default: all). */
export function clusterConfig(namespaces: string[] = []): string {
	const config = join(makeTempDir('warroom-config-'), 'warroom.yaml');
	writeFileSync(config, `kubernetes:\n  context: ${testContext}\n  namespaces: ${JSON.stringify(namespaces)}\n`);
	return config;
}

export type SnapshotReport = {
	kubernetes: {state: string; error?: string; context?: string; healthyCount?: number; pods: object[]};
};

/** `warroom snapshot --format json` of the given namespaces (default: all), as the user of `token` (default: the admin). */
export async function snapshot(
	plane: ControlPlane,
	{namespaces, token}: {namespaces?: string[]; token?: string} = {},
): Promise<CliResult & {report: SnapshotReport}> {
	const env = plane.env(token === undefined ? undefined : plane.kubeconfig({token}));
	const args = ['snapshot', '--format', 'json', '--config', clusterConfig(namespaces), '--data-dir', makeTempDir()];
	const result = await runCli(args, {env});
	try {
		return {...result, report: JSON.parse(result.stdout) as SnapshotReport};
	} catch {
		throw new Error(`snapshot printed no JSON (exit ${result.code}): ${result.stderr}${result.stdout}`);
	}
}

/** Focuses the Pods panel and filters it (`/`) down to the pod `name`, which the console then selects. */
export async function selectPod(app: ConsoleSession, name: string): Promise<void> {
	await app.waitFor(name, {timeout: 30_000});
	app.press('1');
	app.press('/');
	await app.type(name);
	app.press(keys.enter);
	await app.waitFor(() => app.inverseText().some(row => row.includes(name)));
}
