/**
 * What the preload exposes as `window.streampulse` (absent when the dashboard runs in a browser):
 * the API as one small nested object (`streampulse.stats.trending({ minutes: 15 })`), a generic
 * `call`, the session, and `onLive`, whose return value unsubscribes.
 */
import type { ApiName, ApiParams, ApiResult } from '../shared/api-contract';
import type { SessionInfo } from '../shared/ipc-envelope';
import type { LiveSnapshot } from '../shared/live-snapshot';
import type { ExportProgress, ExportRequestParams } from '../shared/export-contract';

type Call<K extends ApiName> = (params?: Partial<ApiParams<K>>) => Promise<ApiResult<K>>;

/** `domain:verb` names grouped by domain: `{ stats: { trending: Call<'stats:trending'>, ... } }`. */
export type NestedApi = {
  readonly [D in ApiName as D extends `${infer Domain}:${string}` ? Domain : never]: {
    readonly [K in ApiName as K extends `${D}:${infer Verb}` ? Verb : never]: Call<K>;
  };
} & { readonly health: Call<'health'> };

export interface StreamPulseBridge {
  readonly shell: 'electron';
  readonly api: NestedApi;
  call<K extends ApiName>(name: K, params?: Partial<ApiParams<K>>): Promise<ApiResult<K>>;
  session(): Promise<SessionInfo>;
  /** Live snapshots pushed by the main process; returns the unsubscribe function. */
  onLive(listener: (snapshot: LiveSnapshot) => void): () => void;
  /** Exports: the main process asks where to save, writes the file and pushes progress. */
  readonly exports: {
    /** Its id and file, or null when the user cancelled the save dialog. */
    start(params: ExportRequestParams): Promise<{ id: string; file: string } | null>;
    cancel(id: string): Promise<void>;
    onProgress(listener: (progress: ExportProgress) => void): () => void;
  };
}
