/** The settings store for the settings page's components, read through selectors. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { SettingsState, SettingsStore } from '../../store/settings-store';

export const SettingsStoreContext = createContext<SettingsStore | null>(null);

function useSettingsStore(): SettingsStore {
  const store = useContext(SettingsStoreContext);
  if (!store) throw new Error('no settings store: render inside <SettingsStoreContext value={…}>');
  return store;
}

export function useSettings<U>(selector: (state: SettingsState) => U): U {
  return useStore(useSettingsStore(), selector);
}

export function useSettingsShallow<U extends object>(selector: (state: SettingsState) => U): U {
  return useStore(useSettingsStore(), useShallow(selector));
}
