/**
 * The fast-layer API's cluster: the objects it serves (pods, events,
 * deployments, replicasets), kept honest the way a control plane keeps them.
 * A deployment whose pod template changes (a rollout undo, a restart) gets
 * the ReplicaSet of that template at the next revision, its old pods
 * replaced by the new template's; a scale changes how many pods it has. The
 * pods of an image listed as crashing crash-loop, so a bad rollout and its
 * undo show in what is served next. No HTTP here: `kube-api.ts` serves it.
 */
import {createHash} from 'node:crypto';

/** Any Kubernetes object, as much of it as the cluster reads. */
export type KubeObject = {
	apiVersion?: string;
	kind?: string;
	metadata?: {
		name?: string;
		namespace?: string;
		uid?: string;
		resourceVersion?: string;
		generation?: number;
		creationTimestamp?: string;
		deletionTimestamp?: string;
		labels?: Record<string, string>;
		annotations?: Record<string, string>;
		ownerReferences?: Array<{apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean}>;
	};
	[field: string]: unknown;
};

export type ResourceName = 'pods' | 'events' | 'deployments' | 'replicasets';

/** Where each resource is served, and the kind of its objects. */
export const resourceKinds: Record<ResourceName, {apiVersion: string; kind: string}> = {
	pods: {apiVersion: 'v1', kind: 'Pod'},
	events: {apiVersion: 'v1', kind: 'Event'},
	deployments: {apiVersion: 'apps/v1', kind: 'Deployment'},
	replicasets: {apiVersion: 'apps/v1', kind: 'ReplicaSet'},
};

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** The annotation a Deployment and its ReplicaSets carry their revision in. */
export const revisionAnnotation = 'deployment.kubernetes.io/revision';
const hashLabel = 'pod-template-hash';

type Template = {
	metadata?: {labels?: Record<string, string>; annotations?: Record<string, string>};
	spec?: {containers?: Array<{name?: string; image?: string}>};
};
type DeploymentSpec = {replicas?: number; selector?: {matchLabels?: Record<string, string>}; template?: Template};

const clone = <T>(value: T): T => structuredClone(value);
const specOf = (object: KubeObject) => (object.spec ?? {}) as DeploymentSpec;
const revisionOf = (object: KubeObject) => Number(object.metadata?.annotations?.[revisionAnnotation] ?? 0);
const sameName = (object: KubeObject, namespace: string | undefined, name: string) =>
	object.metadata?.name === name && (namespace === undefined || object.metadata?.namespace === namespace);

/** JSON with sorted keys and no nulls: what a client sent back (Go's field order, `creationTimestamp: null`) compares equal to what was served. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (typeof value !== 'object' || value === null) return JSON.stringify(value);
	const fields = Object.entries(value).filter(([, field]) => field !== null && field !== undefined);
	return `{${fields
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([name, field]) => `${JSON.stringify(name)}:${canonical(field)}`)
		.join(',')}}`;
}

/** A template without the hash label its ReplicaSet adds: two templates are the same rollout when these are equal. */
function templateKey(template: Template | undefined): string {
	const copy = clone(template ?? {});
	delete copy.metadata?.labels?.[hashLabel];
	return canonical(copy);
}

/** What an object made by a controller says of the object that controls it. */
const controllerReference = (kind: string, owner: KubeObject) => ({
	apiVersion: 'apps/v1',
	kind,
	name: owner.metadata?.name,
	uid: owner.metadata?.uid,
	controller: true,
});

