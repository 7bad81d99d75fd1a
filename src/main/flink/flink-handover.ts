/**
 * Where a new Flink job (one with no savepoint) starts: from the built-in engine's checkpoint if
 * there is one, else from the start of the topic.
 *
 * A window [s, s + size) can still change in the built-in engine until its watermark passes
 * s + size + lateness. The job reads each partition from the offset of a time T before every such
 * window (Kafka's offsets for a time: every event at or after T is at or after that offset),
 * ignores events before T (`floorMs`), and starts its alert rules where they were at T, as the
 * built-in engine's replay does. It recomputes the windows from T whole; rows are full-value
 * upserts, so rewriting a window with the same events changes nothing.
 */
import { windowStartOf } from '../engine/windows';
import type { PartitionOffset } from '../log/event-log';
import { openEventLog, type LogBackend } from '../log/open-event-log';
import { DEFAULT_GROUP_ID } from '../runtime/engine-runner';
import type { EngineContext } from '../runtime/stream-engine';
import { CheckpointStore } from '../store/checkpoint-store';
import type { FlinkJobInputs } from './flink-job-config';

export async function handover(
  log: Extract<LogBackend, { kind: 'kafka' }>,
  context: Pick<EngineContext, 'config' | 'database'>,
): Promise<Partial<FlinkJobInputs>> {
  const { config, database } = context;
  const eventLog = await openEventLog(log, { readOnly: true });
  try {
    const partitions = Array.from({ length: eventLog.partitionCount }, (_, i) => i);
    const checkpoints = new CheckpointStore(database.pool, DEFAULT_GROUP_ID);
    const snapshots = await checkpoints.load(partitions);
    const watermarks = snapshots
      .map((s) => s.watermark)
      .filter((w): w is number => w !== null && Number.isFinite(w));
    if (watermarks.length === 0) {
      return { startingOffsets: offsetMap(await eventLog.offsetsForTimestamp(0)), floorMs: null };
    }
    const floorMs = windowStartOf(
      Math.min(...watermarks) - config.allowedLatenessMs - config.windowSizeMs,
      config.windowSizeMs,
    );
    const lookback =
      (Math.max(1, ...config.alertRules.map((r) => r.consecutiveWindows)) - 1) *
      config.windowSizeMs;
    return {
      startingOffsets: offsetMap(await eventLog.offsetsForTimestamp(floorMs)),
      floorMs,
      alertContext: await checkpoints.alertContext(partitions, floorMs, lookback),
    };
  } finally {
    await eventLog.close();
  }
}

function offsetMap(offsets: readonly PartitionOffset[]): Record<number, number> {
  return Object.fromEntries(offsets.map((o) => [o.partition, o.offset]));
}
