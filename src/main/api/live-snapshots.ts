/**
 * The live snapshot (realtime figures, pipeline status, newest alerts), computed at most once a
 * second and shared by every SSE client and the app's window, whatever their number.
 */
import type { ApiHandlers, PipelineStatusView, RealtimeStats } from '../../shared/api-contract';
import type { LiveSnapshot } from '../../shared/live-snapshot';

export class LiveSnapshots {
  private readonly handlers: ApiHandlers;
  private readonly now: () => number;
  private latest: { at: number; snapshot: Promise<LiveSnapshot> } | null = null;
  /** The last figures read from the database: shown (with the status saying it is down) while it is. */
  private lastFromDatabase: Pick<LiveSnapshot, 'realtime' | 'recentAlerts'> | null = null;

  constructor(handlers: ApiHandlers, now: () => number = Date.now) {
    this.handlers = handlers;
    this.now = now;
  }

  snapshot(): Promise<LiveSnapshot> {
    const now = this.now();
    if (this.latest && now - this.latest.at < 1000) return this.latest.snapshot;
    const snapshot = this.compute(now);
    this.latest = { at: now, snapshot };
    // A failed snapshot is not kept: the next call tries again.
    snapshot.catch(() => (this.latest = null));
    return snapshot;
  }

  /**
   * The pipeline's status always comes through; when the database is down, the figures are the
   * last ones read (the status says the database is unreachable), so the page stays useful.
   */
  private async compute(now: number): Promise<LiveSnapshot> {
    const [realtime, pipeline, recentAlerts] = await Promise.allSettled([
      this.handlers['stats:realtime']({ minutes: 5 }),
      this.handlers['pipeline:status']({}),
      this.handlers['stats:alerts']({ limit: 10, status: 'all' }),
    ]);
    if (pipeline.status === 'rejected') throw pipeline.reason;
    if (realtime.status === 'fulfilled' && recentAlerts.status === 'fulfilled') {
      this.lastFromDatabase = { realtime: realtime.value, recentAlerts: recentAlerts.value };
    }
    const fromDatabase = this.lastFromDatabase ?? {
      realtime: emptyRealtime(now, pipeline.value),
      recentAlerts: [],
    };
    return { at: new Date(now).toISOString(), pipeline: pipeline.value, ...fromDatabase };
  }
}

/** No figures yet (the database has been down since the start): zeros, and the live rate. */
function emptyRealtime(now: number, pipeline: PipelineStatusView): RealtimeStats {
  return {
    minutes: 5,
    asOf: new Date(now).toISOString(),
    downloads: 0,
    successful: 0,
    failed: 0,
    slow: 0,
    successRate: 0,
    activeContent: 0,
    eventsPerSecond: pipeline.generator?.eventsPerSecond ?? 0,
    consumerLag: 0,
    watermarkDelayMs: null,
    partial: { windowStart: null, downloads: 0, failed: 0, slow: 0 },
  };
}
