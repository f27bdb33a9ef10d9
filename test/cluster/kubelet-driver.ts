/**
 * The node of the cluster suite: with no kubelet, pods would stay Pending
 * forever. Every few hundred milliseconds this binds Pending pods to its node
 * and writes the status a kubelet would report: Running and Ready for a good
 * image, CrashLoopBackOff with a growing restart count for one whose tag says
 * `broken` (e.g. `shop/web:2.0-broken`). It also finishes the deletion of pods
 * the controllers delete gracefully, which only a kubelet would otherwise do,
 * so rollouts progress. And it serves the kubelet's log endpoint, so
 * `kubectl logs` (and `--previous`, a crash-looping container's last words)
 * works through the apiserver as on a real cluster.
 */
import type {IncomingMessage, ServerResponse} from 'node:http';
import {createServer} from 'node:https';
import type {AddressInfo} from 'node:net';
import type {ControlPlane} from './control-plane';

export const nodeName = 'node-a';

/** An image the driver crash-loops: its tag says so. */
const isBroken = (image: string) => /:[^/:]*broken[^/:]*$/.test(image);

type Container = {name: string; image: string};
type ContainerStatus = {restartCount?: number};
type Pod = {
	metadata: {name: string; namespace: string; deletionTimestamp?: string};
	spec: {nodeName?: string; containers: Container[]};
	status?: {phase?: string; startTime?: string; containerStatuses?: ContainerStatus[]};
};

export type KubeletDriver = {stop(): Promise<void>};

/** How often a broken container restarts again. */
const restartEveryMs = 3_000;
/** How often the driver looks at the pods. */
const pollMs = 250;

const conditions = (ready: boolean, at: string) =>
	[
		['Initialized', true],
		['Ready', ready],
		['ContainersReady', ready],
		['PodScheduled', true],
	].map(([type, ok]) => ({
		type,
		status: ok ? 'True' : 'False',
		lastTransitionTime: at,
		...(ok ? {} : {reason: 'ContainersNotReady', message: 'containers with unready status'}),
	}));

/** What a kubelet reports for `pod` after `restarts` restarts of its broken containers (a crash-loop starts with one). */
function podStatus(pod: Pod, restarts: number, now: Date): object {
	const at = now.toISOString();
	const broken = pod.spec.containers.some(container => isBroken(container.image));
	const containerStatuses = pod.spec.containers.map(({name, image}) =>
		isBroken(image)
			? {
					name,
					image,
					imageID: '',
					ready: false,
					started: false,
					restartCount: restarts,
					state: {
						waiting: {
							reason: 'CrashLoopBackOff',
							message: `back-off 10s restarting failed container=${name} pod=${pod.metadata.name}`,
						},
					},
					lastState: {terminated: {exitCode: 1, reason: 'Error', startedAt: at, finishedAt: at}},
				}
			: {
					name,
					image,
					imageID: `docker-pullable://${image}`,
					ready: true,
					started: true,
					restartCount: 0,
					state: {running: {startedAt: at}},
				},
	);
	return {
		status: {
			phase: 'Running',
			hostIP: '10.0.0.10',
			podIP: '10.244.0.10',
			startTime: pod.status?.startTime ?? at,
			conditions: conditions(!broken, at),
			containerStatuses,
		},
	};
}

/**
 * What a container of `image` wrote: a good one serves; a broken one's last
 * instance died, and only `previous` (the one before the restart) has lines.
 * Undefined: no such instance, as for a good container's previous one.
 */
function containerLog(image: string, previous: boolean): string[] | undefined {
	if (!isBroken(image)) return previous ? undefined : [`starting ${image}`, 'listening on :8080'];
	return previous ? [`starting ${image}`, 'loading /etc/web/config.yaml', 'panic: upstream "payments" has no address'] : [];
}

