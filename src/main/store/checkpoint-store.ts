/**
 * Exactly-once: a checkpoint writes the final window rows, the alert changes, late events, dead
 * letters and each partition's engine state with its next offset in ONE transaction. After a
 * crash the engine restores the last checkpoint and re-reads from its offsets, so every event is
 * counted once: either its effect committed together with the offset past it, or neither did.
 *
 * Rows are upserted with full values (never increments), so writing a window again (a late
 * firing) is idempotent. A checkpoint only commits if the stored offsets are the ones this engine
 * last saw (compare-and-set), so a second engine, or a zombie, cannot double-write.
 */
import type pg from 'pg';
import type { AlertContext, AlertRecord } from '../engine/alert-tracker';
import {
  CheckpointConflictError,
  type CheckpointBatch,
  type CheckpointPort,
  type DeadLetter,
} from '../engine/checkpoint-port';
import { loadAlertContext } from './alert-context';
import type { LateEventRecord, PartitionSnapshot } from '../engine/partition-state';
import type { ContentStatsRow, DeviceStatsRow, RegionHealthRow } from '../engine/window-rows';
import { at, upsertRows, type UpsertColumn, type UpsertTable } from './upsert-rows';

/** The engine's checkpoint port on PostgreSQL. */
export class CheckpointStore implements CheckpointPort {
  private readonly pool: pg.Pool;
  private readonly groupId: string;
  /** The offsets this engine last committed (or loaded), per partition. */
  private readonly committed = new Map<number, number>();

  constructor(pool: pg.Pool, groupId: string) {
    this.pool = pool;
    this.groupId = groupId;
  }

  /** What the alert rules knew just before `at` (a replay's start): see loadAlertContext. */
  alertContext(
    partitions: readonly number[],
    at: number,
    lookbackMs: number,
  ): Promise<AlertContext> {
    return loadAlertContext(this.pool, partitions, at, lookbackMs);
  }

  /** The latest checkpoint of each partition asked for (none for a partition never checkpointed). */
  async load(partitions: readonly number[]): Promise<PartitionSnapshot[]> {
    const { rows } = await this.pool.query<{
      source_partition: number;
      next_offset: string;
      state: PartitionSnapshot;
    }>(
      'SELECT source_partition, next_offset, state FROM checkpoints WHERE group_id = $1 AND source_partition = ANY($2::int[])',
      [this.groupId, [...partitions]],
    );
    for (const row of rows) this.committed.set(row.source_partition, Number(row.next_offset));
    return rows.map((row) => row.state);
  }

  async earliestWindowStart(): Promise<number | null> {
    const { rows } = await this.pool.query<{ t: Date | null }>(
      'SELECT min(window_start) AS t FROM region_health',
    );
    return rows[0]?.t?.getTime() ?? null;
  }

  /** The log the checkpoint's offsets belong to; null when none was recorded (before version 3). */
  async loadLogId(): Promise<string | null> {
    const { rows } = await this.pool.query<{ log_id: string }>(
      'SELECT log_id FROM engine_log WHERE group_id = $1',
      [this.groupId],
    );
    return rows[0]?.log_id ?? null;
  }

  async commit(batch: CheckpointBatch): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await upsertRows(client, CONTENT_STATS, batch.rows.content);
      await upsertRows(client, REGION_HEALTH, batch.rows.region);
      await upsertRows(client, DEVICE_STATS, batch.rows.device);
      await upsertAlerts(client, batch.alerts);
      await insertLateEvents(client, batch.lateEvents);
      await insertDeadLetters(client, batch.deadLetters);
      for (const snapshot of batch.snapshots) await this.writeSnapshot(client, snapshot);
      if (batch.logId !== undefined) {
        await client.query(
          `INSERT INTO engine_log (group_id, log_id) VALUES ($1, $2)
           ON CONFLICT (group_id) DO UPDATE SET log_id = EXCLUDED.log_id, updated_at = now()
           WHERE engine_log.log_id IS DISTINCT FROM EXCLUDED.log_id`,
          [this.groupId, batch.logId],
        );
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    for (const snapshot of batch.snapshots)
      this.committed.set(snapshot.partition, snapshot.nextOffset);
  }

