/**
 * The rows each panel lists, after its filter: what `panels.ts` makes each
 * panel's rows with.
 */
import type {Incident} from '../incident/incident';
import type {JournalEvent} from '../incident/events';
import type {JournalProblem, SkippedIncident} from '../incident/journal';
import type {Phase} from '../incident/policy';
import {playbooksOf, type Diagnostic, type Playbook} from '../incident/playbook';
import {filterRows} from './filter';
import {buildLockTree, type LockRow} from '../sources/postgres/lock-tree';
import {timelineText} from '../incident/timeline';
import type {Deployment, HealthResult, KubernetesData, LockSession, LongRunningQuery, Pod, PostgresData} from '../sources/types';
import {deploymentName, deploymentsByUrgency, statusOfDeployment} from './deployments';
import {withUsage, type PodRow} from './pods';
import {checkState, checkSummary} from './health';

/** A row of the Pods panel: a pod that is not fine, or a deployment, healthy or not, so every deployment can be acted on. */
export type PodsPanelRow = {kind: 'pod'; pod: PodRow} | {kind: 'deployment'; deployment: Deployment};

/** The pods that are not fine, then every deployment, those that need a look first. */
export function podRows(
	{pods, usage, deployments}: {pods: readonly Pod[]; usage: KubernetesData['usage']; deployments: readonly Deployment[]},
	filter: string,
): PodsPanelRow[] {
	const rows: PodsPanelRow[] = [
		...withUsage(pods, usage).map(pod => ({kind: 'pod' as const, pod})),
		...deploymentsByUrgency(deployments).map(deployment => ({kind: 'deployment' as const, deployment})),
	];
	return filterRows(rows, filter, row =>
		row.kind === 'pod'
			? [row.pod.namespace, row.pod.name, row.pod.reason, row.pod.detail ?? '', row.pod.node, row.pod.owner.name]
			: [row.deployment.namespace, deploymentName(row.deployment), statusOfDeployment(row.deployment), ...row.deployment.images],
	);
}

export const healthRows = (checks: readonly HealthResult[], filter: string) =>
	filterRows(checks, filter, check => [check.name, check.kind, checkState(check), checkSummary(check)]);

/** A lock-tree row or a long-running query, so both scroll as one list. */
export type DatabaseRow = {kind: 'lock'; lock: LockRow} | {kind: 'query'; query: LongRunningQuery};

/** A backend's identity across readings: its pid, reused once the backend ends, with when it started. */
export function backendKey(row: DatabaseRow): string {
	const backend = row.kind === 'lock' ? row.lock : row.query;
	return `${backend.pid}@${backend.backendStart ?? ''}`;
}

/** What the tree knows of a backend when a reading describes none (a drill's): its long-running query, if any. */
const sessionOfQuery = (query: LongRunningQuery): LockSession => ({
	pid: query.pid,
	backendStart: query.backendStart ?? '',
	user: query.user,
	application: query.application,
	state: query.state,
	waitEvent: '',
	query: query.query,
});

const lockTrees = new WeakMap<PostgresData, readonly LockRow[]>();

/**
 * The lock tree of a reading, with what it says of each backend: built once
 * per reading, as the panel's banner and rows both need it and the panel
 * redraws every second (its title's age changes) while the reading does not.
 */
export function lockRows(data: PostgresData): readonly LockRow[] {
	const built = lockTrees.get(data);
	if (built) return built;
	const tree = buildLockTree(data.blocking, data.sessions ?? data.longRunning.map(sessionOfQuery));
	lockTrees.set(data, tree);
	return tree;
}

/** Lock-tree rows first (the chain to break), then long-running queries not already in the tree. */
export function databaseRows(data: PostgresData | undefined, filter: string): DatabaseRow[] {
	if (!data) return [];
	const locks = lockRows(data);
	const inTree = new Set(locks.map(lock => lock.pid));
	const rows: DatabaseRow[] = [
		...locks.map(lock => ({kind: 'lock' as const, lock})),
		...data.longRunning.filter(query => !inTree.has(query.pid)).map(query => ({kind: 'query' as const, query})),
	];
	return filterRows(rows, filter, row =>
		row.kind === 'lock'
			? [String(row.lock.pid), row.lock.user, row.lock.application, row.lock.state, row.lock.query]
			: [String(row.query.pid), row.query.user, row.query.application, row.query.state, row.query.query],
	);
}

