/**
 * The fast layer: a Kubernetes API server in this process speaking the REST
 * subset the real kubectl uses — discovery; list, get and watch of pods,
 * events, deployments and replicasets; the metrics API (or its absence);
 * pod logs; the writes of `rollout undo`, `rollout restart` and `scale`;
 * and `auth can-i`'s access reviews — so tests run the real kubectl binary
 * against a cluster they set (`kube-cluster.ts` keeps it honest). HTTPS with a throwaway certificate:
 * kubectl sends a bearer token only over TLS. Requests without the token get
 * the 401 a real server gives; the viewer's writes and the staging user's
 * reads outside `staging` get its 403.
 */
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:https';
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {KubePod} from '../../source/sources/kubernetes/classify';
import {createCluster, resourceKinds, type ChangeType, type KubeObject, type ResourceName} from './kube-cluster';
import {applyPatch} from './kube-patch';

export const kubeToken = 'fast-layer-token-3f9c';
/** A user the server knows who may read everything and change nothing: its writes are a 403. */
export const viewerToken = 'fast-layer-viewer-7d1e';
/** A user who may read the namespace `staging` only: a list of every namespace is a 403. */
export const stagingToken = 'fast-layer-staging-52ab';

/** A PodMetricsList item, as metrics-server serves it. */
export type PodMetrics = {
	metadata: {name: string; namespace: string};
	containers: Array<{name: string; usage: {cpu: string; memory: string}}>;
};

/** The lines a container logged: now, and before its last restart. */
export type ContainerLogs = {current: string[]; previous?: string[]};

