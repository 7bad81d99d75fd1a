/**
 * The engine's checkpoint port in memory, with the PostgreSQL store's semantics: rows upserted by
 * their keys with full values, alerts by (rule, region, episode start), late events and dead
 * letters appended, each partition's state replaced only if its stored offset is the one this
 * writer last saw (else CheckpointConflictError), all of a commit or none of it. Lets the runner's
 * drain, replay and rebase be tested fast, without a database.
 */
import type { AlertContext, AlertRecord } from '../../src/main/engine/alert-tracker';
import {
  CheckpointConflictError,
  type CheckpointBatch,
  type CheckpointPort,
  type DeadLetter,
} from '../../src/main/engine/checkpoint-port';
import type { LateEventRecord, PartitionSnapshot } from '../../src/main/engine/partition-state';
import type {
  ContentStatsRow,
  DeviceStatsRow,
  RegionHealthRow,
} from '../../src/main/engine/window-rows';

/** What every writer of one "database" shares. */
export interface MemoryTables {
  readonly content: Map<string, ContentStatsRow>;
  readonly region: Map<string, RegionHealthRow>;
  readonly device: Map<string, DeviceStatsRow>;
  readonly alerts: Map<string, AlertRecord>;
  readonly lateEvents: LateEventRecord[];
  readonly deadLetters: DeadLetter[];
  readonly checkpoints: Map<number, PartitionSnapshot>;
  logId: string | null;
  commits: number;
}

export function memoryTables(): MemoryTables {
  return {
    content: new Map(),
    region: new Map(),
    device: new Map(),
    alerts: new Map(),
    lateEvents: [],
    deadLetters: [],
    checkpoints: new Map(),
    logId: null,
    commits: 0,
  };
}

export class MemoryCheckpoints implements CheckpointPort {
  readonly tables: MemoryTables;
  /** The offsets this writer last committed or loaded, per partition (compare-and-set). */
  private readonly committed = new Map<number, number>();
  /** Commits fail from this commit number on (1-based), to test what a failed commit leaves. */
  failFromCommit: number | null = null;

  constructor(tables: MemoryTables = memoryTables()) {
    this.tables = tables;
  }

  async load(partitions: readonly number[]): Promise<PartitionSnapshot[]> {
    const found = partitions.flatMap((p) => {
      const snapshot = this.tables.checkpoints.get(p);
      return snapshot ? [snapshot] : [];
    });
    for (const snapshot of found) this.committed.set(snapshot.partition, snapshot.nextOffset);
    return structuredClone(found);
  }

  async loadLogId(): Promise<string | null> {
    return this.tables.logId;
  }

  async earliestWindowStart(): Promise<number | null> {
    let earliest: number | null = null;
    for (const row of this.tables.region.values())
      earliest = earliest === null ? row.windowStart : Math.min(earliest, row.windowStart);
    return earliest;
  }

  async alertContext(
    partitions: readonly number[],
    at: number,
    lookbackMs: number,
  ): Promise<AlertContext> {
    const regionRows = [...this.tables.region.values()]
      .filter(
        (r) =>
          partitions.includes(r.partition) && r.windowStart >= at - lookbackMs && r.windowEnd <= at,
      )
      .sort((a, b) => a.windowStart - b.windowStart);
    const openAlerts = [...this.tables.alerts.values()]
      .filter((a) => a.createdAt <= at && (a.resolvedAt === null || a.resolvedAt > at))
      .flatMap((alert) => {
        const last = [...this.tables.region.values()]
          .filter((r) => r.region === alert.region && r.windowStart < at)
          .sort((a, b) => b.windowStart - a.windowStart)[0];
        return last && partitions.includes(last.partition)
          ? [{ partition: last.partition, alert: { ...alert, resolvedAt: null } }]
          : [];
      });
    return { regionRows, openAlerts };
  }

  async commit(batch: CheckpointBatch): Promise<void> {
    const number = this.tables.commits + 1;
    if (this.failFromCommit !== null && number >= this.failFromCommit)
      throw new Error(`commit ${number} failed (test)`);
    for (const snapshot of batch.snapshots) {
      const stored = this.tables.checkpoints.get(snapshot.partition)?.nextOffset;
      if (stored !== this.committed.get(snapshot.partition))
        throw new CheckpointConflictError(
          `partition ${snapshot.partition} was checkpointed by another engine`,
        );
    }
    // Nothing above throws after this point: the commit is all or nothing.
    const { tables } = this;
    for (const row of batch.rows.content)
      tables.content.set(`${row.windowStart}|${row.contentId}|${row.partition}`, row);
    for (const row of batch.rows.region)
      tables.region.set(`${row.windowStart}|${row.region}|${row.partition}`, row);
    for (const row of batch.rows.device)
      tables.device.set(`${row.windowStart}|${row.deviceType}|${row.partition}`, row);
    for (const alert of batch.alerts)
      tables.alerts.set(`${alert.ruleId}|${alert.region}|${alert.episodeStart}`, alert);
    tables.lateEvents.push(...batch.lateEvents);
    tables.deadLetters.push(...batch.deadLetters);
    for (const snapshot of batch.snapshots) {
      tables.checkpoints.set(snapshot.partition, structuredClone(snapshot));
      this.committed.set(snapshot.partition, snapshot.nextOffset);
    }
    if (batch.logId !== undefined) tables.logId = batch.logId;
    tables.commits = number;
  }
}
