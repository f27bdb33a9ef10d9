/** A panel's frame keeps whatever it holds inside its borders, however wide: nothing spills over its right border or the panel beside it. */
import stringWidth from 'string-width';
import {expect, it} from 'vitest';
import {Box, Text, renderToString} from 'ink';
import {Frame} from '../../panels/Frame';
import {StoreContext} from '../../panels/store-context';
import {testStore} from '../helpers/store';

const width = 24;

function framed(content: React.ReactNode) {
	return renderToString(
		<StoreContext.Provider value={testStore()}>
			<Box width={60}>
				<Frame number={1} title="Pods" focused={false} width={width} height={6}>
					{content}
				</Frame>
				<Text>|next</Text>
			</Box>
		</StoreContext.Provider>,
		{columns: 60},
	).split('\n');
}

it.each([
	[
		'a box wider than the frame',
		<Box key="box" width={200}>
			<Text>{'x'.repeat(100_000)}</Text>
		</Box>,
	],
	[
		'a row of fixed-width cells wider than the frame',
		<Box key="row" gap={1}>
			{[10, 10, 10].map((cellWidth, index) => (
				<Box key={index} width={cellWidth}>
					<Text>{'y'.repeat(cellWidth)}</Text>
				</Box>
			))}
		</Box>,
	],
	[
		'a wide character in a one-column box',
		<Box key="wide" width={1}>
			<Text>障害</Text>
		</Box>,
	],
	[
		'an unbroken word and text cut at its end',
		<Box key="text" flexDirection="column">
			<Text>{'z'.repeat(500)}</Text>
			<Text wrap="truncate-end">{'障'.repeat(50)}</Text>
		</Box>,
	],
])(
	'keeps %s inside its right border, and the panel beside it in place',
	(_name, content) => {
		const lines = framed(content);
		for (const line of lines.slice(1, 5)) {
			const [inside] = line.split('|next');
			expect(stringWidth(inside!), line).toBe(width);
			expect(inside, line).toMatch(/│$/);
		}
		// Ink wraps the 100 KB line before the frame cuts it: seconds on a loaded machine.
	},
	30_000,
);
