/**
 * Where each panel goes for a terminal size. The frame is one line shorter
 * than the terminal: Ink clears the whole screen, scrollback included, on
 * every frame that reaches the terminal's height.
 */
import {panelIds, panels, type LayoutRow, type PanelId} from './panels';

export const minimumSize = {columns: 80, rows: 24};

export const headerHeight = 2;
export const footerHeight = 1;

export type Box = {width: number; height: number};

export type Layout = {
	frameHeight: number;
	/** Rows of panels, top to bottom, each a left-to-right list. */
	rows: Array<Array<{panel: PanelId} & Box>>;
};

export const isTooSmall = (columns: number, rows: number) => columns < minimumSize.columns || rows < minimumSize.rows;

/** Each layout row's share of the height, top to bottom; its panels share its width as the panel table says. */
const rowHeights: Record<LayoutRow, number> = {top: 36, middle: 30, bottom: 34};

/** `total` cut in parts of these weights, in whole cells: every part but the last rounded, the last gets what is left. */
function share(total: number, weights: readonly number[], round: (cells: number) => number): number[] {
	const sum = weights.reduce((all, weight) => all + weight, 0);
	const parts = weights.slice(0, -1).map(weight => round((total * weight) / sum));
	return [...parts, total - parts.reduce((all, part) => all + part, 0)];
}

export function computeLayout(columns: number, rows: number, zoomed?: PanelId): Layout {
	const frameHeight = rows - 1;
	const body = frameHeight - headerHeight - footerHeight;
	if (zoomed) return {frameHeight, rows: [[{panel: zoomed, width: columns, height: body}]]};
	const layoutRows = (Object.keys(rowHeights) as LayoutRow[]).map(row => panelIds.filter(id => panels[id].layout.row === row));
	const heights = share(body, Object.values(rowHeights), Math.round);
	return {
		frameHeight,
		rows: layoutRows.map((row, index) => {
			const widths = share(
				columns,
				row.map(id => panels[id].layout.width),
				Math.floor,
			);
			return row.map((panel, column) => ({panel, width: widths[column]!, height: heights[index]!}));
		}),
	};
}
