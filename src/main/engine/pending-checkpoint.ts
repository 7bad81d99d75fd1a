/**
 * What the next checkpoint will write: the engine's output since the last one, keyed so that a
 * window firing twice between two checkpoints (final, then late) keeps only its latest rows (one
 * upsert may not touch a row twice), plus late events and dead letters in arrival order.
 */
import type { AlertRecord } from './alert-tracker';
import type { CheckpointBatch, DeadLetter } from './checkpoint-port';
import type { LateEventRecord, PartitionSnapshot } from './partition-state';
import type { EngineOutput } from './window-engine';
import type { ContentStatsRow, DeviceStatsRow, RegionHealthRow } from './window-rows';

export class PendingCheckpoint {
  private readonly content = new Map<string, ContentStatsRow>();
  private readonly region = new Map<string, RegionHealthRow>();
  private readonly device = new Map<string, DeviceStatsRow>();
  private readonly alerts = new Map<string, AlertRecord>();
  private readonly late: LateEventRecord[] = [];
  private readonly dead: DeadLetter[] = [];
  /** End of the newest window that closed in this batch (for the window-close latency). */
  private newestClosedEnd: number | null = null;

  /** Adds an engine step's output. */
  collect(output: EngineOutput): void {
    for (const row of output.rows.content)
      this.content.set(`${row.windowStart}|${row.partition}|${row.contentId}`, row);
    for (const row of output.rows.region)
      this.region.set(`${row.windowStart}|${row.partition}|${row.region}`, row);
    for (const row of output.rows.device)
      this.device.set(`${row.windowStart}|${row.partition}|${row.deviceType}`, row);
    for (const alert of output.alerts)
      this.alerts.set(`${alert.ruleId}|${alert.region}|${alert.episodeStart}`, alert);
    this.late.push(...output.lateEvents);
    if (output.windowsClosed > 0) {
      for (const row of output.rows.region)
        this.newestClosedEnd = Math.max(this.newestClosedEnd ?? row.windowEnd, row.windowEnd);
    }
  }

  addDeadLetter(letter: DeadLetter): void {
    this.dead.push(letter);
  }

  /** Late events and dead letters held: they close no window, so they are bounded by count. */
  get records(): number {
    return this.late.length + this.dead.length;
  }

  /** Whether anything would be written besides the partitions' state. */
  get isEmpty(): boolean {
    const rows = this.content.size + this.region.size + this.device.size + this.alerts.size;
    return rows + this.records === 0;
  }

  /** The newest closed window's end in this batch, null if none closed. */
  get newestClosedWindowEnd(): number | null {
    return this.newestClosedEnd;
  }

  get alertChanges(): readonly AlertRecord[] {
    return [...this.alerts.values()];
  }

  batch(snapshots: readonly PartitionSnapshot[], logId: string | undefined): CheckpointBatch {
    return {
      rows: {
        content: [...this.content.values()],
        region: [...this.region.values()],
        device: [...this.device.values()],
      },
      alerts: [...this.alerts.values()],
      lateEvents: this.late,
      deadLetters: this.dead,
      snapshots,
      ...(logId !== undefined ? { logId } : {}),
    };
  }
}
