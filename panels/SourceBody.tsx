/** What a source panel shows before its data: why it is off, loading, or failing. */
import type {ReactNode} from 'react';
import {Text} from 'ink';
import type {Snapshot} from '../source/snapshot-types';
import {toSingleLine} from '../source/sanitize';
import {useTone} from './theme';

type Props<T> = {
	snapshot: Snapshot<T>;
	/** Why the source is off, in words a responder can act on. */
	offReason: string;
	children: (data: T, errorLines: number) => ReactNode;
};

export function SourceBody<T>({snapshot, offReason, children}: Props<T>) {
	const colour = useTone();
	if (snapshot.state === 'disabled') return <Text color={colour('dim')}>{offReason}</Text>;
	const error = snapshot.state === 'error' ? (
		<Text color={colour('bad')} wrap="truncate-end">
			error: {toSingleLine(snapshot.error ?? 'unknown')}
		</Text>
	) : null;
	if (snapshot.data === undefined) return error ?? <Text color={colour('dim')}>loading…</Text>;
	return (
		<>
			{error}
			{children(snapshot.data, error ? 1 : 0)}
		</>
	);
}
