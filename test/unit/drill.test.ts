import {describe, expect, it} from 'vitest';
import {drillReadingAt} from '../../source/sources/drill/drill';
import {listDrills, loadDrill, parseDrill} from '../../source/sources/drill/drill-file';
import {builtInRunbooksDir} from '../../source/paths';

const drill = loadDrill('api-gateway-outage', [builtInRunbooksDir]);
const seconds = (count: number) => count * 1000;

describe('the api-gateway-outage drill', () => {
	it('starts healthy', () => {
		const reading = drillReadingAt(drill, 0);
		expect(reading.kubernetes.pods).toEqual([]);
		expect(reading.kubernetes.healthyCount).toBe(24);
		expect(reading.health.checks.every(check => check.ok)).toBe(true);
		expect(reading.postgres.blocking).toEqual([]);
	});

	it('crash-loops the gateway after the bad deploy, restarts growing with time', () => {
		const early = drillReadingAt(drill, seconds(10)).kubernetes.pods;
		expect(early.map(pod => pod.reason)).toEqual(['CrashLoopBackOff', 'CrashLoopBackOff', 'Error']);
		const later = drillReadingAt(drill, seconds(60)).kubernetes.pods.find(pod => pod.name.endsWith('x2k4j'))!;
		expect(later.restarts).toBe(1 + Math.floor((60 - 6) / 20));
		expect(later.ageSeconds).toBe(54);
		expect(drillReadingAt(drill, seconds(10)).health.checks.find(check => check.name === 'api')).toMatchObject({ok: false});
	});

	it('builds a lock chain behind the migration', () => {
		const postgres = drillReadingAt(drill, seconds(30)).postgres;
		expect(postgres.blocking).toEqual([
			// Each backend started when its query did: the drill's time, counted from its start.
			{
				pid: 5117,
				backendStart: '1970-01-01T00:00:16.000Z',
				blockedBy: [4242],
				waitSeconds: 14,
				query: "UPDATE orders SET status = 'paid' WHERE id = $1",
			},
			{
				pid: 5120,
				backendStart: '1970-01-01T00:00:18.000Z',
				blockedBy: [4242],
				waitSeconds: 12,
				query: 'SELECT * FROM orders WHERE customer_id = $1 FOR UPDATE',
			},
			{
				pid: 5188,
				backendStart: '1970-01-01T00:00:19.000Z',
				blockedBy: [5117],
				waitSeconds: 11,
				query: 'UPDATE orders SET shipped_at = now() WHERE id = $1',
			},
		]);
		// Only queries past the drill's 3 s long-query mark count as long-running.
		expect(postgres.longRunning.map(query => query.pid)).toEqual([4242, 5117, 5120, 5188]);
		expect(drillReadingAt(drill, seconds(21)).postgres.longRunning.map(query => query.pid)).toEqual([4242, 5117, 5120]);
		expect(postgres.connections).toMatchObject({total: 147, max: 200});
	});

	it('recovers on its own at 10 minutes', () => {
		expect(drillReadingAt(drill, 10 * 60_000).kubernetes.pods).toEqual([]);
	});
});

describe('loading drills', () => {
	it('lists the built-in drills', () => {
		expect(listDrills([builtInRunbooksDir])).toContain('api-gateway-outage');
	});

	it('names the drills there are when asked for one that is not', () => {
		expect(() => loadDrill('db-fire', [builtInRunbooksDir])).toThrow(
			'--drill: no drill named "db-fire" (drills: api-gateway-outage)',
		);
	});

	it('reports a bad field with its file and path', () => {
		const text =
			'name: x\ntitle: X\ncontext: c\nscenes:\n  - at: soon\n    healthyPods: 1\n    pods: []\n    postgres: {connections: {max: 1, byState: {}}, queries: []}\n    health: []\n';
		expect(() => parseDrill(text, 'drills/x.yaml')).toThrow(
			'drills/x.yaml: scenes[0].at: expected a duration like 500ms, 3s, 5m, 2h or 1d, got "soon"',
		);
	});

	// zod/mini loads no locale of its own: these are zod's English messages, not "Invalid input".
	it("words what has no message of its own in zod's English", () => {
		const scene = (fields: string) =>
			`name: x\ntitle: X\ncontext: c\nscenes:\n  - {at: 0s, ${fields}, pods: [], postgres: {connections: {max: 1, byState: {}}, queries: []}}\n`;
		expect(() => parseDrill('name: x\ntitle: X\ncontext: c\nscenes: []\n', 'drills/x.yaml')).toThrow(
			'drills/x.yaml: scenes: Too small: expected array to have >=1 items',
		);
		expect(() => parseDrill(scene('healthyPods: -1, health: []'), 'drills/x.yaml')).toThrow(
			'drills/x.yaml: scenes[0].healthyPods: Too small: expected number to be >=0',
		);
		expect(() => parseDrill(scene('healthyPods: 1.5, health: []'), 'drills/x.yaml')).toThrow(
			'drills/x.yaml: scenes[0].healthyPods: expected int, got 1.5',
		);
		expect(() => parseDrill(scene('healthyPods: 1, health: [{name: a, kind: udp, ok: true}]'), 'drills/x.yaml')).toThrow(
			'drills/x.yaml: scenes[0].health[0].kind: Invalid option: expected one of "http"|"tls"|"tcp"|"command"',
		);
	});

	it('cleans every text for the terminal as it loads: escapes, bidi controls, line breaks', () => {
		const text = [
			'name: x',
			'title: "Gate\\e]0;owned\\away\\e[5m down"',
			'context: c',
			'scenes:',
			'  - at: 0s',
			'    healthyPods: 1',
			'    pods: [{namespace: prod, name: "api\\u202E-7d9f\\u200B", phase: Running, reason: "Crash\\rLoop", ready: 0/1, since: 1s, node: n, owner: {kind: Deployment, name: api}}]',
			'    postgres: {connections: {max: 1, byState: {"\\e[31mactive": 1}}, queries: []}',
			'    health: []',
		].join('\n');
		const drill = parseDrill(text, 'drills/x.yaml');
		expect(drill.title).toBe('Gateway down');
		expect(drill.scenes[0]?.pods[0]).toMatchObject({name: 'api-7d9f', reason: 'Crash Loop'});
		expect(drill.scenes[0]?.postgres.connections.byState).toEqual({active: 1});
	});
});
