/**
 * From `kubectl get deployments,replicasets -o json` to each deployment with
 * its rollout history, as `kubectl rollout history` lists it: every
 * ReplicaSet the deployment controls is a revision (its
 * `deployment.kubernetes.io/revision` annotation) with the images of its pod
 * template, newest first. Pure: what `rollout undo --to-revision` returns to
 * is read from here.
 */
import {cleanStrings} from '../../text/sanitize';
import type {Deployment, DeploymentRevision} from '../types';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';

/** The parts of a Deployment or a ReplicaSet read here. */
export type KubeWorkload = {
	kind?: string;
	metadata?: {
		name?: string;
		namespace?: string;
		uid?: string;
		annotations?: Record<string, string>;
		ownerReferences?: Array<{kind?: string; name?: string; uid?: string; controller?: boolean}>;
	};
	spec?: {replicas?: number; template?: {spec?: {containers?: Array<{image?: string}>}}};
	status?: {readyReplicas?: number; updatedReplicas?: number; availableReplicas?: number};
};

export type KubeWorkloadList = {items?: KubeWorkload[]};

/**
 * What is kept of a Deployment or a ReplicaSet as it is read: what
 * `readDeployments` reads, not the rest of its pod template nor its other
 * annotations (kubectl's last-applied-configuration is the whole object
 * again). A 10,000-pod cluster's ReplicaSets are some 11 MB of JSON, read
 * every few seconds.
 */
export function keptWorkload({kind, metadata = {}, spec = {}, status = {}}: KubeWorkload): KubeWorkload {
	const revision = metadata.annotations?.[revisionAnnotation];
	return {
		kind,
		metadata: {
			name: metadata.name,
			namespace: metadata.namespace,
			uid: metadata.uid,
			...(revision === undefined ? {} : {annotations: {[revisionAnnotation]: revision}}),
			ownerReferences: metadata.ownerReferences?.map(({kind: ownerKind, name, uid, controller}) => ({
				kind: ownerKind,
				name,
				uid,
				controller,
			})),
		},
		spec: {
			replicas: spec.replicas,
			template: {spec: {containers: spec.template?.spec?.containers?.map(({image}) => ({image}))}},
		},
		status: {
			readyReplicas: status.readyReplicas,
			updatedReplicas: status.updatedReplicas,
			availableReplicas: status.availableReplicas,
		},
	};
}

const revisionOf = (workload: KubeWorkload) => {
	const revision = Number(workload.metadata?.annotations?.[revisionAnnotation]);
	return Number.isInteger(revision) && revision > 0 ? revision : undefined;
};

const imagesOf = (workload: KubeWorkload) =>
	(workload.spec?.template?.spec?.containers ?? []).map(container => container.image ?? '');

/** Whether `deployment` controls `replicaSet`: by uid, as kubectl decides it, or by name when a uid is missing. */
function controls(deployment: KubeWorkload, replicaSet: KubeWorkload): boolean {
	const owner = replicaSet.metadata?.ownerReferences?.find(reference => reference.controller);
	if (owner?.kind !== 'Deployment' || replicaSet.metadata?.namespace !== deployment.metadata?.namespace) return false;
	return owner.uid && deployment.metadata?.uid ? owner.uid === deployment.metadata.uid : owner.name === deployment.metadata?.name;
}

/** Every deployment listed, with the revisions its ReplicaSets hold, newest first. */
export function readDeployments(list: KubeWorkloadList): Deployment[] {
	const items = list.items ?? [];
	const replicaSets = items.filter(item => item.kind === 'ReplicaSet');
	return cleanStrings(
		items
			.filter(item => item.kind === 'Deployment')
			.map(deployment => {
				const history = replicaSets
					.filter(replicaSet => controls(deployment, replicaSet))
					.flatMap((replicaSet): DeploymentRevision[] => {
						const revision = revisionOf(replicaSet);
						return revision === undefined
							? []
							: [{revision, replicaSet: replicaSet.metadata?.name ?? '', images: imagesOf(replicaSet)}];
					})
					.sort((a, b) => b.revision - a.revision);
				const {metadata = {}, spec = {}, status = {}} = deployment;
				return {
					namespace: metadata.namespace ?? '',
					name: metadata.name ?? '',
					...(metadata.uid ? {uid: metadata.uid} : {}),
					desired: spec.replicas ?? 1,
					ready: status.readyReplicas ?? 0,
					updated: status.updatedReplicas ?? 0,
					available: status.availableReplicas ?? 0,
					revision: revisionOf(deployment) ?? history[0]?.revision ?? 0,
					images: imagesOf(deployment),
					history,
				};
			}),
	);
}
