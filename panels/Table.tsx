/**
 * A windowed table: it draws only the rows that fit, and drops the least
 * important columns when the panel is narrow instead of wrapping. Each cell
 * is cut and padded to its width here: Ink's own truncation lets a wide
 * character spill one column into the next.
 */
import {memo, useMemo, type ReactElement} from 'react';
import {Box, Text} from 'ink';
import {toSingleLine} from '../source/text/sanitize';
import {columnGap, fitCell, fitColumns, windowStart, type ColumnSpec} from './table-layout';
import {useTone, type Tone} from './theme';

/** `cell` and `tone` read the row alone: a row is drawn again only when it is another object (or its place or width changes). */
export type Column<Row> = ColumnSpec & {
	cell: (row: Row) => string;
	tone?: (row: Row) => Tone | undefined;
};

type FittedColumn<Row> = Column<Row> & {width: number};

type RowProps<Row> = {
	row: Row;
	columns: ReadonlyArray<FittedColumn<Row>>;
	selected: boolean;
	colour: (tone: Tone | undefined) => string | undefined;
};

/**
 * One row's cells. Memoized: when a note arrives the timeline's other rows
 * are the same objects, and cutting and padding their cells again was most
 * of what React did in a frame.
 */
const TableRow = memo(function TableRow<Row>({row, columns, selected, colour}: RowProps<Row>) {
	return (
		<Box gap={columnGap}>
			{columns.map(column => (
				<Box key={column.header} width={column.width}>
					<Text inverse={selected} color={colour(column.tone?.(row))}>
						{fitCell(toSingleLine(column.cell(row)), column.width, column)}
					</Text>
				</Box>
			))}
		</Box>
	);
}) as <Row>(props: RowProps<Row>) => ReactElement;

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
	const fitted = useMemo(() => fitColumns(columns, width), [columns, width]);
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
			{shown.map((row, index) => (
				<TableRow key={rowKey(row)} row={row} columns={fitted} selected={focused && start + index === marked} colour={colour} />
			))}
		</Box>
	);
}
