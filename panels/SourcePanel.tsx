/**
 * A panel that lists a source's rows: its frame with the reading's state,
 * why it is off, loading or failing, then the rows of the panel table,
 * with the selection. Pods, Database and Health are each one of these.
 */
import type {ReactNode} from 'react';
import {Box} from 'ink';
import type {SourceData} from '../source/sources/types';
import {panels, type RowOf, type SourceOf, type SourcePanelId} from '../source/view-model/panels';
import {Frame, innerSize} from './Frame';
import {Listing, titled} from './Listing';
import {SourceBody} from './SourceBody';
import type {Column} from './Table';
import {usePanelRows, usePanelUi, useReading, useSourceStatus} from './use-source';

type Props<P extends SourcePanelId> = {
	panel: P;
	width: number;
	height: number;
	columns: Array<Column<RowOf<P>>>;
	/** Why the source is off, in words a responder can act on. */
	offReason: string;
	/** What an empty list means when nothing is filtered out. */
	emptyText: string;
	/** What the title adds about the data, e.g. " 3 not ready · 21 ok". */
	summary?: (data: SourceData[SourceOf<P>]) => string;
	/** Lines above the rows, most important first, e.g. the database's connections: as many as leave room for two rows. */
	banner?: (data: SourceData[SourceOf<P>]) => ReactNode[];
};

export function SourcePanel<P extends SourcePanelId>({
	panel,
	width,
	height,
	columns,
	offReason,
	emptyText,
	summary,
	banner,
}: Props<P>) {
	const spec = panels[panel];
	const source = spec.source as SourceOf<P>;
	const reading = useReading(source);
	const status = useSourceStatus(source);
	const {focused, filter, selected} = usePanelUi(panel);
	const rows = usePanelRows(panel);
	const inner = innerSize(width, height);
	const data = reading.data as SourceData[SourceOf<P>] | undefined;
	const title = `${spec.title}${data && summary ? summary(data) : ''}`;
	return (
		<Frame number={spec.number} title={titled(title, filter)} status={status} focused={focused} width={width} height={height}>
			<SourceBody reading={reading} offReason={offReason}>
				{(shown, errorLines) => {
					// The table keeps its header and two rows; the banner gets the rest, one line at least.
					const lines = banner?.(shown as SourceData[SourceOf<P>]).slice(0, Math.max(1, inner.height - errorLines - 3)) ?? [];
					return (
						<Box flexDirection="column">
							{lines}
							<Listing
								filter={filter}
								noun={spec.noun}
								emptyText={emptyText}
								columns={columns}
								rows={rows}
								width={inner.width}
								height={inner.height - errorLines - lines.length}
								selected={selected}
								focused={focused}
								rowKey={spec.key as (row: RowOf<P>) => string}
							/>
						</Box>
					);
				}}
			</SourceBody>
		</Frame>
	);
}
