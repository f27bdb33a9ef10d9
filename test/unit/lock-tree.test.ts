import {describe, expect, it} from 'vitest';
import {buildLockTree} from '../../source/sources/postgres/lock-tree';
import {lockRows} from '../../source/view-model/rows';
import type {BlockedBackend, LockSession} from '../../source/sources/types';

const waiting = (pid: number, blockedBy: number[], waitSeconds = 10): BlockedBackend => ({
	pid,
	blockedBy,
	waitSeconds,
	query: `q${pid}`,
});
const session = (pid: number, user: string, state = 'idle in transaction'): LockSession => ({
	pid,
	backendStart: `2026-11-27 03:00:0${pid % 10}+00`,
	user,
	application: 'app',
	state,
	waitEvent: state === 'active' ? 'Lock:transactionid' : 'Client:ClientRead',
	transactionSeconds: 99,
	query: `held by ${pid}`,
});

const outline = (rows: ReturnType<typeof buildLockTree>) =>
	rows.map(
		row =>
			`${'  '.repeat(row.depth)}${row.pid} blocks ${row.blocking}${row.alsoWaitsFor.length > 0 ? ` also ${row.alsoWaitsFor.join(',')}` : ''}`,
	);

describe('the lock tree', () => {
	it('puts the holder of a chain first, its waiters under it', () => {
		const rows = buildLockTree(
			[waiting(5117, [4242]), waiting(5120, [4242]), waiting(5188, [5117])],
			[session(4242, 'migrator')],
		);
		expect(outline(rows)).toEqual(['4242 blocks 3', '  5117 blocks 1', '    5188 blocks 0', '  5120 blocks 0']);
		expect(rows[0]).toMatchObject({user: 'migrator', query: 'held by 4242'});
		expect(rows[0]!.waitSeconds).toBeUndefined();
		expect(rows[1]!.waitSeconds).toBe(10);
	});

	it('draws a backend waiting on two holders once, naming the other', () => {
		expect(outline(buildLockTree([waiting(30, [10, 20])], []))).toEqual(['10 blocks 1', '  30 blocks 0 also 20']);
	});

	it('draws a deadlock cycle from its lowest pid instead of losing it', () => {
		expect(outline(buildLockTree([waiting(2, [1]), waiting(1, [2])], []))).toEqual(['1 blocks 1 also 2', '  2 blocks 1']);
	});

	it('shows who every waiter is, not only the root, and marks only the root', () => {
		const rows = buildLockTree(
			[waiting(5117, [4242]), waiting(5188, [5117])],
			[session(4242, 'migrator'), session(5117, 'api', 'active'), session(5188, 'batch', 'active')],
		);
		expect(rows.map(row => [row.pid, row.user, row.state, row.waitEvent, row.root])).toEqual([
			[4242, 'migrator', 'idle in transaction', 'Client:ClientRead', true],
			[5117, 'api', 'active', 'Lock:transactionid', false],
			[5188, 'batch', 'active', 'Lock:transactionid', false],
		]);
		expect(rows[1]).toMatchObject({backendStart: '2026-11-27 03:00:07+00', transactionSeconds: 99, query: 'held by 5117'});
	});

	it('keeps a waiter whose session was not read, with its query', () => {
		expect(buildLockTree([waiting(30, [10])], [])).toEqual([
			expect.objectContaining({pid: 10, user: '', root: true, query: ''}),
			expect.objectContaining({pid: 30, user: '', root: false, query: 'q30', waitSeconds: 10}),
		]);
	});

	it('is empty when nothing waits', () => {
		expect(buildLockTree([], [session(1, 'a')])).toEqual([]);
	});
});

describe('a reading’s lock tree', () => {
	it('is built once per reading, for the banner and the rows alike', () => {
		const reading = {connections: {total: 2, max: 100, byState: {}}, longRunning: [], blocking: [waiting(30, [10])]};
		expect(lockRows(reading)).toBe(lockRows(reading));
	});
});
