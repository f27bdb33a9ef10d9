/**
 * The fast layer: a Kubernetes API server in this process speaking the REST
 * subset the real `kubectl get pods -o json` uses (discovery, then the pod
 * list, and the watch `--watch` opens after it), so tests run the real kubectl binary against pods they set. HTTPS
 * with a throwaway certificate: kubectl sends a bearer token only over TLS.
 * Requests without the token get the 401 a real server gives.
 */
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:https';
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {KubePod} from '../../source/sources/kubernetes/classify';

export const kubeToken = 'fast-layer-token-3f9c';
/** A user the server knows but whose role may not list pods: discovery works, the list is a 403. */
export const viewerToken = 'fast-layer-viewer-7d1e';

export type KubeApi = {
	url: string;
	/** A kubeconfig with one context (`context`) pointing here with the token; `token` overrides it. */
	kubeconfig(options?: {context?: string; token?: string}): string;
	/** A home of its own for kubectl: its discovery cache lives there and in `cacheDir`. */
	env(kubeconfig?: string): Record<string, string>;
	cacheDir: string;
	/** What the next list serves. */
	setPods(pods: KubePod[]): void;
	/** A change to the served pods (by uid), written as one event line to every open watch. */
	emit(type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: KubePod): void;
	/** Every open watch gets a line that is no JSON event, as from a proxy answering in HTML. */
	garble(): void;
	/** Every open watch is cut mid-stream, as a dropped connection would. */
	cut(): void;
	/** From now on, pod lists are answered never. */
	hang(): void;
	/** Every request's method and path with its query, in order. */
	requests: string[];
	/** The API server goes down; its kubeconfigs stay, so clients find the port closed. */
	stop(): Promise<void>;
	/** Up again after `stop`, on the same port. */
	start(): Promise<void>;
	/** Stops it and removes its files. */
	close(): Promise<void>;
};

const json = (response: ServerResponse, status: number, body: unknown) => {
	response.writeHead(status, {'content-type': 'application/json'});
	response.end(JSON.stringify(body));
};

const status = (code: number, reason: string, message: string) => ({
	kind: 'Status',
	apiVersion: 'v1',
	metadata: {},
	status: 'Failure',
	message,
	reason,
	code,
});

/** Discovery as a server without aggregated discovery answers it: kubectl then asks /api/v1. */
const discovery: Record<string, unknown> = {
	'/version': {major: '1', minor: '32', gitVersion: 'v1.32.0-fast-layer', platform: 'linux/amd64'},
	'/api': {kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress: ''}]},
	'/apis': {kind: 'APIGroupList', apiVersion: 'v1', groups: []},
	'/api/v1': {
		kind: 'APIResourceList',
		groupVersion: 'v1',
		resources: [
			{name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list', 'watch'], shortNames: ['po']},
			{name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get', 'list']},
		],
	},
};

const podsPath = /^\/api\/v1(?:\/namespaces\/([^/]+))?\/pods$/;

/** A self-signed certificate for 127.0.0.1, made by openssl in `dir`. */
function certificate(dir: string): {key: Buffer; cert: Buffer} {
	const key = join(dir, 'key.pem');
	const cert = join(dir, 'cert.pem');
	execFileSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'ec',
			'-pkeyopt',
			'ec_paramgen_curve:prime256v1',
			'-nodes',
			'-keyout',
			key,
			'-out',
			cert,
			'-days',
			'1',
			'-subj',
			'/CN=127.0.0.1',
			'-addext',
			'subjectAltName=IP:127.0.0.1',
		],
		{stdio: 'ignore'},
	);
	return {key: readFileSync(key), cert: readFileSync(cert)};
}

