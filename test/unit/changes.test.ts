import {describe, expect, it} from 'vitest';
import {eventFor} from '../../source/incident/changes';
import {newEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import {journalOf} from '../helpers/incidents';

const incident = replayIncident(
	'INC-1',
	journalOf(
		[0, newEvent.declared({title: 'API down', severity: 'P1', services: []})],
		[1, newEvent.checked('Root cause identified', true)],
	),
)!;

describe('the event a change writes, from a form or a subcommand', () => {
	it.each([
		[{type: 'note', text: '  rolled back  '}, newEvent.note('rolled back')],
		[{type: 'status', status: 'fixing'}, newEvent.status('fixing', 'investigating')],
		[{type: 'severity', severity: 'P0'}, newEvent.severity('P0', 'P1')],
		[{type: 'escalated', to: ' SRE team lead '}, newEvent.escalated('SRE team lead')],
		[{type: 'communicated', template: 'initial'}, newEvent.communicated('initial')],
		[{type: 'checked', item: 'Root cause identified'}, newEvent.checked('Root cause identified', false)],
		[{type: 'checked', item: 'Fix deployed'}, newEvent.checked('Fix deployed', true)],
		// Text typed anywhere is kept as one clean line, without its terminal escapes.
		[{type: 'note', text: 'rolled\u001B]0;owned\u0007 back\nto v41\u001B[2J'}, newEvent.note('rolled back to v41')],
		[{type: 'escalated', to: '\u001B[31mSRE\u0007 lead'}, newEvent.escalated('SRE lead')],
		[{type: 'checked', item: 'Fix\u0007 deployed'}, newEvent.checked('Fix deployed', true)],
		[{type: 'checked', item: 'Root cause\u001B[0m identified'}, newEvent.checked('Root cause identified', false)],
	] as const)('%j writes %j', (change, event) => {
		expect(eventFor(change, incident)).toEqual({event});
	});

	it.each([
		[{type: 'severity', severity: 'P1'}, 'INC-1 is already P1'],
		[{type: 'status', status: 'investigating'}, 'INC-1 is already investigating'],
	] as const)('refuses %j, which changes nothing: "%s"', (change, refused) => {
		expect(eventFor(change, incident)).toEqual({refused});
	});

	it.each([
		[{type: 'note', text: '  '}, 'the note is empty'],
		[{type: 'note', text: '\u001B]0;title\u0007\u0007'}, 'the note is empty'],
		[{type: 'escalated', to: ''}, 'say whom it was escalated to'],
		[{type: 'status', status: 'done'}, 'status takes one of investigating, identified, fixing, monitoring, resolved, got "done"'],
		[{type: 'severity', severity: 'P5'}, 'severity takes one of P0, P1, P2, P3, got "P5"'],
		[{type: 'communicated', template: 'apology'}, 'the customer message is one of initial, update, resolution, got "apology"'],
	] as const)('refuses %j: "%s"', (change, refused) => {
		expect(eventFor(change, incident)).toEqual({refused});
	});
});
