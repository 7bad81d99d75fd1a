/**
 * What the engine needs of durable storage, and nothing more: load each partition's last
 * checkpoint, commit a checkpoint (window rows, alert changes, late events, dead letters and the
 * partitions' state with their next offsets) atomically, and read what the alert rules knew before
 * a replay. The engine owns this port; `store/checkpoint-store.ts` implements it on PostgreSQL, and
 * tests implement it in memory, so the runner's drain, replay and rebase are tested without a
 * database. Types only, plus the conflict error an implementation throws.
 */
import type { AlertContext, AlertRecord } from './alert-tracker';
import type { LateEventRecord, PartitionSnapshot } from './partition-state';
import type { WindowRows } from './window-rows';

export interface DeadLetter {
  readonly partition: number;
  /** The record's offset; the first offset of a batch that could not be read. */
  readonly offset: number;
  /** A batch that could not be read: its last offset (absent for one record). */
  readonly lastOffset?: number;
  readonly error: string;
  /** A bounded prefix of the bytes (EventDecodeError keeps at most DEAD_LETTER_RAW_MAX). */
  readonly raw: Buffer;
  /** The whole length of the record or batch, in bytes. */
  readonly rawLength: number;
}

export interface CheckpointBatch {
  /** The identity of the log the snapshots' offsets belong to; recorded with them when given. */
  readonly logId?: string;
  readonly rows: WindowRows;
  readonly alerts: readonly AlertRecord[];
  readonly lateEvents: readonly LateEventRecord[];
  readonly deadLetters: readonly DeadLetter[];
  readonly snapshots: readonly PartitionSnapshot[];
}

/** Another writer committed a checkpoint for these partitions since this engine loaded its own. */
export class CheckpointConflictError extends Error {
  override readonly name = 'CheckpointConflictError';
}

export interface CheckpointPort {
  /** The latest checkpoint of each partition asked for (none for a partition never checkpointed). */
  load(partitions: readonly number[]): Promise<PartitionSnapshot[]>;
  /** The log the checkpoint's offsets belong to; null when none was recorded. */
  loadLogId(): Promise<string | null>;
  /**
   * Commits the batch atomically: all of it or none. Throws CheckpointConflictError when the
   * stored offsets are not the ones this engine last loaded or committed (another writer).
   */
  commit(batch: CheckpointBatch): Promise<void>;
  /** What the alert rules knew just before `at` (a replay's start), over `lookbackMs`. */
  alertContext(
    partitions: readonly number[],
    at: number,
    lookbackMs: number,
  ): Promise<AlertContext>;
  /** The start of the earliest window the tables hold (ms), null when they are empty. */
  earliestWindowStart(): Promise<number | null>;
}
