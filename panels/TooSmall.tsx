/** Below 80×24 the console says so instead of drawing a broken screen. */
import {Text} from 'ink';
import {minimumSize} from '../source/view-model/layout';

export function TooSmall({columns, rows}: {columns: number; rows: number}) {
	return (
		<Text wrap="truncate-end">
			terminal too small: need {minimumSize.columns}×{minimumSize.rows}, have {columns}×{rows}
		</Text>
	);
}
