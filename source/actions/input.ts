/**
 * What the terminal sent, as key presses and pastes: one name per key, the
 * text a key types into a field, and a paste kept whole however many reads
 * it arrives in, so nothing pasted ever runs as a key.
 */
import {foldLineBreaks, stripControl} from '../text/sanitize';

/** The parts of Ink's `Key` that name a key. */
export type KeyPress = {
	upArrow?: boolean;
	downArrow?: boolean;
	leftArrow?: boolean;
	rightArrow?: boolean;
	pageUp?: boolean;
	pageDown?: boolean;
	return?: boolean;
	escape?: boolean;
	tab?: boolean;
	shift?: boolean;
	ctrl?: boolean;
	meta?: boolean;
	backspace?: boolean;
	delete?: boolean;
};

/** One name per key press: `tab`, `shift-tab`, `enter`, `up`, `space`, or the character typed. */
export function keyName(input: string, key: KeyPress): string {
	if (key.tab) return key.shift ? 'shift-tab' : 'tab';
	if (key.return) return 'enter';
	if (key.escape) return 'esc';
	if (key.upArrow) return 'up';
	if (key.downArrow) return 'down';
	if (key.leftArrow) return 'left';
	if (key.rightArrow) return 'right';
	if (key.pageUp) return 'pageup';
	if (key.pageDown) return 'pagedown';
	if (key.backspace || key.delete) return 'backspace';
	if (key.ctrl) return `ctrl-${input}`;
	if (input === ' ') return 'space';
	return input;
}

/** What a key press types into a text field or the filter: its printable text, else nothing. */
export function typedText(name: string, input: string): string {
	if (name === 'space') return ' ';
	// Named keys (arrows, Ctrl chords, Tab…) type nothing; a character never types a control.
	return name === input ? stripControl(input) : '';
}

const controlKeys: Record<string, string> = {
	'\t': 'tab',
	'\r': 'enter',
	'\n': 'enter',
	'\u007F': 'backspace',
	'\b': 'backspace',
	' ': 'space',
	'\u0003': 'ctrl-c',
	'\u001A': 'ctrl-z',
};

/** What one line of pasted text types: its line breaks and tabs become spaces, nothing else controls. */
export const pastedLine = (text: string) => stripControl(foldLineBreaks(text).replaceAll('\t', ' '));

/** A key press, or a paste: `cut` when it was longer than the console reads, and only its start is here. */
export type InputEvent = {kind: 'key'; name: string; input: string} | {kind: 'paste'; text: string; cut?: boolean};

// Ink 6.8 hands the bracketed-paste markers (ESC[200~ … ESC[201~) over as inputs of
// their own, with the ESC stripped; the text between comes as one input per read.
const pasteStart = '[200~';
const pasteEnd = '[201~';

/** The most of one paste kept: far more than any field takes, and a paste that never ends cannot fill the memory. */
export const pasteMaxLength = 64 * 1024;

/** What a key Ink names inside a paste stood for: Enter a line break, a Ctrl chord nothing. */
function pastedPart(input: string, key: KeyPress): string {
	if ([...input].length > 1) return input;
	const name = keyName(input, key);
	if (name === 'enter') return '\n';
	if (name === 'tab') return '\t';
	if (name === 'space') return ' ';
	return typedText(name, input);
}

/** Ctrl-C and Ctrl-Z, the ways out: keys even inside a paste, so a terminal that never ends one cannot hold the console. */
const isWayOut = (input: string, key: KeyPress) => key.ctrl === true && (input === 'c' || input === 'z');

/** Ctrl-C or Ctrl-Z as a character: how they come when a busy machine joins them into one read with other input. */
const wayOutCharacters = ['\u0003', '\u001A'];

const keys = (input: string, key: KeyPress): InputEvent[] => keyPresses(input, key).map(press => ({kind: 'key', ...press}));

/**
 * Turns Ink's inputs into key presses and pastes. A paste is one event
 * however many reads it arrives in, so nothing in it ever runs as a key;
 * past `pasteMaxLength` it is handed over cut, and the rest of it dropped.
 */
export function createInputReader(): (input: string, key: KeyPress) => InputEvent[] {
	// The paste being read; once handed over cut, only what may be the start of a split end marker.
	let pasted: {text: string; cut: boolean} | undefined;
	return (input, key) => {
		if (input === pasteStart) {
			pasted = {text: '', cut: false};
			return [];
		}
		if (pasted === undefined || isWayOut(input, key)) return keys(input, key);
		const wayOut = [...input].find(character => wayOutCharacters.includes(character));
		if (wayOut !== undefined) {
			// The responder is leaving: the paste is dropped, the way out taken.
			pasted = undefined;
			return [{kind: 'key', name: controlKeys[wayOut] ?? wayOut, input: wayOut}];
		}
		const text = pasted.text + pastedPart(input, key);
		// Looked for in the text so far, not in this input alone: a long paste over SSH can be
		// split inside the end marker, and Ink then hands over `[20` and `1~` apart.
		const end = text.indexOf(pasteEnd);
		if (end >= 0) {
			const paste: InputEvent[] = pasted.cut ? [] : [{kind: 'paste', text: text.slice(0, end)}];
			const after = text.slice(end + pasteEnd.length);
			pasted = undefined;
			return [...paste, ...(after === '' ? [] : keys(after, {}))];
		}
		if (!pasted.cut && text.length <= pasteMaxLength) {
			pasted.text = text;
			return [];
		}
		// Past the cap: what was read is handed over once, and the rest dropped up to the end marker.
		const handOver = !pasted.cut;
		pasted = {text: text.slice(1 - pasteEnd.length), cut: true};
		return handOver ? [{kind: 'paste', text: text.slice(0, pasteMaxLength), cut: true}] : [];
	};
}

/**
 * The key presses in one chunk of input. A terminal delivers fast typing, a
 * paste (where bracketed paste is off), or keys typed while the console was starting as one chunk
 * ("title\tservices\r"): each character is a key of its own, so none is lost
 * inside the others.
 */
export function keyPresses(input: string, key: KeyPress): Array<{name: string; input: string}> {
	const characters = [...input];
	if (characters.length <= 1) return [{name: keyName(input, key), input}];
	return characters.map(character => ({name: controlKeys[character] ?? character, input: character}));
}
