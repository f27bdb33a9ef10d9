/**
 * A windowed table: it draws only the rows that fit, and drops the least
 * important columns when the panel is narrow instead of wrapping. Each cell
 * is cut and padded to its width here: Ink's own truncation lets a wide
 * character spill one column into the next.
 */
import {Box, Text} from 'ink';
import {toSingleLine} from '../source/text/sanitize';
import {columnGap, fitCell, fitColumns, windowStart, type ColumnSpec} from './table-layout';
import {useTone, type Tone} from './theme';

export type Column<Row> = ColumnSpec & {
	cell: (row: Row) => string;
	tone?: (row: Row) => Tone | undefined;
};

export type TableProps<Row> = {
	columns: ReadonlyArray<Column<Row>>;
	rows: readonly Row[];
	width: number;
	/** Lines available, the header line included. */
	height: number;
	/** The selected row's key (`selectedKey`): none marks no row. */
	selected?: string;
	/** Shows the selection only while the panel has the focus. */
	focused: boolean;
	rowKey: (row: Row) => string;
	/** With no row selected, the window follows the newest (last) row. */
	followsNewest?: boolean;
};

export function Table<Row>({columns, rows, width, height, selected, focused, rowKey, followsNewest = false}: TableProps<Row>) {
	const colour = useTone();
	const fitted = fitColumns(columns, width);
	const bodyHeight = Math.max(0, height - 1);
	const marked = selected === undefined ? -1 : rows.findIndex(row => rowKey(row) === selected);
	const anchor = marked >= 0 ? marked : followsNewest ? rows.length - 1 : 0;
	const start = windowStart(rows.length, anchor, bodyHeight);
	const shown = rows.slice(start, start + bodyHeight);
	return (
		<Box flexDirection="column" width={width}>
			<Box gap={columnGap}>
				{fitted.map(column => (
					<Box key={column.header} width={column.width}>
						<Text bold>{fitCell(column.header, column.width, column)}</Text>
					</Box>
				))}
			</Box>
			{shown.map((row, index) => {
				const isSelected = focused && start + index === marked;
				return (
					<Box key={rowKey(row)} gap={columnGap}>
						{fitted.map(column => (
							<Box key={column.header} width={column.width}>
								<Text inverse={isSelected} color={colour(column.tone?.(row))}>
									{fitCell(toSingleLine(column.cell(row)), column.width, column)}
								</Text>
							</Box>
						))}
					</Box>
				);
			})}
		</Box>
	);
}
