/** Draws what a read command printed (a pod's logs, a describe), or a text written from the journal (a message, the post-mortem), under the command that printed it, scrolled as `source/actions/output.ts` says; the lines arrive clean. */
import {Box, Text} from 'ink';
import {clampTop, outputVisibleRows, ranText, type OutputView as View} from '../source/actions/output';
import {toSingleLine} from '../source/text/sanitize';
import {useWarroom} from './store-context';
import {useTone} from './theme';

export function OutputView({output, width, height}: {output: View; width: number; height: number}) {
	const colour = useTone();
	const visible = outputVisibleRows(useWarroom(state => state.size.rows));
	const top = clampTop(output, visible, output.top);
	const shown = output.lines.slice(top, top + visible);
	const position =
		output.lines.length === 0 ? 'nothing printed' : `lines ${top + 1}-${top + shown.length} of ${output.lines.length}`;
	const ran = output.ran ? ` · ${ranText(output.ran)}` : '';
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="double" paddingX={1} overflow="hidden">
			<Text bold wrap="truncate-end">
				{toSingleLine(output.title)}
				{ran} · {position}
			</Text>
			<Text color={colour('dim')} wrap="truncate-end">
				$ {toSingleLine(output.command)}
			</Text>
			<Box flexDirection="column" height={visible} overflow="hidden">
				{shown.map((line, index) => (
					// Lines repeat (blank ones, a crash loop's): the line's number is its identity.
					<Text key={top + index} wrap="truncate-end">
						{line === '' ? ' ' : line}
					</Text>
				))}
			</Box>
			<Text color={colour('dim')} wrap="truncate-end">
				{output.produced ? 'c copy (OSC 52) · w write a file · ' : ''}↑↓/j k line · PgUp PgDn page · g first · G last
				{output.ran ? ' · e keep as evidence' : ''} · Esc/q close
			</Text>
		</Box>
	);
}
