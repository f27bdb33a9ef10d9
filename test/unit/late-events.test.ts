import {describe, expect, it} from 'vitest';
import {newEvent, type JournalEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import {declaredAt, journalOf, minute} from '../helpers/incidents';

const declare = newEvent.declared({title: 'API gateway outage', severity: 'P1', services: ['api']});

/** An event an outbox sent after others had written: later in the order, stamped when it happened. */
const late = (event: JournalEvent): JournalEvent => ({...event, late: true});

describe('an event sent late from an outbox', () => {
	it('does not undo a newer status: monitoring queued offline before someone else resolved stays resolved', () => {
		const [declared, resolved, monitoring] = journalOf(
			[0, declare],
			[20, newEvent.status('resolved', 'investigating')],
			[10, newEvent.status('monitoring', 'investigating')],
		);
		const incident = replayIncident('INC-1', [declared!, resolved!, late(monitoring!)])!;
		expect(incident.status).toBe('resolved');
		expect(incident.resolvedAt).toBe(declaredAt + 20 * minute);
		// It happened, and the timeline keeps it.
		expect(incident.events.map(event => event.type)).toEqual(['declared', 'status', 'status']);
	});

	it('does not undo a newer severity, and leaves the severity history as it was', () => {
		const [declared, raised, lowered] = journalOf(
			[0, declare],
			[20, newEvent.severity('P0', 'P1')],
			[10, newEvent.severity('P2', 'P1')],
		);
		const incident = replayIncident('INC-1', [declared!, raised!, late(lowered!)])!;
		expect(incident.severity).toBe('P0');
		expect(incident.severityChanges).toEqual([
			{severity: 'P1', at: declaredAt},
			{severity: 'P0', at: declaredAt + 20 * minute},
		]);
	});

	it('applies when it is still the newest change', () => {
		const [declared, identified, monitoring, raised] = journalOf(
			[0, declare],
			[5, newEvent.status('identified', 'investigating')],
			[10, newEvent.status('monitoring', 'identified')],
			[12, newEvent.severity('P0', 'P1')],
		);
		const incident = replayIncident('INC-1', [declared!, identified!, late(monitoring!), late(raised!)])!;
		expect(incident.status).toBe('monitoring');
		expect(incident.severity).toBe('P0');
		expect(incident.severityChanges.at(-1)).toEqual({severity: 'P0', at: declaredAt + 12 * minute});
	});

	it('still counts for the deadlines it answers, as of when it happened', () => {
		const [declared, resolved, note] = journalOf(
			[0, declare],
			[20, newEvent.status('resolved', 'investigating')],
			[3, newEvent.note('restarted the gateway')],
		);
		const incident = replayIncident('INC-1', [declared!, resolved!, late(note!)])!;
		expect(incident.firstTriggers.followUp).toBe(declaredAt + 3 * minute);
	});

	it('an event in order but stamped earlier (a skewed clock, not late) still applies as before', () => {
		const [declared, resolved, monitoring] = journalOf(
			[0, declare],
			[20, newEvent.status('resolved', 'investigating')],
			[10, newEvent.status('monitoring', 'investigating')],
		);
		expect(replayIncident('INC-1', [declared!, resolved!, monitoring!])!.status).toBe('monitoring');
	});
});

describe('a customer message sent late from an outbox', () => {
	it('counts where it happened: the next update is due after the newest message, not after the late one', () => {
		const [declared, newer, older] = journalOf(
			[0, declare],
			[20, newEvent.communicated('update')],
			[10, newEvent.communicated('initial')],
		);
		const incident = replayIncident('INC-1', [declared!, newer!, late(older!)])!;
		expect(incident.customerMessages.map(message => message.at)).toEqual([declaredAt + 10 * minute, declaredAt + 20 * minute]);
	});
});

describe('a checklist tick sent late from an outbox', () => {
	it('does not undo a newer untick, and applies when it is the newest', () => {
		const item = 'Page the database on-call';
		const [declared, unticked, ticked, other] = journalOf(
			[0, declare],
			[20, newEvent.checked(item, false)],
			[10, newEvent.checked(item, true)],
			[15, newEvent.checked('Post in #incidents', true)],
		);
		const incident = replayIncident('INC-1', [declared!, unticked!, late(ticked!), late(other!)])!;
		expect(Object.keys(incident.checked)).toEqual(['Post in #incidents']);
	});
});
