import {describe, expect, it} from 'vitest';
import {drillBackendsAt, drillReadingAt} from '../../source/sources/drill/drill';
import {DrillDatabase, remainingBackends} from '../../source/sources/drill/drill-database';
import {loadDrill} from '../../source/sources/drill/drill-file';
import {builtInRunbooksDir} from '../../source/paths';

const drill = loadDrill('api-gateway-outage', [builtInRunbooksDir]);
const seconds = (count: number) => count * 1000;
const startedAt = Date.parse('2026-11-27T03:00:00Z');

/** The drill's database 30 s in, when the migration blocks the checkout. */
function database() {
	const elapsed = seconds(30);
	const simulated: DrillDatabase = new DrillDatabase(ended => drillBackendsAt(drill, elapsed, {startedAt, ended}));
	const read = () => drillReadingAt(drill, elapsed, undefined, {startedAt, ended: simulated.current()}).postgres;
	const send = (kind: 'cancel' | 'terminate', pid: number, since: number) =>
		simulated.signal(kind, {pid, backendStart: new Date(startedAt + seconds(since)).toISOString()});
	return {read, send};
}

describe("the drill's simulated database", () => {
	it('names every backend by its pid and the drill time it started', () => {
		expect(
			database()
				.read()
				.blocking.map(({pid, backendStart}) => `${pid}@${backendStart}`),
		).toEqual(['5117@2026-11-27T03:00:16.000Z', '5120@2026-11-27T03:00:18.000Z', '5188@2026-11-27T03:00:19.000Z']);
	});

	it("terminating the migration's blocker clears the lock chain: its waiters proceed and finish", async () => {
		const {read, send} = database();
		await expect(send('terminate', 4242, 12)).resolves.toBe(
			'backend 4242 was terminated: its transaction rolls back and its locks are freed',
		);
		const after = read();
		expect(after.blocking).toEqual([]);
		expect(after.longRunning).toEqual([]);
		// The migration and its three waiters are no longer connections of theirs.
		expect(after.connections).toMatchObject({total: 143, byState: {active: 68, idle: 52, 'idle in transaction': 23}});
	});

	it('cancel on the blocker idle in transaction frees nothing, as for real', async () => {
		const {read, send} = database();
		const before = read();
		await expect(send('cancel', 4242, 12)).resolves.toBe(
			'the backend was idle in transaction: cancel frees nothing; terminate it (K)',
		);
		expect(read()).toEqual(before);
	});

	it('cancel on a waiter ends its query: the waiter behind it proceeds, the others still wait', async () => {
		const {read, send} = database();
		await send('cancel', 5117, 16);
		expect(read().blocking.map(({pid, blockedBy}) => [pid, blockedBy])).toEqual([[5120, [4242]]]);
	});

	it('a backend already ended, or a start time not its own, is gone', async () => {
		const {send} = database();
		await send('terminate', 4242, 12);
		await expect(send('terminate', 4242, 12)).rejects.toThrow('backend 4242 (started 2026-11-27T03:00:12.000Z) is gone');
		await expect(send('terminate', 5120, 17)).rejects.toThrow('is gone: nothing was signalled');
		await expect(send('cancel', 0, 1)).rejects.toThrow('pid "0" is not a positive whole number');
	});

	it('frees a waiter only once every backend it waits for is gone', () => {
		const backends = [
			{pid: 1, backendStart: 'a', state: 'idle in transaction'},
			{pid: 2, backendStart: 'b', state: 'idle in transaction'},
			{pid: 3, backendStart: 'c', state: 'active', blockedBy: [1, 2]},
			{pid: 4, backendStart: 'd', state: 'active', blockedBy: [3]},
		];
		expect(remainingBackends(backends, new Set([1])).map(({pid, blockedBy}) => [pid, blockedBy])).toEqual([
			[2, undefined],
			[3, [2]],
			[4, [3]],
		]);
		expect(remainingBackends(backends, new Set([1, 2]))).toEqual([]);
	});
});
