/**
 * What the terminal sent, as key presses and pastes: one name per key, the
 * text a key types into a field, and a paste kept whole however many reads
 * it arrives in, so nothing pasted ever runs as a key.
 */
import {stripControl} from '../text/sanitize';

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
};

/** What one line of pasted text types: its line breaks and tabs become spaces, nothing else controls. */
export const pastedLine = (text: string) => stripControl(text.replace(/\r\n|[\r\n\t]/g, ' '));

export type InputEvent = {kind: 'key'; name: string; input: string} | {kind: 'paste'; text: string};

// Ink 6.8 hands the bracketed-paste markers (ESC[200~ … ESC[201~) over as inputs of
// their own, with the ESC stripped; the text between comes as one input per read.
const pasteStart = '[200~';
const pasteEnd = '[201~';

/** What a key Ink names inside a paste stood for: Enter a line break, a Ctrl chord nothing. */
function pastedPart(input: string, key: KeyPress): string {
	if ([...input].length > 1) return input;
	const name = keyName(input, key);
	if (name === 'enter') return '\n';
	if (name === 'tab') return '\t';
	if (name === 'space') return ' ';
	return typedText(name, input);
}

const keys = (input: string, key: KeyPress): InputEvent[] => keyPresses(input, key).map(press => ({kind: 'key', ...press}));

/**
 * Turns Ink's inputs into key presses and pastes. A paste is one event
 * however many reads it arrives in, so nothing in it ever runs as a key.
 */
export function createInputReader(): (input: string, key: KeyPress) => InputEvent[] {
	let pasted: string | undefined;
	return (input, key) => {
		if (input === pasteStart) {
			pasted = '';
			return [];
		}
		if (pasted === undefined) return keys(input, key);
		pasted += pastedPart(input, key);
		// Looked for in the text so far, not in this input alone: a long paste over SSH can be
		// split inside the end marker, and Ink then hands over `[20` and `1~` apart.
		const end = pasted.indexOf(pasteEnd);
		if (end < 0) return [];
		const text = pasted.slice(0, end);
		const after = pasted.slice(end + pasteEnd.length);
		pasted = undefined;
		return [{kind: 'paste', text}, ...(after === '' ? [] : keys(after, {}))];
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
