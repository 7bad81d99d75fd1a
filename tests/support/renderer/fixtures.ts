/** Test data for the store's and components' tests: a snapshot and a fake API client. */
import type {
  ApiName,
  ApiParams,
  ApiResult,
  Controls,
  PipelineStatusView,
} from '../../../src/shared/api-contract';
import type { LiveSnapshot } from '../../../src/shared/live-snapshot';
import type { ApiClient, ConnectionState } from '../../../src/renderer/src/api/api-client';

export function pipelineStatus(
  partitions: ReadonlyArray<{ perSecond: number; lag: number }> = [
    { perSecond: 100, lag: 0 },
    { perSecond: 110, lag: 0 },
    { perSecond: 90, lag: 0 },
  ],
): PipelineStatusView {
  return {
    database: 'embedded PostgreSQL 18',
    databaseStatus: {
      kind: 'embedded',
      description: 'embedded PostgreSQL 18',
      state: 'up',
      error: null,
    },
    eventLog: { kind: 'embedded', description: 'embedded log' },
    paused: false,
    mainThreadLoopDelay: { p99Ms: 2, maxMs: 5, intervalMs: 10_000 },
    generator: { ratePerSecond: 300, eventsPerSecond: 300, produced: 9000 },
    engineKind: 'builtin',
    flink: null,
    log: {
      topic: 'download-events',
      partitioner: 'region',
      partitions: partitions.map((p, partition) => ({
        partition,
        endOffset: 1000 * (partition + 1),
        producedPerSecond: p.perSecond,
        lag: p.lag,
      })),
    },
    engine: {
      consumed: 9000,
      watermark: '2026-01-01T00:00:00.000Z',
      newestEventAt: '2026-01-01T00:00:01.000Z',
      openWindows: 1,
      lateEvents: 0,
      futureEvents: 0,
      deadLetters: 0,
      checkpoints: 3,
      lastCheckpointAt: '2026-01-01T00:00:00.000Z',
      lastCheckpointMs: 12,
      lagAsOf: '2026-01-01T00:00:01.000Z',
      lagAgeMs: 400,
      groupOffsetsChanged: null,
    },
    replay: { state: 'idle', from: null, progress: 0, message: null },
    history: {
      state: 'idle',
      from: null,
      to: null,
      generated: 0,
      total: 0,
      progress: 0,
      message: null,
    },
  };
}

export function snapshot(pipeline = pipelineStatus()): LiveSnapshot {
  return {
    at: '2026-01-01T00:00:02.000Z',
    realtime: {
      minutes: 5,
      asOf: '2026-01-01T00:00:00.000Z',
      downloads: 1200,
      successful: 1100,
      failed: 80,
      slow: 20,
      successRate: 1100 / 1200,
      activeContent: 42,
      eventsPerSecond: 300,
      consumerLag: 0,
      watermarkDelayMs: 1500,
      partial: { windowStart: '2026-01-01T00:00:00.000Z', downloads: 30, failed: 2, slow: 1 },
    },
    pipeline,
    recentAlerts: [],
  };
}

export const CONTROLS: Controls = {
  ratePerSecond: 300,
  outcomeMix: { failed: 0.08, slow: 0.02 },
  late: { fraction: 0, delayMs: 0 },
  injections: [],
  paused: false,
};

type Handler = (params: unknown) => unknown;

/** A fake client: answers from `handlers` (default: empty data), records calls, pushes snapshots. */
export class FakeClient implements ApiClient {
  readonly transport = 'http' as const;
  readonly calls: Array<{ name: ApiName; params: unknown }> = [];
  handlers: Partial<Record<ApiName, Handler>> = {};
  /** When set, every call fails with it. */
  failWith: Error | null = null;
  private onSnapshot: ((s: LiveSnapshot) => void) | null = null;
  private onConnection: ((s: ConnectionState) => void) | null = null;
  unsubscribed = false;

  async call<K extends ApiName>(name: K, params?: Partial<ApiParams<K>>): Promise<ApiResult<K>> {
    this.calls.push({ name, params });
    if (this.failWith) throw this.failWith;
    const handler = this.handlers[name];
    if (handler) return (await handler(params)) as ApiResult<K>;
    return defaultAnswer(name) as ApiResult<K>;
  }

  /** Exports are not part of the store's tests (the browser test covers them). */
  async startExport(): Promise<null> {
    return null;
  }

  subscribe(
    onSnapshot: (snapshot: LiveSnapshot) => void,
    onConnection?: (state: ConnectionState) => void,
  ): () => void {
    this.onSnapshot = onSnapshot;
    this.onConnection = onConnection ?? null;
    onConnection?.('connecting');
    return () => {
      this.unsubscribed = true;
    };
  }

  push(s: LiveSnapshot): void {
    this.onConnection?.('connected');
    this.onSnapshot?.(s);
  }

  connection(state: ConnectionState): void {
    this.onConnection?.(state);
  }

  count(name: ApiName): number {
    return this.calls.filter((c) => c.name === name).length;
  }
}

function defaultAnswer(name: ApiName): unknown {
  switch (name) {
    case 'stats:realtime':
      return snapshot().realtime;
    case 'control:get':
    case 'control:setRate':
    case 'control:setOutcomeMix':
    case 'control:inject':
    case 'control:clearInjections':
      return CONTROLS;
    case 'pipeline:status':
    case 'pipeline:pause':
    case 'pipeline:resume':
      return pipelineStatus();
    case 'replay:start':
      return { state: 'running', from: '2026-01-01T00:00:00.000Z', progress: 0, message: null };
    default:
      return [];
  }
}
