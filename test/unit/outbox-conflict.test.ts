import {describe, expect, it} from 'vitest';
import type {JournalEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import {outboxConflict} from '../../source/incident/outbox-conflict';
import {declaredAt, journalOf, minute} from '../helpers/incidents';

/** INC-3, resolved by bob at minute 10. */
const resolved = replayIncident('INC-3', [
	...journalOf([0, {type: 'declared', title: 'API down', severity: 'P1', services: []}]),
	{...journalOf([10, {type: 'status', status: 'resolved', from: 'investigating'}])[0]!, seq: 2, actor: 'bob@bastion'},
]);

/** Alice's change queued offline at minute 5, recorded after bob's. */
function lateChange(change: Partial<JournalEvent>): JournalEvent {
	return {
		seq: 3,
		at: new Date(declaredAt + 5 * minute).toISOString(),
		actor: 'alice@laptop',
		late: true,
		...change,
	} as JournalEvent;
}
const sentAt = declaredAt + 5 * minute + 40_000;

describe('outboxConflict', () => {
	it('tells of a late status change from a status the incident no longer had', () => {
		const event = lateChange({type: 'status', status: 'monitoring', from: 'investigating'});

		expect(outboxConflict(event, resolved, sentAt)).toBe(
			'INC-3: your status change to monitoring (queued 40s offline) arrived after bob@bastion resolved it: recorded late',
		);
	});

	it('tells of a late severity change from a severity changed meanwhile, by whom', () => {
		const incident = replayIncident('INC-3', [
			...journalOf([0, {type: 'declared', title: 'API down', severity: 'P1', services: []}]),
			{...journalOf([10, {type: 'severity', severity: 'P0', from: 'P1'}])[0]!, seq: 2, actor: 'carol@bastion'},
		]);
		const event = lateChange({type: 'severity', severity: 'P2', from: 'P1'});

		expect(outboxConflict(event, incident, sentAt + 2 * minute)).toBe(
			'INC-3: your severity change to P2 (queued 2m offline) arrived after carol@bastion set it to P0: recorded late',
		);
	});

	it('says nothing when the change still follows on from what the incident was', () => {
		expect(outboxConflict(lateChange({type: 'status', status: 'investigating', from: 'resolved'}), resolved, sentAt)).toBe(
			undefined,
		);
	});

	it('says nothing of an event that was not late, or that changes no status or severity', () => {
		expect(
			outboxConflict(lateChange({type: 'status', status: 'monitoring', from: 'investigating', late: false}), resolved, sentAt),
		).toBe(undefined);
		expect(outboxConflict(lateChange({type: 'note', text: 'late but harmless'}), resolved, sentAt)).toBe(undefined);
		expect(outboxConflict(lateChange({type: 'status', status: 'monitoring', from: 'investigating'}), undefined, sentAt)).toBe(
			undefined,
		);
	});

	it('keeps escape sequences in a name off the screen', () => {
		const incident = replayIncident('INC-3', [
			...journalOf([0, {type: 'declared', title: 'API down', severity: 'P1', services: []}]),
			{
				...journalOf([10, {type: 'status', status: 'resolved', from: 'investigating'}])[0]!,
				seq: 2,
				actor: 'eve\u001B[2J\u001B]0;x\u0007@host',
			},
		]);

		expect(outboxConflict(lateChange({type: 'status', status: 'fixing', from: 'investigating'}), incident, sentAt)).toContain(
			'arrived after eve@host resolved it',
		);
	});
});
