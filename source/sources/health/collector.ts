/**
 * The health source: every configured check on its own interval, at most
 * `concurrency` at a time, each abandoned at its timeout. Results go through
 * the damping (damping.ts) and are published together, a few times a second
 * at most however many checks finish. `refresh` (the `r` key) runs every
 * check now, a change made from the console none; `collect` runs every check once, for `snapshot`.
 */
import type {HealthCheck} from '../../config/types';
import {goodReading, type Collector, type Publish, type RefreshReason} from '../collector';
import type {HealthData, HealthResult} from '../types';
import {newTrack, nextTrack, shownState, type CheckTrack} from './damping';
import {resultOf, runCheck, runCheckOutcome, type Redact} from './run-check';

/** Checks run at once, at most: 200 checks must not open 200 sockets and processes in the same instant. */
export const checkConcurrency = 16;
/** Results are published together, at most this often. */
const publishEveryMs = 500;

/** Runs `work` over `items`, at most `limit` at a time, in order of the list. */
async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index]!);
	};
	await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
	return results;
}

const unknownResult = (check: HealthCheck): HealthResult => ({name: check.name, kind: check.kind, ok: false, state: 'unknown'});

/** A check's latest result with what its track says: its damped state, since when, and its latencies. */
function trackedResult(latest: HealthResult, track: CheckTrack, warning: string | undefined): HealthResult {
	return {
		...latest,
		state: shownState(track, warning === undefined ? {} : {warning}),
		...(track.since === undefined ? {} : {since: track.since}),
		...(track.recovered ? {recovered: true} : {}),
		history: track.latencies,
	};
}

/** `redact` masks the config's secrets in what the checks saw, before anything is cut short. */
export function healthCollector(
	checks: readonly HealthCheck[],
	redact: Redact,
	now: () => number = Date.now,
): Collector<HealthData> {
	const longestTimeout = Math.max(...checks.map(check => check.timeoutMs));
	return {
		source: 'health',
		intervalMs: Math.min(...checks.map(check => check.intervalMs)),
		// Every check once, at most `concurrency` at a time, each within its own timeout.
		timeoutMs: longestTimeout * Math.ceil(checks.length / checkConcurrency) + 1000,
		async collect(signal) {
			const results = await inBatches(checks, checkConcurrency, check => runCheck(check, signal, redact));
			return {checks: results};
		},
		watch(publish, signal) {
			return watchChecks(checks, {publish, redact, now}, signal);
		},
	};
}

function watchChecks(
	checks: readonly HealthCheck[],
	{publish, redact, now}: {publish: Publish<HealthData>; redact: Redact; now: () => number},
	signal: AbortSignal,
) {
	const results = checks.map(unknownResult);
	const tracks = checks.map(newTrack);
	const timers: Array<NodeJS.Timeout | undefined> = checks.map(() => undefined);
	const queued = new Set<number>();
	const running = new Set<number>();
	let publishTimer: NodeJS.Timeout | undefined;
	const startedAt = now();

	const publishSoon = () => {
		if (publishTimer || signal.aborted) return;
		publishTimer = setTimeout(() => {
			publishTimer = undefined;
			if (!signal.aborted) publish(goodReading({checks: [...results]}, now(), now() - startedAt));
		}, publishEveryMs);
	};

	const startQueued = () => {
		for (const index of queued) {
			if (running.size >= checkConcurrency) return;
			queued.delete(index);
			void run(index);
		}
	};

	const enqueue = (index: number) => {
		if (signal.aborted || running.has(index)) return;
		clearTimeout(timers[index]);
		queued.add(index);
		startQueued();
	};

	const run = async (index: number) => {
		const check = checks[index]!;
		running.add(index);
		const outcome = await runCheckOutcome(check, signal);
		running.delete(index);
		if (signal.aborted) return;
		tracks[index] = nextTrack(tracks[index]!, outcome, check.damping, now());
		results[index] = trackedResult(resultOf(check, outcome, redact), tracks[index]!, outcome.warning);
		publishSoon();
		timers[index] = setTimeout(() => enqueue(index), check.intervalMs);
		startQueued();
	};

	signal.addEventListener(
		'abort',
		() => {
			for (const timer of timers) clearTimeout(timer);
			clearTimeout(publishTimer);
		},
		{once: true},
	);
	checks.forEach((_, index) => enqueue(index));
	// A refresh asked for queues every check now; each shows as it ends, like any other run.
	// A change made from the console does not: it need not rerun a couple of hundred checks,
	// which see its effect at their next interval.
	return async (reason: RefreshReason) => {
		if (reason === 'asked') checks.forEach((_, index) => enqueue(index));
	};
}
