/**
 * From `kubectl get events --field-selector type=Warning -o json` to the
 * recent warnings a responder reads (BackOff, FailedScheduling, Unhealthy…),
 * newest first and capped: a cluster in trouble records thousands. Pure.
 */
import {cleanStrings, toSingleLine} from '../../text/sanitize';
import type {ClusterWarning} from '../types';

/** At most this many warnings are kept, the newest. */
export const warningLimit = 50;
/** A warning's message is cut to this length. */
const messageLimit = 300;

/** The parts of a core/v1 Event read here; newer clusters fill `eventTime` and `series` instead of the timestamps. */
export type KubeEvent = {
	type?: string;
	reason?: string;
	message?: string;
	count?: number;
	lastTimestamp?: string | null;
	eventTime?: string | null;
	series?: {count?: number; lastObservedTime?: string};
	involvedObject?: {kind?: string; name?: string; namespace?: string};
	metadata?: {namespace?: string; creationTimestamp?: string};
};

export type KubeEventList = {items?: KubeEvent[]};

/** When the event was last seen, in epoch ms: whichever of its times the cluster filled. */
function lastSeen(event: KubeEvent): number {
	const times = [event.series?.lastObservedTime, event.lastTimestamp, event.eventTime, event.metadata?.creationTimestamp];
	for (const time of times) {
		const at = time ? Date.parse(time) : Number.NaN;
		if (!Number.isNaN(at)) return at;
	}
	return 0;
}

/** The newest Warning events, newest first. */
export function readWarnings(list: KubeEventList, now: number): ClusterWarning[] {
	return cleanStrings(
		(list.items ?? [])
			.filter(event => event.type === 'Warning')
			.map(event => ({event, at: lastSeen(event)}))
			.sort((a, b) => b.at - a.at)
			.slice(0, warningLimit)
			.map(({event, at}) => ({
				namespace: event.involvedObject?.namespace ?? event.metadata?.namespace ?? '',
				object: `${event.involvedObject?.kind ?? ''}/${event.involvedObject?.name ?? ''}`,
				reason: event.reason ?? '',
				message: toSingleLine(event.message ?? '').slice(0, messageLimit),
				count: event.series?.count ?? event.count ?? 1,
				lastSeenSeconds: Math.max(0, Math.floor((now - at) / 1000)),
			})),
	);
}
