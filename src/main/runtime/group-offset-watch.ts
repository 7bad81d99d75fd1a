/**
 * The engine's consumer-group offsets are for lag only: PostgreSQL's checkpoint says where the
 * engine continues, so a reset of the group made outside StreamPulse (Kafka's
 * `kafka-consumer-groups --reset-offsets`) cannot take effect, and is overwritten by the next
 * commit. This commits the group's offsets and notices such a reset first: offsets that differ
 * from what the engine committed last. It is reported (status, log), never applied: the way to
 * re-read part of the log is a replay.
 */
import type { EventLog, PartitionOffset } from '../log/event-log';

export interface GroupOffsetsChange {
  /** When the change was seen (ms since the epoch). */
  readonly detectedAt: number;
  readonly groupId: string;
  /** Per partition: what the engine had committed, and what the group held instead. */
  readonly partitions: ReadonlyArray<{
    readonly partition: number;
    readonly committed: number;
    readonly found: number | null;
  }>;
}

export class GroupOffsetWatch {
  private lastLog: EventLog | null = null;
  private committed = new Map<number, number>();
  private latest: GroupOffsetsChange | null = null;

  /** The last change seen, if any (kept until the next one). */
  lastChange(): GroupOffsetsChange | null {
    return this.latest;
  }

  /**
   * Commits `offsets` for `groupId` on `log`, after checking the group still holds what this
   * watch committed last on the same log. Returns a change it found, or null.
   */
  async commit(
    log: EventLog,
    groupId: string,
    offsets: readonly PartitionOffset[],
    now: number,
  ): Promise<GroupOffsetsChange | null> {
    let change: GroupOffsetsChange | null = null;
    if (log === this.lastLog && this.committed.size > 0) {
      const found = new Map(
        (await log.fetchCommittedOffsets(groupId)).map((o) => [o.partition, o.offset]),
      );
      const differ = [...this.committed]
        .filter(([partition, committed]) => found.get(partition) !== committed)
        .map(([partition, committed]) => ({
          partition,
          committed,
          found: found.get(partition) ?? null,
        }));
      if (differ.length > 0) {
        change = { detectedAt: now, groupId, partitions: differ };
        this.latest = change;
      }
    }
    await log.commitOffsets(groupId, offsets);
    this.lastLog = log;
    this.committed = new Map(offsets.map((o) => [o.partition, o.offset]));
    return change;
  }
}
