/**
 * The engine's consumer-group offsets are for lag only: PostgreSQL's checkpoint says where the
 * engine continues, so a reset of the group made outside StreamPulse (Kafka's
 * `kafka-consumer-groups --reset-offsets`) cannot take effect, and is overwritten by the next
 * commit. This commits the group's offsets and notices such a reset first: offsets that differ
 * from what the engine committed last. It is reported (status, log), never applied: the way to
 * re-read part of the log is a replay.
 */
import type { EventLog, PartitionOffset } from '../log/event-log';
import type { Logger } from '../logger';

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

  /**
   * commit() after a checkpoint, saying in the log what it found: a change made outside is
   * reported, and a failure (a broker restarting) is only a warning, since the checkpoint has
   * committed and the next one commits the offsets again.
   */
  async commitAfterCheckpoint(
    log: EventLog,
    groupId: string,
    offsets: readonly PartitionOffset[],
    now: number,
    logger: Logger,
  ): Promise<void> {
    try {
      const changed = await this.commit(log, groupId, offsets, now);
      if (changed) {
        logger.warn(
          'the consumer group offsets were changed outside StreamPulse (a reset?); they are ignored: the engine continues from its PostgreSQL checkpoint. To read part of the log again, use a replay',
          { groupId: changed.groupId, partitions: changed.partitions },
        );
      }
    } catch (error) {
      logger.warn('could not commit the group offsets (for lag only); will retry', { error });
    }
  }
}
