/** Test-only registry entries (an action of each risk that runs a real command, `node -e SCRIPT`, on a fixed target), and an executor that records what it journals. */
import {vi} from 'vitest';
import {defineAction, type Action} from '../../source/actions/action';
import type {Services} from '../../source/actions/command';
import {createExecutor} from '../../source/actions/executor';
import type {NewEvent} from '../../source/incident/events';
import type {WarroomStore} from '../../source/store';
import type {Confirmation, Risk} from '../../source/actions/confirm';

export const testTarget = 'production/api-gateway';

export function nodeAction(
	script: string,
	options: {
		risk?: Risk;
		confirmation?: Confirmation;
		timeoutMs?: number;
		key?: string;
		explain?: (stderr: string) => string;
	} = {},
): Action {
	const key = options.key ?? 'T';
	return defineAction<string>({
		id: `test-${options.risk ?? 'mutating'}`,
		title: 'test command',
		keys: [key],
		keyLabel: key,
		description: 'run a test command',
		risk: options.risk ?? 'mutating',
		needsIncident: true,
		...(options.timeoutMs === undefined ? {} : {timeoutMs: options.timeoutMs}),
		...(options.confirmation === undefined ? {} : {confirmation: options.confirmation}),
		journals: ['action_started', 'action_finished'],
		target: () => ({value: testTarget, name: testTarget}),
		build: () => ({
			command: {
				kind: 'argv',
				argv: [process.execPath, '-e', script],
				...(options.explain === undefined ? {} : {explain: options.explain}),
			},
			effect: 'runs a test script',
			summary: 'test command',
		}),
	});
}

/** An executor on `store` whose journal is a list of the events written, with a refresh that does nothing, these services and this masker. */
export function recordingExecutor(
	store: WarroomStore,
	services: Partial<Services> = {},
	redact: (text: string) => string = text => text,
) {
	const recorded: NewEvent[] = [];
	const executor = createExecutor({
		store,
		record: async event => {
			recorded.push(event);
			return 'INC-1';
		},
		track: (_what, write) => write,
		services: {refresh: vi.fn(async () => {}), ...services},
		redact,
	});
	return {executor, recorded};
}
