/**
 * Kafka counts retention from a record's timestamp (our event time), not from when it was written:
 * records older than the topic's `retention.ms` would be deleted by the broker's next retention
 * pass, seconds after they were acknowledged. So they are refused before anything is sent.
 */

/**
 * Records too old for the topic's `retention.ms`. Kafka counts retention from a record's timestamp
 * (our event time), so such records would be deleted by the broker's next retention pass, seconds
 * after they were acknowledged: they are refused before anything is sent.
 */
export class KafkaRetentionError extends Error {
  override readonly name = 'KafkaRetentionError';
}

/**
 * How much younger than `retention.ms` a record must be: the time left for the engine to read it
 * (and the broker's retention pass runs every few minutes, deleting whole segments).
 */
export const RETENTION_MARGIN_MS = 3600_000;

/**
 * The error for the oldest of `timestamps` when it is too old for `retentionMs` at `now`; null
 * when every record is young enough, or the topic keeps records forever (retention.ms -1).
 */
export function retentionProblem(
  timestamps: ArrayLike<number>,
  count: number,
  retentionMs: number,
  topic: string,
  now: number,
): KafkaRetentionError | null {
  if (retentionMs < 0 || count === 0) return null;
  let oldest = Infinity;
  for (let i = 0; i < count; i++) oldest = Math.min(oldest, timestamps[i]!);
  const limit = now - retentionMs + RETENTION_MARGIN_MS;
  if (oldest >= limit) return null;
  const days = +(retentionMs / 86_400_000).toFixed(2);
  return new KafkaRetentionError(
    `events from ${new Date(oldest).toISOString()} are older than topic "${topic}" keeps them: ` +
      `its retention.ms is ${retentionMs} (${days} days), counted by Kafka from each record's ` +
      `timestamp (the event time), so the broker would delete them within minutes. None of these ` +
      `events was written. Use a --start after ${new Date(limit).toISOString()}, or a topic with a longer ` +
      `retention.ms (-1 keeps records forever).`,
  );
}
