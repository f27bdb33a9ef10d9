/**
 * The one table of panels: each is declared here once — its number, title,
 * source, the rows it lists (after its filter) with a stable key per row,
 * and its slot in the layout. The layout, the panel order, `1`-`5`, row
 * counts and the selection read this table; `panels/panel-views.ts` gives
 * each panel its component. A new panel is one entry here and its component.
 */
import {currentPhase} from '../incident/clock';
import type {Incident} from '../incident/incident';
import type {JournalProblem, SkippedIncident} from '../incident/journal';
import type {Phase, Policy} from '../incident/policy';
import type {Playbook} from '../incident/playbook';
import type {Readings, SourceName} from '../sources/types';
import {
	backendKey,
	runbookRows,
	runbookRowText,
	databaseRows,
	healthRows,
	podRows,
	timelineRows,
	type PodsPanelRow,
} from './rows';

/** What the rows of every panel are made from: a part of the store's state. */
export type PanelData = {
	readings: Readings;
	incident?: Incident;
	journalProblems: ReadonlyArray<JournalProblem | SkippedIncident>;
	policy: Policy;
	/** The playbooks loaded: fixed for the session. */
	playbooks: readonly Playbook[];
	now: number;
};

/** The rows of the layout, top to bottom; `layout.ts` gives each its share of the height. */
export type LayoutRow = 'top' | 'middle' | 'bottom';

export type PanelSpec<Input extends object, Row> = {
	/** What `1`-`5` jumps to, and the order Tab goes through. */
	number: number;
	title: string;
	source?: SourceName;
	/** What one row is, for "the selected pod … is gone". */
	noun: string;
	/** What this row is, when the panel lists more than one kind: "the selected deployment … is gone". */
	rowNoun?: (row: Row) => string;
	/** No selection means the newest (last) row, followed as rows arrive, instead of the first. */
	followsNewest?: boolean;
	/** Where it goes in the layout: its row, and its share of that row's width. */
	layout: {row: LayoutRow; width: number};
	/** The parts of the state its rows are made from: the rows are made again only when one of them changes. */
	input: (data: PanelData) => Input;
	rows: (input: Input, filter: string) => Row[];
	/** A row's identity across readings: the selection holds it, and an action finds its target by it. */
	key: (row: Row) => string;
	/** How a notice names the row. */
	label: (row: Row) => string;
};

const panel = <Input extends object, Row, Source extends SourceName | undefined = undefined>(
	spec: PanelSpec<Input, Row> & {source?: Source},
) => spec;

const deploymentKeyPrefix = 'deployment:';

/**
 * A Pods panel row's identity: a pod's uid, as a pod recreated under the
 * same name is another pod; a deployment's, marked so no pod can take it.
 * A drill's have none: their namespace and name.
 */
const podsPanelKey = (row: PodsPanelRow) =>
	row.kind === 'pod'
		? (row.pod.uid ?? `${row.pod.namespace}/${row.pod.name}`)
		: `${deploymentKeyPrefix}${row.deployment.uid ?? `${row.deployment.namespace}/${row.deployment.name}`}`;

/** What a Pods panel key was the key of, once its row is gone: a pod's uid or name never starts like a deployment's key. */
export const podsPanelKind = (key: string): PodsPanelRow['kind'] => (key.startsWith(deploymentKeyPrefix) ? 'deployment' : 'pod');

/** The phase whose checklist the runbook panel shows: none without an incident. */
export const runbookPhase = (data: Pick<PanelData, 'policy' | 'incident' | 'now'>): Phase | undefined =>
	data.incident && currentPhase(data.policy, data.incident, data.now);

