/** How a source's latest reading shows in its panel's title: always a word, colour only helps. */
import {formatSpan} from '../text/duration';
import type {Reading} from '../sources/types';

export type SourceStatus = {text: string; tone: 'ok' | 'warn' | 'bad' | 'dim'};

export function describeReading(reading: Reading<unknown>, now: number): SourceStatus {
	switch (reading.state) {
		case 'disabled':
			return {text: 'off', tone: 'dim'};
		case 'loading':
			return {text: 'loading', tone: 'dim'};
		case 'ok':
			return {text: `ok ${formatSpan(now - (reading.fetchedAt ?? now))}`, tone: 'ok'};
		case 'error':
			return reading.fetchedAt === undefined
				? {text: 'ERROR', tone: 'bad'}
				: {text: `STALE ${formatSpan(now - reading.fetchedAt)}`, tone: 'warn'};
	}
}
