/**
 * One API client for the dashboard, two transports: the preload bridge in the desktop app (IPC),
 * HTTP + Server-Sent Events in a browser. Chosen once at start; components never know which.
 */
import { HttpApiClient } from './http-api-client';
import { IpcApiClient } from './ipc-api-client';
import type { ApiClient } from './api-types';

export {
  ApiError,
  type ApiClient,
  type ConnectionState,
  type ExportEnd,
  type ExportHandle,
  type ExportStatus,
} from './api-types';

export function createApiClient(): ApiClient {
  if (window.streampulse) return new IpcApiClient(window.streampulse);
  const token =
    document.querySelector<HTMLMetaElement>('meta[name="streampulse-token"]')?.content ?? '';
  return new HttpApiClient(window.location.origin, token, (url) => new EventSource(url));
}
