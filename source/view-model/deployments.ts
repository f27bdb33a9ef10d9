/**
 * What the Pods panel writes about a deployment, the rows it lists after
 * the pods: its status word and tone, its ready count, and which come first.
 * A deployment is listed healthy or not, so a responder can select a healthy
 * one to scale it up or restart it. Pure: the panel draws these.
 */
import type {Deployment} from '../sources/types';
import type {PodTone} from './pod-status';

/** What a deployment's row says of it, in the words of its conditions and `kubectl rollout status`. */
const deploymentStatus = {
	available: 'Available',
	/** Fewer replicas run the newest template than it asks for: a rollout is under way (or stuck). */
	progressing: 'Progressing',
	/** Every replica runs the newest template, and fewer are ready than it asks for. */
	unavailable: 'Unavailable',
	scaledToZero: 'ScaledToZero',
} as const;

export type DeploymentStatus = (typeof deploymentStatus)[keyof typeof deploymentStatus];

/** A rollout under way, or fewer replicas ready than asked for: what a responder looks at first. */
const needsLook = (deployment: Pick<Deployment, 'desired' | 'ready' | 'updated'>) =>
	deployment.updated < deployment.desired || deployment.ready < deployment.desired;

export function statusOfDeployment(deployment: Pick<Deployment, 'desired' | 'ready' | 'updated'>): DeploymentStatus {
	if (deployment.updated < deployment.desired) return deploymentStatus.progressing;
	if (deployment.ready < deployment.desired) return deploymentStatus.unavailable;
	return deployment.desired === 0 ? deploymentStatus.scaledToZero : deploymentStatus.available;
}

const tones: Record<DeploymentStatus, PodTone> = {
	Available: 'ok',
	Progressing: 'warn',
	Unavailable: 'bad',
	ScaledToZero: 'warn',
};

export const deploymentTone = (deployment: Pick<Deployment, 'desired' | 'ready' | 'updated'>): PodTone =>
	tones[statusOfDeployment(deployment)];

/** The row's name, its kind first as kubectl writes it, so a deployment is never read as a pod: `deploy/api-gateway`. */
export const deploymentName = (deployment: Pick<Deployment, 'name'>) => `deploy/${deployment.name}`;

/** Ready replicas over the replicas asked for: `2/3`, as a pod's ready containers are written. */
export const deploymentReady = (deployment: Pick<Deployment, 'desired' | 'ready'>) => `${deployment.ready}/${deployment.desired}`;

/** Those that need a look first, each group in the order the cluster listed them. */
export const deploymentsByUrgency = (deployments: readonly Deployment[]): Deployment[] => [
	...deployments.filter(needsLook),
	...deployments.filter(deployment => !needsLook(deployment)),
];
