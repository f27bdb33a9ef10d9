/**
 * The statuses a pod's classified reason can take (as k9s names its
 * phases), and the tone each is drawn in: one place to look up what
 * "CrashLoopBackOff" means on screen.
 */
import type {Pod} from '../sources/types';

export const podStatus = {
	running: 'Running',
	completed: 'Completed',
	succeeded: 'Succeeded',
	pending: 'Pending',
	crashLoop: 'CrashLoopBackOff',
	oomKilled: 'OOMKilled',
	error: 'Error',
	imagePullBackOff: 'ImagePullBackOff',
	evicted: 'Evicted',
	containerCreating: 'ContainerCreating',
	podInitializing: 'PodInitializing',
	notReady: 'NotReady',
	terminating: 'Terminating',
	failed: 'Failed',
} as const;

/** Statuses of a pod that does what it should: running, or a job that finished. */
const settled: ReadonlySet<string> = new Set([podStatus.running, podStatus.completed, podStatus.succeeded]);

export type PodTone = 'ok' | 'warn' | 'bad';

/** A settled pod is fine, or a warning once it has restarted; every other status needs a look. */
export const podTone = (pod: Pick<Pod, 'reason' | 'restarts'>): PodTone =>
	settled.has(pod.reason) ? (pod.restarts > 0 ? 'warn' : 'ok') : 'bad';
