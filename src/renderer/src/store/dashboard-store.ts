/**
 * The dashboard's state: one live subscription (snapshot + connection), the panels' queries
 * (refreshed at most once a second, on snapshots), the controls' pending state and errors, and the
 * backend's reachability with retries on an exponential backoff. A vanilla zustand store, so it
 * runs (and is tested) without React; components read it through per-panel selectors.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  AlertView,
  ApiName,
  ApiParams,
  ApiResult,
  Controls,
  DeviceStatsView,
  HistoryStatus,
  RealtimeStats,
  RegionHealth,
  ReplayStatus,
  TimeseriesPoint,
  TrendingItem,
} from '../../../shared/api-contract';
import type { LiveSnapshot } from '../../../shared/live-snapshot';
import { ApiError, type ApiClient, type ConnectionState } from '../api/api-client';
import { backoffDelay } from '../format';
import { nextLagHistory, NO_FLAGS, pipelineFlags, type PipelineFlags } from './pipeline-health';

export const RANGES = [5, 15, 60] as const;
export type RangeMinutes = (typeof RANGES)[number];
export const TRENDING_LIMIT = 8;
export const ALERTS_LIMIT = 20;
/** Panel queries run at most this often. */
export const REFRESH_INTERVAL_MS = 1000;

export interface ControlError {
  readonly message: string;
  /** The parameter at fault, when the API named one. */
  readonly field: string | undefined;
}

export interface Reachability {
  /** False once a refresh failed to reach the backend, until one succeeds. */
  readonly reachable: boolean;
  /** Failed refreshes in a row. */
  readonly attempt: number;
  /** When the next retry runs (epoch ms), while unreachable. */
  readonly retryAt: number | null;
  readonly lastError: string | null;
}

export interface DashboardData {
  readonly connection: ConnectionState;
  readonly live: LiveSnapshot | null;
  readonly range: RangeMinutes;
  /** The totals of the selected range (the live snapshot's realtime covers its own range). */
  readonly rangeStats: RealtimeStats | null;
  readonly trending: readonly TrendingItem[] | null;
  readonly regions: readonly RegionHealth[] | null;
  readonly alerts: readonly AlertView[] | null;
  readonly timeseries: readonly TimeseriesPoint[] | null;
  readonly devices: readonly DeviceStatsView[] | null;
  readonly controls: Controls | null;
  /** A panel query's last error (the panel shows it), by query. */
  readonly queryErrors: Readonly<Partial<Record<QueryKey, string>>>;
  readonly reachability: Reachability;
  readonly pending: Readonly<Record<string, boolean>>;
  readonly controlErrors: Readonly<Record<string, ControlError | undefined>>;
  /** The answer of the last `replay:start` (the snapshot's `pipeline.replay` wins when present). */
  readonly replayStarted: ReplayStatus | null;
  /** The answer of the last `control:generateHistory` (likewise `pipeline.history`). */
  readonly historyStarted: HistoryStatus | null;
  readonly lagHistory: Readonly<Record<number, readonly number[]>>;
  readonly flags: PipelineFlags;
}

export interface DashboardActions {
  /** Subscribes to the live push; returns the function that stops everything. */
  start(): () => void;
  setRange(range: RangeMinutes): void;
  /** Runs the panel queries now (unless one is in flight). */
  refresh(): Promise<void>;
  /** Runs a control call; its pending state and error are kept under `key`. */
  runControl<K extends ApiName>(
    key: string,
    name: K,
    params: Partial<ApiParams<K>>,
  ): Promise<ApiResult<K> | undefined>;
  clearControlError(key: string): void;
}

export type DashboardState = DashboardData & DashboardActions;
export type DashboardStore = StoreApi<DashboardState>;

type QueryKey =
  'rangeStats' | 'trending' | 'regions' | 'alerts' | 'timeseries' | 'devices' | 'controls';

export interface StoreOptions {
  readonly now?: () => number;
}

/**
 * An error that says the backend could not be reached (rather than a refused request). The
 * database being down is not that: the backend answers (503, or UnavailableError over IPC) and the
 * pipeline status says so, shown by its own notice.
 */