/** A timeline line: a journal event, a line (or a whole incident file) of the journal that could not be read, or a warning about the events. */
export type TimelineRow = {key: string; at?: string; actor?: string; text: string; problem: boolean};

const eventRows = new WeakMap<JournalEvent, TimelineRow>();

/**
 * An event's timeline row, made once per event object: the journals hand
 * out the same objects for what they read before, so a note arriving does
 * not word the whole history again.
 */
function eventRow(event: JournalEvent): TimelineRow {
	const made = eventRows.get(event);
	if (made) return made;
	const row = {
		// By its id where it has one: the selection stays on an event as it leaves the outbox for the store.
		key: event.eventId === undefined ? `event-${event.seq}-${event.at}` : `event-${event.eventId}`,
		at: event.at,
		actor: event.actor,
		text: timelineText(event),
		problem: false,
	};
	eventRows.set(event, row);
	return row;
}

export function timelineRows(
	events: readonly JournalEvent[],
	problems: ReadonlyArray<JournalProblem | SkippedIncident>,
	notices: readonly string[],
	filter: string,
): TimelineRow[] {
	const rows: TimelineRow[] = [
		...problems.map(problem =>
			'line' in problem
				? {key: `problem-${problem.line}`, text: `journal line ${problem.line}: ${problem.message}`, problem: true}
				: {key: `skipped-${problem.incident}`, text: `${problem.incident} skipped: ${problem.message}`, problem: true},
		),
		...notices.map((notice, index) => ({key: `notice-${index}`, text: notice, problem: true})),
		...events.map(eventRow),
	];
	return filterRows(rows, filter, row => [row.actor ?? '', row.text]);
}

export type ChecklistRow = {kind: 'check'; item: string; done?: {by: string; at: number}};
/** A playbook's step, as a heading: its playbook, title and window. */
export type StepRow = {kind: 'step'; id: string; text: string};
/** A diagnostic of the step above: `o` runs it, or goes to the panel that shows it. */
export type DiagnosticRow = {kind: 'diagnostic'; id: string; diagnostic: Diagnostic};
export type RunbookRow = ChecklistRow | StepRow | DiagnosticRow;

/**
 * The current phase's checklist, then each of its playbooks' steps: heading,
 * checklist items (an item listed already is not listed twice: one tick
 * each), diagnostics. A checklist item's key is its text, so a tick
 * follows it from the phase's list to a step's.
 */
export function runbookRows(
	phase: Phase | undefined,
	playbooks: readonly Playbook[],
	incident: Incident | undefined,
	filter: string,
): RunbookRow[] {
	if (!incident || !phase) return [];
	const listed = new Set<string>();
	const check = (item: string): ChecklistRow[] => {
		if (listed.has(item)) return [];
		listed.add(item);
		return [{kind: 'check', item, ...(incident.checked[item] ? {done: incident.checked[item]} : {})}];
	};
	const rows: RunbookRow[] = [
		...phase.checklist.flatMap(check),
		...playbooksOf(playbooks, phase.id).flatMap(playbook =>
			playbook.steps.flatMap((step, stepIndex): RunbookRow[] => [
				{
					kind: 'step',
					id: `${playbook.id} ${stepIndex}`,
					text: `${playbook.title}: ${step.title}${step.window ? ` (${step.window})` : ''}`,
				},
				...step.checklist.flatMap(check),
				...step.diagnostics.map((diagnostic, index): RunbookRow => ({
					kind: 'diagnostic',
					id: `${playbook.id} ${stepIndex} ${index}`,
					diagnostic,
				})),
			]),
		),
	];
	return filterRows(rows, filter, row => [runbookRowText(row)]);
}

/** What a runbook row says, for the filter and the notices. */
export const runbookRowText = (row: RunbookRow) =>
	row.kind === 'check' ? row.item : row.kind === 'step' ? row.text : row.diagnostic.label;