export type KubeApi = {
	url: string;
	/** A kubeconfig with one context (`context`) pointing here with the token; `token` overrides it; `current: false` leaves current-context unset. */
	kubeconfig(options?: {context?: string; token?: string; current?: boolean}): string;
	/** A home of its own for kubectl: its discovery cache lives there and in `cacheDir`. */
	env(kubeconfig?: string): Record<string, string>;
	cacheDir: string;
	/** What the next pod list serves. */
	setPods(pods: KubePod[]): void;
	/** A change to the served pods (by uid), written as one event line to every open watch. */
	emit(type: ChangeType, pod: KubePod): void;
	/** What the next list of a resource serves. */
	set(resource: ResourceName, objects: KubeObject[]): void;
	/** The object served now, if any. */
	object(resource: ResourceName, namespace: string, name: string): KubeObject | undefined;
	/** Every object of a resource served now. */
	objects(resource: ResourceName): readonly KubeObject[];
	/** The metrics API serves these pods' usage; `undefined`: the cluster has no metrics API (404). */
	setMetrics(pods: PodMetrics[] | undefined): void;
	/** What `kubectl logs` reads of one container. */
	setLogs(namespace: string, pod: string, container: string, logs: ContainerLogs): void;
	/** Pods this image runs in crash-loop, from the next rollout on. */
	crashImage(image: string): void;
	/** Every open watch gets a line that is no JSON event, as from a proxy answering in HTML. */
	garble(): void;
	/** Every open watch is cut mid-stream, as a dropped connection would. */
	cut(): void;
	/** From now on, every request for an object or a list (discovery aside), or only those of `method`, is answered never. */
	hang(method?: string): void;
	/** From now on, lists are answered with a proxy's HTML page, status 200. */
	answerHtml(): void;
	/** From now on, nobody may read this resource: a 403, as from a role that lacks it. */
	forbid(resource: ResourceName): void;
	/** Every request's method and path with its query, in order. */
	requests: string[];
	/** The API server goes down; its kubeconfigs stay, so clients find the port closed. */
	stop(): Promise<void>;
	/** Up again after `stop`, on the same port, its faults cleared. */
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

const notFound = (what = 'the server could not find the requested resource') => status(404, 'NotFound', what);

const readWrite = ['get', 'list', 'watch', 'patch', 'update'];
const accessReviewPath = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const metricsGroup = 'metrics.k8s.io/v1beta1';

/** Discovery as a server without aggregated discovery answers it: kubectl then asks each group version. */
function discovery(metrics: boolean): Record<string, unknown> {
	const groupVersion = (group: string, version: string) => ({
		name: group,
		versions: [{groupVersion: `${group}/${version}`, version}],
		preferredVersion: {groupVersion: `${group}/${version}`, version},
	});
	return {
		'/version': {major: '1', minor: '32', gitVersion: 'v1.32.0-fast-layer', platform: 'linux/amd64'},
		'/api': {kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress: ''}]},
		'/apis': {
			kind: 'APIGroupList',
			apiVersion: 'v1',
			groups: [groupVersion('apps', 'v1'), ...(metrics ? [groupVersion('metrics.k8s.io', 'v1beta1')] : [])],
		},
		'/api/v1': {
			kind: 'APIResourceList',
			groupVersion: 'v1',
			resources: [
				{name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: readWrite, shortNames: ['po']},
				{name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get']},
				{
					name: 'events',
					singularName: 'event',
					namespaced: true,
					kind: 'Event',
					verbs: ['get', 'list', 'watch'],
					shortNames: ['ev'],
				},
				{name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get', 'list']},
			],
		},
		'/apis/apps/v1': {
			kind: 'APIResourceList',
			apiVersion: 'v1',
			groupVersion: 'apps/v1',
			resources: [
				{
					name: 'deployments',
					singularName: 'deployment',
					namespaced: true,
					kind: 'Deployment',
					verbs: readWrite,
					shortNames: ['deploy'],
				},
				{
					name: 'deployments/scale',
					singularName: '',
					namespaced: true,
					group: 'autoscaling',
					version: 'v1',
					kind: 'Scale',
					verbs: ['get', 'patch', 'update'],
				},
				{
					name: 'replicasets',
					singularName: 'replicaset',
					namespaced: true,
					kind: 'ReplicaSet',
					verbs: readWrite,
					shortNames: ['rs'],
				},
			],
		},
		...(metrics
			? {
					[`/apis/${metricsGroup}`]: {
						kind: 'APIResourceList',
						apiVersion: 'v1',
						groupVersion: metricsGroup,
						resources: [{name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list']}],
					},
				}
			: {}),
	};
}

/** `/api/v1/…` or `/apis/GROUP/VERSION/…`, then `[namespaces/NS/]RESOURCE[/NAME[/SUBRESOURCE]]`. */
const resourcePath = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+)(?:\/([^/]+))?)?$/;

/** A `labelSelector` or `fieldSelector` of `a=b` terms (`==`, `!=`), matched against dotted paths of the object. */
function matches(object: KubeObject, selector: string | null, valueAt: (object: KubeObject, path: string) => unknown): boolean {
	if (!selector) return true;
	return selector.split(',').every(term => {
		const [, path = '', negated, expected = ''] = /^([^=!]+)(!?)==?(.*)$/.exec(term) ?? [];
		return (String(valueAt(object, path) ?? '') === expected) !== (negated === '!');
	});
}
const fieldAt = (object: KubeObject, path: string) =>
	path.split('.').reduce<unknown>((value, name) => (value as Record<string, unknown> | undefined)?.[name], object);
const labelAt = (object: KubeObject, name: string) => object.metadata?.labels?.[name];

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

const readBytes = async (request: IncomingMessage) => {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
};

const readBody = async (request: IncomingMessage) => (await readBytes(request)).toString('utf8');

/** The length-delimited fields of a protobuf message by number (an access review's are all strings or messages); varints skipped. */
function protobufFields(bytes: Buffer): Map<number, Buffer> {
	const fields = new Map<number, Buffer>();
	let at = 0;
	const varint = () => {
		let value = 0;
		for (let shift = 0; ; shift += 7) {
			const byte = bytes[at++] ?? 0;
			value += (byte & 0x7f) * 2 ** shift;
			if (!(byte & 0x80)) return value;
		}
	};
	while (at < bytes.length) {
		const key = varint();
		if ((key & 7) === 0) varint();
		else if ((key & 7) === 2) {
			const length = varint();
			fields.set(key >>> 3, bytes.subarray(at, (at += length)));
		} else throw new Error(`protobuf wire type ${key & 7} is not read here`);
	}
	return fields;
}

/**
 * What kubectl asks in a SelfSubjectAccessReview it sends as protobuf: the
 * `k8s\0` envelope's object (field 2), its spec (2), the spec's resource
 * attributes (1): namespace, verb, group, version, resource, subresource.
 */
function accessReviewAttributes(body: Buffer): Record<string, string> {
	const empty = Buffer.alloc(0);
	const review = protobufFields(protobufFields(body.subarray(4)).get(2) ?? empty);
	const attributes = protobufFields(protobufFields(review.get(2) ?? empty).get(1) ?? empty);
	const names = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource'];
	return Object.fromEntries(
		names.flatMap((name, index) => (attributes.has(index + 1) ? [[name, attributes.get(index + 1)!.toString('utf8')]] : [])),
	);
}

/** The user a bearer token stands for, or none. */
const users: Record<string, string> = {[kubeToken]: 'admin', [viewerToken]: 'viewer', [stagingToken]: 'staging-reader'};

/** Why `user` (with the rights of `role`) may not do `verb` on `resource` where the request says, as the server's RBAC words it; nothing when it may. */
function forbidden(
	{user, role}: {user: string; role: string},
	verb: string,
	resource: string,
	group: string,
	namespace: string | undefined,
	name?: string,
) {
	const reading = ['get', 'list', 'watch'].includes(verb);
	const allowed =
		role === 'admin' || (role === 'viewer' && reading) || (role === 'staging-reader' && reading && namespace === 'staging');
	if (allowed) return undefined;
	const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
	const subject = `${resource.split('/')[0]}${group ? `.${group}` : ''}${name ? ` "${name}"` : ''}`;
	return `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${group}" ${scope}`;
}

export async function startKubeApi(pods: KubePod[] = []): Promise<KubeApi> {
	const dir = mkdtempSync(join(tmpdir(), 'warroom-kube-'));
	let faults = {hanging: false as boolean | string, html: false, forbidden: new Set<string>()};
	let metrics: PodMetrics[] | undefined;
	const logs = new Map<string, ContainerLogs>();
	const requests: string[] = [];
	const stalled = new Set<ServerResponse>();
	/** The open watches, each with the resource and namespace (none: all) it watches. */
	const watches = new Map<ServerResponse, {resource: ResourceName; namespace?: string}>();

	const cluster = createCluster((resource, type, object) => {
		const line = `${JSON.stringify({type, object})}\n`;
		for (const [watch, scope] of watches)
			if (scope.resource === resource && (scope.namespace === undefined || scope.namespace === object.metadata?.namespace))
				watch.write(line);
	});
	cluster.set('pods', pods);

	/** The lists being read page by page, by the id their `continue` tokens carry. */
	const pagedLists = new Map<string, KubeObject[]>();
	let lists = 0;

	/** A list in pages of `limit` objects, as a real server answers kubectl's `limit=500`: each `continue` reads on in the list as it was. */
	const serveList = (response: ServerResponse, resource: ResourceName, url: URL, namespace: string | undefined) => {
		const token = url.searchParams.get('continue');
		const [listId = String(++lists), offset = '0'] = token ? token.split(':') : [];
		const items = token
			? pagedLists.get(listId)
			: cluster
					.list(resource)
					.filter(
						object =>
							(namespace === undefined || object.metadata?.namespace === namespace) &&
							matches(object, url.searchParams.get('labelSelector'), labelAt) &&
							matches(object, url.searchParams.get('fieldSelector'), fieldAt),
					);
		if (!items) return json(response, 410, status(410, 'Expired', 'The provided continue parameter is too old'));
		const start = Number(offset);
		const page = items.slice(start, start + (Number(url.searchParams.get('limit')) || items.length));
		const remainingItemCount = items.length - start - page.length;
		if (remainingItemCount > 0) pagedLists.set(listId, items);
		else pagedLists.delete(listId);
		json(response, 200, {
			kind: `${resourceKinds[resource].kind}List`,
			apiVersion: resourceKinds[resource].apiVersion,
			metadata: {
				resourceVersion: String(cluster.resourceVersion()),
				...(remainingItemCount > 0 ? {continue: `${listId}:${start + page.length}`, remainingItemCount} : {}),
			},
			items: page,
		});
	};

	const scaleOf = (deployment: KubeObject) => ({
		kind: 'Scale',
		apiVersion: 'autoscaling/v1',
		metadata: {
			name: deployment.metadata?.name,
			namespace: deployment.metadata?.namespace,
			resourceVersion: deployment.metadata?.resourceVersion,
		},
		spec: {replicas: (deployment.spec as {replicas?: number}).replicas ?? 1},
		status: {replicas: (deployment.status as {replicas?: number} | undefined)?.replicas ?? 0},
	});

	/** The namespaces of the objects served (`kubectl logs` and `describe` read the pod's). */
	const serveNamespaces = (response: ServerResponse, name: string | undefined) => {
		const names = new Set(
			(Object.keys(resourceKinds) as ResourceName[]).flatMap(resource =>
				cluster.list(resource).map(object => object.metadata?.namespace ?? ''),
			),
		);
		const namespaceOf = (namespace: string) => ({
			kind: 'Namespace',
			apiVersion: 'v1',
			metadata: {name: namespace},
			status: {phase: 'Active'},
		});
		if (!name)
			return json(response, 200, {kind: 'NamespaceList', apiVersion: 'v1', metadata: {}, items: [...names].map(namespaceOf)});
		if (!names.has(name)) return json(response, 404, notFound(`namespaces "${name}" not found`));
		json(response, 200, namespaceOf(name));
	};

	/** `kubectl logs`: the container's lines, the last `tailLines` of them; `previous=true` those before its restart. */
	const serveLog = (response: ServerResponse, url: URL, namespace: string, name: string) => {
		const container = url.searchParams.get('container') ?? '';
		const previous = url.searchParams.get('previous') === 'true';
		const stored = logs.get(`${namespace}/${name}/${container}`);
		const lines = previous ? stored?.previous : (stored?.current ?? []);
		if (!lines)
			return json(
				response,
				400,
				status(400, 'BadRequest', `previous terminated container "${container}" in pod "${name}" not found`),
			);
		const tail = Number(url.searchParams.get('tailLines') ?? lines.length);
		response.writeHead(200, {'content-type': 'text/plain'});
		response.end(
			lines
				.slice(Math.max(0, lines.length - tail))
				.map(line => `${line}\n`)
				.join(''),
		);
	};

	const write = async (
		request: IncomingMessage,
		response: ServerResponse,
		resource: ResourceName,
		target: KubeObject,
		subresource?: string,
	) => {
		const body = JSON.parse(await readBody(request)) as unknown;
		const type = request.headers['content-type'] ?? '';
		if (resource === 'deployments' && subresource === 'scale') {
			const scale = applyPatch(scaleOf(target), type, body) as {spec?: {replicas?: number}};
			const written = cluster.writeDeployment(target, {
				...target,
				spec: {...(target.spec as object), replicas: scale.spec?.replicas},
			});
			return json(response, 200, scaleOf(written));
		}
		const patched = applyPatch(target, type, body) as KubeObject;
		if (resource === 'deployments') return json(response, 200, cluster.writeDeployment(target, patched));
		return json(response, 200, cluster.put(resource, patched));
	};

	/** `kubectl auth can-i`: whether the user may, by the same rules as the requests themselves. */
	const review = async (request: IncomingMessage, response: ServerResponse, user: string) => {
		const body = await readBytes(request);
		const {
			verb = '',
			group = '',
			resource = '',
			subresource,
			namespace,
		} = request.headers['content-type']?.includes('protobuf')
			? accessReviewAttributes(body)
			: ((JSON.parse(body.toString('utf8')) as {spec?: {resourceAttributes?: Record<string, string>}}).spec?.resourceAttributes ??
				{});
		const role = faults.forbidden.has(resource) ? 'none' : user;
		const denied = forbidden(
			{user, role},
			verb,
			subresource ? `${resource}/${subresource}` : resource,
			group,
			namespace || undefined,
		);
		json(response, 201, {
			kind: 'SelfSubjectAccessReview',
			apiVersion: 'authorization.k8s.io/v1',
			metadata: {},
			spec: {resourceAttributes: {verb, group, resource, subresource, namespace}},
			status: {allowed: !denied, ...(denied ? {reason: denied} : {})},
		});
	};

	const handle = async (request: IncomingMessage, response: ServerResponse) => {
		const url = new URL(request.url ?? '/', 'https://fast-layer');
		const method = request.method ?? 'GET';
		requests.push(`${method} ${url.pathname}${url.search}`);
		const user = users[(request.headers.authorization ?? '').replace(/^Bearer /, '')];
		if (!user) return json(response, 401, status(401, 'Unauthorized', 'Unauthorized'));
		if (method === 'POST' && url.pathname === accessReviewPath) return review(request, response, user);
		const served = discovery(metrics !== undefined);
		if (url.pathname in served) return json(response, 200, served[url.pathname]);
		const path = resourcePath.exec(url.pathname);
		if (!path) return json(response, 404, notFound());
		const [, group = '', namespace, resourceName = '', name, subresource] = path;
		if (faults.hanging === true || faults.hanging === method) return void stalled.add(response);
		if (faults.html && method === 'GET' && !name) {
			response.writeHead(200, {'content-type': 'text/html'});
			return response.end('<html><body><h1>502 Bad Gateway</h1></body></html>\n');
		}
		const watching = url.searchParams.get('watch') === 'true';
		const verb = method === 'PATCH' ? 'patch' : watching ? 'watch' : name ? 'get' : 'list';
		const denied = forbidden(
			{user, role: faults.forbidden.has(resourceName) ? 'none' : user},
			verb,
			subresource ? `${resourceName}/${subresource}` : resourceName,
			group,
			namespace,
			name,
		);
		if (denied) return json(response, 403, status(403, 'Forbidden', denied));
		if (group === 'metrics.k8s.io') {
			if (!metrics || resourceName !== 'pods') return json(response, 404, notFound());
			const items = metrics.filter(item => namespace === undefined || item.metadata.namespace === namespace);
			return json(response, 200, {kind: 'PodMetricsList', apiVersion: metricsGroup, metadata: {}, items});
		}
		if (resourceName === 'namespaces' && !namespace) return serveNamespaces(response, name);
		if (!(resourceName in resourceKinds)) return json(response, 404, notFound());
		const resource = resourceName as ResourceName;
		if (!name) {
			if (method !== 'GET') return json(response, 405, status(405, 'MethodNotAllowed', 'the server does not allow this method'));
			if (!watching) return serveList(response, resource, url, namespace);
			// Like a real server: the watch stays open, one JSON event per line.
			response.writeHead(200, {'content-type': 'application/json', 'transfer-encoding': 'chunked'});
			response.flushHeaders();
			watches.set(response, {resource, namespace});
			response.on('close', () => watches.delete(response));
			return;
		}
		const target = cluster.get(resource, namespace, name);
		if (!target) {
			const kind = `${resource}${group ? `.${group}` : ''}`;
			return json(response, 404, notFound(`${kind} "${name}" not found`));
		}
		if (resource === 'pods' && subresource === 'log') return serveLog(response, url, namespace ?? '', name);
		if (method === 'PATCH') return write(request, response, resource, target, subresource);
		if (subresource === 'scale') return json(response, 200, scaleOf(target));
		if (subresource) return json(response, 404, notFound());
		return json(response, 200, target);
	};

	const server: Server = createServer(certificate(dir), (request, response) => {
		handle(request, response).catch((error: unknown) =>
			json(response, 422, status(422, 'Invalid', error instanceof Error ? error.message : String(error))),
		);
	});
	await new Promise<void>(listening => server.listen(0, '127.0.0.1', listening));
	const {port} = server.address() as AddressInfo;
	const url = `https://127.0.0.1:${port}`;
	const cacheDir = join(dir, 'home/.kube/cache');
	let configs = 0;

	const api: KubeApi = {
		url,
		cacheDir,
		requests,
		kubeconfig({context = 'fast-layer', token = kubeToken, current = true} = {}) {
			const file = join(dir, `kubeconfig-${++configs}`);
			writeFileSync(
				file,
				JSON.stringify({
					apiVersion: 'v1',
					kind: 'Config',
					clusters: [{name: 'fast-layer', cluster: {server: url, 'insecure-skip-tls-verify': true}}],
					users: [{name: 'responder', user: {token}}],
					contexts: [{name: context, context: {cluster: 'fast-layer', user: 'responder'}}],
					...(current ? {'current-context': context} : {}),
				}),
			);
			return file;
		},
		env(kubeconfig) {
			return {HOME: join(dir, 'home'), KUBECACHEDIR: cacheDir, KUBECONFIG: kubeconfig ?? api.kubeconfig()};
		},
		setPods: next => cluster.set('pods', next),
		emit(type, pod) {
			if (type === 'DELETED') cluster.remove('pods', pod);
			else cluster.put('pods', pod);
		},
		set: (resource, objects) => cluster.set(resource, objects),
		object: (resource, namespace, name) => cluster.get(resource, namespace, name),
		objects: resource => cluster.list(resource),
		setMetrics(next) {
			metrics = next;
		},
		setLogs(namespace, pod, container, lines) {
			logs.set(`${namespace}/${pod}/${container}`, lines);
		},
		crashImage: image => cluster.crashImage(image),
		garble() {
			for (const watch of watches.keys()) watch.write('<html>502 Bad Gateway</html>\n');
		},
		cut() {
			for (const watch of watches.keys()) watch.destroy();
		},
		hang(method) {
			faults.hanging = method ?? true;
		},
		answerHtml() {
			faults.html = true;
		},
		forbid(resource) {
			faults.forbidden.add(resource);
		},
		async stop() {
			if (!server.listening) return;
			for (const response of stalled) response.destroy();
			server.closeAllConnections();
			await new Promise(closed => server.close(closed));
		},
		async start() {
			faults = {hanging: false, html: false, forbidden: new Set()};
			await new Promise<void>(listening => server.listen(port, '127.0.0.1', listening));
		},
		async close() {
			await api.stop();
			rmSync(dir, {recursive: true, force: true});
		},
	};
	return api;
}