/** The kubelet's GET /containerLogs/NAMESPACE/POD/CONTAINER?previous=&tailLines=, which the apiserver calls for `kubectl logs`. */
async function serveLog(plane: ControlPlane, request: IncomingMessage, response: ServerResponse): Promise<void> {
	const url = new URL(request.url ?? '/', 'https://kubelet');
	const [, kind, namespace, name, container] = url.pathname.split('/').map(decodeURIComponent);
	const pod =
		kind === 'containerLogs'
			? await plane.api<Pod>('GET', `/api/v1/namespaces/${namespace}/pods/${name}`).catch(() => undefined)
			: undefined;
	const image = pod?.spec.containers.find(candidate => candidate.name === container)?.image;
	const previous = url.searchParams.get('previous') === 'true';
	const lines = image === undefined ? undefined : containerLog(image, previous);
	if (!lines) {
		response.writeHead(image === undefined ? 404 : 400, {'content-type': 'text/plain'});
		response.end(`${previous ? 'previous terminated ' : ''}container "${container}" in pod "${name}" not found`);
		return;
	}
	const tail = Number(url.searchParams.get('tailLines') ?? lines.length);
	// As a kubelet does for `kubectl logs --timestamps`: each line after the time it was written.
	const stamp = url.searchParams.get('timestamps') === 'true' ? `${pod?.status?.startTime ?? new Date().toISOString()} ` : '';
	response.writeHead(200, {'content-type': 'text/plain'});
	response.end(
		lines
			.slice(-tail)
			.map(line => `${stamp}${line}\n`)
			.join(''),
	);
}

/** Plays the kubelet of `nodeName` until `stop()`: the node exists (Ready) once this resolves. */
export async function startKubeletDriver(plane: ControlPlane): Promise<KubeletDriver> {
	const kubelet = createServer(plane.serving, (request, response) => void serveLog(plane, request, response));
	await new Promise<void>(listening => kubelet.listen(0, '127.0.0.1', listening));
	await plane.api('POST', '/api/v1/nodes', {metadata: {name: nodeName, labels: {'kubernetes.io/hostname': nodeName}}});
	await plane.api(
		'PATCH',
		`/api/v1/nodes/${nodeName}/status`,
		{
			status: {
				conditions: [{type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet driver of the cluster suite'}],
				addresses: [{type: 'InternalIP', address: '127.0.0.1'}],
				daemonEndpoints: {kubeletEndpoint: {Port: (kubelet.address() as AddressInfo).port}},
			},
		},
		'application/merge-patch+json',
	);
	/** When each crash-looping pod last restarted, by namespace/name. */
	const lastRestart = new Map<string, number>();

	const tend = async (pod: Pod) => {
		const {name, namespace} = pod.metadata;
		const path = `/api/v1/namespaces/${namespace}/pods/${name}`;
		const key = `${namespace}/${name}`;
		if (pod.metadata.deletionTimestamp) {
			lastRestart.delete(key);
			return plane.api('DELETE', path, {kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0});
		}
		if (!pod.spec.nodeName)
			return plane.api('POST', `${path}/binding`, {
				apiVersion: 'v1',
				kind: 'Binding',
				metadata: {name, namespace},
				target: {apiVersion: 'v1', kind: 'Node', name: nodeName},
			});
		const reported = pod.status?.containerStatuses !== undefined;
		const broken = pod.spec.containers.some(container => isBroken(container.image));
		const restarts = Math.max(0, ...(pod.status?.containerStatuses ?? []).map(status => status.restartCount ?? 0));
		if (reported && !(broken && Date.now() - (lastRestart.get(key) ?? 0) >= restartEveryMs)) return;
		if (broken) lastRestart.set(key, Date.now());
		return plane.api(
			'PATCH',
			`${path}/status`,
			podStatus(pod, reported ? restarts + 1 : 1, new Date()),
			'application/merge-patch+json',
		);
	};

	let running = true;
	const loop = (async () => {
		while (running) {
			// A pod changed or deleted since the list answers 404 or 409: the next round sees it anew.
			const list = await plane.api<{items: Pod[]}>('GET', '/api/v1/pods').catch(() => ({items: []}));
			await Promise.allSettled(list.items.map(tend));
			await new Promise(done => setTimeout(done, pollMs));
		}
	})();
	return {
		async stop() {
			running = false;
			await loop;
			kubelet.closeAllConnections();
			await new Promise(closed => kubelet.close(closed));
		},
	};
}
