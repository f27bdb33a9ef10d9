/** How a source's snapshot reads in its panel's title: always a word, colour only helps. */
import {formatSpan} from './duration';
import type {Snapshot} from './snapshot-types';

export type SnapshotStatus = {text: string; tone: 'ok' | 'warn' | 'bad' | 'dim'};

export function describeSnapshot(snapshot: Snapshot<unknown>, now: number): SnapshotStatus {
	switch (snapshot.state) {
		case 'disabled':
			return {text: 'off', tone: 'dim'};
		case 'loading':
			return {text: 'loading', tone: 'dim'};
		case 'ok':
			return {text: `ok ${formatSpan(now - (snapshot.fetchedAt ?? now))}`, tone: 'ok'};
		case 'error':
			return snapshot.fetchedAt === undefined
				? {text: 'ERROR', tone: 'bad'}
				: {text: `STALE ${formatSpan(now - snapshot.fetchedAt)}`, tone: 'warn'};
	}
}
