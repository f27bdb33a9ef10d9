/** A store as the console builds it, for tests that drive the screen without a terminal. */
import {join} from 'node:path';
import {loadPolicy} from '../../source/incident/policy-file';
import {builtInRunbooksDir} from '../../source/paths';
import {createWarroomStore, initialState, type Mode} from '../../source/store';
import {declaredAt} from './incidents';

export const policy = loadPolicy(join(builtInRunbooksDir, 'severity.yaml'));

export function testStore(options: {columns?: number; rows?: number; mode?: Partial<Mode>; now?: number; journalRead?: boolean} = {}) {
	return createWarroomStore(
		initialState({
			now: options.now ?? declaredAt,
			policy,
			size: {columns: options.columns ?? 80, rows: options.rows ?? 24},
			mode: {colour: false, readOnly: false, dryRun: false, ...options.mode},
			...(options.journalRead === undefined ? {} : {journalRead: options.journalRead}),
		}),
	);
}
