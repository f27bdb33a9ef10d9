/** The Pods panel drawing a real cluster's reading: restarts with when, usage, the healthy pods by namespace, and what could not be read. */
import {describe, expect, it} from 'vitest';
import {render} from 'ink-testing-library';
import {App} from '../../source/app';
import {update} from '../../source/store';
import {classifyPods} from '../../source/sources/kubernetes/classify';
import type {KubernetesData} from '../../source/sources/types';
import {fixtureNow, pods} from '../helpers/kube-pods';
import {testDeployment} from '../helpers/pods';
import {testControls, testStore} from '../helpers/store';

const controls = testControls();

function podsScreen(data: KubernetesData) {
	const store = testStore({columns: 260, rows: 40});
	update.reading(store, 'kubernetes', {state: 'ok', data, fetchedAt: store.getState().now});
	const text = render(<App store={store} controls={controls} />).lastFrame() ?? '';
	return text;
}

const cluster: KubernetesData = {
	context: 'prod-eu',
	cluster: 'eu-1',
	...classifyPods({items: [pods.healthy, pods.crashLoop, pods.unschedulable, pods.starting]}, fixtureNow),
};

describe('the Pods panel on a cluster', () => {
	it('shows the restarts with how long ago the last was, and the healthy pods by namespace', () => {
		const text = podsScreen({...cluster, healthyByNamespace: {production: 40, shop: 12}});
		expect(text).toMatch(/api-gateway-5d8f7c9b6d-k2l9p\s+CrashLoopBackOff\s+1\/2\s+7\s+2m ago/);
		expect(text).toContain('healthy: production 40 · shop 12');
		expect(text).toContain('Pods 2 not ready · 1 starting · 1 ok');
	});

	it('shows CPU and memory when the cluster has a metrics API', () => {
		const usage = {
			available: true as const,
			pods: [{namespace: 'production', name: 'api-gateway-5d8f7c9b6d-k2l9p', cpuMillicores: 252, memoryBytes: 148 * 2 ** 20}],
		};
		const text = podsScreen({...cluster, usage});
		expect(text).toMatch(/CPU\s+MEM/);
		expect(text).toMatch(/Deployment\/api-ga\S*\s+252m\s+148Mi/);
	});

	it('says the cluster has no metrics API, with no usage columns', () => {
		const text = podsScreen({...cluster, usage: {available: false, reason: 'no metrics API (metrics.k8s.io) in this cluster'}});
		expect(text).toContain('1 ok · no metrics');
		expect(text).toContain('usage: no metrics API (metrics.k8s.io) in this cluster');
		expect(text).not.toMatch(/CPU\s+MEM/);
	});

	it('says what could not be read, its escape sequences stripped', () => {
		const text = podsScreen({
			...cluster,
			problems: ['kubectl: 403 Forbidden: viewer may not list events\u001b[2J in all namespaces'],
		});
		expect(text).toContain('not read: kubectl: 403 Forbidden: viewer may not list events in all namespaces');
		expect(text).toContain('CrashLoopBackOff');
	});

	it('draws only the rows that fit of 10,000 broken pods', () => {
		const many = Array.from({length: 10_000}, (_, index) => ({
			...pods.crashLoop,
			metadata: {...pods.crashLoop.metadata, name: `api-${index}`, uid: `uid-${index}`},
		}));
		const text = podsScreen(classifyPods({items: many}, fixtureNow));
		expect(text).toContain('Pods 10000 not ready · 0 ok');
		expect(text).toMatch(/production\s+api-0\s+CrashLoopBackOff/);
		const drawn = text.match(/CrashLoopBackOff/g) ?? [];
		expect(drawn.length).toBeGreaterThan(5);
		expect(drawn.length).toBeLessThan(40);
	});
});

