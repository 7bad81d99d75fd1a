/** The desktop app's transport: the preload bridge (IPC); live snapshots pushed by the main process. */
import type { ApiName, ApiParams, ApiResult } from '../../../shared/api-contract';
import type { LiveSnapshot } from '../../../shared/live-snapshot';
import type { StreamPulseBridge } from '../../../preload/bridge';
import { ApiError, type ApiClient, type ConnectionState } from './api-client';

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

  subscribe(
    onSnapshot: (snapshot: LiveSnapshot) => void,
    onConnection?: (state: ConnectionState) => void,
  ): () => void {
    onConnection?.('connected');
    return this.bridge.onLive(onSnapshot);
  }
}
