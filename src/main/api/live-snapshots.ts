/**
 * The live snapshot (realtime figures, pipeline status, newest alerts), computed at most once a
 * second and shared by every SSE client and the app's window, whatever their number.
 */
import type { ApiHandlers } from '../../shared/api-contract';
import type { LiveSnapshot } from '../../shared/live-snapshot';

export class LiveSnapshots {
  private readonly handlers: ApiHandlers;
  private readonly now: () => number;
  private latest: { at: number; snapshot: Promise<LiveSnapshot> } | null = null;

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

  private async compute(now: number): Promise<LiveSnapshot> {
    const [realtime, pipeline, recentAlerts] = await Promise.all([
      this.handlers['stats:realtime']({ minutes: 5 }),
      this.handlers['pipeline:status']({}),
      this.handlers['stats:alerts']({ limit: 10, status: 'all' }),
    ]);
    return { at: new Date(now).toISOString(), realtime, pipeline, recentAlerts };
  }
}
