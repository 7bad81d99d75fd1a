/**
 * The browser's transport: the local HTTP API (reads as GET with a query string, changes as JSON
 * with the launch token) and Server-Sent Events for live snapshots, which reconnect by themselves.
 */
import type { ApiErrorBody, ApiName, ApiParams, ApiResult } from '../../../shared/api-contract';
import { ROUTE_TABLE } from '../../../shared/api/routes';
import type { LiveSnapshot } from '../../../shared/live-snapshot';
import type { ExportRequestParams } from '../../../shared/export-contract';
import {
  ApiError,
  type ApiClient,
  type ConnectionState,
  type ExportHandle,
  type ExportStatus,
} from './api-types';
import { startHttpExport } from './http-export';

/** The part of EventSource the client uses (so tests can pass their own). */
export interface EventSourceLike {
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: 'snapshot', listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export class HttpApiClient implements ApiClient {
  readonly transport = 'http' as const;
  private readonly origin: string;
  private token: string;
  private readonly openStream: (url: string) => EventSourceLike;

  constructor(origin: string, token: string, openStream: (url: string) => EventSourceLike) {
    this.origin = origin;
    this.token = token;
    this.openStream = openStream;
  }

  async call<K extends ApiName>(
    name: K,
    params: Partial<ApiParams<K>> = {},
  ): Promise<ApiResult<K>> {
    try {
      return await this.send(name, params);
    } catch (err) {
      // A restarted backend has a new launch token: read it from our own page, then try once more.
      if (err instanceof ApiError && err.status === 401 && (await this.refreshToken())) {
        return this.send(name, params);
      }
      throw err;
    }
  }

  /** Reads the launch token from the page the server serves now; true if it changed. */
  private async refreshToken(): Promise<boolean> {
    try {
      const html = await (await fetch(new URL('/', this.origin))).text();
      const token = /<meta name="streampulse-token" content="([^"]+)"/.exec(html)?.[1];
      if (!token || token === this.token) return false;
      this.token = token;
      return true;
    } catch {
      return false;
    }
  }

  private async send<K extends ApiName>(
    name: K,
    params: Partial<ApiParams<K>>,
  ): Promise<ApiResult<K>> {
    const route = ROUTE_TABLE[name];
    // Path parameters (`/api/drills/{id}`) go in the path; the others in the query or body.
    const rest: Record<string, unknown> = { ...params };
    const path = route.path.replace(/\{(\w+)\}/g, (_m, key: string) => {
      const value = rest[key];
      delete rest[key];
      return encodeURIComponent(String(value));
    });
    const url = new URL(path, this.origin);
    const init: RequestInit = { method: route.method, headers: {} as Record<string, string> };
    const headers = init.headers as Record<string, string>;
    if (route.method === 'GET') {
      for (const [key, value] of Object.entries(rest))
        if (value !== undefined) url.searchParams.set(key, String(value));
    } else {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(rest);
    }
    if (route.mutating) headers.Authorization = `Bearer ${this.token}`;
    let response: Response;
    try {
      response = await fetch(url, init);
    } catch (err) {
      throw new ApiError(
        'NetworkError',
        `the backend is unreachable (${err instanceof Error ? err.message : String(err)})`,
      );
    }
    const body = (await response.json().catch(() => null)) as
      { data: ApiResult<K> } | ApiErrorBody | null;
    if (!response.ok || !body || !('data' in body)) {
      const error =
        body && 'error' in body
          ? body
          : { error: response.statusText, detail: `HTTP ${response.status}` };
      throw new ApiError(
        error.error,
        error.detail,
        'field' in error ? error.field : undefined,
        response.status,
        'errors' in error ? error.errors : undefined,
      );
    }
    return body.data;
  }

  startExport(
    params: ExportRequestParams,
    onProgress: (status: ExportStatus) => void,
  ): Promise<ExportHandle | null> {
    return startHttpExport(this.origin, () => this.token, params, onProgress);
  }

  subscribe(
    onSnapshot: (snapshot: LiveSnapshot) => void,
    onConnection?: (state: ConnectionState) => void,
  ): () => void {
    onConnection?.('connecting');
    const stream = this.openStream(new URL('/api/stream', this.origin).toString());
    stream.onopen = () => onConnection?.('connected');
    // EventSource retries on its own (the server asks for 2 s); the UI shows the gap meanwhile.
    stream.onerror = () => onConnection?.('disconnected');
    stream.addEventListener('snapshot', (event) => {
      onConnection?.('connected');
      onSnapshot(JSON.parse(event.data) as LiveSnapshot);
    });
    return () => stream.close();
  }
}
