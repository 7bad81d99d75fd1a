/** The store for components: provided once by App, read through per-panel selectors. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { DashboardState, DashboardStore } from './dashboard-store';

export const StoreContext = createContext<DashboardStore | null>(null);

function useDashboardStore(): DashboardStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('no dashboard store: render inside <StoreContext value={store}>');
  return store;
}

/** One slice of the state; the component re-renders only when it changes (by identity). */
export function useDashboard<U>(selector: (state: DashboardState) => U): U {
  return useStore(useDashboardStore(), selector);
}

/** Several fields at once, compared shallowly. */
export function useDashboardShallow<U extends object>(selector: (state: DashboardState) => U): U {
  return useStore(useDashboardStore(), useShallow(selector));
}
