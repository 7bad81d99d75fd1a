/** What the live push carries (SSE in a browser, IPC in the app), at most once a second. */
import type { AlertView, PipelineStatusView, RealtimeStats } from './api-contract';

export interface LiveSnapshot {
  readonly at: string;
  readonly realtime: RealtimeStats;
  readonly pipeline: PipelineStatusView;
  /** The newest alerts (the client tells new ones by id). */
  readonly recentAlerts: readonly AlertView[];
}
