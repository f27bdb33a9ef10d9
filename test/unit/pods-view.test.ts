/** What the Pods panel writes about a pod and the cluster, and how its rows are keyed. */
import {describe, expect, it} from 'vitest';
import {panels} from '../../source/view-model/panels';
import {podRows} from '../../source/view-model/rows';
import {reconcileSelection} from '../../source/view-model/selection';
import {cpuText, memoryText, podBanner, podSummary, lastRestartText, withUsage} from '../../source/view-model/pods';
import {podRow, rowName as names, testDeployment, testPod} from '../helpers/pods';

describe('a pod’s cells', () => {
	it('says how long ago the last restart was, when known', () => {
		expect(lastRestartText({restarts: 3, lastRestartSeconds: 125})).toBe('2m ago');
		expect(lastRestartText({restarts: 3})).toBe('');
		expect(lastRestartText({restarts: 0, lastRestartSeconds: 5})).toBe('');
	});

	it('writes usage in kubectl top’s units, nothing without it', () => {
		const usage = {namespace: 'a', name: 'b', cpuMillicores: 252, memoryBytes: 148 * 2 ** 20};
		expect([cpuText(usage), memoryText(usage)]).toEqual(['252m', '148Mi']);
		expect([cpuText(undefined), memoryText(undefined)]).toEqual(['', '']);
	});

	it('joins each pod’s usage by namespace and name, and leaves the rows as they are without a metrics API', () => {
		const listed = [testPod('api-1'), testPod('api-2')];
		const usage = {namespace: 'production', name: 'api-2', cpuMillicores: 5, memoryBytes: 1};
		expect(withUsage(listed, {available: true, pods: [usage]}).map(row => row.usage)).toEqual([undefined, usage]);
		expect(withUsage(listed, {available: false, reason: 'none'})).toBe(listed);
	});

	it('indexes a usage reading once however often the rows are computed, and a new reading afresh', () => {
		const listed = [testPod('api-1'), testPod('api-2')];
		const entries = [{namespace: 'production', name: 'api-1', cpuMillicores: 5, memoryBytes: 1}];
		let reads = 0;
		const counted = new Proxy(entries, {
			get(target, key, receiver) {
				if (key === 'map') reads += 1;
				return Reflect.get(target, key, receiver) as unknown;
			},
		});
		const usage = {available: true as const, pods: counted};
		for (let change = 0; change < 5; change++) expect(withUsage(listed, usage)[0]?.usage).toBe(entries[0]);
		expect(reads).toBe(1);
		const next = [{...entries[0]!, cpuMillicores: 9}];
		expect(withUsage(listed, {available: true, pods: next})[0]?.usage?.cpuMillicores).toBe(9);
	});
});

describe('the panel’s counts', () => {
	const data = {pods: [testPod('api-1')], healthyCount: 52, healthyByNamespace: {shop: 12, production: 40}};

	it('leaves out the counts of none', () => {
		expect(podSummary(data)).toBe(' 1 not ready · 52 ok');
		expect(podSummary({...data, startingCount: 2, terminatingCount: 1, usage: {available: false, reason: 'x'}})).toBe(
			' 1 not ready · 2 starting · 1 terminating · 52 ok · no metrics',
		);
	});

	it('lists the healthy pods by namespace, most first, and says why there is no usage', () => {
		expect(podBanner({...data, usage: {available: false, reason: 'no metrics API'}})).toEqual({
			text: 'healthy: production 40 · shop 12 · usage: no metrics API',
			problem: false,
		});
	});

	it('says first what could not be read, and nothing when there is nothing more than the title', () => {
		expect(podBanner({...data, problems: ['kubectl: 403 Forbidden: x may not list events in all namespaces']})).toEqual({
			text: 'not read: kubectl: 403 Forbidden: x may not list events in all namespaces',
			problem: true,
		});
		expect(podBanner({pods: [], healthyCount: 3})).toBeUndefined();
	});

	it('says every pod is fine when only deployments are listed below it', () => {
		expect(podBanner({pods: [], healthyCount: 3, deployments: [testDeployment('web')], healthyByNamespace: {shop: 3}})).toEqual({
			text: 'every pod is Running and Ready · healthy: shop 3',
			problem: false,
		});
	});

	it('is made once per reading, not at every redraw of the panel', () => {
		const reading = {...data, usage: {available: false as const, reason: 'no metrics API'}};
		expect(podBanner(reading)).toBe(podBanner(reading));
	});
});

describe('the Pods panel’s rows', () => {
	it('are keyed by the pod’s uid, so a pod recreated under the same name is another row', () => {
		const before = podRow({...testPod('api-1'), uid: 'uid-1'});
		const recreated = podRow({...testPod('api-1'), uid: 'uid-2'});
		expect(panels.pods.key(before)).not.toBe(panels.pods.key(recreated));
		expect(panels.pods.label(recreated)).toBe('production/api-1');
		expect(panels.pods.key(podRow(testPod('drill-pod')))).toBe('production/drill-pod');
	});

	it('filter on what the cluster says of the pod too', () => {
		const pending = {...testPod('ledger-1', 'Unschedulable'), detail: '0/3 nodes are available: 3 Insufficient memory.'};
		expect(
			podRows({pods: [testPod('api-1'), pending], usage: undefined, deployments: []}, 'insufficient memory').map(names),
		).toEqual(['ledger-1']);
	});

	it('keep the selection on the pod across a refresh that reorders them, and say so when it was recreated under its name', () => {
		const pod = (name: string, uid: string) => podRow({...testPod(name), uid});
		const selection = {key: 'uid-1', index: 0, label: 'production/api-1'};
		expect(reconcileSelection(selection, [pod('api-0', 'uid-0'), pod('api-1', 'uid-1')], panels.pods).selection).toEqual({
			...selection,
			index: 1,
		});
		expect(reconcileSelection(selection, [pod('api-1', 'uid-2')], panels.pods)).toEqual({
			selection: {key: 'uid-2', index: 0, label: 'production/api-1'},
			notice: 'the selected pod production/api-1 is gone: selection moved to production/api-1',
		});
	});
});
