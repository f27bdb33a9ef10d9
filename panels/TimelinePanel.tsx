/** What was done, by whom, when: the journal, newest at the bottom, in the reader's time zone, named in the title. */
import {useMemo} from 'react';
import {useShallow} from 'zustand/react/shallow';
import {localTime, readerTimeZone} from '../source/incident/timeline';
import {Frame, innerSize} from './Frame';
import {timelineRows, type TimelineRow} from '../source/view-model/rows';
import {useWarroom} from './store-context';
import {Listing, titled} from './Listing';
import type {Column} from './Table';
import {usePanelUi} from './use-source';

const columns: Array<Column<TimelineRow>> = [
	{header: 'TIME', width: 8, priority: 1, cell: row => (row.at ? localTime(row.at) : '')},
	{header: 'WHO', width: 14, priority: 3, cell: row => row.actor ?? ''},
	{header: 'WHAT', width: 20, flex: true, priority: 1, cell: row => row.text, tone: row => (row.problem ? 'warn' : undefined)},
];

export function TimelinePanel({width, height}: {width: number; height: number}) {
	const {events, problems, notices, id} = useWarroom(
		useShallow(state => ({
			events: state.incident?.events,
			problems: state.journalProblems,
			notices: state.incident?.notices,
			id: state.incident?.id,
		})),
	);
	const {focused, filter, selected} = usePanelUi('timeline');
	const inner = innerSize(width, height);
	const rows = useMemo(() => timelineRows(events ?? [], problems, notices ?? [], filter), [events, problems, notices, filter]);
	return (
		<Frame number={4} title={titled(`Timeline${id ? ` ${id}` : ''} (${readerTimeZone.label})`, filter)} focused={focused} width={width} height={height}>
			<Listing filter={filter} noun="event" emptyText="nothing recorded yet" columns={columns} rows={rows} width={inner.width} height={inner.height} selected={selected ?? rows.length - 1} focused={focused && selected !== undefined} rowKey={row => row.key} />
		</Frame>
	);
}
