/** Test-only registry entries: an action of each risk that runs a real command (`node -e SCRIPT`) on a fixed target. */
import {defineAction, type Action} from '../../source/actions/action';
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
