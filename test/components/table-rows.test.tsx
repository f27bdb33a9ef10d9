/** The table draws again only the rows that changed: with a busy timeline, that is most of a frame's work saved. */
import {expect, it} from 'vitest';
import {render} from 'ink-testing-library';
import {StoreContext} from '../../panels/store-context';
import {Table, type Column} from '../../panels/Table';
import {testStore} from '../helpers/store';

type Row = {key: string; text: string};

it('cuts the cells of a new row only, as the window scrolls to it', () => {
	const drawn: string[] = [];
	const columns: Array<Column<Row>> = [
		{
			header: 'WHAT',
			width: 10,
			flex: true,
			priority: 1,
			cell: row => {
				drawn.push(row.key);
				return row.text;
			},
		},
	];
	const rows = Array.from({length: 10}, (_, index) => ({key: `r${index}`, text: `note ${index}`}));
	const store = testStore();
	const table = (shown: readonly Row[]) => (
		<StoreContext.Provider value={store}>
			<Table columns={columns} rows={shown} width={30} height={4} focused={false} rowKey={row => row.key} followsNewest />
		</StoreContext.Provider>
	);
	const view = render(table(rows));
	expect(drawn).toEqual(['r7', 'r8', 'r9']);
	drawn.length = 0;
	view.rerender(table([...rows, {key: 'r10', text: 'note 10'}]));
	expect(drawn).toEqual(['r10']);
	expect(view.lastFrame()).toContain('note 10');
	expect(view.lastFrame()).not.toContain('note 7');
	view.unmount();
});
