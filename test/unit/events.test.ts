import {describe, expect, it} from 'vitest';
import {newEvent, parseEvent} from '../../source/incident/events';

const envelope = {seq: 2, at: '2026-11-27T03:04:05.678Z', actor: 'alice@bastion'};
const stored = (event: Record<string, unknown>) => ({...envelope, ...event});

describe('an event read back from the journal', () => {
	it.each([
		newEvent.declared({title: 'API down', severity: 'P0', services: ['api'], commander: 'alice', drill: 'api-gateway-outage'}),
		newEvent.severity('P0', 'P1'),
		newEvent.status('resolved', 'monitoring'),
		newEvent.note('rolled back'),
		newEvent.escalated('SRE team lead'),
		newEvent.communicated('initial'),
		newEvent.checked('Root cause identified', true),
		newEvent.actionStarted({
			action: 'rollout-undo',
			label: 'rollout undo',
			target: 'production/api-gateway',
			command: 'kubectl rollout undo deployment/api-gateway -n production',
			dryRun: false,
		}),
		newEvent.actionFinished({
			action: 'rollout-undo',
			label: 'rollout undo',
			target: 'production/api-gateway',
			outcome: 'failed',
			exitCode: 1,
			stderrTail: 'error: no rollout history',
			durationMs: 1200,
		}),
		newEvent.actionFinished({action: 'refresh', label: 'refresh', outcome: 'timed-out', durationMs: 30_000}),
	])('is accepted as written: %j', event => {
		expect(parseEvent(stored(event))).toEqual(stored(event));
	});

	it('stamps the event format on the declaration, and reads a declaration from before it was stamped', () => {
		const declared = newEvent.declared({title: 't', severity: 'P1', services: []});
		expect(declared).toMatchObject({type: 'declared', v: 1});
		const {v, ...unversioned} = stored(declared) as Record<string, unknown>;
		expect(v).toBe(1);
		expect(parseEvent(unversioned)).toEqual(unversioned);
	});

	it('keeps fields this version does not know', () => {
		expect(parseEvent(stored({type: 'note', text: 'x', tags: ['db']}))).toMatchObject({tags: ['db']});
	});

	it.each<[unknown, string]>([
		['bad', 'not a time'],
		['2026-11-27', 'a date alone'],
		['2026-11-27T03:04:05+01:00', 'not UTC'],
		['2026-11-27 03:04:05Z', 'no T'],
		['2026-02-30T00:00:00Z', 'a day that does not exist'],
		['2025-02-29T00:00:00Z', 'the 29th of February outside a leap year'],
		['2026-11-27T24:00:00Z', 'hour 24'],
		['2026-11-27T03:04:60Z', 'second 60'],
		['2026-13-01T00:00:00Z', 'month 13'],
		[1795748400000, 'a number'],
	])('is a problem when "at" is %j (%s)', at => {
		expect(parseEvent(stored({type: 'note', text: 'x', at}))).toBe('event 2: "at" is not a valid ISO-8601 UTC time');
	});

	it('accepts the 29th of February in a leap year', () => {
		expect(parseEvent(stored({type: 'note', text: 'x', at: '2028-02-29T23:59:59Z'}))).toMatchObject({seq: 2});
	});

	it.each([0, -1, 1.5, 1e308, '2', Number.MAX_SAFE_INTEGER + 1, null])('is a problem when "seq" is %j', seq => {
		expect(parseEvent(stored({type: 'note', text: 'x', seq}))).toBe('"seq" is not a positive safe integer');
	});

	it.each<[Record<string, unknown>, string]>([
		[{type: 'note', text: 'x', actor: 7}, '"actor" is not a string'],
		[{type: 42}, '"type" is not a string'],
		[{type: 'action', command: 'kubectl rollout undo'}, 'unknown event type "action" (written by a newer warroom?)'],
		[{type: 'x'.repeat(100)}, `unknown event type "${'x'.repeat(40)}…" (written by a newer warroom?)`],
		[{type: 'declared', title: 't', severity: 'P5', services: []}, '"severity" is not one of P0, P1, P2, P3'],
		[{type: 'declared', title: 't', severity: 'P1'}, '"services" is not a list of strings'],
		[{type: 'declared', title: 't', severity: 'P1', services: [1]}, '"services" is not a list of strings'],
		[{type: 'declared', severity: 'P1', services: []}, '"title" is not a string'],
		[{type: 'declared', title: 't', severity: 'P1', services: [], commander: {}}, '"commander" is not a string'],
		[
			{type: 'declared', v: 2, title: 't', severity: 'P1', services: []},
			'event format v2 is newer than this warroom reads (v1): upgrade warroom',
		],
		[{type: 'declared', v: 'one', title: 't', severity: 'P1', services: []}, '"v" is not a known event format'],
		[{type: 'severity', severity: 'P1', from: 'high'}, '"from" is not one of P0, P1, P2, P3'],
		[
			{type: 'status', status: 'done', from: 'investigating'},
			'"status" is not one of investigating, identified, fixing, monitoring, resolved',
		],
		[{type: 'note'}, '"text" is not a string'],
		[{type: 'escalated', to: ['lead']}, '"to" is not a string'],
		[{type: 'communicated', template: 'apology'}, '"template" is not one of initial, update, resolution'],
		[{type: 'checked', item: 'Root cause identified', done: 'yes'}, '"done" is not true or false'],
		[{type: 'action_started', action: 'x', label: 'x', command: ['kubectl'], dryRun: false}, '"command" is not a string'],
		[{type: 'action_started', action: 'x', label: 'x', command: 'kubectl'}, '"dryRun" is not true or false'],
		[
			{type: 'action_started', action: 'x', label: 'x', command: 'kubectl', dryRun: false, drill: 'yes'},
			'"drill" is not true or false',
		],
		[
			{type: 'action_finished', action: 'x', label: 'x', outcome: 'great', durationMs: 1},
			'"outcome" is not one of ok, failed, error, timed-out, aborted, dry-run',
		],
		[
			{type: 'action_finished', action: 'x', label: 'x', outcome: 'ok', exitCode: -1, durationMs: 1},
			'"exitCode" is not a whole number of at least 0',
		],
		[
			{type: 'action_finished', action: 'x', label: 'x', outcome: 'ok', durationMs: '1s'},
			'"durationMs" is not a whole number of at least 0',
		],
	])('is a problem when it is %j', (event, problem) => {
		expect(parseEvent(stored(event))).toBe(`event 2: ${problem}`);
	});

	it.each([null, [1], 'note', 3])('is a problem when the line holds %j', value => {
		expect(parseEvent(value)).toBe('not a JSON object');
	});
});
