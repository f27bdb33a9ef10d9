/**
 * A collector reads one outside source on an interval and publishes a
 * Reading. Its failures, timeouts included, become an `error` reading that
 * keeps the last good data: nothing a source does ever throws into the UI.
 */
import type {Reading, SourceName} from './types';
import {formatTook} from '../text/duration';
import {messageOf} from '../errors';

export type Collector<T> = {
	source: SourceName;
	/** Time between the end of one reading and the start of the next. */
	intervalMs: number;
	/** A reading that takes longer is abandoned and reported as an error. */
	timeoutMs: number;
	/** One reading. Must give up when `signal` aborts. */
	collect(signal: AbortSignal): Promise<T>;
	/**
	 * For a source that streams its changes: keeps the data live by itself,
	 * publishing each reading until `signal` aborts, instead of a reading every
	 * interval. Returns what reads it afresh now, settling once that reading is published.
	 */
	watch?(publish: Publish<T>, signal: AbortSignal): (reason: RefreshReason) => Promise<void>;
};

/**
 * Why a source is read again now: the responder asked (`r`: everything), or
 * a change was just made from the console, which a source that streams its
 * changes sees already, but not everything it reads (a deployment's revision).
 */
export type RefreshReason = 'asked' | 'changed';

export type CollectorHandle = {
	/** Read again now, unless a reading is already under way; settles once it is published (or the source stops). */
	refresh(reason?: RefreshReason): Promise<void>;
	stop(): void;
};

export type Publish<T> = (reading: Reading<T>) => void;

/** A reading that got its data. */
export const goodReading = <T>(data: T, fetchedAt: number, tookMs: number): Reading<T> => ({
	state: 'ok',
	data,
	fetchedAt,
	attemptedAt: fetchedAt,
	tookMs,
});

/** A reading that failed: it keeps `previous`'s last good data and its age, so the panel shows it stale. */
export const failedReading = <T>(previous: Reading<T>, error: string, attemptedAt: number, tookMs: number): Reading<T> => ({
	...(previous.data === undefined ? {} : {data: previous.data, fetchedAt: previous.fetchedAt}),
	state: 'error',
	error,
	attemptedAt,
	tookMs,
});

/** One reading, good or failed; `previous` supplies the last good data on failure. */
export async function collectOnce<T>(
	collector: Collector<T>,
	previous: Reading<T> = {state: 'loading'},
	options: {signal?: AbortSignal; now?: () => number} = {},
): Promise<Reading<T>> {
	const now = options.now ?? Date.now;
	const timeout = AbortSignal.timeout(collector.timeoutMs);
	const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
	const startedAt = now();
	try {
		const data = await abortable(collector.collect(signal), signal);
		const fetchedAt = now();
		return goodReading(data, fetchedAt, fetchedAt - startedAt);
	} catch (error) {
		const attemptedAt = now();
		const message = timeout.aborted ? `timed out after ${formatTook(collector.timeoutMs)}` : messageOf(error);
		return failedReading(previous, message, attemptedAt, attemptedAt - startedAt);
	}
}

/** Settles when `work` does or when `signal` aborts, whichever is first. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
	if (signal.aborted) return Promise.reject(signal.reason);
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(signal.reason);
		signal.addEventListener('abort', onAbort, {once: true});
		work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
	});
}

/** Reads `collector` (by its watch when it has one) until stopped, publishing every reading. */
export function runCollector<T>(collector: Collector<T>, publish: Publish<T>): CollectorHandle {
	const stopped = new AbortController();
	if (collector.watch) {
		publish({state: 'loading'});
		const refresh = collector.watch(publish, stopped.signal);
		return {refresh: (reason = 'asked') => refresh(reason), stop: () => stopped.abort()};
	}
	let last: Reading<T> = {state: 'loading'};
	let timer: NodeJS.Timeout | undefined;
	let running = false;

	const read = async () => {
		if (running || stopped.signal.aborted) return;
		running = true;
		clearTimeout(timer);
		last = await collectOnce(collector, last, {signal: stopped.signal});
		running = false;
		if (stopped.signal.aborted) return;
		publish(last);
		timer = setTimeout(read, collector.intervalMs);
	};

	publish(last);
	void read();
	return {
		refresh: () => read(),
		stop() {
			stopped.abort();
			clearTimeout(timer);
		},
	};
}
