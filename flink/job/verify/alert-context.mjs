#!/usr/bin/env node
/**
 * Prints the job config's `alertContext` for a handover at FLOOR (ms or ISO), read from a
 * StreamPulse database the way the built-in engine's replay reads it (store/alert-context.ts, with
 * engine-runner.ts's lookback: (max consecutiveWindows − 1) windows):
 *   node flink/job/verify/alert-context.mjs DATABASE_URL FLOOR PARTITIONS LOOKBACK_MS > context.json
 * PARTITIONS: comma-separated, e.g. 0,1,2.
 */
import pg from 'pg';

const [url, floorArg, partitionsArg, lookbackArg] = process.argv.slice(2);
if (!url || !floorArg || !partitionsArg || !lookbackArg) {
  console.error('usage: alert-context.mjs DATABASE_URL FLOOR PARTITIONS LOOKBACK_MS');
  process.exit(2);
}
const at = /^\d+$/.test(floorArg) ? Number(floorArg) : Date.parse(floorArg);
const partitions = partitionsArg.split(',').map(Number);
const lookbackMs = Number(lookbackArg);
const client = new pg.Client({ connectionString: url });
await client.connect();
const rows = await client.query(
  `SELECT window_start, window_end, source_partition AS partition, region,
     total_downloads AS total, successful_downloads AS successful, failed_downloads AS failed,
     slow_downloads AS slow, success_rate, error_rate, avg_speed_mbps, p95_speed_mbps, speed_sum_mbps
   FROM region_health
   WHERE source_partition = ANY($1) AND window_start >= $2 AND window_end <= $3
   ORDER BY window_start`,
  [partitions, new Date(at - lookbackMs), new Date(at)],
);
const open = await client.query(
  `SELECT a.rule_id, a.alert_type, a.severity, a.message, a.region, a.metric_value,
          a.threshold_value, a.episode_start, a.created_at,
          (SELECT source_partition FROM region_health r
            WHERE r.region = a.region AND r.window_start < $1
            ORDER BY r.window_start DESC LIMIT 1) AS partition
     FROM alerts a
    WHERE a.created_at <= $1 AND (a.resolved_at IS NULL OR a.resolved_at > $1)`,
  [new Date(at)],
);
await client.end();
const context = {
  regionRows: rows.rows.map((r) => ({
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
  })),
  openAlerts: open.rows
    .filter((a) => a.partition !== null && partitions.includes(a.partition))
    .map((a) => ({
      partition: a.partition,
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
      },
    })),
};
console.log(JSON.stringify(context));
