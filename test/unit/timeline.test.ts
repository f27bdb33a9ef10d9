import {describe, expect, it} from 'vitest';
import {newEvent, type NewEvent} from '../../source/incident/events';
import {describeEvent, localTime, readerZone, timelineText} from '../../source/incident/timeline';
import {timelineRows} from '../../source/view-model/rows';
import {journalOf} from '../helpers/incidents';

const line = (event: NewEvent) => describeEvent(journalOf([1, event])[0]!);
const rollout = {action: 'rollout-undo', label: 'rollout undo', target: 'production/api-gateway'};

describe('an action on the timeline', () => {
	it('says what ran, on what, how it ended and how long it took', () => {
		expect(
			line(
				newEvent.actionStarted({...rollout, command: 'kubectl rollout undo deployment/api-gateway -n production', dryRun: false}),
			),
		).toBe('started rollout undo on production/api-gateway: kubectl rollout undo deployment/api-gateway -n production');
		expect(line(newEvent.actionFinished({...rollout, outcome: 'ok', exitCode: 0, durationMs: 1234}))).toBe(
			'ran rollout undo on production/api-gateway: exit 0 in 1.2s',
		);
		expect(line(newEvent.actionFinished({...rollout, outcome: 'failed', exitCode: 3, durationMs: 80}))).toBe(
			'ran rollout undo on production/api-gateway: exit 3 in 80ms',
		);
		expect(line(newEvent.actionFinished({...rollout, outcome: 'error', error: 'spawn kubectl ENOENT', durationMs: 5}))).toBe(
			'ran rollout undo on production/api-gateway: error: spawn kubectl ENOENT in 5ms',
		);
		expect(line(newEvent.actionFinished({...rollout, outcome: 'timed-out', durationMs: 30_000}))).toBe(
			'ran rollout undo on production/api-gateway: timed out, killed in 30.0s',
		);
		expect(line(newEvent.actionFinished({action: 'refresh', label: 'refresh', outcome: 'aborted', durationMs: 90_000}))).toBe(
			'ran refresh: aborted in 1m',
		);
	});

	it('says a dry run would have run it, and that nothing ran', () => {
		expect(line(newEvent.actionStarted({...rollout, command: 'kubectl rollout undo deployment/api-gateway', dryRun: true}))).toBe(
			'would run rollout undo on production/api-gateway: kubectl rollout undo deployment/api-gateway (dry run)',
		);
		expect(line(newEvent.actionFinished({...rollout, outcome: 'dry-run', durationMs: 0}))).toBe(
			'would run rollout undo on production/api-gateway (dry run)',
		);
	});

	it("marks a drill's command, which ran on the drill's simulated cluster and has no exit code", () => {
		const command = 'kubectl --context drill-prod -n production rollout undo deployment/api-gateway --to-revision=6';
		expect(line(newEvent.actionStarted({...rollout, command, dryRun: false, drill: true}))).toBe(
			`started rollout undo on production/api-gateway: ${command} (drill)`,
		);
		expect(line(newEvent.actionFinished({...rollout, outcome: 'ok', durationMs: 12}))).toBe(
			'ran rollout undo on production/api-gateway: done in 12ms',
		);
	});
});