  private async writeSnapshot(client: pg.PoolClient, snapshot: PartitionSnapshot): Promise<void> {
    const previous = this.committed.get(snapshot.partition);
    const watermark = snapshot.watermark === null ? null : new Date(snapshot.watermark);
    const result =
      previous === undefined
        ? await client.query(
            `INSERT INTO checkpoints (group_id, source_partition, next_offset, watermark, state)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
            [this.groupId, snapshot.partition, snapshot.nextOffset, watermark, snapshot],
          )
        : await client.query(
            `UPDATE checkpoints SET next_offset = $3, watermark = $4, state = $5, updated_at = now()
             WHERE group_id = $1 AND source_partition = $2 AND next_offset = $6`,
            [this.groupId, snapshot.partition, snapshot.nextOffset, watermark, snapshot, previous],
          );
    if (result.rowCount !== 1) {
      throw new CheckpointConflictError(
        `partition ${snapshot.partition} of group "${this.groupId}" was checkpointed by another engine; ` +
          'this one stops so nothing is counted twice (is a second StreamPulse running on the same database?)',
      );
    }
  }
}

const dates = (ms: readonly number[]): Date[] => ms.map(at);

/** The window key every window table starts with: its start, end and source partition. */
function windowColumns<R extends WindowKeyed>(): UpsertColumn<R>[] {
  return [
    { name: 'window_start', type: 'timestamptz', value: (r) => at(r.windowStart), key: true },
    { name: 'window_end', type: 'timestamptz', value: (r) => at(r.windowEnd), insertOnly: true },
    { name: 'source_partition', type: 'int', value: (r) => r.partition, key: true },
  ];
}

type WindowKeyed = {
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly partition: number;
};

const CONTENT_STATS: UpsertTable<ContentStatsRow> = {
  table: 'content_stats',
  columns: [
    ...windowColumns<ContentStatsRow>(),
    { name: 'content_id', type: 'text', value: (r) => r.contentId, key: true },
    { name: 'title', type: 'text', value: (r) => r.title },
    { name: 'content_type', type: 'text', value: (r) => r.contentType, insertOnly: true },
    { name: 'download_count', type: 'int', value: (r) => r.downloads },
    { name: 'successful_downloads', type: 'int', value: (r) => r.successful },
    { name: 'failed_downloads', type: 'int', value: (r) => r.failed },
    { name: 'slow_downloads', type: 'int', value: (r) => r.slow },
    { name: 'bytes_downloaded', type: 'bigint', value: (r) => r.bytes },
  ],
};

const REGION_HEALTH: UpsertTable<RegionHealthRow> = {
  table: 'region_health',
  columns: [
    ...windowColumns<RegionHealthRow>(),
    { name: 'region', type: 'text', value: (r) => r.region, key: true },
    { name: 'total_downloads', type: 'int', value: (r) => r.total },
    { name: 'successful_downloads', type: 'int', value: (r) => r.successful },
    { name: 'failed_downloads', type: 'int', value: (r) => r.failed },
    { name: 'slow_downloads', type: 'int', value: (r) => r.slow },
    { name: 'success_rate', type: 'float8', value: (r) => r.successRate },
    { name: 'error_rate', type: 'float8', value: (r) => r.errorRate },
    { name: 'avg_speed_mbps', type: 'float8', value: (r) => r.avgSpeedMbps },
    { name: 'p95_speed_mbps', type: 'float8', value: (r) => r.p95SpeedMbps },
    { name: 'speed_sum_mbps', type: 'float8', value: (r) => r.speedSumMbps },
  ],
};

const DEVICE_STATS: UpsertTable<DeviceStatsRow> = {
  table: 'device_stats',
  columns: [
    ...windowColumns<DeviceStatsRow>(),
    { name: 'device_type', type: 'text', value: (r) => r.deviceType, key: true },
    { name: 'downloads', type: 'int', value: (r) => r.downloads },
    { name: 'successful_downloads', type: 'int', value: (r) => r.successful },
    { name: 'failed_downloads', type: 'int', value: (r) => r.failed },
    { name: 'slow_downloads', type: 'int', value: (r) => r.slow },
    { name: 'success_rate', type: 'float8', value: (r) => r.successRate },
    { name: 'avg_speed_mbps', type: 'float8', value: (r) => r.avgSpeedMbps },
    { name: 'avg_duration_ms', type: 'float8', value: (r) => r.avgDurationMs },
    { name: 'speed_sum_mbps', type: 'float8', value: (r) => r.speedSumMbps },
    { name: 'duration_sum_ms', type: 'float8', value: (r) => r.durationSumMs },
  ],
};

/** Acknowledgement is the user's: an upsert never touches it. */
async function upsertAlerts(client: pg.PoolClient, alerts: readonly AlertRecord[]): Promise<void> {
  for (const a of alerts) {
    await client.query(
      `INSERT INTO alerts (rule_id, alert_type, severity, message, region, metric_value, threshold_value,
         episode_start, created_at, resolved_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (rule_id, region, episode_start) DO UPDATE SET
         severity = EXCLUDED.severity, message = EXCLUDED.message, metric_value = EXCLUDED.metric_value,
         resolved_at = EXCLUDED.resolved_at`,
      [
        a.ruleId,
        a.type,
        a.severity,
        a.message,
        a.region,
        a.metricValue,
        a.thresholdValue,
        new Date(a.episodeStart),
        new Date(a.createdAt),
        a.resolvedAt === null ? null : new Date(a.resolvedAt),
      ],
    );
  }
}

async function insertLateEvents(
  client: pg.PoolClient,
  events: readonly LateEventRecord[],
): Promise<void> {
  if (events.length === 0) return;
  await client.query(
    `INSERT INTO late_events (source_partition, source_offset, event_id, event_time, window_start, region,
       status, watermark, reason)
     SELECT * FROM unnest($1::int[], $2::bigint[], $3::uuid[], $4::timestamptz[], $5::timestamptz[],
       $6::text[], $7::text[], $8::timestamptz[], $9::text[])
     ON CONFLICT DO NOTHING`,
    [
      events.map((e) => e.partition),
      events.map((e) => e.offset),
      events.map((e) => e.eventId),
      dates(events.map((e) => e.eventTime)),
      dates(events.map((e) => e.windowStart)),
      events.map((e) => e.region),
      events.map((e) => e.status),
      dates(events.map((e) => e.watermark)),
      events.map((e) => e.reason ?? 'late'),
    ],
  );
}

async function insertDeadLetters(
  client: pg.PoolClient,
  letters: readonly DeadLetter[],
): Promise<void> {
  for (const letter of letters) {
    await client.query(
      `INSERT INTO dead_letters (source_partition, source_offset, last_offset, error, raw, raw_length)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [
        letter.partition,
        letter.offset,
        letter.lastOffset ?? null,
        letter.error,
        letter.raw,
        letter.rawLength,
      ],
    );
  }
}