export function createCluster(onChange: (resource: ResourceName, type: ChangeType, object: KubeObject) => void) {
	const objects: Record<ResourceName, KubeObject[]> = {pods: [], events: [], deployments: [], replicasets: []};
	let resourceVersion = 1000;
	let uids = 0;
	const crashingImages = new Set<string>();

	const stamp = (resource: ResourceName, object: KubeObject): KubeObject => {
		resourceVersion += 1;
		return {
			...resourceKinds[resource],
			...object,
			metadata: {...object.metadata, resourceVersion: String(resourceVersion)},
		};
	};

	/** Adds or replaces (by namespace and name) one object, telling every watch. */
	const put = (resource: ResourceName, object: KubeObject) => {
		const stamped = stamp(resource, object);
		const list = objects[resource];
		const at = list.findIndex(other => other.metadata?.uid === object.metadata?.uid);
		const type: ChangeType = at >= 0 ? 'MODIFIED' : 'ADDED';
		if (at >= 0) list[at] = stamped;
		else list.push(stamped);
		onChange(resource, type, stamped);
		return stamped;
	};
	const remove = (resource: ResourceName, object: KubeObject) => {
		objects[resource] = objects[resource].filter(other => other.metadata?.uid !== object.metadata?.uid);
		onChange(resource, 'DELETED', stamp(resource, object));
	};

	const ownedBy = (resource: ResourceName, owner: KubeObject) =>
		objects[resource].filter(object =>
			object.metadata?.ownerReferences?.some(reference => reference.uid === owner.metadata?.uid),
		);

	/** One running pod of `replicaSet`: each container ready, or crash-looping when its image crashes. */
	function podOf(replicaSet: KubeObject, index: number): KubeObject {
		const template = specOf(replicaSet).template ?? {};
		const containers = template.spec?.containers ?? [];
		const crashes = (container: {image?: string}) => crashingImages.has(container.image ?? '');
		const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
		const uid = `uid-fast-${++uids}`;
		return {
			metadata: {
				name: `${replicaSet.metadata?.name}-${(uids * 7919 + index).toString(36).padStart(5, 'x')}`,
				namespace: replicaSet.metadata?.namespace,
				uid,
				creationTimestamp: now,
				labels: template.metadata?.labels,
				ownerReferences: [controllerReference('ReplicaSet', replicaSet)],
			},
			spec: {nodeName: 'node-a', containers},
			status: {
				phase: 'Running',
				conditions: [{type: 'Ready', status: containers.some(crashes) ? 'False' : 'True'}],
				containerStatuses: containers.map(container =>
					crashes(container)
						? {
								name: container.name,
								image: container.image,
								ready: false,
								restartCount: 3,
								state: {waiting: {reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container'}},
								lastState: {terminated: {reason: 'Error', exitCode: 1, finishedAt: now}},
							}
						: {name: container.name, image: container.image, ready: true, restartCount: 0, state: {running: {startedAt: now}}},
				),
			},
		};
	}

	/**
	 * What the deployment controller does after a change to a deployment:
	 * the ReplicaSet of its template (an old one brought back, or a new one)
	 * becomes the next revision and holds every replica; the others none.
	 */
	function rollOut(deployment: KubeObject): KubeObject {
		const spec = specOf(deployment);
		const replicaSets = ownedBy('replicasets', deployment);
		const key = templateKey(spec.template);
		let current = replicaSets.find(replicaSet => templateKey(specOf(replicaSet).template) === key);
		const newest = Math.max(0, ...replicaSets.map(revisionOf));
		if (current && revisionOf(current) !== newest)
			current = put('replicasets', {
				...current,
				metadata: {
					...current.metadata,
					annotations: {...current.metadata?.annotations, [revisionAnnotation]: String(newest + 1)},
				},
			});
		else if (!current) {
			const hash = createHash('sha256').update(key).digest('hex').slice(0, 10);
			const template = clone(spec.template ?? {});
			template.metadata = {...template.metadata, labels: {...template.metadata?.labels, [hashLabel]: hash}};
			current = put('replicasets', {
				metadata: {
					name: `${deployment.metadata?.name}-${hash}`,
					namespace: deployment.metadata?.namespace,
					uid: `uid-rs-${++uids}`,
					creationTimestamp: new Date().toISOString(),
					labels: template.metadata.labels,
					annotations: {[revisionAnnotation]: String(newest + 1)},
					ownerReferences: [controllerReference('Deployment', deployment)],
				},
				spec: {...spec, template},
			});
		}
		const replicas = spec.replicas ?? 1;
		if (specOf(current).replicas !== replicas) current = put('replicasets', {...current, spec: {...specOf(current), replicas}});
		for (const replicaSet of ownedBy('replicasets', deployment))
			if (replicaSet !== current) {
				for (const pod of ownedBy('pods', replicaSet)) remove('pods', pod);
				if (specOf(replicaSet).replicas !== 0) put('replicasets', {...replicaSet, spec: {...specOf(replicaSet), replicas: 0}});
			}
		const pods = ownedBy('pods', current);
		for (const pod of pods.slice(replicas)) remove('pods', pod);
		for (let index = pods.length; index < replicas; index++) put('pods', podOf(current, index));
		const ready = ownedBy('pods', current).filter(pod =>
			(pod.status as {containerStatuses?: Array<{ready?: boolean}>}).containerStatuses?.every(status => status.ready),
		).length;
		return {
			...deployment,
			metadata: {
				...deployment.metadata,
				annotations: {...deployment.metadata?.annotations, [revisionAnnotation]: String(revisionOf(current))},
			},
			status: {
				replicas,
				updatedReplicas: replicas,
				readyReplicas: ready,
				availableReplicas: ready,
				observedGeneration: deployment.metadata?.generation ?? 1,
			},
		};
	}

	return {
		list: (resource: ResourceName) => objects[resource],
		get: (resource: ResourceName, namespace: string | undefined, name: string) =>
			objects[resource].find(object => sameName(object, namespace, name)),
		resourceVersion: () => resourceVersion,
		/** Replaces every object of a resource, as a fresh cluster would serve them (no watch is told). */
		set(resource: ResourceName, next: KubeObject[]) {
			objects[resource] = next.map(object => stamp(resource, object));
		},
		put,
		remove,
		/** Pods of these images crash-loop from now on. */
		crashImage: (image: string) => void crashingImages.add(image),
		/**
		 * A deployment written by a client: stored, and rolled out when its
		 * template or replica count changed.
		 */
		writeDeployment(before: KubeObject, after: KubeObject): KubeObject {
			const changed = templateKey(specOf(before).template) !== templateKey(specOf(after).template);
			const generation =
				(before.metadata?.generation ?? 1) + (changed || specOf(before).replicas !== specOf(after).replicas ? 1 : 0);
			const written = {...after, metadata: {...after.metadata, generation}};
			return put('deployments', generation === before.metadata?.generation ? written : rollOut(written));
		},
	};
}
