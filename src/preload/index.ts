/**
 * The bridge between the sandboxed window and the main process: one narrow object,
 * `window.streampulse`, built from the API contract. An `{error}` answer becomes a real Error with
 * its name and field, so the renderer never sees "Error invoking remote method".
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_NAMES, type ApiName } from '../shared/api/routes';
import {
  LIVE_CHANNEL,
  SESSION_CHANNEL,
  type IpcEnvelope,
  type IpcError,
  type SessionInfo,
} from '../shared/ipc-envelope';
import type { LiveSnapshot } from '../shared/live-snapshot';
import { EXPORT_CHANNELS, type ExportProgress } from '../shared/export-contract';
import type { NestedApi, StreamPulseBridge } from './bridge';

async function invoke<T>(channel: string, params?: unknown): Promise<T> {
  const envelope = (await ipcRenderer.invoke(channel, params ?? {})) as IpcEnvelope<T>;
  if ('error' in envelope) {
    const error = new Error(envelope.error.message) as Error & {
      field?: string;
      errors?: IpcError['errors'];
    };
    error.name = envelope.error.name;
    if (envelope.error.field) error.field = envelope.error.field;
    if (envelope.error.errors) error.errors = envelope.error.errors;
    throw error;
  }
  return envelope.result;
}

function nestedApi(): NestedApi {
  const api: Record<string, unknown> = {};
  for (const name of API_NAMES) {
    const [domain, verb] = name.split(':') as [string, string | undefined];
    const call = (params?: unknown): Promise<unknown> => invoke(name, params);
    if (verb === undefined) api[domain] = call;
    else api[domain] = { ...(api[domain] as object | undefined), [verb]: call };
  }
  return api as NestedApi;
}

const bridge: StreamPulseBridge = {
  shell: 'electron',
  api: nestedApi(),
  call: (name: ApiName, params?: unknown) => invoke(name, params),
  session: () => invoke<SessionInfo>(SESSION_CHANNEL),
  onLive: (listener) => {
    // Strip Electron's event: the page gets the snapshot only.
    const wrapped = (_event: IpcRendererEvent, snapshot: LiveSnapshot): void => listener(snapshot);
    ipcRenderer.on(LIVE_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(LIVE_CHANNEL, wrapped);
  },
  exports: {
    start: (params) => invoke(EXPORT_CHANNELS.start, params),
    cancel: (id) => invoke(EXPORT_CHANNELS.cancel, { id }),
    onProgress: (listener) => {
      const wrapped = (_event: IpcRendererEvent, progress: ExportProgress): void =>
        listener(progress);
      ipcRenderer.on(EXPORT_CHANNELS.progress, wrapped);
      return () => ipcRenderer.removeListener(EXPORT_CHANNELS.progress, wrapped);
    },
  },
};

contextBridge.exposeInMainWorld('streampulse', bridge);
