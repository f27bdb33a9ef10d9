import {describe, expect, it} from 'vitest';
import {drillReadingAt} from '../../source/sources/drill/drill';
import {DrillCluster} from '../../source/sources/drill/drill-cluster';
import {loadDrill, parseDrill} from '../../source/sources/drill/drill-file';
import {builtInRunbooksDir} from '../../source/paths';

const drill = loadDrill('api-gateway-outage', [builtInRunbooksDir]);
const seconds = (count: number) => count * 1000;

/** The drill's cluster, its time set by hand. */
function cluster() {
	let elapsed = seconds(30);
	const simulated = new DrillCluster(drill.deployments, () => elapsed);
	const read = () => drillReadingAt(drill, elapsed, simulated.current()).kubernetes;
	const gatewayPods = () => read().pods.filter(pod => pod.owner.name === 'api-gateway');
	return {simulated, read, gatewayPods, later: (ms: number) => (elapsed += ms)};
}

describe("the drill's simulated cluster", () => {
	it('shows the gateway at its bad revision, with the one before it kept', () => {
		const {read, gatewayPods} = cluster();
		expect(read().deployments).toEqual([
			expect.objectContaining({
				name: 'api-gateway',
				revision: 7,
				images: ['registry.example.com/api-gateway:2.15.0'],
				desired: 3,
				ready: 0,
				history: [
					expect.objectContaining({revision: 7}),
					expect.objectContaining({revision: 6, images: ['registry.example.com/api-gateway:2.14.3']}),
					expect.objectContaining({revision: 5}),
				],
			}),
		]);
		expect(gatewayPods().map(pod => pod.reason)).toEqual(['CrashLoopBackOff', 'CrashLoopBackOff', 'CrashLoopBackOff']);
	});

	it('brings the gateway back Running after a rollout undo, as a new revision of the old template', () => {
		const {simulated, read, gatewayPods} = cluster();
		const before = read().healthyCount;
		simulated.undo('production', 'api-gateway', 6);
		expect(gatewayPods()).toEqual([]);
		expect(read().healthyCount).toBe(before + 3);
		expect(read().deployments?.[0]).toMatchObject({
			revision: 8,
			images: ['registry.example.com/api-gateway:2.14.3'],
			ready: 3,
			history: [{revision: 8, replicaSet: 'api-gateway-5c8d7f9b4'}, {revision: 7}, {revision: 5}],
		});
	});

	it('crash-loops again after an undo back to the bad template', () => {
		const {simulated, gatewayPods} = cluster();
		simulated.undo('production', 'api-gateway', 6);
		simulated.undo('production', 'api-gateway', 7);
		expect(gatewayPods()).toHaveLength(3);
	});

	it('starts the pods again on a restart: their ages and restarts count from it', () => {
		const {simulated, gatewayPods, later} = cluster();
		expect(gatewayPods()[0]).toMatchObject({ageSeconds: 24, restarts: 2});
		simulated.restart('production', 'api-gateway');
		later(seconds(5));
		expect(gatewayPods()[0]).toMatchObject({ageSeconds: 5, restarts: 1});
	});

	it('scales: fewer failing pods, more of them, or none', () => {
		const {simulated, read, gatewayPods} = cluster();
		simulated.scale('production', 'api-gateway', 1);
		expect(gatewayPods()).toHaveLength(1);
		simulated.scale('production', 'api-gateway', 5);
		expect(gatewayPods().map(pod => pod.name)).toContain('api-gateway-7d9f8b6c5-drill4');
		expect(gatewayPods()).toHaveLength(5);
		simulated.scale('production', 'api-gateway', 0);
		expect(gatewayPods()).toEqual([]);
		expect(read().deployments?.[0]).toMatchObject({desired: 0});
	});

	it('counts a healthy deployment scaled', () => {
		const {simulated, read} = cluster();
		simulated.undo('production', 'api-gateway', 6);
		const healthy = read().healthyCount;
		simulated.scale('production', 'api-gateway', 5);
		expect(read().healthyCount).toBe(healthy + 2);
	});

	it('refuses, as kubectl would, what the cluster does not have', () => {
		const {simulated} = cluster();
		expect(() => simulated.undo('production', 'api-gateway', 2)).toThrow('unable to find specified revision 2 in history');
		expect(() => simulated.scale('production', 'web', 1)).toThrow('deployments.apps "web" not found');
	});

	it('logs what the running revision logs, and describes the pod with its events', () => {
		const {simulated, gatewayPods} = cluster();
		const pod = gatewayPods()[0]!;
		expect(simulated.logs(pod, true)).toContain('FATAL config: unknown field "upstream_timeout_ms"');
		const described = simulated.describe(pod);
		expect(described).toContain('Image:          registry.example.com/api-gateway:2.15.0');
		expect(described).toContain('Back-off restarting failed container');
	});
});

const withDeployments = (deployments: string) => `
name: test
title: Test
context: drill-prod
deployments:
${deployments}
scenes:
  - {at: 0s, healthyPods: 1, pods: [], postgres: {connections: {max: 10, byState: {}}, queries: []}, health: []}
`;

describe('a drill file with deployments', () => {
	it('refuses revisions that are not newest first', () => {
		const text = withDeployments(`  - namespace: shop
    name: web
    replicas: 2
    revisions:
      - {revision: 3, replicaSet: web-a, images: [web:1]}
      - {revision: 4, replicaSet: web-b, images: [web:2]}`);
		expect(() => parseDrill(text, 'test.yaml')).toThrow(/revisions newest first/);
	});

	it('refuses a name kubectl would not take', () => {
		const text = withDeployments(`  - namespace: shop
    name: "--kubeconfig=/x"
    replicas: 2
    revisions:
      - {revision: 1, replicaSet: web-a, images: [web:1]}`);
		expect(() => parseDrill(text, 'test.yaml')).toThrow(/deployment name "--kubeconfig=\/x" is not a DNS-1123 subdomain/);
	});

	it('has none when it declares none', () => {
		expect(parseDrill(withDeployments('  []'), 'test.yaml').deployments).toEqual([]);
	});
});
