/** What a source panel shows before its data: why it is off, loading, or failing. */
import type {ReactNode} from 'react';
import {Text} from 'ink';
import type {Reading} from '../source/sources/types';
import {toSingleLine} from '../source/text/sanitize';
import {useTone} from './theme';

type Props<T> = {
	reading: Reading<T>;
	/** Why the source is off, in words a responder can act on. */
	offReason: string;
	children: (data: T, errorLines: number) => ReactNode;
};

export function SourceBody<T>({reading, offReason, children}: Props<T>) {
	const colour = useTone();
	if (reading.state === 'disabled') return <Text color={colour('dim')}>{offReason}</Text>;
	const error =
		reading.state === 'error' ? (
			<Text color={colour('bad')} wrap="truncate-end">
				error: {toSingleLine(reading.error ?? 'unknown')}
			</Text>
		) : null;
	if (reading.data === undefined) return error ?? <Text color={colour('dim')}>loading…</Text>;
	return (
		<>
			{error}
			{children(reading.data, error ? 1 : 0)}
		</>
	);
}
