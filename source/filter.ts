/** The `/` filter: a row stays when any of its fields contains every word typed, ignoring case. */
export function matchesFilter(fields: readonly string[], filter: string): boolean {
	const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
	if (words.length === 0) return true;
	const haystack = fields.join(' ').toLowerCase();
	return words.every(word => haystack.includes(word));
}

export const filterRows = <Row>(rows: readonly Row[], filter: string, fields: (row: Row) => string[]): Row[] =>
	rows.filter(row => matchesFilter(fields(row), filter));
