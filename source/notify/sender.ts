/**
 * The console's sender: posts what the journal's outbox holds and has not
 * sent, in the background, and journals how each try went. A notification
 * is done only once `notify_sent` is on disk, so a console killed before
 * that sends it again on its next start (PagerDuty folds a repeat into the
 * same event by its dedup_key; a webhook gets it twice, with the same
 * `Idempotency-Key`). Consoles on one journal take turns through a lock
 * beside the incident's file (`INC-N.notify.lock`, file-lock.ts) and read
 * the journal again inside it, so what one sent another never sends.
 */
import path from 'node:path';
import {messageOf} from '../errors';
import {LockBusyError, withLock} from '../incident/file-lock';
import {newEvent} from '../incident/events';
import {toSingleLine} from '../text/sanitize';
import type {Journal} from '../incident/journal';
import type {NotifyConfig} from '../config/types';
import {dueNow, isRetryable, nextRetryAt, outboxOf, requestFor, type OutboxEntry} from './outbox';

export type SenderOptions = {
	journal: Journal;
	/** The journal's directory: the lock goes beside the incident's file. */
	dir: string;
	notify: NotifyConfig;
	/** Every journal write goes through it, so the console's way out waits for it. */
	track: <T>(what: string, write: Promise<T>) => Promise<T>;
	redact: (text: string) => string;
	/** Told of every failed try, masked. */
	onFailure: (text: string) => void;
	/** The first retry's wait; it doubles each time. 1 s by default. */
	backoffBaseMs?: number;
};

export type Sender = {
	/** Sends what is due on `incident` now, and again when its next retry is due; settles when that round is over. */
	kick(incident: string): Promise<void>;
	/** Aborts a post in flight: it is sent again on the next start. */
	stop(): void;
};

/** Held for a moment a try; a holder killed on this host is seen gone at once. */
const lockStaleMs = 5000;

/** How a try ended: the reply's status, or why there was none. */
type Outcome = {status: number} | {error: string};

async function post(url: string, body: Record<string, unknown>, id: string, signal: AbortSignal): Promise<Outcome> {
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: {'content-type': 'application/json', 'idempotency-key': id},
			body: JSON.stringify(body),
			signal,
		});
		// Read to the end, so the connection is free; what it says is not needed.
		await response.arrayBuffer().catch(() => undefined);
		return {status: response.status};
	} catch (error) {
		if (signal.aborted)
			return {error: signal.reason instanceof Error && signal.reason.name === 'TimeoutError' ? 'timed out' : 'aborted'};
		const cause = (error as {cause?: unknown}).cause;
		return {error: cause === undefined ? messageOf(error) : messageOf(cause)};
	}
}

export function startSender(options: SenderOptions): Sender {
	const baseMs = options.backoffBaseMs ?? 1000;
	const stopping = new AbortController();
	let running: Promise<void> | undefined;
	let again: Promise<void> | undefined;
	let timer: NodeJS.Timeout | undefined;

	const schedule = (incident: string, at: number | undefined) => {
		clearTimeout(timer);
		if (at === undefined || stopping.signal.aborted) return;
		timer = setTimeout(() => void kick(incident), Math.max(0, at - Date.now()));
		timer.unref();
	};

	async function attempt(incident: string, entry: OutboxEntry): Promise<void> {
		const {queued} = entry;
		const attemptNo = entry.failures.length + 1;
		const request = requestFor(queued, options.notify);
		const outcome: Outcome = request
			? await post(
					request.url,
					request.body,
					queued.id,
					AbortSignal.any([stopping.signal, AbortSignal.timeout(options.notify.timeoutMs)]),
				)
			: {error: `${queued.target} is no longer in the config`};
		if (stopping.signal.aborted) return;
		if ('status' in outcome && outcome.status >= 200 && outcome.status < 300) {
			await options.track(`sent ${queued.id}`, options.journal.append(incident, newEvent.notifySent(queued.id, outcome.status)));
			return;
		}
		const error = options.redact(toSingleLine('status' in outcome ? `HTTP ${outcome.status}` : outcome.error));
		const final = request === undefined || ('status' in outcome && !isRetryable(outcome.status));
		await options.track(
			`could not send ${queued.id}`,
			options.journal.append(
				incident,
				newEvent.notifyFailed({id: queued.id, error, attempt: attemptNo, ...(final ? {final} : {})}),
			),
		);
		options.onFailure(`could not send ${queued.id} (attempt ${attemptNo}): ${error}${final ? ': given up' : ''}`);
	}

	async function round(incident: string): Promise<number | undefined> {
		const file = path.join(options.dir, `${incident}.notify`);
		return withLock(file, {staleMs: lockStaleMs}, async () => {
			// Read inside the lock: what another console sent meanwhile is not sent again.
			const {events} = await options.journal.read(incident);
			for (const entry of dueNow(outboxOf(events), Date.now(), baseMs)) {
				if (stopping.signal.aborted) return undefined;
				await attempt(incident, entry);
			}
			return nextRetryAt(outboxOf((await options.journal.read(incident)).events), baseMs);
		});
	}

	function kick(incident: string): Promise<void> {
		if (stopping.signal.aborted) return Promise.resolve();
		// One round at a time; kicks meanwhile fold into one more round after it.
		if (running) {
			again ??= running.then(() => {
				again = undefined;
				return kick(incident);
			});
			return again;
		}
		running = round(incident)
			.then(
				at => schedule(incident, at),
				(error: unknown) => {
					// Another console holding the lock is sending: nothing to say. Anything else (the journal unreadable) is said.
					if (!(error instanceof LockBusyError)) options.onFailure(options.redact(`notifications: ${messageOf(error)}`));
					schedule(incident, Date.now() + baseMs);
				},
			)
			.finally(() => {
				running = undefined;
			});
		return running;
	}

	return {
		kick,
		stop() {
			stopping.abort();
			clearTimeout(timer);
		},
	};
}
