/**
 * What `streampulse run` says at the end: this run's events and where each went (into windows,
 * late, too far in the future, dead letters), not the totals of tables other runs share.
 */
import type pg from 'pg';
import { formatCount } from './format';

/** A partition's offsets [from, to) holding the run's events. */
export interface OffsetRange {
  readonly partition: number;
  readonly from: number;
  readonly to: number;
}

export interface RunAccount {
  /** Records of the run in the log. */
  readonly events: number;
  readonly late: number;
  readonly future: number;
  readonly deadLetters: number;
}

/** The run's records, per partition: from the log's end before it began to its end after. */
export function runRanges(base: readonly number[], ends: readonly number[]): OffsetRange[] {
  return ends.map((to, partition) => ({ partition, from: base[partition] ?? 0, to }));
}

/**
 * Counts, from the tables, the run's records set aside (late, future, dead letters): both tables
 * are keyed by (partition, offset), so each range is an index scan. The rest went into windows.
 */
export async function accountForRun(
  pool: pg.Pool,
  ranges: readonly OffsetRange[],
): Promise<RunAccount> {
  let events = 0;
  let late = 0;
  let future = 0;
  let deadLetters = 0;
  for (const { partition, from, to } of ranges) {
    if (to <= from) continue;
    events += to - from;
    const params = [partition, from, to];
    const kept = await pool.query<{ late: string; future: string }>(
      `SELECT COUNT(*) FILTER (WHERE reason IS DISTINCT FROM 'future') AS late,
              COUNT(*) FILTER (WHERE reason = 'future') AS future
         FROM late_events WHERE source_partition = $1 AND source_offset >= $2 AND source_offset < $3`,
      params,
    );
    // An unreadable range is one dead letter from its first offset to its last.
    const dead = await pool.query<{ n: string }>(
      `SELECT COALESCE(SUM(LEAST(COALESCE(last_offset, source_offset), $3 - 1) - source_offset + 1), 0) AS n
         FROM dead_letters WHERE source_partition = $1 AND source_offset >= $2 AND source_offset < $3`,
      params,
    );
    late += Number(kept.rows[0]!.late);
    future += Number(kept.rows[0]!.future);
    deadLetters += Number(dead.rows[0]!.n);
  }
  return { events, late, future, deadLetters };
}

export interface RunSummary {
  readonly id: string;
  readonly seed: string;
  readonly account: RunAccount;
  readonly windowSizeMs: number;
  /** Alerts whose episode began within the run's event times. */
  readonly alerts: number;
  readonly seconds: number;
  readonly database: string;
}

export function formatRunSummary(summary: RunSummary): string {
  const { account } = summary;
  const counted = account.events - account.late - account.future - account.deadLetters;
  return (
    `run ${summary.id}: ${formatCount(account.events)} events (seed ${summary.seed}): ` +
    `${formatCount(counted)} counted in windows of ${summary.windowSizeMs / 1000} s, ` +
    `${formatCount(account.late)} late, ${formatCount(account.future)} too far in the future, ` +
    `${formatCount(account.deadLetters)} dead letters; ${formatCount(summary.alerts)} alerts; ` +
    `${summary.seconds.toFixed(1)} s; database ${summary.database}\n`
  );
}
