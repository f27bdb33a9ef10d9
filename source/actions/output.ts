/**
 * What a read command printed (a pod's logs, a describe), made fit for the
 * output overlay, and how keys scroll it. The text comes from the cluster:
 * every line is stripped of escape sequences, controls, bidi and zero-width
 * characters, and the whole is capped, before it reaches the store. Pure;
 * panels/OutputView.tsx only draws this state.
 */
import type {ActionOutcome, ProducedText} from '../incident/events';
import {resultText} from '../incident/timeline';
import {formatTook} from '../text/duration';
import {stripControl} from '../text/sanitize';
import {footerHeight, headerHeight} from '../view-model/layout';

/** How the command that printed it ended: what evidence kept from it records. */
export type Ran = {outcome: ActionOutcome; exitCode?: number; durationMs: number};

/** What printed the output (the exact command, as a confirmation would show it), its lines, how it ended, and where the view starts. */
export type OutputView = {
	title: string;
	command: string;
	lines: string[];
	ran?: Ran;
	top: number;
	/** A text written from the journal, whole, as `c` copies it and `w` writes it. */
	produced?: {what: ProducedText; text: string};
};

/** A log is read from its end: past these, the oldest lines go. */
export const outputMaxLines = 5000;
/** What the process may print before it is stopped: execa's maxBuffer for a read command's stdout. */
export const outputMaxCharacters = 2_000_000;
/** A line longer than this is cut: nothing on screen is that wide, and one line must not hold the whole cap. */
export const lineMaxLength = 1000;

// The overlay's border (2), its title, its command and its key line.
const overlayChrome = 5;

/** The output's last lines, each one line of plain text, with a first line saying what was cut. */
export function outputLines(text: string): string[] {
	const all = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
	const kept = all.slice(-outputMaxLines).map(line => {
		const clean = stripControl(line).replaceAll('\t', '    ');
		return clean.length > lineMaxLength ? `${clean.slice(0, lineMaxLength)}…` : clean;
	});
	const cut = all.length - kept.length;
	return cut > 0 ? [`… ${cut} earlier lines not shown`, ...kept] : kept;
}

/** `exit 0 in 120ms`: how the command ended, as the overlay's title says. */
export const ranText = (ran: Ran) => resultText(ran.outcome, ran.exitCode, undefined) + ` in ${formatTook(ran.durationMs)}`;

const tailLines = 20;
const tailMaxLength = 2000;

/** The output's last lines, short enough for a journal event: a command's output, or what it wrote to stderr. */
export const outputTail = (lines: readonly string[]) => lines.slice(-tailLines).join('\n').slice(-tailMaxLength);

/** How many lines of output fit on a screen this many rows tall. */
export const outputVisibleRows = (screenRows: number) =>
	Math.max(1, screenRows - 1 - headerHeight - footerHeight - overlayChrome);

/** The first line shown, kept so that the last page is full and nothing scrolls past the end. */
export const clampTop = (view: OutputView, visible: number, top: number) =>
	Math.max(0, Math.min(top, view.lines.length - visible));

/** A new view of the output: at its end for a log, whose newest lines are the ones asked for; else at its start. */
export function openOutput(shown: Omit<OutputView, 'top'>, visible: number, atEnd: boolean): OutputView {
	const view = {...shown, top: 0};
	return atEnd ? {...view, top: clampTop(view, visible, shown.lines.length)} : view;
}

/** What one key does: scroll (↑↓ j k, PgUp PgDn, g G) or close (Esc, q). */
export function outputKey(view: OutputView, name: string, visible: number): {view: OutputView} | {close: true} {
	const steps: Record<string, number> = {
		up: -1,
		k: -1,
		down: 1,
		j: 1,
		pageup: -visible,
		pagedown: visible,
		g: -Infinity,
		G: Infinity,
	};
	if (name === 'esc' || name === 'q') return {close: true};
	const step = steps[name];
	if (step === undefined) return {view};
	const top = clampTop(view, visible, Number.isFinite(step) ? view.top + step : step > 0 ? view.lines.length : 0);
	return {view: top === view.top ? view : {...view, top}};
}
