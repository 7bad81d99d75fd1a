/**
 * What the alert rules knew just before a time, read back from the tables: the region rows of the
 * last windows before it and the alerts open at it. A replay from that time primes its fresh alert
 * trackers with them, so it judges the windows after it as the first pass did: an episode that
 * spans the replay's start continues (same identity, resolved when it was), and a streak begun
 * before it completes at the same window.
 */
import type pg from 'pg';
import type { AlertContext, AlertRecord } from '../engine/alert-tracker';
import type { Severity } from '../engine/alert-rules';
import type { RegionHealthRow } from '../engine/window-rows';
import {
  REGION_HEALTH_COLUMNS,
  toRegionHealthRow,
  type RegionHealthSqlRow,
} from './region-health-rows';

export async function loadAlertContext(
  pool: pg.Pool,
  partitions: readonly number[],
  at: number,
  lookbackMs: number,
): Promise<AlertContext> {
  const rows = await pool.query<RegionHealthSqlRow>(
    `SELECT ${REGION_HEALTH_COLUMNS}
       FROM region_health
      WHERE source_partition = ANY($1) AND window_start >= $2 AND window_end <= $3
      ORDER BY window_start`,
    [partitions, new Date(at - lookbackMs), new Date(at)],
  );
  const regionRows: RegionHealthRow[] = rows.rows.map(toRegionHealthRow);

  // Open at `at`: its streak completed by then, and no healthy window had ended by then. Its
  // partition is the one its region's rows came from, last before `at`.
  const open = await pool.query<{
    rule_id: string;
    alert_type: string;
    severity: Severity;
    message: string;
    region: string;
    metric_value: number;
    threshold_value: number;
    episode_start: Date;
    created_at: Date;
    partition: number | null;
  }>(
    `SELECT a.rule_id, a.alert_type, a.severity, a.message, a.region, a.metric_value,
            a.threshold_value, a.episode_start, a.created_at,
            (SELECT source_partition FROM region_health r
              WHERE r.region = a.region AND r.window_start < $1
              ORDER BY r.window_start DESC LIMIT 1) AS partition
       FROM alerts a
      WHERE a.created_at <= $1 AND (a.resolved_at IS NULL OR a.resolved_at > $1)`,
    [new Date(at)],
  );
  const openAlerts = open.rows
    .filter((a) => a.partition !== null && partitions.includes(a.partition))
    .map((a) => ({
      partition: a.partition!,
      alert: {
        ruleId: a.rule_id,
        type: a.alert_type,
        severity: a.severity,
        message: a.message,
        region: a.region,
        metricValue: a.metric_value,
        thresholdValue: a.threshold_value,
        episodeStart: a.episode_start.getTime(),
        createdAt: a.created_at.getTime(),
        resolvedAt: null,
      } satisfies AlertRecord,
    }));
  return { regionRows, openAlerts };
}
