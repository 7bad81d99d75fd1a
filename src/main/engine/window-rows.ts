/** The rows a window produces: what the store upserts and the API reads (partial for open windows). */
import { quantile } from './speed-histogram';
import type { WindowAggregates } from './window-aggregates';

interface WindowKey {
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly partition: number;
}

export interface ContentStatsRow extends WindowKey {
  readonly contentId: string;
  readonly title: string;
  readonly contentType: string;
  readonly downloads: number;
  readonly successful: number;
  readonly failed: number;
  readonly slow: number;
  readonly bytes: number;
}

export interface RegionHealthRow extends WindowKey {
  readonly region: string;
  readonly total: number;
  readonly successful: number;
  readonly failed: number;
  readonly slow: number;
  readonly successRate: number;
  readonly errorRate: number;
  readonly avgSpeedMbps: number;
  readonly p95SpeedMbps: number;
  readonly speedSumMbps: number;
}

export interface DeviceStatsRow extends WindowKey {
  readonly deviceType: string;
  readonly downloads: number;
  readonly successful: number;
  readonly failed: number;
  readonly slow: number;
  readonly successRate: number;
  readonly avgSpeedMbps: number;
  readonly avgDurationMs: number;
  readonly speedSumMbps: number;
  readonly durationSumMs: number;
}

export interface WindowRows {
  readonly content: ContentStatsRow[];
  readonly region: RegionHealthRow[];
  readonly device: DeviceStatsRow[];
}

export function emptyRows(): WindowRows {
  return { content: [], region: [], device: [] };
}

/** Appends the rows of one window of one partition to `into`. */
export function appendRows(into: WindowRows, window: WindowAggregates, partition: number): void {
  const key = { windowStart: window.start, windowEnd: window.end, partition };
  for (const a of window.content.values()) {
    into.content.push({
      ...key,
      contentId: a.contentId,
      title: a.title,
      contentType: a.contentType,
      downloads: a.total,
      successful: a.successful,
      failed: a.failed,
      slow: a.slow,
      bytes: a.bytes,
    });
  }
  for (const a of window.region.values()) {
    into.region.push({
      ...key,
      region: a.region,
      total: a.total,
      successful: a.successful,
      failed: a.failed,
      slow: a.slow,
      successRate: a.successful / a.total,
      errorRate: a.failed / a.total,
      avgSpeedMbps: a.speedSum / a.total,
      p95SpeedMbps: quantile(a.speeds, a.total, 0.95),
      speedSumMbps: a.speedSum,
    });
  }
  for (const a of window.device.values()) {
    into.device.push({
      ...key,
      deviceType: a.deviceType,
      downloads: a.total,
      successful: a.successful,
      failed: a.failed,
      slow: a.slow,
      successRate: a.successful / a.total,
      avgSpeedMbps: a.speedSum / a.total,
      avgDurationMs: a.durationSum / a.total,
      speedSumMbps: a.speedSum,
      durationSumMs: a.durationSum,
    });
  }
}
