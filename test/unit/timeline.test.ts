import {describe, expect, it} from 'vitest';
import {localTime, readerZone} from '../../source/incident/timeline';

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
});
