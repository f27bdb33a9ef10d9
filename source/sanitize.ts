/**
 * Anything that comes from outside (pod names, query text, command output,
 * journal text written by another console) passes through here before it
 * reaches the terminal, so it can never move the cursor, change colours or
 * retitle the window.
 */

// CSI, OSC, DCS/SOS/PM/APC strings, and two-character escapes.
const escapeSequence =
	// eslint-disable-next-line no-control-regex
	/\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|\u001B[PX^_][^\u001B]*(?:\u001B\\)?|\u001B[@-Z\\-_]|\u009B[0-?]*[ -/]*[@-~]/g;
// C0 and C1 controls and DEL; tabs and newlines are folded to spaces by `toSingleLine`.
// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Removes escape sequences and control characters, keeping tabs and newlines. */
export function stripControl(text: string): string {
	return text.replace(escapeSequence, '').replace(controlCharacter, '');
}

/** One terminal line: controls removed, runs of white space folded to one space. */
export function toSingleLine(text: string): string {
	return stripControl(text).replace(/\s+/g, ' ').trim();
}
