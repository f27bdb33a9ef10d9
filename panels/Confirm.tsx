/**
 * Draws an action waiting for its answer: the exact command, its target and
 * what is known of it (a backend's user, query and server), the cluster it
 * acts on (`PROD` in reverse video for a production context), what will
 * happen, the answer expected, and whether its target changed while the
 * question was open.
 */
import {Box, Text} from 'ink';
import {useShallow} from 'zustand/react/shallow';
import type {Pending} from '../source/actions/command';
import {toSingleLine} from '../source/text/sanitize';
import {ProdBadge} from './ProdBadge';
import {useWarroom} from './store-context';
import {useTone} from './theme';

export function Confirm({pending, width, height}: {pending: Pending; width: number; height: number}) {
	const colour = useTone();
	const {dryRun, drill} = useWarroom(useShallow(state => ({dryRun: state.mode.dryRun, drill: state.mode.drill !== undefined})));
	const {action, prepared, shown, question} = pending;
	const {cluster} = prepared;
	const target = prepared.target === undefined ? undefined : toSingleLine(prepared.target);
	return (
		<Box
			flexDirection="column"
			width={width}
			height={height}
			overflow="hidden"
			borderStyle="double"
			borderColor={colour('warn')}
			paddingX={1}
		>
			<Text bold wrap="truncate-end">
				{action.title} · {action.risk}
				{dryRun ? ' · dry run: nothing will run, it is only recorded' : ''}
			</Text>
			{target === undefined ? null : <Text wrap="truncate-end">Target: {target}</Text>}
			{(prepared.details ?? []).map(line => (
				<Text key={line} wrap="truncate-end">
					{toSingleLine(line)}
				</Text>
			))}
			{cluster === undefined ? null : (
				<Text wrap="truncate-end">
					Cluster: <ProdBadge production={cluster.production} />
					context {toSingleLine(cluster.context)} · namespace {toSingleLine(cluster.namespace)}
					{drill ? " · drill: the drill's simulated cluster, nothing real" : ''}
				</Text>
			)}
			<Text>Command: {toSingleLine(shown)}</Text>
			<Text wrap="truncate-end">Will: {toSingleLine(prepared.effect)}</Text>
			<Text> </Text>
			{question.confirmation === 'yes-no' ? (
				<Text bold wrap="truncate-end">
					Run it? y/N (any other key: No)
				</Text>
			) : (
				<>
					<Text bold wrap="truncate-end">
						Type {question.name} to run it (Enter), Esc cancels:
					</Text>
					<Text wrap="truncate-start">
						{'> '}
						<Text inverse>{question.typed} </Text>
					</Text>
				</>
			)}
			{pending.changed === undefined ? null : (
				<Text color={colour('bad')} bold wrap="truncate-end">
					! changed while asked: y now runs nothing ({toSingleLine(pending.changed)})
				</Text>
			)}
			{question.error ? (
				<Text color={colour('bad')} wrap="truncate-end">
					! {toSingleLine(question.error)}
				</Text>
			) : null}
		</Box>
	);
}
