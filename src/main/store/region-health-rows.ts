/** region_health rows read back as the engine's RegionHealthRow (alert priming, drills). */
import type { RegionHealthRow } from '../engine/window-rows';

/** The select list, with the columns named as RegionHealthSqlRow has them. */
export const REGION_HEALTH_COLUMNS = `window_start, window_end, source_partition AS partition, region,
  total_downloads AS total, successful_downloads AS successful, failed_downloads AS failed,
  slow_downloads AS slow, success_rate, error_rate, avg_speed_mbps, p95_speed_mbps, speed_sum_mbps`;

export interface RegionHealthSqlRow {
  window_start: Date;
  window_end: Date;
  partition: number;
  region: string;
  total: number;
  successful: number;
  failed: number;
  slow: number;
  success_rate: number;
  error_rate: number;
  avg_speed_mbps: number;
  p95_speed_mbps: number;
  speed_sum_mbps: number;
}

export function toRegionHealthRow(r: RegionHealthSqlRow): RegionHealthRow {
  return {
    windowStart: r.window_start.getTime(),
    windowEnd: r.window_end.getTime(),
    partition: r.partition,
    region: r.region,
    total: Number(r.total),
    successful: Number(r.successful),
    failed: Number(r.failed),
    slow: Number(r.slow),
    successRate: r.success_rate,
    errorRate: r.error_rate,
    avgSpeedMbps: r.avg_speed_mbps,
    p95SpeedMbps: r.p95_speed_mbps,
    speedSumMbps: r.speed_sum_mbps,
  };
}
