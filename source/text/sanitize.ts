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
 * Plain data (strings, numbers, lists, mappings) with `change` applied to
 * every string and mapping key in it. A list or mapping in which nothing
 * changed is returned as it was: the panels make their rows again only when
 * their data is a new object.
 */
export function mapStrings<T>(value: T, change: (text: string) => string): T {
	if (typeof value === 'string') return change(value) as T;
	if (Array.isArray(value)) {
		const items = value.map(item => mapStrings(item, change));
		return (items.every((item, index) => item === value[index]) ? value : items) as T;
	}
	if (typeof value === 'object' && value !== null) {
		const entries = Object.entries(value);
		const changed = entries.map(([key, item]) => [change(key), mapStrings(item, change)] as const);
		const same = changed.every(([key, item], index) => key === entries[index]![0] && item === entries[index]![1]);
		return (same ? value : Object.fromEntries(changed)) as T;
	}
	return value;
}

/**
 * Every string (and mapping key) in data read from a file, as one clean
 * terminal line: done once when a runbook or a drill is loaded, so that no
 * view has to remember it.
 */
export const cleanStrings = <T>(value: T): T => mapStrings(value, toSingleLine);
