/**
 * The incident line and the deadline line. Only the first changes every
 * second (the clock and the soonest deadline), so an idle screen redraws
 * one line a second; the second too in a journal's first minute offline.
 */
import {Box, Text} from 'ink';
import {useShallow} from 'zustand/react/shallow';
import {computeClock, isMissed} from '../source/incident/clock';
import {deadlineCountdown, deadlineSummary, shortName} from '../source/incident/deadline-text';
import {escalationRoster} from '../source/incident/roster';
import {formatClock} from '../source/text/duration';
import {toSingleLine} from '../source/text/sanitize';
import {clusterName, type ClusterName} from '../source/view-model/cluster';
import {journalLinkText, journalLinkTone} from '../source/view-model/journal-link';
import {ProdBadge} from './ProdBadge';
import {truncateText} from './table-layout';
import {useWarroom} from './store-context';
import {useTone} from './theme';

function DrillBadge() {
	const drill = useWarroom(state => state.mode.drill !== undefined);
	const colour = useTone();
	if (!drill) return null;
	return (
		<Text inverse color={colour('warn')}>
			{' '}
			DRILL{' '}
		</Text>
	);
}

/**
 * How the journal stands with its shared store, when not all is well: first
 * on the second line, so what follows it (the farther deadlines, the
 * context) is what a narrow header cuts, never the mark.
 */
function JournalMark() {
	const {link, now} = useWarroom(useShallow(state => ({link: state.journal, now: state.now})));
	const colour = useTone();
	const text = journalLinkText(link, now);
	if (!link || text === undefined) return null;
	return (
		<>
			<Text color={colour(journalLinkTone(link))} bold={link.state === 'offline'}>
				{text}
			</Text>
			{' · '}
		</>
	);
}

/** A context name longer than this loses its middle: the header still has the incident to say. */
const clusterWidth = 24;

/** The context (and its cluster) the keys act on. */
function ContextName({cluster}: {cluster: ClusterName}) {
	return <Text bold>{truncateText(toSingleLine(cluster.text), clusterWidth, 'middle')}</Text>;
}

export function Header({width}: {width: number}) {
	const {journalRead, incident, now, policy, drillName, drillTitle, readOnly, contacts} = useWarroom(
		useShallow(state => ({
			journalRead: state.journalRead,
			incident: state.incident,
			now: state.now,
			policy: state.policy,
			drillName: state.mode.drill?.name,
			drillTitle: state.mode.drill?.title,
			readOnly: state.mode.readOnly,
			contacts: state.mode.contacts,
		})),
	);
	const cluster = useWarroom(useShallow(clusterName));
	const colour = useTone();
	if (!incident) {
		return (
			<Box flexDirection="column" width={width}>
				<Text wrap="truncate-end">
					<DrillBadge /> <ProdBadge production={cluster?.production} />
					{cluster ? <ContextName cluster={cluster} /> : <Text bold>warroom</Text>} ·{' '}
					{journalRead ? `no incident declared${readOnly ? '' : ': press d to declare one'}` : 'loading journal…'}
				</Text>
				<Text wrap="truncate-end" color={colour('dim')}>
					<JournalMark />
					{drillName
						? `drill ${drillName}: ${drillTitle} · nothing here touches a real system`
						: 'watching the configured sources'}
				</Text>
			</Box>
		);
	}
	const clock = computeClock(policy, incident, now);
	const severityTone = incident.severity === 'P0' ? 'bad' : incident.severity === 'P1' ? 'warn' : 'accent';
	const resolved = incident.status === 'resolved';
	const roster = escalationRoster(contacts ?? [], policy, incident.severity, clock, now);
	return (
		<Box flexDirection="column" width={width}>
			<Text wrap="truncate-end">
				<DrillBadge /> <Text bold>{incident.id}</Text>{' '}
				<Text bold inverse color={colour(severityTone)}>
					{' '}
					{incident.severity}{' '}
				</Text>{' '}
				{incident.status} {resolved ? 'after ' : ''}
				<Text bold>{formatClock(clock.elapsedMs)}</Text>
				{clock.next ? (
					<>
						{' · next: '}
						<Text bold color={colour(isMissed(clock.next.status) ? 'bad' : undefined)}>
							{deadlineCountdown(shortName(clock.next), clock.next, now)}
						</Text>
					</>
				) : null}
				{' · '}
				{toSingleLine(incident.title)}
			</Text>
			<Text wrap="truncate-end">
				<JournalMark />
				<ProdBadge production={cluster?.production} />
				{clock.deadlines.length === 0 ? <Text color={colour('dim')}>no deadlines</Text> : null}
				{clock.deadlines.map((deadline, index) => (
					<Text key={`${deadline.id}-${deadline.dueAt}`}>
						{index > 0 ? ' · ' : ''}
						<Text
							color={colour(isMissed(deadline.status) ? 'bad' : deadline.status === 'met' ? 'ok' : undefined)}
							bold={isMissed(deadline.status)}
						>
							{deadlineSummary(shortName(deadline), deadline, now)}
						</Text>
						{deadline.id === 'escalate' && roster ? <Text bold>{` → ${roster}`}</Text> : null}
					</Text>
				))}
				{cluster ? (
					<>
						{' · '}
						<ContextName cluster={cluster} />
					</>
				) : null}
			</Text>
		</Box>
	);
}
