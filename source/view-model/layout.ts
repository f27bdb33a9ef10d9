/**
 * Where each panel goes for a terminal size. The frame is one line shorter
 * than the terminal: Ink clears the whole screen, scrollback included, on
 * every frame that reaches the terminal's height.
 */
import type {PanelId} from './panels';

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

export function computeLayout(columns: number, rows: number, zoomed?: PanelId): Layout {
	const frameHeight = rows - 1;
	const body = frameHeight - headerHeight - footerHeight;
	if (zoomed) return {frameHeight, rows: [[{panel: zoomed, width: columns, height: body}]]};
	const top = Math.round(body * 0.36);
	const middle = Math.round(body * 0.3);
	const bottom = body - top - middle;
	const left = Math.floor(columns * 0.6);
	return {
		frameHeight,
		rows: [
			[
				{panel: 'pods', width: left, height: top},
				{panel: 'health', width: columns - left, height: top},
			],
			[{panel: 'database', width: columns, height: middle}],
			[
				{panel: 'timeline', width: left, height: bottom},
				{panel: 'runbook', width: columns - left, height: bottom},
			],
		],
	};
}
