/** Durations as the config and runbooks write them: `500ms`, `3s`, `5m`, `2h`, `1d`, or `0`. */

const unitMs = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000} as const;

const durationPattern = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** Milliseconds for a duration string, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
	const trimmed = text.trim();
	if (trimmed === '0') return 0;
	const match = durationPattern.exec(trimmed);
	if (!match) return undefined;
	const [, amount, unit] = match;
	return Math.round(Number(amount) * unitMs[unit as keyof typeof unitMs]);
}

export const durationHint = 'a duration like 500ms, 3s, 5m, 2h or 1d';

const pad = (value: number) => String(value).padStart(2, '0');

/** `-` before a negative time: dropping it would turn time to come into time gone by. */
const signOf = (ms: number, totalSeconds: number) => (ms < 0 && totalSeconds > 0 ? '-' : '');

/** A running clock: `04:07`, `1:04:07`, `2d 01:04:07`. */
export function formatClock(ms: number): string {
	const totalSeconds = Math.floor(Math.abs(ms) / 1000);
	return signOf(ms, totalSeconds) + clockOf(totalSeconds);
}

function clockOf(totalSeconds: number): string {
	const days = Math.floor(totalSeconds / 86_400);
	const hours = Math.floor((totalSeconds % 86_400) / 3600);
	const minutes = Math.floor((totalSeconds % 3600) / 60);
	const seconds = totalSeconds % 60;
	const clock =
		hours > 0 || days > 0
			? `${days > 0 ? pad(hours) : hours}:${pad(minutes)}:${pad(seconds)}`
			: `${pad(minutes)}:${pad(seconds)}`;
	return days > 0 ? `${days}d ${clock}` : clock;
}

/**
 * A coarse span that changes at most once a minute past the first minute:
 * `45s`, `14m`, `2h`, `2h05m`, `3d04h`. Used wherever a per-second change would
 * cost a redraw of its line.
 */
export function formatSpan(ms: number): string {
	const totalSeconds = Math.floor(Math.abs(ms) / 1000);
	return signOf(ms, totalSeconds) + spanOf(totalSeconds);
}

function spanOf(totalSeconds: number): string {
	if (totalSeconds < 60) return `${totalSeconds}s`;
	const totalMinutes = Math.floor(totalSeconds / 60);
	if (totalMinutes < 60) return `${totalMinutes}m`;
	const totalHours = Math.floor(totalMinutes / 60);
	const minutes = totalMinutes % 60;
	if (totalHours < 24) return minutes === 0 ? `${totalHours}h` : `${totalHours}h${pad(minutes)}m`;
	const hours = totalHours % 24;
	return hours === 0 ? `${Math.floor(totalHours / 24)}d` : `${Math.floor(totalHours / 24)}d${pad(hours)}h`;
}

/** How long a command took: `350ms`, `1.2s`, then as a span (`2m`). */
export function formatTook(ms: number): string {
	if (ms < 1000) return `${Math.round(ms)}ms`;
	return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : formatSpan(ms);
}
