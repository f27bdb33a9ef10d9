/**
 * The pure half of `Table` and `Frame`: which columns fit, which rows show,
 * and text cut and padded to a width in terminal columns (string-width, as
 * Ink measures), so wide CJK and emoji keep every border in its column.
 */
import stringWidth from 'string-width';

export type Align = 'left' | 'right';

export type ColumnSpec = {
	header: string;
	/** The width the column needs; a flexible column gets what is left over. */
	width: number;
	flex?: boolean;
	/** 1 is kept longest; higher numbers are dropped first when the table is narrow. */
	priority: number;
	align?: Align;
	/** Where a cell too long for its column loses characters; names that differ at the end want `middle`. */
	truncate?: 'end' | 'middle';
	/** Dropped too when keeping it leaves the flexible columns fewer than this many columns: an extra that must not squeeze the names. */
	minFlexWidth?: number;
};

export const columnGap = 1;

/**
 * The columns that fit in `width`, in their original order, with their final
 * widths: drops the least important until the rest fit, and any that would
 * leave the flexible columns narrower than it allows, then gives the
 * leftover space to the flexible columns (or the last one).
 */
export function fitColumns<C extends ColumnSpec>(columns: readonly C[], width: number): Array<C & {width: number}> {
	const kept = [...columns];
	const needed = () => kept.reduce((sum, column) => sum + column.width, 0) + columnGap * Math.max(0, kept.length - 1);
	const dropLeastImportant = (among: readonly C[]) => {
		const dropped = among.reduce((worst, column) => (column.priority > worst.priority ? column : worst));
		kept.splice(kept.indexOf(dropped), 1);
	};
	while (kept.length > 1 && needed() > width) dropLeastImportant(kept);
	const flexibleWidth = () =>
		kept.reduce((sum, column) => sum + (column.flex ? column.width : 0), 0) + Math.max(0, width - needed());
	for (;;) {
		const squeezing = kept.filter(column => column.minFlexWidth !== undefined && flexibleWidth() < column.minFlexWidth);
		if (squeezing.length === 0) break;
		dropLeastImportant(squeezing);
	}
	const spare = Math.max(0, width - needed());
	const flexible = kept.filter(column => column.flex);
	const growing = flexible.length > 0 ? flexible : kept.slice(-1);
	const share = Math.floor(spare / growing.length);
	let remainder = spare - share * growing.length;
	return kept.map(column => {
		if (!growing.includes(column)) return {...column};
		const extra = share + (remainder > 0 ? 1 : 0);
		remainder = Math.max(0, remainder - 1);
		return {...column, width: Math.min(column.width + extra, width)};
	});
}

/** The first row to draw so that `selected` shows in `height` rows, kept near the middle. */
export function windowStart(total: number, selected: number, height: number): number {
	if (total <= height) return 0;
	const centred = selected - Math.floor(height / 2);
	return Math.min(Math.max(0, centred), total - height);
}

const graphemes = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
const ellipsis = '…';
const printableAscii = /^[\x20-\x7e]*$/;

/** How many of `characters`, taken in order, fit in `width` columns. */
function countWithin(characters: readonly string[], width: number): number {
	let used = 0;
	let count = 0;
	for (const character of characters) {
		used += stringWidth(character);
		if (used > width) break;
		count++;
	}
	return count;
}

/**
 * The characters of `text` that fit in `width` columns, and whether that is
 * all of it. Reads only as far as it needs: a 100 KB query costs no more
 * than a short one.
 */
function headWithin(text: string, width: number): {head: string; whole: boolean} {
	const room = Math.max(0, width);
	// Printable ASCII is one column a character and one character a grapheme: the head is a slice, with no
	// segmenting or measuring. One character past the room is looked at, as a combining mark would join it.
	if (printableAscii.test(text.slice(0, room + 1))) return {head: text.slice(0, room), whole: text.length <= room};
	let used = 0;
	let head = '';
	for (const {segment} of graphemes.segment(text)) {
		used += stringWidth(segment);
		if (used > width) return {head, whole: false};
		head += segment;
	}
	return {head, whole: true};
}

/** `text` in at most `width` columns: a wide character is never split, and `…` marks where characters were lost. */
export function truncateText(text: string, width: number, where: 'end' | 'middle' = 'end'): string {
	if (where === 'end') {
		if (headWithin(text, width).whole) return text;
		return width <= 0 ? '' : `${headWithin(text, width - stringWidth(ellipsis)).head}${ellipsis}`;
	}
	if (stringWidth(text) <= width) return text;
	if (width <= 0) return '';
	const characters = Array.from(graphemes.segment(text), ({segment}) => segment);
	const room = width - stringWidth(ellipsis);
	const headRoom = Math.ceil(room / 2);
	const head = characters.slice(0, countWithin(characters, headRoom));
	const tailCount = countWithin([...characters].reverse(), room - headRoom);
	return [...head, ellipsis, ...characters.slice(characters.length - tailCount)].join('');
}

/** A table cell exactly `width` columns wide: truncated, then padded on the side away from its alignment. */
export function fitCell(
	text: string,
	width: number,
	{align = 'left', truncate = 'end'}: {align?: Align; truncate?: 'end' | 'middle'},
): string {
	const fitted = truncateText(text, width, truncate);
	const padding = ' '.repeat(Math.max(0, width - stringWidth(fitted)));
	return align === 'right' ? padding + fitted : fitted + padding;
}
