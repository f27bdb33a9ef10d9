/**
 * The Health panel's key: Enter on a check, in the zoomed panel (Enter
 * zooms it first, as everywhere), opens its detail view in the output
 * overlay: HTTP status line, headers and body start; the certificate, its
 * issuer, validity and chain; a command's output. From the reading alone:
 * it runs nothing, asks nothing and journals nothing.
 */
import {defineAction, type Action, type Resolved} from '../../actions/action';
import type {WarroomState} from '../../store';
import {checkDetailText} from '../../view-model/health';
import {findRow} from '../../view-model/selection';
import type {HealthResult} from '../types';

function checkTarget(state: WarroomState, selectedKey: string | undefined): Resolved<HealthResult> {
	const check = selectedKey === undefined ? undefined : findRow(state, 'health', selectedKey);
	return check ? {value: check, name: check.name} : {refused: 'no check selected'};
}

const details = defineAction<HealthResult>({
	id: 'check-details',
	title: 'check details',
	keys: ['enter'],
	keyLabel: 'Enter',
	description: 'details: what the selected check saw (in the zoomed Health panel)',
	panels: ['health'],
	zoomed: true,
	hint: true,
	risk: 'read',
	confirmation: 'none',
	journals: [],
	target: checkTarget,
	build: ({target}) => {
		const text = checkDetailText(target!);
		return {
			command: {
				kind: 'run',
				name: `details of check ${target!.name}`,
				run: async () => text,
				output: {title: `check ${target!.name}`, atEnd: false},
			},
			effect: `show what check ${target!.name} saw`,
			summary: `details of ${target!.name}`,
		};
	},
});

export const healthActions: readonly Action[] = [details];
