/** A store as the console builds it, for tests that drive the screen without a terminal. */
import {join} from 'node:path';
import {vi} from 'vitest';
import type {Executor} from '../../source/actions/executor';
import type {Controls} from '../../source/actions/route-key';
import {loadPolicy} from '../../source/incident/policy-file';
import {builtInRunbooksDir} from '../../source/paths';
import {createWarroomStore, initialState, type Mode} from '../../source/store';
import {declaredAt} from './incidents';

export const policy = loadPolicy(join(builtInRunbooksDir, 'severity.yaml'));

export function testStore(
	options: {columns?: number; rows?: number; mode?: Partial<Mode>; now?: number; journalRead?: boolean} = {},
) {
	return createWarroomStore(
		initialState({
			now: options.now ?? declaredAt,
			policy,
			size: {columns: options.columns ?? 80, rows: options.rows ?? 24},
			mode: {
				colour: false,
				readOnly: false,
				dryRun: false,
				kubernetes: {production: 'prod', kubectl: 'kubectl'},
				...options.mode,
			},
			...(options.journalRead === undefined ? {} : {journalRead: options.journalRead}),
		}),
	);
}

/** Controls that only record what keys asked for. */
export const testControls = () => ({
	actions: {request: vi.fn<Executor['request']>(), run: vi.fn<Executor['run']>(async () => {}), abortAll: vi.fn()},
	quit: vi.fn(),
	suspend: vi.fn(),
	produce: vi.fn<Controls['produce']>(),
});
