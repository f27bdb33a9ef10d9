/**
 * Anything that comes from outside (pod names, query text, command output,
 * journal text written by another console) passes through here before it
 * reaches the terminal, so it can never move the cursor, change colours,
 * retitle the window, reverse a line or shift the frame with invisible
 * characters.
 */

// CSI, OSC, DCS/SOS/PM/APC strings, and two-character escapes.
const escapeSequence =
	// eslint-disable-next-line no-control-regex
	/\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|\u001B[PX^_][^\u001B]*(?:\u001B\\)?|\u001B[@-Z\\-_]|\u009B[0-?]*[ -/]*[@-~]/g;
// C0 and C1 controls and DEL; tabs and newlines are folded to spaces by `toSingleLine`.
// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

// Unicode format characters (zero-width spaces, bidi overrides and isolates, BOM…)
// take no column yet can reverse a line; the zero-width joiner is handled apart.
const formatCharacter = /(?!\u200D)\p{Cf}/gu;
// A joiner holds an emoji sequence together (👨‍👩‍👧, 🏳️‍🌈) and is kept there only.
// eslint-disable-next-line no-misleading-character-class -- skin-tone modifiers listed on their own on purpose
const strayJoiner = /(?<!\p{Extended_Pictographic}[\u{FE0F}\u{1F3FB}-\u{1F3FF}]?)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;

/** Removes escape sequences, control characters and invisible format characters, keeping tabs and newlines. */
export function stripControl(text: string): string {
	return text.replace(escapeSequence, '').replace(controlCharacter, '').replace(formatCharacter, '').replace(strayJoiner, '');
}

// Every character that ends or breaks a line on a terminal, CR included, and CR LF as one.
const lineBreak = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;

/** Line breaks folded to a space each, not dropped: the words either side stay apart once controls are stripped. */
export const foldLineBreaks = (text: string) => text.replace(lineBreak, ' ');

/** One terminal line: controls removed, line breaks and runs of white space folded to one space. */
export function toSingleLine(text: string): string {
	return stripControl(foldLineBreaks(text)).replace(/\s+/g, ' ').trim();
}

/**
 * Every string (and mapping key) in data read from a file, as one clean
 * terminal line: done once when a runbook or a drill is loaded, so that no
 * view has to remember it.
 */
export function cleanStrings<T>(value: T): T {
	if (typeof value === 'string') return toSingleLine(value) as T;
	if (Array.isArray(value)) return value.map(item => cleanStrings(item)) as T;
	if (typeof value === 'object' && value !== null) {
		return Object.fromEntries(Object.entries(value).map(([key, item]) => [toSingleLine(key), cleanStrings(item)])) as T;
	}
	return value;
}
