/** A source panel's snapshot and its title state, re-rendering only when either changes. */
import {useShallow} from 'zustand/react/shallow';
import {describeSnapshot} from '../source/snapshot-status';
import type {SourceName} from '../source/snapshot-types';
import type {PanelId} from '../source/store';
import {useWarroom} from './store-context';

export function useSourceStatus(source: SourceName) {
	return useWarroom(useShallow(state => describeSnapshot(state.snapshots[source], state.now)));
}

export function useSnapshot<K extends SourceName>(source: K) {
	return useWarroom(state => state.snapshots[source]);
}

/** The focused flag, filter and selection of one panel. */
export function usePanelUi(panel: PanelId) {
	return useWarroom(
		useShallow(state => ({
			focused: state.ui.focus === panel,
			filter: state.ui.filters[panel],
			selected: state.ui.selection[panel],
		})),
	);
}
