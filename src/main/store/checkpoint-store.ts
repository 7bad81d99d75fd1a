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
import type { WindowRows } from '../engine/window-rows';

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
      await upsertContent(client, batch.rows.content);
      await upsertRegions(client, batch.rows.region);
      await upsertDevices(client, batch.rows.device);
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

const dates = (ms: readonly number[]): Date[] => ms.map((t) => new Date(t));

async function upsertContent(client: pg.PoolClient, rows: WindowRows['content']): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO content_stats (window_start, window_end, source_partition, content_id, title, content_type,
       download_count, successful_downloads, failed_downloads, slow_downloads, bytes_downloaded)
     SELECT * FROM unnest($1::timestamptz[], $2::timestamptz[], $3::int[], $4::text[], $5::text[], $6::text[],
       $7::int[], $8::int[], $9::int[], $10::int[], $11::bigint[])
     ON CONFLICT (window_start, content_id, source_partition) DO UPDATE SET
       download_count = EXCLUDED.download_count, successful_downloads = EXCLUDED.successful_downloads,
       failed_downloads = EXCLUDED.failed_downloads, slow_downloads = EXCLUDED.slow_downloads,
       bytes_downloaded = EXCLUDED.bytes_downloaded, title = EXCLUDED.title, updated_at = now()`,
    [
      dates(rows.map((r) => r.windowStart)),
      dates(rows.map((r) => r.windowEnd)),
      rows.map((r) => r.partition),
      rows.map((r) => r.contentId),
      rows.map((r) => r.title),
      rows.map((r) => r.contentType),
      rows.map((r) => r.downloads),
      rows.map((r) => r.successful),
      rows.map((r) => r.failed),
      rows.map((r) => r.slow),
      rows.map((r) => r.bytes),
    ],
  );
}

async function upsertRegions(client: pg.PoolClient, rows: WindowRows['region']): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO region_health (window_start, window_end, source_partition, region, total_downloads,
       successful_downloads, failed_downloads, slow_downloads, success_rate, error_rate, avg_speed_mbps,
       p95_speed_mbps, speed_sum_mbps)
     SELECT * FROM unnest($1::timestamptz[], $2::timestamptz[], $3::int[], $4::text[], $5::int[], $6::int[],
       $7::int[], $8::int[], $9::float8[], $10::float8[], $11::float8[], $12::float8[], $13::float8[])
     ON CONFLICT (window_start, region, source_partition) DO UPDATE SET
       total_downloads = EXCLUDED.total_downloads, successful_downloads = EXCLUDED.successful_downloads,
       failed_downloads = EXCLUDED.failed_downloads, slow_downloads = EXCLUDED.slow_downloads,
       success_rate = EXCLUDED.success_rate, error_rate = EXCLUDED.error_rate,
       avg_speed_mbps = EXCLUDED.avg_speed_mbps, p95_speed_mbps = EXCLUDED.p95_speed_mbps,
       speed_sum_mbps = EXCLUDED.speed_sum_mbps, updated_at = now()`,
    [
      dates(rows.map((r) => r.windowStart)),
      dates(rows.map((r) => r.windowEnd)),
      rows.map((r) => r.partition),
      rows.map((r) => r.region),
      rows.map((r) => r.total),
      rows.map((r) => r.successful),
      rows.map((r) => r.failed),
      rows.map((r) => r.slow),
      rows.map((r) => r.successRate),
      rows.map((r) => r.errorRate),
      rows.map((r) => r.avgSpeedMbps),
      rows.map((r) => r.p95SpeedMbps),
      rows.map((r) => r.speedSumMbps),
    ],
  );
}

async function upsertDevices(client: pg.PoolClient, rows: WindowRows['device']): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO device_stats (window_start, window_end, source_partition, device_type, downloads,
       successful_downloads, failed_downloads, slow_downloads, success_rate, avg_speed_mbps, avg_duration_ms,
       speed_sum_mbps, duration_sum_ms)
     SELECT * FROM unnest($1::timestamptz[], $2::timestamptz[], $3::int[], $4::text[], $5::int[], $6::int[],
       $7::int[], $8::int[], $9::float8[], $10::float8[], $11::float8[], $12::float8[], $13::float8[])
     ON CONFLICT (window_start, device_type, source_partition) DO UPDATE SET
       downloads = EXCLUDED.downloads, successful_downloads = EXCLUDED.successful_downloads,
       failed_downloads = EXCLUDED.failed_downloads, slow_downloads = EXCLUDED.slow_downloads,
       success_rate = EXCLUDED.success_rate, avg_speed_mbps = EXCLUDED.avg_speed_mbps,
       avg_duration_ms = EXCLUDED.avg_duration_ms, speed_sum_mbps = EXCLUDED.speed_sum_mbps,
       duration_sum_ms = EXCLUDED.duration_sum_ms, updated_at = now()`,
    [
      dates(rows.map((r) => r.windowStart)),
      dates(rows.map((r) => r.windowEnd)),
      rows.map((r) => r.partition),
      rows.map((r) => r.deviceType),
      rows.map((r) => r.downloads),
      rows.map((r) => r.successful),
      rows.map((r) => r.failed),
      rows.map((r) => r.slow),
      rows.map((r) => r.successRate),
      rows.map((r) => r.avgSpeedMbps),
      rows.map((r) => r.avgDurationMs),
      rows.map((r) => r.speedSumMbps),
      rows.map((r) => r.durationSumMs),
    ],
  );
}

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
