/** A pod as the Kubernetes source lists it, for tests that fill the Pods panel. */
import type {Pod} from '../../source/sources/types';

export const testPod = (name: string, reason = 'CrashLoopBackOff'): Pod => ({
	namespace: 'production',
	name,
	phase: 'Running',
	reason,
	ready: '0/1',
	restarts: 3,
	ageSeconds: 60,
	node: 'node-a',
	owner: {kind: 'Deployment', name: 'api-gateway'},
});