export const panels = {
	pods: panel({
		number: 1,
		title: 'Pods',
		source: 'kubernetes',
		noun: 'pod',
		layout: {row: 'top', width: 3},
		input: data => ({
			pods: data.readings.kubernetes.data?.pods,
			usage: data.readings.kubernetes.data?.usage,
			deployments: data.readings.kubernetes.data?.deployments,
		}),
		rows: ({pods = [], usage, deployments = []}, filter) => podRows({pods, usage, deployments}, filter),
		rowNoun: row => row.kind,
		key: podsPanelKey,
		label: row =>
			row.kind === 'pod' ? `${row.pod.namespace}/${row.pod.name}` : `${row.deployment.namespace}/${row.deployment.name}`,
	}),
	database: panel({
		number: 2,
		title: 'Database',
		source: 'postgres',
		noun: 'backend',
		layout: {row: 'middle', width: 1},
		input: data => ({postgres: data.readings.postgres.data}),
		rows: ({postgres}, filter) => databaseRows(postgres, filter),
		key: backendKey,
		label: row => String(row.kind === 'lock' ? row.lock.pid : row.query.pid),
	}),
	health: panel({
		number: 3,
		title: 'Health',
		source: 'health',
		noun: 'check',
		layout: {row: 'top', width: 2},
		input: data => ({checks: data.readings.health.data?.checks}),
		rows: ({checks = []}, filter) => healthRows(checks, filter),
		key: check => check.name,
		label: check => check.name,
	}),
	timeline: panel({
		number: 4,
		title: 'Timeline',
		noun: 'event',
		followsNewest: true,
		layout: {row: 'bottom', width: 3},
		input: data => ({events: data.incident?.events, problems: data.journalProblems, notices: data.incident?.notices}),
		rows: ({events = [], problems, notices = []}, filter) => timelineRows(events, problems, notices, filter),
		key: row => row.key,
		label: row => `"${row.text}"`,
	}),
	runbook: panel({
		number: 5,
		title: 'Runbook',
		noun: 'runbook line',
		layout: {row: 'bottom', width: 2},
		// The phase changes on minute boundaries at most: the rows are not made again every second.
		input: data => ({incident: data.incident, phase: runbookPhase(data), playbooks: data.playbooks}),
		rows: ({incident, phase, playbooks}, filter) => runbookRows(phase, playbooks, incident, filter),
		// A checklist item by its text: the tick is journaled by it.
		key: row => ('item' in row ? row.item : row.id),
		label: row => `"${runbookRowText(row)}"`,
	}),
};

export type PanelId = keyof typeof panels;
export type RowOf<P extends PanelId> = ReturnType<(typeof panels)[P]['rows']>[number];
export type SourceOf<P extends PanelId> = NonNullable<(typeof panels)[P]['source']>;
/** The panels that show a source's reading. */
export type SourcePanelId = {[P in PanelId]: [SourceOf<P>] extends [never] ? never : P}[PanelId];

/** The panels in the order of their numbers. */
export const panelIds: readonly PanelId[] = (Object.keys(panels) as PanelId[]).sort(
	(a, b) => panels[a].number - panels[b].number,
);

export const panelByNumber = (number: number): PanelId | undefined => panelIds.find(id => panels[id].number === number);

/** What a panel's rows are made from, its filter included. */
export type PanelState = PanelData & {ui: {filters: Record<PanelId, string>}};

type AnyPanel = PanelSpec<Record<string, unknown>, unknown>;
/** The table without its row types, for code that treats every panel alike. */
export const panelSpec = (id: PanelId) => panels[id] as unknown as AnyPanel;

const madeRows = new Map<PanelId, {input: Record<string, unknown>; filter: string; rows: unknown[]}>();

/** Whether two inputs of a panel's rows are made of the same parts. */
export const sameInput = (a: Record<string, unknown>, b: Record<string, unknown>) =>
	Object.keys(a).length === Object.keys(b).length && Object.keys(a).every(name => Object.is(a[name], b[name]));

/**
 * The rows a panel lists now. The same array for as long as what they are
 * made from is the same, so a component that selects them redraws only when
 * they change, and a 20,000-event timeline is not listed again every second.
 */
export function panelRows<P extends PanelId>(state: PanelState, id: P): Array<RowOf<P>> {
	const spec = panelSpec(id);
	const input = spec.input(state);
	const filter = state.ui.filters[id];
	const made = madeRows.get(id);
	if (made && made.filter === filter && sameInput(made.input, input)) return made.rows as Array<RowOf<P>>;
	const rows = spec.rows(input, filter);
	madeRows.set(id, {input, filter, rows});
	return rows as Array<RowOf<P>>;
}
