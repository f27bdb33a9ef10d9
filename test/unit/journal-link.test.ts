import {describe, expect, it} from 'vitest';
import {journalLinkDetail, journalLinkText, journalLinkTone} from '../../source/view-model/journal-link';
import {storeLinksAt} from '../helpers/journal-link';

const now = Date.parse('2026-11-27T03:00:00.000Z');
const link = storeLinksAt(now);

describe('the journal link in the header', () => {
	it('says nothing while live with nothing waiting, nor for a file journal', () => {
		expect(journalLinkText(link({}), now)).toBeUndefined();
		expect(journalLinkText(link({store: 'file', where: '/srv/warroom/incidents'}), now)).toBeUndefined();
		expect(journalLinkText(undefined, now)).toBeUndefined();
	});

	it('says how long it has been offline and how many events wait in the outbox, in red', () => {
		const offline = link({state: 'offline', since: now - 40_000, waiting: 2, error: 'connection refused'});
		expect(journalLinkText(offline, now)).toBe('journal: offline 40s, 2 events waiting');
		expect(journalLinkText({...offline, waiting: 1}, now)).toBe('journal: offline 40s, 1 event waiting');
		expect(journalLinkText({...offline, waiting: 0, since: now - 90 * 60_000}, now)).toBe('journal: offline 1h30m');
		expect(journalLinkTone(offline)).toBe('bad');
	});

	it('never says a negative time when the clock stepped back', () => {
		expect(journalLinkText(link({state: 'offline', since: now + 5_000}), now)).toBe('journal: offline 0s');
	});

	it('says it is connecting, and what waits meanwhile', () => {
		expect(journalLinkText(link({state: 'connecting'}), now)).toBe('journal: connecting…');
		expect(journalLinkText(link({state: 'connecting', waiting: 3}), now)).toBe('journal: connecting…, 3 events waiting');
		expect(journalLinkTone(link({state: 'connecting'}))).toBe('warn');
	});

	it('says it is sending what waited once live again, calmly', () => {
		expect(journalLinkText(link({waiting: 2}), now)).toBe('journal: sending 2');
		expect(journalLinkTone(link({waiting: 2}))).toBe('dim');
	});

	it('stays short enough for the 80-column header whatever the numbers', () => {
		const worst = link({state: 'offline', since: now - 99 * 24 * 3_600_000, waiting: 1_000_000});
		expect(journalLinkText(worst, now)!.length).toBeLessThanOrEqual(50);
	});
});

describe('the journal link in ?', () => {
	it('names the store and says why it cannot be reached while it cannot', () => {
		const offline = link({state: 'offline', since: now - 40_000, waiting: 2, error: 'connection refused (ECONNREFUSED)'});
		expect(journalLinkDetail(offline, now)).toBe(
			'journal on db.internal:5432/warroom: connection refused (ECONNREFUSED) · offline 40s, 2 events waiting',
		);
		expect(journalLinkDetail({...offline, state: 'live', waiting: 0}, now)).toBe('journal on db.internal:5432/warroom: live');
	});

	it('says nothing of a file journal', () => {
		expect(journalLinkDetail(link({store: 'file'}), now)).toBeUndefined();
		expect(journalLinkDetail(undefined, now)).toBeUndefined();
	});
});