describe('the time zone of the timeline', () => {
	it('is the zone TZ names, as the clock library resolved it', () => {
		expect(readerZone('Europe/Paris', 'Europe/Paris')).toEqual({zone: 'Europe/Paris', label: 'Europe/Paris'});
		expect(readerZone(':Europe/Paris', 'Europe/Paris')).toEqual({zone: 'Europe/Paris', label: 'Europe/Paris'});
		expect(readerZone('EST5EDT', 'America/New_York')).toEqual({zone: 'America/New_York', label: 'America/New_York'});
	});

	it('is the system zone without TZ, UTC when there is none', () => {
		expect(readerZone(undefined, 'Asia/Tokyo')).toEqual({zone: 'Asia/Tokyo', label: 'Asia/Tokyo'});
		expect(readerZone(undefined, undefined)).toEqual({zone: 'UTC', label: 'UTC'});
		expect(readerZone('', 'Etc/Unknown')).toEqual({zone: 'UTC', label: 'UTC'});
	});

	it('is UTC when TZ names no zone, and says TZ was not understood', () => {
		expect(readerZone('Mars/Olympus', undefined)).toEqual({zone: 'UTC', label: 'UTC: TZ invalid'});
		expect(readerZone('CET-1CEST', 'UTC')).toEqual({zone: 'UTC', label: 'UTC: TZ invalid'});
	});

	it('writes times in the zone it is given', () => {
		expect(localTime('2026-11-27T03:00:05.000Z', 'Europe/Paris')).toBe('04:00:05');
		expect(localTime('2026-11-27T03:00:05.000Z', 'UTC')).toBe('03:00:05');
	});

	it('writes what toLocaleTimeString writes, from one formatter a zone: midnight, a DST change, a bad date', () => {
		const times = [
			'2026-11-27T00:00:00.000Z',
			'2026-03-29T00:59:59.999Z',
			'2026-03-29T01:00:00.000Z',
			'2026-11-27T23:59:59Z',
			'not a time',
		];
		for (const zone of ['UTC', 'Europe/Paris', 'America/St_Johns', 'Asia/Kathmandu'])
			for (const at of times)
				expect(localTime(at, zone)).toBe(new Date(at).toLocaleTimeString('en-GB', {hour12: false, timeZone: zone}));
		expect(localTime('2026-11-27T00:00:05.000Z', 'UTC')).toBe('00:00:05');
	});
});

describe('how an event reached the shared store', () => {
	const [note] = journalOf([1, newEvent.note('restarted the gateway')]);

	it('says an event still in the outbox is waiting, one sent after others is late, leading the line', () => {
		expect(timelineText({...note!, pending: true})).toBe('(waiting) note: restarted the gateway');
		expect(timelineText({...note!, late: true})).toBe('(late) note: restarted the gateway');
		expect(timelineText(note!)).toBe('note: restarted the gateway');
	});

	it('says who imported it, after the line, however long the name', () => {
		expect(timelineText({...note!, importedBy: 'warroom_ops'})).toBe('note: restarted the gateway (imported by warroom_ops)');
		const long = 'r'.repeat(100_000);
		expect(timelineText({...note!, late: true, importedBy: long})).toMatch(
			/^\(late\) note: restarted the gateway \(imported by r+\)$/,
		);
	});

	it('keeps a row on the same event as it leaves the outbox for the store, under a new number', () => {
		const eventId = '6f1c2b7e-3c1d-4f6a-9b1e-2d3c4b5a6f70';
		const [waiting] = timelineRows([{...note!, seq: 7, eventId, pending: true}], [], [], '');
		const [stored] = timelineRows([{...note!, seq: 9, eventId, late: true}], [], [], '');
		expect(stored!.key).toBe(waiting!.key);
		expect(stored!.text).toBe('(late) note: restarted the gateway');
	});

	it('keeps the row of an event it listed before, so the table draws only the new ones', () => {
		const first = {...note!, seq: 1, eventId: 'e1'};
		const second = {...note!, seq: 2, eventId: 'e2'};
		const [before] = timelineRows([first], [], [], '');
		const [kept, added] = timelineRows([first, second], [], [], '');
		expect(kept).toBe(before);
		expect(added!.key).toBe('event-e2');
		// Another object for the same event (a file rewritten in place, the outbox handing it over) is worded again.
		expect(timelineRows([{...first, pending: true}], [], [], '')[0]!.text).toBe('(waiting) note: restarted the gateway');
	});

	it('a filter finds the waiting events', () => {
		const events = [note!, {...note!, seq: 2, at: note!.at, eventId: 'e2', pending: true}];
		expect(timelineRows(events, [], [], 'waiting').map(row => row.key)).toEqual(['event-e2']);
	});
});
