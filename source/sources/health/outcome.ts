/**
 * What one run of one check found, whatever its kind: healthy or not, a
 * warning when healthy but near a limit, and the text for the panel (a
 * status, an error) and for the detail view. Every kind's runner returns one.
 */
import {toSingleLine} from '../../text/sanitize';

export type CheckOutcome = {
	ok: boolean;
	/** Healthy, but near a limit: a certificate that expires soon. */
	warning?: string;
	/**
	 * One line: `200 OK`, `exit 0: all good`, `41 days left`. As found, neither
	 * cleaned nor cut: a secret in it is masked before it is cut (run-check.ts).
	 */
	status?: string;
	latencyMs?: number;
	certDaysLeft?: number;
	/** Why it failed, in words a responder can act on; as found, like `status`. */
	error?: string;
	/** What the detail view shows, as lines of text (cleaned when drawn). */
	detail: string;
};

/** A line from outside (a status line, a body, a command's last line) as the panel shows it: clean, one line, bounded. */
export const outsideLine = (text: string, maxLength = 200) => {
	const line = toSingleLine(text);
	return line.length > maxLength ? `${line.slice(0, maxLength)}…` : line;
};

/** Milliseconds since `startedAt` (a performance.now()), whole. */
export const elapsedMs = (startedAt: number) => Math.round(performance.now() - startedAt);

/** Resolves when `signal` aborts, rejecting with its reason: raced against work that may not stop by itself. */
export const whenAborted = (signal: AbortSignal) =>
	new Promise<never>((_, reject) => {
		if (signal.aborted) reject(signal.reason);
		else signal.addEventListener('abort', () => reject(signal.reason), {once: true});
	});
