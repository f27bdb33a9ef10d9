/** What a responder reads for each kind of broken pod, from pods shaped as the API serves them. */
import {describe, expect, it} from 'vitest';
import {classifyPod, classifyPods, type KubePod} from '../../source/sources/kubernetes/classify';
import {fixtureNow, pods} from '../helpers/kube-pods';

describe('classifyPod', () => {
	it.each([
		['healthy', 'Running', '2/2', 0],
		['crashLoop', 'CrashLoopBackOff', '1/2', 7],
		['oomKilled', 'OOMKilled', '0/1', 3],
		['imagePull', 'ImagePullBackOff', '0/1', 0],
		['evicted', 'Evicted', '0/1', 0],
		['unschedulable', 'Unschedulable', '0/1', 0],
		['initCrash', 'Init:CrashLoopBackOff', '0/1', 4],
		['terminating', 'Terminating', '1/1', 0],
		['containerCreating', 'ContainerCreating', '0/1', 0],
		['notReady', 'NotReady', '0/1', 0],
		['jobFailed', 'Error', '0/1', 0],
		['oomRestarted', 'OOMKilled', '1/1', 1],
		['restarted', 'Running', '2/2', 2],
	] as const)('%s: %s, ready %s, %d restarts', (fixture, reason, ready, restarts) => {
		expect(classifyPod(pods[fixture], fixtureNow)).toMatchObject({reason, ready, restarts});
	});

	it('names the deployment behind a ReplicaSet, the node, and the age', () => {
		expect(classifyPod(pods.crashLoop, fixtureNow)).toEqual({
			namespace: 'production',
			name: 'api-gateway-5d8f7c9b6d-k2l9p',
			phase: 'Running',
			reason: 'CrashLoopBackOff',
			ready: '1/2',
			restarts: 7,
			ageSeconds: 3600,
			node: 'node-a',
			owner: {kind: 'Deployment', name: 'api-gateway'},
		});
	});

	it('keeps other owners as they are, and a pod without one has none', () => {
		const job: KubePod = {
			...pods.healthy,
			metadata: {...pods.healthy.metadata, ownerReferences: [{kind: 'Job', name: 'nightly'}]},
		};
		expect(classifyPod(job, fixtureNow).owner).toEqual({kind: 'Job', name: 'nightly'});
		expect(classifyPod({metadata: {name: 'bare'}}, fixtureNow)).toMatchObject({owner: {kind: '', name: ''}, ageSeconds: 0});
	});

	it('strips control characters and escape sequences from what the cluster says', () => {
		const hostile: KubePod = {
			...pods.crashLoop,
			metadata: {...pods.crashLoop.metadata, name: 'evil\u001b[2Jpod\u0007', namespace: 'ns\nx'},
			spec: {...pods.crashLoop.spec, nodeName: 'node\u009b1'},
		};
		expect(classifyPod(hostile, fixtureNow)).toMatchObject({name: 'evilpod', namespace: 'ns x', node: 'node1'});
	});
});

describe('classifyPods', () => {
	it('lists every pod that is not running and ready or has restarted, and counts the healthy ones', () => {
		const data = classifyPods({items: Object.values(pods)}, fixtureNow, 'prod-eu');
		expect(data.context).toBe('prod-eu');
		expect(data.healthyCount).toBe(1);
		expect(data.pods.map(pod => pod.reason)).toEqual([
			'CrashLoopBackOff',
			'OOMKilled',
			'ImagePullBackOff',
			'Evicted',
			'Unschedulable',
			'Init:CrashLoopBackOff',
			'Terminating',
			'ContainerCreating',
			'NotReady',
			'Error',
			'OOMKilled',
			'Running',
		]);
	});

	it('classifies again only the pods that changed since the last reading of a watch', () => {
		const healthyPods = new WeakSet<KubePod>();
		let statusReads = 0;
		const unchanged: KubePod = {
			...pods.healthy,
			get status() {
				statusReads += 1;
				return pods.healthy.status;
			},
		};
		const before = classifyPods({items: [unchanged, pods.restarted]}, fixtureNow, undefined, healthyPods);
		expect(before).toMatchObject({healthyCount: 1, pods: [{reason: 'Running', restarts: 2}]});
		const readsBefore = statusReads;
		const crashed: KubePod = {...pods.restarted, status: pods.crashLoop.status};
		const later = fixtureNow + 60_000;
		const after = classifyPods({items: [unchanged, crashed]}, later, undefined, healthyPods);
		expect(statusReads).toBe(readsBefore);
		expect(after).toEqual(classifyPods({items: [pods.healthy, crashed]}, later));
		expect(after.pods).toEqual([expect.objectContaining({reason: 'CrashLoopBackOff', ageSeconds: 3660})]);
	});

	it('counts a finished job pod as healthy', () => {
		const done: KubePod = {metadata: {name: 'nightly-x'}, status: {phase: 'Succeeded'}};
		expect(classifyPods({items: [done]}, fixtureNow)).toEqual({pods: [], healthyCount: 1});
	});
});
