import {describe, expect, it} from 'vitest';
import type {NotifyConfig} from '../../source/config/types';
import {newEvent, parseEvent, type JournalEvent, type NewEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import {describeEvent} from '../../source/incident/timeline';
import {
	backoffMs,
	dueNow,
	nextRetryAt,
	outboxOf,
	planned,
	requestFor,
	summaryText,
	type Notification,
} from '../../source/notify/outbox';
import {declaredAt, journalOf, minute} from '../helpers/incidents';

const routingKey = 'R'.repeat(200);
const notify: NotifyConfig = {
	pagerduty: {routingKey, url: 'http://127.0.0.1:9/v2/enqueue'},
	webhooks: [
		{name: 'ops', url: 'https://hooks.slack.test/T000/B000/secret', format: 'slack', on: ['declared', 'update', 'resolved']},
		{name: 'status', url: 'https://status.test/hook', format: 'json', on: ['resolved']},
	],
	timeoutMs: 1000,
};
const declared = (severity: 'P0' | 'P1' | 'P2') =>
	newEvent.declared({title: 'Checkout errors', severity, services: ['api-gateway']});
const incidentOf = (...entries: Array<[number, NewEvent]>) => replayIncident('INC-3', journalOf(...entries))!;
const plan = (events: JournalEvent[], now = declaredAt + 5 * minute) =>
	planned({incident: replayIncident('INC-3', events)!, notify, now, textFor: moment => `text for ${moment}`});
const ids = (notifications: Notification[]) => notifications.map(({id}) => id);

describe('what an incident calls for', () => {
	it('pages for a P1 at its declaration, acknowledges on the first response and resolves with it', () => {
		const events = journalOf(
			[0, declared('P1')],
			[1, newEvent.note('looking at the gateway')],
			[2, newEvent.note('rolled back')],
			[3, newEvent.status('resolved', 'investigating')],
		);
		const wanted = plan(events);
		expect(ids(wanted)).toEqual([
			'pagerduty/trigger/1',
			'ops/declared/1',
			'pagerduty/acknowledge/2',
			'pagerduty/resolve/4',
			'ops/resolved/4',
			'status/resolved/4',
		]);
		expect(wanted[0]!.payload).toEqual({
			event_action: 'trigger',
			dedup_key: 'INC-3',
			client: 'warroom',
			payload: {
				summary: 'INC-3 [P1] Checkout errors',
				source: 'warroom',
				severity: 'error',
				timestamp: events[0]!.at,
				custom_details: {services: ['api-gateway'], status: 'resolved', commander: 'not named'},
			},
		});
		expect(wanted[2]!.payload).toEqual({event_action: 'acknowledge', dedup_key: 'INC-3'});
		expect(wanted[1]!.payload).toEqual({text: 'text for declared'});
		expect(wanted[5]!.payload).toEqual({
			incident: 'INC-3',
			event: 'resolved',
			severity: 'P1',
			status: 'resolved',
			text: 'text for resolved',
			at: events[3]!.at,
		});
		// The routing key is added only to what is sent, never to what is journaled.
		expect(JSON.stringify(wanted)).not.toContain(routingKey);
	});

	it('pages a P2 only once raised to P0, and then acknowledges the work after the raise', () => {
		const wanted = plan(
			journalOf(
				[0, declared('P2')],
				[1, newEvent.note('slow checkout')],
				[2, newEvent.severity('P0', 'P2')],
				[3, newEvent.status('fixing', 'investigating')],
			),
		);
		expect(ids(wanted)).toEqual([
			'ops/declared/1',
			'pagerduty/trigger/3',
			'ops/update/3',
			'ops/update/4',
			'pagerduty/acknowledge/4',
		]);
		expect((wanted[1]!.payload['payload'] as {severity: string}).severity).toBe('critical');
	});

	it('never pages for a P2 or P3, and resolves nothing it did not trigger', () => {
		const wanted = plan(journalOf([0, declared('P2')], [1, newEvent.status('resolved', 'investigating')]));
		expect(ids(wanted).filter(id => id.startsWith('pagerduty'))).toEqual([]);
	});

	it('queues nothing already queued, by any console', () => {
		const events = journalOf([0, declared('P1')]);
		const [first] = plan(events);
		const queued = journalOf([0, declared('P1')], [0, newEvent.notifyQueued(first!)]);
		expect(ids(plan(queued))).toEqual(['ops/declared/1']);
	});

	it('queues nothing for events older than an hour: opening an old incident pages nobody', () => {
		expect(plan(journalOf([0, declared('P1')]), declaredAt + 61 * minute)).toEqual([]);
	});

	it('sends a title cleaned of escape sequences and bidi controls', () => {
		const hostile = newEvent.declared({title: 'Checkout\u001B[31m errors\u202E\u200B\n', severity: 'P1', services: []});
		const [trigger] = plan(journalOf([0, hostile]));
		expect((trigger!.payload['payload'] as {summary: string}).summary).toBe('INC-3 [P1] Checkout errors');
		expect(summaryText(incidentOf([0, hostile]), 'declared')).toBe('INC-3 [P1] Checkout errors: declared');
	});

	it('summarises a moment in one line when the template cannot be filled yet', () => {
		const incident = incidentOf([0, declared('P1')], [1, newEvent.status('fixing', 'investigating')]);
		expect(summaryText(incident, 'declared')).toBe('INC-3 [P1] Checkout errors: declared (api-gateway)');
		expect(summaryText(incident, 'update')).toBe('INC-3 [P1] Checkout errors: fixing');
		expect(summaryText(incident, 'resolved')).toBe('INC-3 [P1] Checkout errors: resolved');
	});
});

describe('the outbox', () => {
	const base = 1000;
	const queued = (id: string, extra: Partial<Notification> = {}) =>
		newEvent.notifyQueued({id, target: 'pagerduty', kind: 'trigger', payload: {event_action: 'trigger'}, ...extra});
	const at = (events: JournalEvent[], seq: number) => Date.parse(events[seq - 1]!.at);

	it('sends what is queued and not sent, in the order queued, each once however often it was queued', () => {
		const events = journalOf(
			[0, declared('P1')],
			[0, queued('a')],
			[0, queued('b')],
			[0, queued('a')],
			[0, newEvent.notifySent('b', 202)],
			[0, queued('c', {dryRun: true})],
		);
		expect(dueNow(outboxOf(events), declaredAt, base).map(entry => entry.queued.id)).toEqual(['a']);
	});

	it('waits 1 s, 2 s, 4 s … after each failed try, at most five minutes, and never retries a final failure', () => {
		expect([1, 2, 3, 20].map(attempt => backoffMs(attempt, base))).toEqual([1000, 2000, 4000, 300_000]);
		const events = journalOf(
			[0, declared('P1')],
			[0, queued('a')],
			[1, newEvent.notifyFailed({id: 'a', error: 'HTTP 500', attempt: 1})],
			[1, newEvent.notifyFailed({id: 'a', error: 'timed out', attempt: 2})],
			[1, queued('b')],
			[1, newEvent.notifyFailed({id: 'b', error: 'HTTP 400', attempt: 1, final: true})],
		);
		const outbox = outboxOf(events);
		const lastFailure = at(events, 4);
		expect(dueNow(outbox, lastFailure + 1999, base)).toEqual([]);
		expect(dueNow(outbox, lastFailure + 2000, base).map(entry => entry.queued.id)).toEqual(['a']);
		expect(nextRetryAt(outbox, base)).toBe(lastFailure + 2000);
		expect(
			nextRetryAt(outboxOf(journalOf([0, declared('P1')], [0, queued('b')], [0, newEvent.notifySent('b', 202)])), base),
		).toBe(undefined);
	});

	it('adds the routing key to what is posted to PagerDuty, and posts a webhook its payload as queued', () => {
		const events = journalOf(
			[0, declared('P1')],
			[0, queued('pagerduty/trigger/1', {payload: {event_action: 'trigger', dedup_key: 'INC-3'}})],
			[0, queued('ops/declared/1', {target: 'ops', kind: 'declared', payload: {text: 'hi'}})],
			[0, queued('gone/declared/1', {target: 'gone', kind: 'declared', payload: {text: 'hi'}})],
		);
		const [paging, hook, gone] = [...outboxOf(events).values()].map(entry => requestFor(entry.queued, notify));
		expect(paging).toEqual({
			url: 'http://127.0.0.1:9/v2/enqueue',
			body: {routing_key: routingKey, event_action: 'trigger', dedup_key: 'INC-3'},
		});
		expect(hook).toEqual({url: 'https://hooks.slack.test/T000/B000/secret', body: {text: 'hi'}});
		expect(gone).toBeUndefined();
	});

	it('reads its events back from the journal, and the timeline says what happened to each', () => {
		const events = journalOf(
			[0, declared('P1')],
			[0, queued('pagerduty/trigger/1')],
			[0, newEvent.notifyFailed({id: 'pagerduty/trigger/1', error: 'HTTP 500', attempt: 1})],
			[0, newEvent.notifySent('pagerduty/trigger/1', 202)],
			[0, queued('ops/declared/1', {dryRun: true})],
			[0, newEvent.notifyFailed({id: 'ops/declared/1', error: 'HTTP 404', attempt: 1, final: true})],
		);
		expect(events.map(event => parseEvent(JSON.parse(JSON.stringify(event))))).toEqual(events);
		expect(parseEvent({...events[1], payload: 'x'})).toBe('event 2: "payload" is not a JSON object');
		expect(parseEvent({...events[1], kind: 'page'})).toMatch(/"kind" is not one of trigger, acknowledge/);
		expect(events.slice(1).map(describeEvent)).toEqual([
			'queued pagerduty/trigger/1',
			'could not send pagerduty/trigger/1 (attempt 1): HTTP 500',
			'sent pagerduty/trigger/1: HTTP 202',
			'would send ops/declared/1 (dry run)',
			'could not send ops/declared/1 (attempt 1): HTTP 404: given up',
		]);
		// The outbox is no work done by a responder: it meets no deadline.
		expect(replayIncident('INC-3', events)!.firstTriggers).toEqual({});
	});
});
