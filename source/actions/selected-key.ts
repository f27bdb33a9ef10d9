/**
 * The key of the row selected in a panel, read at the moment an action
 * runs: the one place actions learn what is selected, so that selection by
 * identity (view-model) can take its place without touching an action.
 */
import {checklistRows, runbookPhase} from '../view-model/rows';
import type {WarroomState} from '../store';
import type {PanelId} from '../view-model/panels';

export function selectedKey(state: WarroomState, panel: PanelId): string | undefined {
	// Only the checklist has actions on its rows so far: a checklist item is keyed by its text.
	if (panel !== 'runbook') return undefined;
	return checklistRows(runbookPhase(state), state.incident, state.ui.filters.runbook)[state.ui.selection.runbook ?? 0]?.item;
}
