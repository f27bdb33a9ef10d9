/**
 * The health checks' pure rules: the damping, the journal events of a
 * change and how two consoles avoid writing one twice, what a certificate's
 * dates and names make of it, and what the Health panel draws of a check.
 */
import {describe, expect, it} from 'vitest';
import {bindingFor} from '../../source/actions/keys';
import {parseEvent, type JournalEvent} from '../../source/incident/events';
import {describeEvent} from '../../source/incident/timeline';
import {lastLine} from '../../source/sources/health/command';
import {newTrack, nextTrack, shownState, type CheckTrack} from '../../source/sources/health/damping';
import {expectedStatus} from '../../source/sources/health/http';
import {judgeCertificate} from '../../source/sources/health/tls';
import {alreadyJournaled, checkEvents} from '../../source/sources/health/transitions';
import type {HealthResult} from '../../source/sources/types';
import {checkDetailText, checkSummary, healthSummary, sinceText, sparkline, stateText} from '../../source/view-model/health';

const damping = {failAfter: 2, recoverAfter: 2};

/** The track after results given as `ok`/`fail`, the nth at second n. */
function after(results: string, from: CheckTrack = newTrack()): CheckTrack {
	return results
		.split(' ')
		.reduce(
			(track, result, index) => nextTrack(track, {ok: result === 'ok', latencyMs: index}, damping, (index + 1) * 1000),
			from,
		);
}

describe('the damping', () => {
	it('knows nothing before the first result, which then decides at once', () => {
		expect(newTrack().health).toBe('unknown');
		expect(after('fail')).toMatchObject({health: 'failing', since: 1000});
		expect(after('ok')).toMatchObject({health: 'ok', since: 1000, recovered: false});
	});

	it('turns a healthy check failing only after failAfter failures in a row, failing since the first of them', () => {
		expect(after('ok fail').health).toBe('ok');
		expect(after('ok fail ok fail').health).toBe('ok');
		expect(after('ok fail fail')).toMatchObject({health: 'failing', since: 2000});
	});

	it('turns a failing check ok only after recoverAfter successes in a row, and says it recovered', () => {
		expect(after('fail ok').health).toBe('failing');
		expect(after('fail ok fail ok').health).toBe('failing');
		expect(after('fail ok ok')).toMatchObject({health: 'ok', since: 3000, recovered: true});
		expect(after('fail ok ok fail fail')).toMatchObject({health: 'failing', since: 4000, recovered: false});
	});

	it('takes its counts from the config', () => {
		const once = {failAfter: 1, recoverAfter: 3};
		const failed = nextTrack(after('ok'), {ok: false}, once, 2000);
		expect(failed.health).toBe('failing');
		expect(nextTrack(nextTrack(failed, {ok: true}, once, 3000), {ok: true}, once, 4000).health).toBe('failing');
	});

	it('keeps the latest 20 latencies for the sparkline', () => {
		const track = after(Array.from({length: 25}, () => 'ok').join(' '));
		expect(track.latencies).toEqual(Array.from({length: 20}, (_, index) => index + 5));
	});

	it('shows a healthy check whose latest result warns as a warning', () => {
		expect(shownState(after('ok'), {warning: 'expires in 3 days'})).toBe('warning');
		expect(shownState(after('fail'), {warning: 'expires in 3 days'})).toBe('failing');
	});
});

const check = (fields: Partial<HealthResult>): HealthResult => ({name: 'api', kind: 'http', ok: true, ...fields});

describe('the journal events of a change', () => {
	const failing = check({ok: false, state: 'failing', since: Date.parse('2026-11-27T14:02:03Z'), error: 'expected 2xx: 503'});
	const ok = check({state: 'ok', since: Date.parse('2026-11-27T14:09:03Z'), recovered: true});

	it('is check_failed when a check turns failing, with since when and why', () => {
		expect(checkEvents([check({state: 'ok', since: 0})], [failing])).toEqual([
			{type: 'check_failed', check: 'api', since: '2026-11-27T14:02:03.000Z', error: 'expected 2xx: 503'},
		]);
		// Failing at the first reading: the API was down when the console started.
		expect(checkEvents(undefined, [failing])).toHaveLength(1);
	});

	it('is check_recovered when a failing check turns ok, with how long it failed', () => {
		expect(checkEvents([failing], [ok])).toEqual([{type: 'check_recovered', check: 'api', failedForMs: 420_000}]);
	});

	it('is nothing while the state stays, for a check not run yet, or for a drill’s checks', () => {
		expect(checkEvents([failing], [failing])).toEqual([]);
		expect(checkEvents([ok], [check({state: 'warning', since: 1})])).toEqual([]);
		expect(checkEvents(undefined, [check({ok: false, state: 'unknown'})])).toEqual([]);
		expect(checkEvents(undefined, [check({ok: false})])).toEqual([]);
	});

	it('is not written again when the journal says it already, as another console wrote it', () => {
		const [event] = checkEvents(undefined, [failing]);
		const stamp = {at: '2026-11-27T14:02:10.000Z', actor: 'bob@bastion'};
		const written: JournalEvent[] = [{seq: 2, ...stamp, ...event!}];
		expect(alreadyJournaled([], event!)).toBe(false);
		expect(alreadyJournaled(written, event!)).toBe(true);
		const recovered: JournalEvent = {seq: 3, ...stamp, type: 'check_recovered', check: 'api'};
		// Down again after it came back: a new outage.
		expect(alreadyJournaled([...written, recovered], event!)).toBe(false);
		expect(alreadyJournaled([{...written[0]!, check: 'db'} as JournalEvent], event!)).toBe(false);
	});

	it('reads back from the journal and shows on the timeline', () => {
		const envelope = {seq: 4, at: '2026-11-27T14:02:10.000Z', actor: 'alice@bastion'};
		const failed = parseEvent({...envelope, ...checkEvents(undefined, [failing])[0]});
		expect(typeof failed === 'string' ? failed : describeEvent(failed)).toMatch(
			/^check api failing since \d\d:\d\d:03: expected 2xx: 503$/,
		);
		const back = parseEvent({...envelope, ...checkEvents([failing], [ok])[0]});
		expect(typeof back === 'string' ? back : describeEvent(back)).toBe('check api recovered after 7m');
		expect(parseEvent({...envelope, type: 'check_failed', check: 'api', since: 'yesterday'})).toBe(
			'event 4: "since" is not a valid ISO-8601 UTC time',
		);
	});
});

