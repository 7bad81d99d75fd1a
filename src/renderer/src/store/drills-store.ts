/**
 * The drills panel's state: the ready scenarios, recent drills, the one shown with its scorecard,
 * and starting or stopping a live drill. Polls while shown: every 2 s while a drill runs (its
 * alerts come by the wall clock), every 15 s otherwise. A vanilla zustand store, tested without
 * React.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DrillSummaryView, DrillView, ScenarioView } from '../../../shared/drill-views';
import type { ApiClient } from '../api/api-client';

export const RUNNING_POLL_MS = 2000;
export const IDLE_POLL_MS = 15_000;

export interface DrillsState {
  readonly scenarios: readonly ScenarioView[] | null;
  readonly drills: readonly DrillSummaryView[] | null;
  /** The drill shown: the one picked, else the newest. */
  readonly selectedId: number | null;
  readonly shown: DrillView | null;
  readonly scenario: string | null;
  readonly busy: boolean;
  readonly error: string | null;
  refresh(): Promise<void>;
  select(id: number): Promise<void>;
  pickScenario(file: string): void;
  startDrill(): Promise<void>;
  stopDrill(): Promise<void>;
  /** Starts polling; returns the function that stops it. */
  watch(): () => void;
}

export type DrillsStore = StoreApi<DrillsState>;

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function createDrillsStore(client: ApiClient): DrillsStore {
  return createStore<DrillsState>()((set, get) => {
    /** Polls again now (a drill started: its pace is the running one). */
    let wake: (() => void) | null = null;
    const load = async (): Promise<void> => {
      const [scenarios, drills] = await Promise.all([
        get().scenarios ?? client.call('drills:scenarios', {}),
        client.call('drills:list', { limit: 20 }),
      ]);
      const id = get().selectedId ?? drills[0]?.id ?? null;
      const shown = id === null ? null : await client.call('drills:get', { id });
      set({
        scenarios,
        drills,
        shown,
        scenario: get().scenario ?? scenarios[0]?.file ?? null,
        error: null,
      });
    };
    const act = async (task: () => Promise<void>): Promise<void> => {
      set({ busy: true, error: null });
      try {
        await task();
      } catch (err) {
        set({ error: messageOf(err) });
      } finally {
        set({ busy: false });
      }
    };
    return {
      scenarios: null,
      drills: null,
      selectedId: null,
      shown: null,
      scenario: null,
      busy: false,
      error: null,
      refresh: async () => {
        try {
          await load();
        } catch (err) {
          set({ error: messageOf(err) });
        }
      },
      select: (id) =>
        act(async () => {
          set({ selectedId: id, shown: await client.call('drills:get', { id }) });
        }),
      pickScenario: (file) => set({ scenario: file }),
      startDrill: () =>
        act(async () => {
          const scenario = get().scenario;
          if (!scenario) throw new Error('pick a scenario first');
          const drill = await client.call('drills:start', { scenario });
          set({ selectedId: drill.id, shown: drill });
          await load();
          wake?.();
        }),
      stopDrill: () =>
        act(async () => {
          const shown = get().shown;
          if (!shown || shown.status !== 'running') return;
          set({ shown: await client.call('drills:stop', { id: shown.id }) });
          await load();
        }),
      watch: () => {
        let timer: ReturnType<typeof setTimeout> | null = null;
        let stopped = false;
        const loop = async (): Promise<void> => {
          await get().refresh();
          if (stopped) return;
          const running = get().drills?.some((d) => d.status === 'running') ?? false;
          timer = setTimeout(() => void loop(), running ? RUNNING_POLL_MS : IDLE_POLL_MS);
        };
        wake = () => {
          if (timer) clearTimeout(timer);
          timer = setTimeout(() => void loop(), RUNNING_POLL_MS);
        };
        void loop();
        return () => {
          stopped = true;
          wake = null;
          if (timer) clearTimeout(timer);
        };
      },
    };
  });
}
