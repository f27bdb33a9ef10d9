/** What a responder reads for each kind of broken pod, from pods shaped as the API serves them. */
import {describe, expect, it} from 'vitest';
import {
	classifyPod,
	classifyPods,
	startingGraceSeconds,
	stuckTerminatingSeconds,
	type HealthyPods,
	type KubePod,
} from '../../source/sources/kubernetes/classify';
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
		['stopping', 'Terminating', '1/1', 0],
		['starting', 'ContainerCreating', '0/1', 0],
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
			uid: 'uid-production-api-gateway-k2l9p',
			phase: 'Running',
			reason: 'CrashLoopBackOff',
			detail: 'back-off 5m0s restarting failed container=app',
			ready: '1/2',
			restarts: 7,
			lastRestartSeconds: 120,
			ageSeconds: 3600,
			node: 'node-a',
			owner: {kind: 'Deployment', name: 'api-gateway'},
		});
	});

	it.each([
		[
			'unschedulable',
			'0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
		],
		['imagePull', 'Back-off pulling image "registry/billing:9.9"'],
		['terminating', 'still here 15m after its 30s grace period'],
		['jobFailed', 'exit code 3'],
	] as const)('says what the cluster says of %s', (fixture, detail) => {
		expect(classifyPod(pods[fixture], fixtureNow).detail).toBe(detail);
	});

	it('tells when the last restart was, from the newest end of a container’s previous run', () => {
		expect(classifyPod(pods.oomKilled, fixtureNow).lastRestartSeconds).toBe(300);
		expect(classifyPod(pods.restarted, fixtureNow).lastRestartSeconds).toBe(610);
		expect(classifyPod(pods.healthy, fixtureNow)).not.toHaveProperty('lastRestartSeconds');
	});

	it('cuts a 100 KB message with escape sequences to one clean line', () => {
		const message = `\u001b]0;owned\u0007boom\u202e${'x'.repeat(100_000)}`;
		const loud: KubePod = {
			...pods.imagePull,
			status: {phase: 'Pending', containerStatuses: [{name: 'app', state: {waiting: {reason: 'ErrImagePull', message}}}]},
		};
		const {detail = ''} = classifyPod(loud, fixtureNow);
		expect(detail.startsWith('boomxxx')).toBe(true);
		expect(detail.length).toBeLessThanOrEqual(300);
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
		const data = classifyPods({items: Object.values(pods)}, fixtureNow);
		expect(data.healthyCount).toBe(1);
		expect(data.healthyByNamespace).toEqual({production: 1});
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
		const healthyPods: HealthyPods = new WeakMap();
		let statusReads = 0;
		const unchanged: KubePod = {
			...pods.healthy,
			get status() {
				statusReads += 1;
				return pods.healthy.status;
			},
		};
		const before = classifyPods({items: [unchanged, pods.restarted]}, fixtureNow, healthyPods);
		expect(before).toMatchObject({healthyCount: 1, pods: [{reason: 'Running', restarts: 2}]});
		const readsBefore = statusReads;
		const crashed: KubePod = {...pods.restarted, status: pods.crashLoop.status};
		const later = fixtureNow + 60_000;
		const after = classifyPods({items: [unchanged, crashed]}, later, healthyPods);
		expect(statusReads).toBe(readsBefore);
		expect(after).toEqual(classifyPods({items: [pods.healthy, crashed]}, later));
		expect(after.pods).toEqual([expect.objectContaining({reason: 'CrashLoopBackOff', ageSeconds: 3660})]);
	});

	it('lists a watched pod that stays starting or terminating past its threshold, though the object is the same', () => {
		const healthyPods: HealthyPods = new WeakMap();
		const watched = [pods.starting, pods.stopping];
		expect(classifyPods({items: watched}, fixtureNow, healthyPods)).toMatchObject({
			pods: [],
			startingCount: 1,
			terminatingCount: 1,
		});
		const later = fixtureNow + (Math.max(startingGraceSeconds, stuckTerminatingSeconds) + 60) * 1000;
		const after = classifyPods({items: watched}, later, healthyPods);
		expect(after.pods.map(pod => pod.reason).sort()).toEqual(['ContainerCreating', 'Terminating']);
		expect(after).toMatchObject({healthyCount: 0, startingCount: 0, terminatingCount: 0});
	});

	it('counts a finished job pod as healthy', () => {
		const done: KubePod = {metadata: {name: 'nightly-x'}, status: {phase: 'Succeeded'}};
		expect(classifyPods({items: [done]}, fixtureNow)).toMatchObject({pods: [], healthyCount: 1});
	});

	it('counts a pod starting for less than a minute, and one deleted within its grace period, without listing them', () => {
		const data = classifyPods({items: [pods.starting, pods.stopping, pods.terminating, pods.containerCreating]}, fixtureNow);
		expect(data).toMatchObject({healthyCount: 0, startingCount: 1, terminatingCount: 1});
		expect(data.pods.map(pod => pod.name)).toEqual(['checkout-5d8f7c9b6d-old11', 'billing-5d8f7c9b6d-p0o9i']);
	});

	it('lists a starting pod once it has been starting for a minute', () => {
		const later = fixtureNow + (startingGraceSeconds - 20) * 1000;
		expect(classifyPods({items: [pods.starting]}, later - 1000)).toMatchObject({pods: [], startingCount: 1});
		expect(classifyPods({items: [pods.starting]}, later).pods).toEqual([expect.objectContaining({reason: 'ContainerCreating'})]);
	});
});
