/**
 * A panel's frame: a border whose top line carries the panel's number,
 * title and state. The focused panel has a double border, which reads
 * without colour.
 */
import type {ReactNode} from 'react';
import {Box, Text} from 'ink';
import stringWidth from 'string-width';
import {truncateText} from './table-layout';
import {useTone, type Tone} from './theme';

type Props = {
	number: number;
	title: string;
	/** The state word in the top border, e.g. "ok 3s" or "STALE 40s". */
	status?: {text: string; tone: Tone};
	focused: boolean;
	width: number;
	height: number;
	children: ReactNode;
};

const lines = {
	single: {horizontal: '─', left: '┌', right: '┐'},
	double: {horizontal: '═', left: '╔', right: '╗'},
};

export function Frame({number, title, status, focused, width, height, children}: Props) {
	const colour = useTone();
	const border = focused ? lines.double : lines.single;
	const state = status ? ` ${status.text} ` : '';
	// The state outranks the title: on a narrow panel the title is shortened, never the state.
	const stateWidth = state ? 1 + stringWidth(state) : 0;
	const room = Math.max(1, width - 4 - 3 - stateWidth);
	const heading = ` ${truncateText(`${number} ${title}`, room)} `;
	const fill = Math.max(0, width - 2 - 1 - stringWidth(heading) - stateWidth);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text wrap="truncate-end">
				{border.left}
				{border.horizontal}
				<Text bold={focused}>{heading}</Text>
				{state ? border.horizontal : ''}
				{state ? <Text color={colour(status?.tone)}>{state}</Text> : ''}
				{border.horizontal.repeat(fill)}
				{border.right}
			</Text>
			<Box
				// Ink 6.8 applies a changed borderStyle to every edge, borderTop={false} included,
				// which pushes the content down a line: a new box for each style avoids it.
				key={focused ? 'double' : 'single'}
				borderStyle={focused ? 'double' : 'single'}
				borderTop={false}
				flexDirection="column"
				height={height - 1}
				paddingX={1}
				overflow="hidden"
			>
				{children}
			</Box>
		</Box>
	);
}

/** Inner size of a frame: what its content may fill. */
export const innerSize = (width: number, height: number) => ({width: width - 4, height: height - 2});