describe('the Pods panel with deployments', () => {
	const gateway = testDeployment('api-gateway', {desired: 2, ready: 0, available: 0, updated: 2, revision: 3});
	const checkout = testDeployment('checkout', {desired: 2, ready: 2, updated: 2, available: 2});

	it('lists every deployment after the pods at 80 columns, the one short of ready replicas first, named deploy/…', () => {
		const store = testStore({columns: 80, rows: 30});
		const data = {...cluster, deployments: [checkout, gateway]};
		update.reading(store, 'kubernetes', {state: 'ok', data, fetchedAt: store.getState().now});
		const lines = (render(<App store={store} controls={controls} />).lastFrame() ?? '').split('\n');
		const at = (pattern: RegExp) => lines.findIndex(line => pattern.test(line));
		expect(at(/ledger\S*\s+Unschedulable/)).toBeGreaterThan(0);
		// At 80 columns READY is dropped as for the pods: the status word says whether replicas are missing.
		expect(at(/║ deploy\/api-gateway\s+Unavailable\s+║/)).toBeGreaterThan(at(/ledger\S*\s+Unschedulable/));
		expect(at(/║ deploy\/checkout\s+Available\s+║/)).toBeGreaterThan(at(/deploy\/api-gateway/));
		expect(lines.join('\n')).toContain('Pods 2 not ready · 1 starting');
	});

	it('shows up-to-date, revision and images where there is room, and never squeezes a pod’s name for them', () => {
		const halfScreen = podsScreen({...cluster, deployments: [gateway]});
		expect(halfScreen).toMatch(/api-gateway-5d8f7c9b6d-k2l9p\s+CrashLoopBackOff/);
		expect(halfScreen).toMatch(/UP-TO-DATE\s*REV/);
		expect(halfScreen).not.toContain('IMAGES');
		const store = testStore({columns: 260, rows: 40});
		const data = {...cluster, deployments: [gateway]};
		update.reading(store, 'kubernetes', {state: 'ok', data, fetchedAt: store.getState().now});
		update.ui(store, {focus: 'pods', zoomed: true});
		const zoomed = render(<App store={store} controls={controls} />).lastFrame() ?? '';
		// (ink-testing-library draws 100 columns: the wide table's gaps are squeezed.)
		expect(zoomed).toMatch(/UP-TO-DATE\s*REV\s*IMAGES/);
		expect(zoomed).toMatch(/deploy\/api-gateway\s+Unavailable\s+0\/2\s+2\s+3\s*registry\.e…way:1\.1\.0/);
	});

	it('draws a hostile deployment on one clean line: no escape sequence, bidi control or 100 KB image spills out', () => {
		const hostile = testDeployment('web', {name: 'web\u001b[2J\u202eevil', images: [`registry/${'x'.repeat(100_000)}:1`]});
		const store = testStore({columns: 260, rows: 40});
		update.reading(store, 'kubernetes', {state: 'ok', data: {...cluster, deployments: [hostile]}, fetchedAt: 0});
		update.ui(store, {focus: 'pods', zoomed: true});
		const text = render(<App store={store} controls={controls} />).lastFrame() ?? '';
		expect(text).toMatch(/deploy\/web\S*evil\s+Available\s+3\/3/);
		expect(text).not.toContain('\u001b[2J');
		expect(text).not.toContain('\u202e');
		expect(text).toMatch(/registry\/x+…x+:1/);
		expect(text.length).toBeLessThan(100_000);
	});

	it('draws only the rows that fit of 10,000 pods and 1,000 deployments, with the last deployment selected', () => {
		const store = testStore({columns: 260, rows: 40});
		const many = Array.from({length: 10_000}, (_, index) => ({
			...pods.crashLoop,
			metadata: {...pods.crashLoop.metadata, name: `api-${index}`, uid: `uid-${index}`},
		}));
		const deployments = Array.from({length: 1000}, (_, index) => ({...testDeployment(`web-${index}`), uid: `uid-web-${index}`}));
		update.reading(store, 'kubernetes', {
			state: 'ok',
			data: {...classifyPods({items: many}, fixtureNow), deployments},
			fetchedAt: store.getState().now,
		});
		update.select(store, 'pods', {key: 'deployment:uid-web-999', index: 10_999, label: 'production/web-999'});
		const text = render(<App store={store} controls={controls} />).lastFrame() ?? '';
		expect(text).toMatch(/deploy\/web-999\s+Available\s+3\/3/);
		const drawn = text.match(/deploy\/web-\d+|api-\d+ +CrashLoopBackOff/g) ?? [];
		expect(drawn.length).toBeGreaterThan(5);
		expect(drawn.length).toBeLessThan(40);
	});
});
