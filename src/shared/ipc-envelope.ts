/**
 * What crosses IPC for one call: `{result}` or `{error}`. The preload turns an error back into a
 * real Error (with its name and the parameter at fault), so the renderer never sees Electron's
 * "Error invoking remote method".
 */
export type IpcEnvelope<T> = { readonly result: T } | { readonly error: IpcError };

export interface IpcError {
  readonly name: string;
  readonly message: string;
  readonly field?: string;
  readonly errors?: ReadonlyArray<{ readonly field: string; readonly message: string }>;
}

/** The push channel: live snapshots at most once a second. */
export const LIVE_CHANNEL = 'live:snapshot';

/** Extra IPC call outside the API table: the launch token and the local HTTP address. */
export const SESSION_CHANNEL = 'session:get';

export interface SessionInfo {
  /** The local HTTP API (for opening the dashboard in a browser, scripts). */
  readonly httpUrl: string;
  /** The per-launch token mutating HTTP routes need. */
  readonly token: string;
}
