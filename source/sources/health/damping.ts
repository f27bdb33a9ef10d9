/**
 * A check's state from its results so far. Pure. The rules:
 * - Before its first result a check is `unknown`; the first result decides
 *   at once (there is no known-good state to protect from a blip).
 * - A healthy check turns `failing` after `failAfter` failures in a row;
 *   `since` is then the first failure of the run.
 * - A failing check turns healthy after `recoverAfter` successes in a row;
 *   `since` is then the recovery, and `recovered` says so.
 * - A healthy check whose latest result warns (a certificate about to
 *   expire) is `warning`; a failure not yet confirmed leaves it healthy, with
 *   its error shown.
 */
import type {Damping} from '../../config/types';
import type {CheckState} from '../types';

/** How many latencies the sparkline draws. */
export const historyLength = 20;

export type CheckTrack = {
	/** `ok` or `failing` once known: a warning is a healthy state. */
	health: 'unknown' | 'ok' | 'failing';
	since?: number;
	recovered: boolean;
	/** Results in a row that disagree with `health` (or agree, counted from the first). */
	failuresInARow: number;
	successesInARow: number;
	firstFailureAt?: number;
	latencies: number[];
};

export const newTrack = (): CheckTrack => ({
	health: 'unknown',
	recovered: false,
	failuresInARow: 0,
	successesInARow: 0,
	latencies: [],
});

/** The track after one more result, at `at` (epoch ms). */
export function nextTrack(
	track: CheckTrack,
	result: {ok: boolean; latencyMs?: number},
	damping: Damping,
	at: number,
): CheckTrack {
	const latencies =
		result.latencyMs === undefined ? track.latencies : [...track.latencies, result.latencyMs].slice(-historyLength);
	if (result.ok) {
		const successesInARow = track.successesInARow + 1;
		const next = {...track, latencies, successesInARow, failuresInARow: 0};
		delete next.firstFailureAt;
		if (track.health === 'unknown') return {...next, health: 'ok', since: at};
		if (track.health === 'failing' && successesInARow >= damping.recoverAfter)
			return {...next, health: 'ok', since: at, recovered: true};
		return next;
	}
	const failuresInARow = track.failuresInARow + 1;
	const firstFailureAt = track.firstFailureAt ?? at;
	const next = {...track, latencies, failuresInARow, successesInARow: 0, firstFailureAt};
	if (track.health === 'unknown') return {...next, health: 'failing', since: at, recovered: false};
	if (track.health === 'ok' && failuresInARow >= damping.failAfter)
		return {...next, health: 'failing', since: firstFailureAt, recovered: false};
	return next;
}

/** What the panel shows: the damped health, a warning on a healthy check. */
export function shownState(track: CheckTrack, latest: {warning?: string}): CheckState {
	if (track.health === 'ok' && latest.warning !== undefined) return 'warning';
	return track.health;
}
