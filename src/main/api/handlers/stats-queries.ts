/**
 * The dashboard's reads. Ranges end at the data's own "as of" time (the end of the newest final
 * window), so a run over past event time shows too; rows are summed over source partitions.
 */
import type pg from 'pg';

/** End of the newest final window, or `fallback` (now) when there is none. */
export async function asOfTime(pool: pg.Pool, fallback: number): Promise<number> {
  const { rows } = await pool.query<{ t: Date | null }>(
    'SELECT max(window_end) AS t FROM region_health',
  );
  return rows[0]?.t ? rows[0].t.getTime() : fallback;
}

export interface OutcomeTotals {
  downloads: number;
  successful: number;
  failed: number;
  slow: number;
}

export async function totalsSince(
  pool: pg.Pool,
  since: Date,
): Promise<OutcomeTotals & { contentIds: string[] }> {
  const totals = await pool.query<OutcomeTotals>(
    `SELECT COALESCE(SUM(total_downloads), 0)::int AS downloads, COALESCE(SUM(successful_downloads), 0)::int AS successful,
            COALESCE(SUM(failed_downloads), 0)::int AS failed, COALESCE(SUM(slow_downloads), 0)::int AS slow
     FROM region_health WHERE window_start >= $1`,
    [since],
  );
  // Titles number in the hundreds: the ids themselves, so the open window's can be added.
  const content = await pool.query<{ id: string }>(
    'SELECT DISTINCT content_id AS id FROM content_stats WHERE window_start >= $1',
    [since],
  );
  return { ...totals.rows[0]!, contentIds: content.rows.map((r) => r.id) };
}

export function trending(pool: pg.Pool, since: Date, limit: number) {
  return pool.query<{
    contentId: string;
    title: string;
    contentType: string;
    downloads: number;
    successful: number;
    failed: number;
  }>(
    `SELECT content_id AS "contentId", max(title) AS title, max(content_type) AS "contentType",
            SUM(download_count)::int AS downloads, SUM(successful_downloads)::int AS successful,
            SUM(failed_downloads)::int AS failed
     FROM content_stats WHERE window_start >= $1
     GROUP BY content_id ORDER BY downloads DESC, content_id LIMIT $2`,
    [since, limit],
  );
}

export function regions(pool: pg.Pool, since: Date) {
  return pool.query<{
    region: string;
    total: number;
    successful: number;
    failed: number;
    slow: number;
    avgSpeedMbps: number;
    p95SpeedMbps: number;
    inAlert: boolean;
  }>(
    `SELECT r.region, SUM(total_downloads)::int AS total, SUM(successful_downloads)::int AS successful,
            SUM(failed_downloads)::int AS failed, SUM(slow_downloads)::int AS slow,
            SUM(speed_sum_mbps) / NULLIF(SUM(total_downloads), 0) AS "avgSpeedMbps",
            MAX(p95_speed_mbps) AS "p95SpeedMbps",
            EXISTS (SELECT 1 FROM alerts a WHERE a.region = r.region AND a.resolved_at IS NULL) AS "inAlert"
     FROM region_health r WHERE window_start >= $1 GROUP BY r.region ORDER BY r.region`,
    [since],
  );
}

export function devices(pool: pg.Pool, since: Date) {
  return pool.query<{
    deviceType: string;
    downloads: number;
    successRate: number;
    avgSpeedMbps: number;
    avgDurationMs: number;
  }>(
    `SELECT device_type AS "deviceType", SUM(downloads)::int AS downloads,
            SUM(successful_downloads)::float8 / NULLIF(SUM(downloads), 0) AS "successRate",
            SUM(speed_sum_mbps) / NULLIF(SUM(downloads), 0) AS "avgSpeedMbps",
            SUM(duration_sum_ms) / NULLIF(SUM(downloads), 0) AS "avgDurationMs"
     FROM device_stats WHERE window_start >= $1 GROUP BY device_type ORDER BY device_type`,
    [since],
  );
}

export function timeseries(pool: pg.Pool, since: Date, bucketMinutes: number) {
  return pool.query<{ bucket: Date; downloads: number; failed: number; slow: number }>(
    `SELECT date_bin(make_interval(mins => $2), window_start, TIMESTAMPTZ 'epoch') AS bucket,
            SUM(total_downloads)::int AS downloads, SUM(failed_downloads)::int AS failed, SUM(slow_downloads)::int AS slow
     FROM region_health WHERE window_start >= $1 GROUP BY 1 ORDER BY 1`,
    [since, bucketMinutes],
  );
}

export const ALERT_COLUMNS = `id::int, alert_type AS type, severity, message, region, metric_value AS "metricValue",
  threshold_value AS "thresholdValue", episode_start AS "episodeStart", created_at AS "createdAt",
  resolved_at AS "resolvedAt", acknowledged, acknowledged_at AS "acknowledgedAt"`;