export function isUnreachable(err: unknown): boolean {
  if (!(err instanceof ApiError)) return true;
  if (err.status === 503 || err.name === 'UnavailableError') return false;
  return err.status === undefined ? err.name === 'NetworkError' : err.status >= 500;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Keeps the old reference when the answer did not change, so its panel does not re-render. */
function same<T>(previous: T | null, next: T): T {
  return previous !== null && JSON.stringify(previous) === JSON.stringify(next) ? previous : next;
}

export function createDashboardStore(
  client: ApiClient,
  options: StoreOptions = {},
): DashboardStore {
  const now = options.now ?? Date.now;
  let inFlight: Promise<void> | null = null;
  let lastRefreshAt = -Infinity;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  return createStore<DashboardState>()((set, get) => {
    const scheduleRetry = (attempt: number, error: string): void => {
      const delay = backoffDelay(attempt);
      set({
        reachability: { reachable: false, attempt, retryAt: now() + delay, lastError: error },
      });
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = setTimeout(() => {
        retryTimer = null;
        if (!stopped) void get().refresh();
      }, delay);
    };

    const queries = (range: RangeMinutes) =>
      [
        ['rangeStats', () => client.call('stats:realtime', { minutes: range })],
        [
          'trending',
          () => client.call('stats:trending', { minutes: range, limit: TRENDING_LIMIT }),
        ],
        ['regions', () => client.call('stats:regions', { minutes: range })],
        ['alerts', () => client.call('stats:alerts', { limit: ALERTS_LIMIT, status: 'all' })],
        ['timeseries', () => client.call('stats:timeseries', { minutes: 60, bucket: '1m' })],
        ['devices', () => client.call('stats:devices', { minutes: range })],
        ['controls', () => client.call('control:get', {})],
      ] as const satisfies ReadonlyArray<readonly [QueryKey, () => Promise<unknown>]>;

    const runRefresh = async (): Promise<void> => {
      lastRefreshAt = now();
      const range = get().range;
      const list = queries(range);
      const results = await Promise.allSettled(list.map(([, run]) => run()));
      if (stopped) return;
      const patch: Record<string, unknown> = {};
      const queryErrors: Partial<Record<QueryKey, string>> = {};
      let unreachable: unknown = null;
      results.forEach((result, i) => {
        const key = list[i]![0];
        if (result.status === 'fulfilled') {
          // A range change while the queries ran: drop the stale range's answers.
          if (get().range === range) patch[key] = same(get()[key] as unknown, result.value);
        } else {
          queryErrors[key] = messageOf(result.reason);
          if (isUnreachable(result.reason)) unreachable ??= result.reason;
        }
      });
      set({ ...(patch as Partial<DashboardData>), queryErrors });
      if (unreachable !== null)
        scheduleRetry(get().reachability.attempt + 1, messageOf(unreachable));
      else if (!get().reachability.reachable || get().reachability.attempt > 0)
        set({ reachability: { reachable: true, attempt: 0, retryAt: null, lastError: null } });
    };

    const onSnapshot = (live: LiveSnapshot): void => {
      const lagHistory = nextLagHistory(get().lagHistory, live.pipeline);
      set({ live, lagHistory, flags: pipelineFlags(live.pipeline, lagHistory) });
      // While a retry is scheduled, the backoff decides when to ask again.
      if (retryTimer === null && now() - lastRefreshAt >= REFRESH_INTERVAL_MS) void get().refresh();
    };

    return {
      connection: 'connecting',
      live: null,
      range: 5,
      rangeStats: null,
      trending: null,
      regions: null,
      alerts: null,
      timeseries: null,
      devices: null,
      controls: null,
      queryErrors: {},
      reachability: { reachable: true, attempt: 0, retryAt: null, lastError: null },
      pending: {},
      controlErrors: {},
      replayStarted: null,
      historyStarted: null,
      lagHistory: {},
      flags: NO_FLAGS,

      start() {
        stopped = false;
        const unsubscribe = client.subscribe(onSnapshot, (connection) => {
          if (get().connection !== connection) set({ connection });
        });
        void get().refresh();
        return () => {
          stopped = true;
          unsubscribe();
          if (retryTimer) clearTimeout(retryTimer);
          retryTimer = null;
        };
      },

      setRange(range) {
        if (range === get().range) return;
        set({ range, rangeStats: null, trending: null, regions: null, devices: null });
        void get().refresh();
      },

      refresh() {
        if (inFlight) return inFlight;
        if (retryTimer) {
          clearTimeout(retryTimer);
          retryTimer = null;
        }
        inFlight = runRefresh().finally(() => {
          inFlight = null;
        });
        return inFlight;
      },

      async runControl(key, name, params) {
        set({
          pending: { ...get().pending, [key]: true },
          controlErrors: { ...get().controlErrors, [key]: undefined },
        });
        try {
          const result = await client.call(name, params);
          const patch: { -readonly [K in keyof DashboardData]?: DashboardData[K] } = {};
          if (name.startsWith('control:') && name !== 'control:generateHistory')
            patch.controls = result as Controls;
          if (name === 'replay:start') patch.replayStarted = result as ReplayStatus;
          if (name === 'control:generateHistory') patch.historyStarted = result as HistoryStatus;
          set({ ...patch, pending: { ...get().pending, [key]: false } });
          // The change shows at once in the panels: ask again now rather than within a second.
          lastRefreshAt = -Infinity;
          void get().refresh();
          return result;
        } catch (err) {
          set({
            pending: { ...get().pending, [key]: false },
            controlErrors: {
              ...get().controlErrors,
              [key]: {
                message: messageOf(err),
                field: err instanceof ApiError ? err.field : undefined,
              },
            },
          });
          return undefined;
        }
      },

      clearControlError(key) {
        if (get().controlErrors[key])
          set({ controlErrors: { ...get().controlErrors, [key]: undefined } });
      },
    };
  });
}
