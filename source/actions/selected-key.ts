/**
 * The key of the row selected in a panel, read at the moment an action
 * runs: the one place actions learn what is selected, so that selection by
 * identity (view-model) can take its place without touching an action.
 */
import type {WarroomState} from '../store';
import {panelSpec, type PanelId} from '../view-model/panels';
import {selectedRow} from '../view-model/selection';

export function selectedKey(state: WarroomState, panel: PanelId): string | undefined {
	const row = selectedRow(state, panel);
	return row === undefined ? undefined : panelSpec(panel).key(row as never);
}
