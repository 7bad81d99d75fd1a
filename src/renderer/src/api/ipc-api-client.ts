/** The desktop app's transport: the preload bridge (IPC); live snapshots pushed by the main process. */
import type { ApiName, ApiParams, ApiResult } from '../../../shared/api-contract';
import type { LiveSnapshot } from '../../../shared/live-snapshot';
import type { StreamPulseBridge } from '../../../preload/bridge';
import type { ExportProgress, ExportRequestParams } from '../../../shared/export-contract';
import {
  ApiError,
  type ApiClient,
  type ConnectionState,
  type ExportEnd,
  type ExportHandle,
  type ExportStatus,
} from './api-types';

export class IpcApiClient implements ApiClient {
  readonly transport = 'ipc' as const;
  private readonly bridge: StreamPulseBridge;

  constructor(bridge: StreamPulseBridge) {
    this.bridge = bridge;
  }

  async call<K extends ApiName>(name: K, params?: Partial<ApiParams<K>>): Promise<ApiResult<K>> {
    try {
      return await this.bridge.call(name, params);
    } catch (err) {
      const error = err as Error & { field?: string; errors?: ApiError['errors'] };
      throw new ApiError(error.name, error.message, error.field, undefined, error.errors);
    }
  }

  /** The main process picks the file and writes it; progress comes back over IPC. */
  async startExport(
    params: ExportRequestParams,
    onProgress: (status: ExportStatus) => void,
  ): Promise<ExportHandle | null> {
    const exports = this.bridge.exports;
    let id: string | null = null;
    const early: ExportProgress[] = [];
    let settle: (progress: ExportProgress) => void = (p) => void early.push(p);
    const unsubscribe = exports.onProgress((progress) => {
      if (id === null)
        early.push(progress); // before start() answered: sorted out below
      else if (progress.id === id) settle(progress);
    });
    let started: { id: string; file: string } | null;
    try {
      started = await exports.start(params);
    } catch (err) {
      unsubscribe();
      const error = err as Error & { field?: string };
      throw new ApiError(error.name, error.message, error.field);
    }
    if (!started) {
      unsubscribe();
      return null;
    }
    id = started.id;
    const finished = new Promise<ExportEnd>((resolve, reject) => {
      settle = (p) => {
        const status = {
          rows: p.rows,
          bytes: p.bytes,
          totalRows: p.totalRows,
          totalIsExact: p.totalIsExact,
        };
        if (p.state === 'running') return onProgress(status);
        unsubscribe();
        if (p.state === 'failed')
          reject(new ApiError('ExportFailed', p.message ?? 'the export failed'));
        else resolve({ ...status, state: p.state, file: p.state === 'done' ? p.message : null });
      };
      for (const p of early.splice(0)) if (p.id === id) settle(p);
    });
    return { cancel: () => void exports.cancel(started.id), finished };
  }

  subscribe(
    onSnapshot: (snapshot: LiveSnapshot) => void,
    onConnection?: (state: ConnectionState) => void,
  ): () => void {
    onConnection?.('connected');
    return this.bridge.onLive(onSnapshot);
  }
}
