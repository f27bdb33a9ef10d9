/** The Pods panel's deployment rows: what each says, where it is listed, how it is found again and filtered. */
import {describe, expect, it} from 'vitest';
import {update} from '../../source/store';
import type {Deployment, Pod} from '../../source/sources/types';
import {deploymentReady, deploymentTone, statusOfDeployment} from '../../source/view-model/deployments';
import {panels, panelRows} from '../../source/view-model/panels';
import {podRows} from '../../source/view-model/rows';
import {findRow, moveSelection, reconcileSelection, selectedKey} from '../../source/view-model/selection';
import {rowName, testDeployment, testPod} from '../helpers/pods';
import {testStore} from '../helpers/store';

const rows = (pods: readonly Pod[], deployments: readonly Deployment[], filter = '') =>
	podRows({pods, usage: undefined, deployments}, filter);

describe('a deployment’s cells', () => {
	it.each([
		[{}, 'Available', 'ok'],
		[{updated: 1, ready: 2}, 'Progressing', 'warn'],
		[{ready: 0, available: 0}, 'Unavailable', 'bad'],
		[{desired: 0, ready: 0, updated: 0}, 'ScaledToZero', 'warn'],
	] as const)('%j reads %s', (status, word, tone) => {
		const deployment = testDeployment('web', status);
		expect([statusOfDeployment(deployment), deploymentTone(deployment)]).toEqual([word, tone]);
	});

	it('counts ready replicas over those asked for', () => {
		expect(deploymentReady(testDeployment('web', {ready: 2, desired: 10}))).toBe('2/10');
	});
});

describe('the rows', () => {
	const healthy = testDeployment('checkout');
	const rolling = testDeployment('search', {updated: 1});
	const short = testDeployment('api-gateway', {ready: 0});

	it('list the pods first, then every deployment, those rolling out or short of ready replicas first', () => {
		expect(rows([testPod('api-gateway-x2k4j')], [healthy, rolling, short]).map(rowName)).toEqual([
			'api-gateway-x2k4j',
			'deploy/search',
			'deploy/api-gateway',
			'deploy/checkout',
		]);
	});

	it('are filtered by kind, status and image too: deploy/ leaves the deployments', () => {
		const listed = [testPod('api-gateway-x2k4j')];
		expect(rows(listed, [healthy, short], 'deploy/').map(rowName)).toEqual(['deploy/api-gateway', 'deploy/checkout']);
		expect(rows(listed, [healthy, short], 'unavailable').map(rowName)).toEqual(['deploy/api-gateway']);
		expect(rows(listed, [healthy, short], 'checkout:1.1').map(rowName)).toEqual(['deploy/checkout']);
		expect(rows(listed, [healthy, short], 'gateway').map(rowName)).toEqual(['api-gateway-x2k4j', 'deploy/api-gateway']);
	});

	it('key a deployment by its uid, never as a pod of the same name, and name it by namespace and name', () => {
		const asPod = {kind: 'pod' as const, pod: {...testPod('checkout'), uid: 'uid-1'}};
		const asDeployment = {kind: 'deployment' as const, deployment: {...healthy, uid: 'uid-1'}};
		expect(panels.pods.key(asDeployment)).not.toBe(panels.pods.key(asPod));
		expect(panels.pods.key({kind: 'deployment', deployment: healthy})).not.toBe(
			panels.pods.key({kind: 'pod', pod: {...testPod('checkout')}}),
		);
		expect(panels.pods.label(asDeployment)).toBe('production/checkout');
	});
});

describe('the selection of a deployment', () => {
	function cluster(deployments: Deployment[], pods: Pod[] = []) {
		const store = testStore();
		const read = (listed: Deployment[], listedPods: Pod[] = pods) =>
			update.reading(store, 'kubernetes', {
				state: 'ok',
				data: {context: 'prod-eu', pods: listedPods, healthyCount: 9, deployments: listed},
				fetchedAt: 0,
			});
		read(deployments);
		return {store, read};
	}

	it('follows it by its uid when it turns unhealthy and moves to the top of the deployments', () => {
		const checkout = {...testDeployment('checkout'), uid: 'uid-checkout'};
		const web = {...testDeployment('web'), uid: 'uid-web'};
		const {store, read} = cluster([web, checkout]);
		const state = store.getState();
		update.select(store, 'pods', moveSelection(undefined, panelRows(state, 'pods'), 1, panels.pods));
		expect(selectedKey(store.getState(), 'pods')).toBe('deployment:uid-checkout');
		read([web, {...checkout, ready: 1}]);
		expect(panelRows(store.getState(), 'pods').map(rowName)).toEqual(['deploy/checkout', 'deploy/web']);
		expect(store.getState().ui.selection.pods).toMatchObject({key: 'deployment:uid-checkout', index: 0});
		expect(findRow(store.getState(), 'pods', 'deployment:uid-checkout')).toMatchObject({deployment: {ready: 1}});
		expect(store.getState().ui.notice).toBeUndefined();
	});

	it('moves from a gone pod to the nearest pod, not to the deployment that took its place', () => {
		const pod = (name: string) => ({kind: 'pod' as const, pod: testPod(name)});
		const selected = {key: 'production/api-2', index: 2, label: 'production/api-2'};
		const rows = [pod('api-0'), pod('api-1'), {kind: 'deployment' as const, deployment: testDeployment('api')}];
		expect(reconcileSelection(selected, rows, panels.pods)).toEqual({
			selection: {key: 'production/api-1', index: 1, label: 'production/api-1'},
			notice: 'the selected pod production/api-2 is gone: selection moved to production/api-1',
		});
	});

	it('says a deployment is gone, and names the kind of the row the selection moves to', () => {
		const deployment = (name: string) => ({kind: 'deployment' as const, deployment: testDeployment(name)});
		const pod = {kind: 'pod' as const, pod: testPod('api-1')};
		const selected = {key: 'deployment:production/checkout', index: 1, label: 'production/checkout', noun: 'deployment'};
		expect(reconcileSelection(selected, [pod, deployment('web')], panels.pods).notice).toBe(
			'the selected deployment production/checkout is gone: selection moved to deployment production/web',
		);
		expect(reconcileSelection(selected, [pod], panels.pods).notice).toBe(
			'the selected deployment production/checkout is gone: selection moved to production/api-1',
		);
	});
});
