/** How components reach the one store: through context, so tests can hand in their own. */
import {createContext, useContext} from 'react';
import {useStore as useZustandStore} from 'zustand';
import type {WarroomState, WarroomStore} from '../source/store';

export const StoreContext = createContext<WarroomStore | undefined>(undefined);

export function useWarroomStore(): WarroomStore {
	const store = useContext(StoreContext);
	if (!store) throw new Error('warroom components must be inside <StoreContext.Provider>');
	return store;
}

/** Reads from the store; pass `useShallow(...)` for selectors that build objects. */
export function useWarroom<T>(selector: (state: WarroomState) => T): T {
	return useZustandStore(useWarroomStore(), selector);
}