describe('a certificate judged', () => {
	const now = Date.parse('2026-11-27T12:00:00Z');
	const day = 86_400_000;
	const valid = {validFrom: now - day, validTo: now + 40 * day, now, warnDays: 14};

	it('is fine with the days left', () => {
		expect(judgeCertificate(valid)).toEqual({problems: [], days: 40});
	});

	it('warns under warnDays, and fails expired, not yet valid, for another name or unverified', () => {
		expect(judgeCertificate({...valid, validTo: now + 3.5 * day})).toEqual({problems: [], days: 3, warning: 'expires in 3 days'});
		expect(judgeCertificate({...valid, validTo: now - 1.5 * day, chainError: 'CERT_HAS_EXPIRED'}).problems).toEqual([
			'expired 2 days ago',
		]);
		expect(judgeCertificate({...valid, validFrom: now + day}).problems).toEqual(['not valid yet']);
		expect(judgeCertificate({...valid, nameError: 'not valid for api.example.com'}).problems).toEqual([
			'not valid for api.example.com',
		]);
		expect(judgeCertificate({...valid, chainError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'}).problems).toEqual([
			'chain does not verify: issuer not trusted',
		]);
	});
});

describe('what a check found', () => {
	it('expects any 2xx unless it lists statuses', () => {
		expect([200, 204, 299, 301, 500].map(status => expectedStatus({expectStatus: []}, status))).toEqual([
			true,
			true,
			true,
			false,
			false,
		]);
		expect(expectedStatus({expectStatus: [503]}, 503)).toBe(true);
	});

	it('takes a command’s last line that says something', () => {
		expect(lastLine('auth: ok\npipeline: DEGRADED\n\n  \n')).toBe('pipeline: DEGRADED');
		expect(lastLine('')).toBe('');
	});
});

describe('the Health panel’s view of a check', () => {
	it('writes its state as a word', () => {
		expect(
			['ok', 'warning', 'failing', 'unknown'].map(state => stateText(check({state: state as HealthResult['state']}))),
		).toEqual(['ok', 'WARN', 'FAIL', '?']);
		// A drill's checks have no damped state: their `ok` is it.
		expect(stateText(check({ok: false}))).toBe('FAIL');
	});

	it('draws latencies as bars from the lowest to the highest, the latest ones that fit', () => {
		expect(sparkline([10, 20, 30, 40, 50, 60, 70, 80], 8)).toBe('▁▂▃▄▅▆▇█');
		expect(sparkline([5, 5, 5], 8)).toBe('▁▁▁');
		expect(sparkline([1, 2, 3, 100, 1], 2)).toBe('█▁');
		expect(sparkline([], 8)).toBe('');
	});

	it('says since when a check fails, or when it recovered', () => {
		const since = Date.parse('2026-11-27T14:02:03Z');
		expect(sinceText(check({state: 'failing', since}), 'UTC')).toBe('since 14:02:03');
		expect(sinceText(check({state: 'ok', since, recovered: true}), 'UTC')).toBe('recovered 14:02:03');
		expect(sinceText(check({state: 'ok', since}), 'UTC')).toBe('');
	});

	it('sums the checks up in the title', () => {
		expect(healthSummary({checks: [check({state: 'ok'})]})).toBe(' all ok');
		expect(
			healthSummary({
				checks: [check({state: 'failing'}), check({state: 'failing'}), check({state: 'warning'}), check({state: 'unknown'})],
			}),
		).toBe(' 2 FAIL · 1 WARN · 1 pending');
	});

	it('gives the status then the error, and the detail view everything', () => {
		const failing = check({
			ok: false,
			state: 'failing',
			status: '500 Internal Server Error',
			error: 'expected 2xx: oops',
			latencyMs: 12,
		});
		expect(checkSummary(failing)).toBe('500 Internal Server Error · expected 2xx: oops');
		expect(checkSummary(check({kind: 'tls', certDaysLeft: 61}))).toBe('cert 61d left');
		const text = checkDetailText({...failing, history: [10, 12], detail: 'GET http://api/\nHTTP 500'}, 'UTC');
		expect(text.split('\n')).toEqual([
			'api (http): failing',
			'latency 12ms (recent: 10 12)',
			'last error: expected 2xx: oops',
			'',
			'GET http://api/',
			'HTTP 500',
		]);
	});
});

describe('Enter on the Health panel', () => {
	const context = {focus: 'health' as const, hasIncident: false, readOnly: true, zoomed: false};

	it('zooms the panel first, then opens the selected check’s details, in read-only mode too', () => {
		expect(bindingFor('enter', context)?.action).toBe('zoom');
		expect(bindingFor('enter', {...context, zoomed: true})?.action).toBe('check-details');
	});

	it('does nothing more in another zoomed panel', () => {
		expect(bindingFor('enter', {...context, focus: 'pods', zoomed: true})).toBeUndefined();
	});
});
