/** A panel's reading, title state, rows and selection, each re-rendering only when it changes. */
import {useShallow} from 'zustand/react/shallow';
import {describeReading} from '../source/view-model/source-status';
import type {SourceName} from '../source/sources/types';
import {panelRows, type PanelId} from '../source/view-model/panels';
import {selectedKey} from '../source/view-model/selection';
import {useWarroom} from './store-context';

export function useSourceStatus(source: SourceName) {
	return useWarroom(useShallow(state => describeReading(state.readings[source], state.now)));
}

export function useReading<K extends SourceName>(source: K) {
	return useWarroom(state => state.readings[source]);
}

/** The focused flag, filter and selected row's key of one panel. */
export function usePanelUi(panel: PanelId) {
	return useWarroom(
		useShallow(state => ({
			focused: state.ui.focus === panel,
			filter: state.ui.filters[panel],
			selected: selectedKey(state, panel),
		})),
	);
}

/** The rows the panel lists now: the same array until what they are made from changes. */
export function usePanelRows<P extends PanelId>(panel: P) {
	return useWarroom(state => panelRows(state, panel));
}