export async function startKubeApi(pods: KubePod[] = []): Promise<KubeApi> {
	const dir = mkdtempSync(join(tmpdir(), 'warroom-kube-'));
	let served = pods;
	let hanging = false;
	const requests: string[] = [];
	const stalled = new Set<ServerResponse>();
	/** The open watches, each with the namespace it watches (none: all). */
	const watches = new Map<ServerResponse, string | undefined>();
	let resourceVersion = 1000;
	/** The lists being read page by page, by the id their `continue` tokens carry. */
	const pagedLists = new Map<string, KubePod[]>();
	let lists = 0;

	const handle = (request: IncomingMessage, response: ServerResponse) => {
		const url = new URL(request.url ?? '/', 'https://fast-layer');
		requests.push(`${request.method} ${url.pathname}${url.search}`);
		const viewer = request.headers.authorization === `Bearer ${viewerToken}`;
		if (request.headers.authorization !== `Bearer ${kubeToken}` && !viewer)
			return json(response, 401, status(401, 'Unauthorized', 'Unauthorized'));
		if (url.pathname in discovery) return json(response, 200, discovery[url.pathname]);
		const list = podsPath.exec(url.pathname);
		if (request.method === 'GET' && list && viewer)
			return json(
				response,
				403,
				status(
					403,
					'Forbidden',
					'pods is forbidden: User "viewer" cannot list resource "pods" in API group "" at the cluster scope',
				),
			);
		if (request.method === 'GET' && list) {
			if (hanging) return void stalled.add(response);
			// Like a real server: the watch stays open, one JSON event per line (kubectl's list before it is answered below).
			if (url.searchParams.get('watch') === 'true') {
				response.writeHead(200, {'content-type': 'application/json', 'transfer-encoding': 'chunked'});
				response.flushHeaders();
				watches.set(response, list[1]);
				response.on('close', () => watches.delete(response));
				return;
			}
			const namespace = list[1];
			// Pages of `limit` pods, as a real server answers kubectl's `limit=500`: each `continue` reads on in the list as it was.
			const token = url.searchParams.get('continue');
			const [listId = String(++lists), offset = '0'] = token ? token.split(':') : [];
			const items = token
				? pagedLists.get(listId)
				: namespace
					? served.filter(pod => pod.metadata?.namespace === namespace)
					: served;
			if (!items) return json(response, 410, status(410, 'Expired', 'The provided continue parameter is too old'));
			const start = Number(offset);
			const page = items.slice(start, start + (Number(url.searchParams.get('limit')) || items.length));
			const remainingItemCount = items.length - start - page.length;
			if (remainingItemCount > 0) pagedLists.set(listId, items);
			else pagedLists.delete(listId);
			return json(response, 200, {
				kind: 'PodList',
				apiVersion: 'v1',
				metadata: {
					resourceVersion: String(resourceVersion),
					...(remainingItemCount > 0 ? {continue: `${listId}:${start + page.length}`, remainingItemCount} : {}),
				},
				items: page.map(pod => ({apiVersion: 'v1', kind: 'Pod', ...pod})),
			});
		}
		json(response, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
	};

	const server: Server = createServer(certificate(dir), handle);
	await new Promise<void>(listening => server.listen(0, '127.0.0.1', listening));
	const {port} = server.address() as AddressInfo;
	const url = `https://127.0.0.1:${port}`;
	const cacheDir = join(dir, 'home/.kube/cache');
	let configs = 0;

	const api: KubeApi = {
		url,
		cacheDir,
		requests,
		kubeconfig({context = 'fast-layer', token = kubeToken} = {}) {
			const file = join(dir, `kubeconfig-${++configs}`);
			writeFileSync(
				file,
				JSON.stringify({
					apiVersion: 'v1',
					kind: 'Config',
					clusters: [{name: 'fast-layer', cluster: {server: url, 'insecure-skip-tls-verify': true}}],
					users: [{name: 'responder', user: {token}}],
					contexts: [{name: context, context: {cluster: 'fast-layer', user: 'responder'}}],
					'current-context': context,
				}),
			);
			return file;
		},
		env(kubeconfig) {
			return {HOME: join(dir, 'home'), KUBECACHEDIR: cacheDir, KUBECONFIG: kubeconfig ?? api.kubeconfig()};
		},
		setPods(next) {
			served = next;
		},
		emit(type, pod) {
			const uid = pod.metadata?.uid;
			served = [...served.filter(other => other.metadata?.uid !== uid), ...(type === 'DELETED' ? [] : [pod])];
			resourceVersion += 1;
			const object = {apiVersion: 'v1', kind: 'Pod', ...pod};
			const line = `${JSON.stringify({type, object: {...object, metadata: {...object.metadata, resourceVersion: String(resourceVersion)}}})}\n`;
			for (const [watch, namespace] of watches)
				if (namespace === undefined || namespace === pod.metadata?.namespace) watch.write(line);
		},
		garble() {
			for (const watch of watches.keys()) watch.write('<html>502 Bad Gateway</html>\n');
		},
		cut() {
			for (const watch of watches.keys()) watch.destroy();
		},
		hang() {
			hanging = true;
		},
		async stop() {
			if (!server.listening) return;
			for (const response of stalled) response.destroy();
			server.closeAllConnections();
			await new Promise(closed => server.close(closed));
		},
		async start() {
			await new Promise<void>(listening => server.listen(port, '127.0.0.1', listening));
		},
		async close() {
			await api.stop();
			rmSync(dir, {recursive: true, force: true});
		},
	};
	return api;
}
