/** A panel's table, or a line saying why there is nothing to list. */
import {Text} from 'ink';
import {Table, type TableProps} from './Table';

type Props<Row> = TableProps<Row> & {
	filter: string;
	/** What one row is, for "no pod matches the filter". */
	noun: string;
	/** What an empty list means when nothing is filtered out. */
	emptyText: string;
};

export function Listing<Row>({filter, noun, emptyText, ...table}: Props<Row>) {
	if (table.rows.length > 0) return <Table {...table} />;
	return <Text>{filter ? `no ${noun} matches the filter` : emptyText}</Text>;
}

/** A panel title with the filter in force, e.g. `Pods /crash`. */
export const titled = (title: string, filter: string) => (filter ? `${title} /${filter}` : title);
