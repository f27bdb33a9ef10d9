/**
 * What the Health panel shows of a check, decided here and drawn by
 * panels/HealthPanel.tsx: its state as a word and a tone, its latencies as a
 * sparkline, when it started failing or recovered, its last error, and the
 * text of its detail view. Pure.
 */
import {localTime} from '../incident/timeline';
import type {CheckState, HealthData, HealthResult} from '../sources/types';

/** A drill's scripted checks have no damped state: their `ok` is it. */
export const checkState = (check: HealthResult): CheckState => check.state ?? (check.ok ? 'ok' : 'failing');

const stateWords: Record<CheckState, string> = {ok: 'ok', warning: 'WARN', failing: 'FAIL', unknown: '?'};
const stateTones = {ok: 'ok', warning: 'warn', failing: 'bad', unknown: 'dim'} as const;

export const stateText = (check: HealthResult) => stateWords[checkState(check)];
export const stateTone = (check: HealthResult) => stateTones[checkState(check)];

const bars = '▁▂▃▄▅▆▇█';

/** The latest `width` values as bars, from the lowest to the highest of them; a flat line when they are all the same. */
export function sparkline(values: readonly number[], width: number): string {
	const shown = values.slice(-width);
	if (shown.length === 0) return '';
	const low = Math.min(...shown);
	const span = Math.max(...shown) - low;
	return shown.map(value => bars[span === 0 ? 0 : Math.round(((value - low) / span) * (bars.length - 1))]).join('');
}

/** `failing since 14:02:03`, `recovered 14:09:40`, or nothing for a check that has been fine all along. */
export function sinceText(check: HealthResult, timeZone?: string): string {
	if (check.since === undefined) return '';
	const at = localTime(new Date(check.since).toISOString(), timeZone);
	if (checkState(check) === 'failing') return `since ${at}`;
	return check.recovered ? `recovered ${at}` : '';
}

/** What the row says after its state: the status (`200 OK`, `41d left`, a command's last line), then the last error. */
export const checkSummary = (check: HealthResult) =>
	[check.status, check.error, check.certDaysLeft === undefined || check.status ? undefined : `cert ${check.certDaysLeft}d left`]
		.filter(Boolean)
		.join(' · ');

/** The title's count, in the rows' words: ` 2 FAIL · 1 WARN`, or ` all ok`. */
export function healthSummary(data: HealthData): string {
	const count = (state: CheckState) => data.checks.filter(check => checkState(check) === state).length;
	const words = {failing: 'FAIL', warning: 'WARN', unknown: 'pending'} as const;
	const parts = (['failing', 'warning', 'unknown'] as const).flatMap(state =>
		count(state) > 0 ? [`${count(state)} ${words[state]}`] : [],
	);
	return parts.length > 0 ? ` ${parts.join(' · ')}` : ' all ok';
}

/** The detail view's text: what the panel's row says, then everything the check saw. Cleaned when drawn (output.ts). */
export function checkDetailText(check: HealthResult, timeZone?: string): string {
	const since = sinceText(check, timeZone);
	return [
		`${check.name} (${check.kind}): ${checkState(check)}${since ? `, ${since}` : ''}`,
		...(check.latencyMs === undefined
			? []
			: [`latency ${check.latencyMs}ms${check.history?.length ? ` (recent: ${check.history.join(' ')})` : ''}`]),
		...(check.error === undefined ? [] : [`last error: ${check.error}`]),
		'',
		check.detail ?? 'no detail recorded',
	].join('\n');
}
