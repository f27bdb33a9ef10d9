/**
 * The selection by identity. Until the responder moves it, a panel's
 * selection is its first row (the timeline's: none, following the newest
 * event). Once moved, it holds the row's key, so a reading that reorders the
 * rows keeps the same row selected. When that row disappears the selection
 * moves to the row that took its place (or the new last one; the nearest of
 * its kind in a panel of pods and deployments) and a notice says so: it
 * never lands on another target silently. A filter the responder types is
 * their own doing: a row it hides starts the selection over, without a
 * notice.
 *
 * An action takes its target's key when it starts (`selectedKey`, what its
 * confirmation shows) and finds it again with `findRow` just before it runs:
 * a target gone meanwhile is refused, never swapped for its neighbour.
 */
import {panelIds, panelRows, panelSpec, sameInput, type PanelId, type PanelSpec, type PanelState, type RowOf} from './panels';

export type Selection = {
	key: string;
	/** Where the row was last seen: where its neighbour is found once it is gone. */
	index: number;
	/** How a notice names the row, kept for when it is gone. */
	label: string;
	/** What the row is, when not what the panel's rows usually are (a deployment among pods). */
	noun?: string;
};

/** Per panel; none means nothing chosen: the first row, or for a panel that follows the newest row, none. */
export type Selections = Record<PanelId, Selection | undefined>;

export type SelectionState = PanelState & {ui: {selection: Selections}};

type Identity<Row> = Pick<PanelSpec<object, Row>, 'key' | 'label' | 'noun' | 'rowNoun' | 'followsNewest'>;

function selectionAt<Row>(rows: readonly Row[], index: number, spec: Identity<Row>): Selection {
	const row = rows[index]!;
	const noun = spec.rowNoun?.(row);
	return {key: spec.key(row), index, label: spec.label(row), ...(noun && noun !== spec.noun ? {noun} : {})};
}

/** The row as a notice names it: with its noun when it is not what the panel's rows usually are. */
const named = (selection: Selection) => (selection.noun ? `${selection.noun} ${selection.label}` : selection.label);

/** Where the row with `key` is in `rows`, or -1: looked for at `hint` first, so an unchanged list costs nothing. */
function indexOf<Row>(rows: readonly Row[], key: string, hint: number, spec: Identity<Row>): number {
	const there = rows[hint];
	if (there !== undefined && spec.key(there) === key) return hint;
	return rows.findIndex(row => spec.key(row) === key);
}

/**
 * Where the selection goes when its row is gone: the row that took its
 * place, or the new last one; in a panel of more than one kind, the nearest
 * of the same kind, before it first (a gone pod's neighbour is a pod, the
 * new last pod, rather than the first deployment listed after the pods).
 */
function neighbourIndex<Row>(rows: readonly Row[], selected: Selection, spec: Identity<Row>): number {
	const place = Math.min(selected.index, rows.length - 1);
	const {rowNoun} = spec;
	if (!rowNoun) return place;
	const sameKind = (index: number) => rowNoun(rows[index]!) === (selected.noun ?? spec.noun);
	for (let index = place; index >= 0; index--) if (sameKind(index)) return index;
	for (let index = place + 1; index < rows.length; index++) if (sameKind(index)) return index;
	return place;
}

export type Reconciled = {selection: Selection | undefined; notice?: string};

/**
 * The selection once a panel's rows have changed: the same row wherever it
 * went; a neighbour, with a notice, when it is gone; `filtered` when the
 * change is the responder's own filter.
 */
export function reconcileSelection<Row>(
	selected: Selection,
	rows: readonly Row[],
	spec: Identity<Row>,
	filtered = false,
): Reconciled {
	const index = indexOf(rows, selected.key, selected.index, spec);
	if (index >= 0) return {selection: index === selected.index ? selected : {...selected, index}};
	if (filtered) return {selection: undefined};
	const gone = `the selected ${selected.noun ?? spec.noun} ${selected.label} is gone`;
	if (rows.length === 0) return {selection: undefined, notice: `${gone}: no ${spec.noun} left to select`};
	const neighbour = selectionAt(rows, neighbourIndex(rows, selected, spec), spec);
	return {selection: neighbour, notice: `${gone}: selection moved to ${named(neighbour)}`};
}

/** The selection `step` rows on (negative: back); a panel that follows the newest follows again once moved to the end. */
export function moveSelection<Row>(
	selected: Selection | undefined,
	rows: readonly Row[],
	step: number,
	spec: Identity<Row>,
): Selection | undefined {
	if (rows.length === 0) return selected;
	const last = rows.length - 1;
	const from = selected ? Math.max(0, indexOf(rows, selected.key, selected.index, spec)) : spec.followsNewest ? last : 0;
	const next = Math.min(last, Math.max(0, from + step));
	if (spec.followsNewest && next === last) return undefined;
	return selectionAt(rows, next, spec);
}

/** The panel's row with this key now, if it is still listed. */
export function findRow<P extends PanelId>(state: SelectionState, panel: P, key: string): RowOf<P> | undefined {
	const rows = panelRows(state, panel);
	const index = indexOf(rows, key, state.ui.selection[panel]?.index ?? 0, panelSpec(panel));
	return index >= 0 ? rows[index] : undefined;
}

/**
 * The selected row's key, or the first row's while none is chosen (none for
 * a panel that follows the newest): the one rule for what an action takes as
 * its target when its key is pressed and for the row a table marks.
 */
export function selectedKey(state: SelectionState, panel: PanelId): string | undefined {
	const selected = state.ui.selection[panel];
	if (selected) return selected.key;
	const spec = panelSpec(panel);
	const first = spec.followsNewest ? undefined : panelRows(state, panel)[0];
	return first === undefined ? undefined : spec.key(first);
}

/**
 * What the selections become when the state goes from `previous` (none: the
 * first state) to `state`: only chosen selections of panels whose rows may
 * have changed are looked at. Undefined when nothing changes.
 */
export function followRows(
	previous: SelectionState | undefined,
	state: SelectionState,
): {selection: Selections; notices: string[]} | undefined {
	const selection = {...state.ui.selection};
	const notices: string[] = [];
	let changed = false;
	for (const id of panelIds) {
		const selected = selection[id];
		// Nothing chosen follows nothing: the rows are not even made.
		if (selected === undefined) continue;
		const spec = panelSpec(id);
		const filtered = previous !== undefined && previous.ui.filters[id] !== state.ui.filters[id];
		if (previous && !filtered && sameInput(spec.input(previous), spec.input(state))) continue;
		const reconciled = reconcileSelection(selected, panelRows(state, id), spec, filtered);
		if (reconciled.selection === selected) continue;
		changed = true;
		selection[id] = reconciled.selection;
		if (reconciled.notice) notices.push(reconciled.notice);
	}
	return changed ? {selection, notices} : undefined;
}
