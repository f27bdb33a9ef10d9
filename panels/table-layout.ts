/** The pure half of `Table`: which columns fit, and which rows show. */

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
};

export const columnGap = 1;

/**
 * The columns that fit in `width`, in their original order, with their final
 * widths: drops the least important until the rest fit, then gives the
 * leftover space to the flexible columns (or the last one).
 */
export function fitColumns<C extends ColumnSpec>(columns: readonly C[], width: number): Array<C & {width: number}> {
	const kept = [...columns];
	const needed = () => kept.reduce((sum, column) => sum + column.width, 0) + columnGap * Math.max(0, kept.length - 1);
	while (kept.length > 1 && needed() > width) {
		const dropped = kept.reduce((worst, column) => (column.priority > worst.priority ? column : worst));
		kept.splice(kept.indexOf(dropped), 1);
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
