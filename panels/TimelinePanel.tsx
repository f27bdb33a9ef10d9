/** What was done, by whom, when: the journal, newest at the bottom, in the reader's time zone, named in the title. */
import {localTime, readerTimeZone} from '../source/incident/timeline';
import {Frame, innerSize} from './Frame';
import type {TimelineRow} from '../source/view-model/rows';
import {panels} from '../source/view-model/panels';
import {useWarroom} from './store-context';
import {Listing, titled} from './Listing';
import type {Column} from './Table';
import {usePanelRows, usePanelUi} from './use-source';

const columns: Array<Column<TimelineRow>> = [
	{header: 'TIME', width: 8, priority: 1, cell: row => (row.at ? localTime(row.at) : '')},
	{header: 'WHO', width: 14, priority: 3, cell: row => row.actor ?? ''},
	{header: 'WHAT', width: 20, flex: true, priority: 1, cell: row => row.text, tone: row => (row.problem ? 'warn' : undefined)},
];

export function TimelinePanel({width, height}: {width: number; height: number}) {
	const id = useWarroom(state => state.incident?.id);
	const {focused, filter, selected} = usePanelUi('timeline');
	const rows = usePanelRows('timeline');
	const {number, title, noun, key, followsNewest} = panels.timeline;
	const inner = innerSize(width, height);
	return (
		<Frame
			number={number}
			title={titled(`${title}${id ? ` ${id}` : ''} (${readerTimeZone.label})`, filter)}
			focused={focused}
			width={width}
			height={height}
		>
			<Listing
				filter={filter}
				noun={noun}
				emptyText="nothing recorded yet"
				columns={columns}
				rows={rows}
				width={inner.width}
				height={inner.height}
				selected={selected}
				focused={focused}
				rowKey={key}
				followsNewest={followsNewest}
			/>
		</Frame>
	);
}
