/**
 * One API client for the dashboard, two transports: the preload bridge in the desktop app (IPC),
 * HTTP + Server-Sent Events in a browser. Chosen once at start; components never know which.
 */
import type { ApiName, ApiParams, ApiResult } from '../../../shared/api-contract';
import type { LiveSnapshot } from '../../../shared/live-snapshot';
import { HttpApiClient } from './http-api-client';
import { IpcApiClient } from './ipc-api-client';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface ApiClient {
  readonly transport: 'ipc' | 'http';
  call<K extends ApiName>(name: K, params?: Partial<ApiParams<K>>): Promise<ApiResult<K>>;
  /** Live snapshots as they come; returns the unsubscribe function. */
  subscribe(
    onSnapshot: (snapshot: LiveSnapshot) => void,
    onConnection?: (state: ConnectionState) => void,
  ): () => void;
}

/** An API error with what the UI shows next to the control that caused it. */
export class ApiError extends Error {
  readonly field: string | undefined;
  readonly status: number | undefined;
  /** Every field at fault, when several are (the settings form). */
  readonly errors: ReadonlyArray<{ readonly field: string; readonly message: string }>;

  constructor(
    name: string,
    message: string,
    field?: string,
    status?: number,
    errors: ApiError['errors'] = field ? [{ field, message }] : [],
  ) {
    super(message);
    this.name = name;
    this.field = field;
    this.status = status;
    this.errors = errors;
  }
}

export function createApiClient(): ApiClient {
  if (window.streampulse) return new IpcApiClient(window.streampulse);
  const token =
    document.querySelector<HTMLMetaElement>('meta[name="streampulse-token"]')?.content ?? '';
  return new HttpApiClient(window.location.origin, token, (url) => new EventSource(url));
}
