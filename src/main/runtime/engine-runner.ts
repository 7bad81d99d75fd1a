/**
 * The engine's I/O loop: reads each partition from its checkpointed offset, decodes (undecodable
 * records become dead letters), feeds the WindowEngine and commits a checkpoint at each window
 * close and at least every `checkpointEveryMs`. The pure engine holds no I/O; this holds no logic
 * about windows.
 *
 * Longer than our ~400-line guide on purpose: one class with one concern (the read, process and
 * checkpoint loop, with its restart, drain, switch and replay), a third of it comments; what could
 * leave it has (the pending batch: engine/pending-checkpoint.ts; group offsets:
 * group-offset-watch.ts).
 */
import { DownloadEventCodec } from '../events/download-event-codec';
import { decodeRecords } from '../events/decode-records';
import type { EventLog, PartitionOffset } from '../log/event-log';
import type { Logger } from '../logger';
import type { ReplayProgress } from '../protocol/commands';
import type { CheckpointPort } from '../engine/checkpoint-port';
import type { EngineConfig } from '../engine/engine-config';
import { GroupOffsetWatch, type GroupOffsetsChange } from './group-offset-watch';
import { PendingCheckpoint } from '../engine/pending-checkpoint';
import { WindowEngine, type EngineOutput, type EngineStats } from '../engine/window-engine';
import type { WindowRows } from '../engine/window-rows';
import { windowStartOf, type WindowSize } from '../engine/windows';

export const DEFAULT_GROUP_ID = 'streampulse-engine';

/**
 * Records read per partition per round. Partitions are read in turn, so a round should span
 * little event time: catching up a backlog then judges lateness much as live processing would.
 */
export const DEFAULT_RECORDS_PER_READ = 2000;
/**
 * Late events and dead letters waiting for the next checkpoint, at most: past this a checkpoint
 * is due whatever the clock says. Late events close no window, so in a bounded run (virtual time,
 * no timer) a log full of them was held in memory to the end (3.7M of them: 3.4 GB).
 */
export const MAX_PENDING_RECORDS = 50_000;

export interface EngineRunnerOptions {
  readonly log: EventLog;
  readonly checkpoints: CheckpointPort;
  readonly config: EngineConfig;
  readonly logger: Logger;
  /** Processing time (idleness, checkpoint cadence). */
  readonly now: () => number;
  /** Partitions this engine owns (default: all). */
  readonly partitions?: readonly number[];
  readonly groupId?: string;
  readonly checkpointEveryMs?: number;
  readonly maxRecordsPerRead?: number;
  /** Late events and dead letters held for the next checkpoint, at most (MAX_PENDING_RECORDS). */
  readonly maxPendingRecords?: number;
  /**
   * The log's identity (see logIdentity): recorded with each checkpoint, so an engine started on
   * another log than the checkpoint's does not apply foreign offsets. Absent: not checked.
   */
  readonly logId?: string;
  /**
   * Other names the checkpoint may have for this same log: how checkpoints from before embedded
   * logs had ids named it (legacyLogIdentity). The next checkpoint records `logId`.
   */
  readonly logAliases?: readonly string[];
  /**
   * Where this run's events start in the log (the generator's end offsets when it started):
   * where reading begins if the checkpoint belongs to another log. Absent: the log's end.
   */
  readonly runStartOffsets?: readonly PartitionOffset[];
  /** Told each committed checkpoint's duration, ms (the engine worker's histogram). */
  readonly onCheckpoint?: (ms: number) => void;
}

export interface RunnerStats {
  readonly consumed: number;
  readonly deadLetters: number;
  readonly checkpoints: number;
  readonly lastCheckpointAt: number | null;
  readonly lastCheckpointMs: number | null;
  readonly engine: EngineStats;
  readonly replay: ReplayProgress | null;
  /** Wall time from the end of the last closed window to the commit of its rows, ms (live mode). */
  readonly windowCloseLatencyMs: number | null;
  /** The last reset of the consumer group's offsets seen from outside (never applied). */
  readonly groupOffsetsChanged: GroupOffsetsChange | null;
}

export class EngineRunner {
  private readonly options: EngineRunnerOptions;
  private readonly codec = new DownloadEventCodec();
  private readonly partitions: readonly number[];
  private log: EventLog;
  private logId: string | undefined;
  private engine: WindowEngine | null = null;
  private replaying: { from: number; starts: number[]; targets: number[] } | null = null;
  private pending = new PendingCheckpoint();
  /** Offsets moved since the last checkpoint. */
  private progressed = false;
  private lastCheckpointAt = 0;
  private consumed = 0;
  private deadLetterCount = 0;
  private checkpointCount = 0;
  private lastCheckpointMs: number | null = null;
  private windowCloseLatencyMs: number | null = null;
  private readonly groupOffsets = new GroupOffsetWatch();

  constructor(options: EngineRunnerOptions) {
    this.options = options;
    this.log = options.log;
    this.logId = options.logId;
    this.partitions =
      options.partitions ?? Array.from({ length: options.log.partitionCount }, (_, p) => p);
  }

  /** Restores the latest checkpoint; reading resumes at its offsets. */
  async start(): Promise<void> {
    const now = this.options.now();
    const snapshots = await this.options.checkpoints.load(this.partitions);
    this.engine = new WindowEngine(this.options.config, this.partitions, snapshots, now);
    this.lastCheckpointAt = now;
    const sizes = this.engine.schedule.toJSON();
    if (sizes.length > 1) {
      const [previous, next] = sizes.slice(-2) as [WindowSize, WindowSize];
      this.options.logger.info(
        `window size changed from ${previous.sizeMs / 1000} s to ${next.sizeMs / 1000} s: the open windows finish at ${previous.sizeMs / 1000} s, ${next.sizeMs / 1000} s windows start at ${new Date(next.from!).toISOString()}`,
      );
    }
    const rebased = await this.rebaseIfForeign(snapshots.length > 0, now);
    const starts = await this.log.startOffsets();
    for (const partition of this.partitions) {
      const start = starts.find((s) => s.partition === partition)?.offset ?? 0;
      if (this.requireEngine().nextOffset(partition) < start) {
        this.options.logger.warn(
          'the log no longer holds the checkpointed offset (retention); resuming at its start',
          {
            partition,
            checkpointed: this.requireEngine().nextOffset(partition),
            start,
          },
        );
        this.requireEngine().process(partition, [], start, now);
      }
    }
    // A rebase is checkpointed at once: a crash before the next checkpoint must not redo it.
    if (rebased) await this.advance(true);
    this.options.logger.info('engine restored', {
      partitions: this.partitions.length,
      fromCheckpoint: snapshots.length > 0,
      offsets: this.partitions.map((p) => this.requireEngine().nextOffset(p)),
    });
  }

  /**
   * The checkpoint was written while reading another log (the log was switched while StreamPulse
   * was stopped): its offsets mean nothing here. Its windows and watermarks carry on, and this log
   * is read from its end, as after a live switch; earlier events in it can be replayed.
   */
  private async rebaseIfForeign(restored: boolean, now: number): Promise<boolean> {
    if (this.logId === undefined || !restored) return false;
    const recorded = await this.options.checkpoints.loadLogId();
    if (recorded === null || recorded === this.logId) return false;
    // The same log under its old name: the next checkpoint records its id.
    if (this.options.logAliases?.includes(recorded)) return false;
    const from = this.options.runStartOffsets ?? (await this.log.endOffsets());
    this.rebase(from, now);
    this.options.logger.warn(
      'the checkpoint belongs to another event log; reading this one from where this run began writing (replay from a time to count earlier events)',
      { checkpointLog: recorded, log: this.logId, offsets: from.map((e) => e.offset) },
    );
    return true;
  }

  private rebase(offsets: readonly PartitionOffset[], now: number): void {
    const engine = this.requireEngine();
    for (const partition of this.partitions) {
      engine.process(
        partition,
        [],
        offsets.find((o) => o.partition === partition)?.offset ?? 0,
        now,
      );
    }
    this.progressed = true;
  }

  /**
   * Before a switch of logs: reads the current log up to `ends` (where the generator stopped
   * writing to it) and checkpoints. An empty read is not the end (a fetch can time out, an end
   * offset be cached), so it reads until every partition is there, or fails after `timeoutMs`.
   */
  async drainAndCheckpoint(
    ends: readonly PartitionOffset[],
    timeoutMs = 120_000,
  ): Promise<readonly PartitionOffset[]> {
    const deadline = this.options.now() + timeoutMs;
    const engine = this.requireEngine();
    const behind = (): number[] =>
      this.partitions.filter(
        (p) => engine.nextOffset(p) < (ends.find((e) => e.partition === p)?.offset ?? 0),
      );
    while (behind().length > 0) {
      if (this.options.now() > deadline) {
        throw new Error(
          `could not read the current log to its end within ${timeoutMs / 1000} s (partitions ${behind().join(', ')}); ` +
            'nothing was switched',
        );
      }
      if ((await this.poll()) > 0) await this.advance();
    }
    await this.advance(true);
    return this.offsets();
  }

  /** The next offset to read, per partition. */
  offsets(): PartitionOffset[] {
    const engine = this.requireEngine();
    return this.partitions.map((partition) => ({
      partition,
      offset: engine.nextOffset(partition),
    }));
  }

  /**
   * Continues the same windows on `log` (after drainAndCheckpoint on the old one), reading each
   * partition from `startOffsets` (where the generator starts writing to it; null: the offsets
   * it has, when going back to the same log), and checkpoints that with the log's identity.
   * Windows are per partition, so the logs must have the same partitions.
   */
  async continueOn(
    log: EventLog,
    logId: string,
    startOffsets: readonly PartitionOffset[] | null,
  ): Promise<void> {
    if (log.partitionCount !== this.partitions.length) {
      throw new Error(
        `the new log has ${log.partitionCount} partitions and the current one ${this.partitions.length}: ` +
          'the engine keeps windows per partition, so both must have the same number',
      );
    }
    if (startOffsets) this.rebase(startOffsets, this.options.now());
    this.log = log;
    this.logId = logId;
    this.progressed = true;
    await this.advance(true);
    this.options.logger.info('engine reading event log', {
      log: logId,
      offsets: this.partitions.map((p) => this.requireEngine().nextOffset(p)),
    });
  }

  /**
   * Reads one batch from every owned partition. Returns how many offsets it moved past: records
   * consumed, and any unreadable range set aside as a dead letter.
   */
  async poll(): Promise<number> {
    const engine = this.requireEngine();
    let total = 0;
    let skipped = 0;
    for (const partition of this.partitions) {
      const from = engine.nextOffset(partition);
      const fetched = await this.log.read(partition, from, {
        maxRecords: this.options.maxRecordsPerRead ?? DEFAULT_RECORDS_PER_READ,
      });
      // Data no record can be read from (a Kafka batch the client cannot decompress): one dead
      // letter for the range, and the engine goes on after it.
      for (const range of fetched.unreadable ?? []) {
        this.pending.addDeadLetter({
          partition,
          offset: range.firstOffset,
          lastOffset: range.lastOffset,
          error: `unreadable records at partition ${partition}, offsets ${range.firstOffset} to ${range.lastOffset}: ${range.reason}`,
          raw: Buffer.alloc(0),
          rawLength: 0,
        });
        this.deadLetterCount++;
        skipped += range.lastOffset - range.firstOffset + 1;
      }
      if (fetched.nextOffset <= from) continue;
      const { decoded, failed } = decodeRecords(this.codec, partition, fetched.records);
      for (const error of failed) {
        this.pending.addDeadLetter({
          partition,
          offset: error.offset ?? -1,
          error: error.message,
          raw: error.raw,
          rawLength: error.rawLength,
        });
      }
      this.deadLetterCount += failed.length;
      engine.process(partition, decoded, fetched.nextOffset, this.options.now());
      total += fetched.records.length;
      this.progressed = true;
    }
    this.consumed += total;
    // Offsets passed over count as progress: a drain goes on past an unreadable range.
    return total + skipped;
  }

  /**
   * Advances the watermark and commits a checkpoint if a window closed, or if anything moved and
   * `checkpointEveryMs` has passed. Returns whether it committed.
   */
  async advance(force = false): Promise<boolean> {
    const now = this.options.now();
    const output = this.requireEngine().advance(now);
    this.collect(output);
    const due = now - this.lastCheckpointAt >= (this.options.checkpointEveryMs ?? 2000);
    const full = this.pending.records >= (this.options.maxPendingRecords ?? MAX_PENDING_RECORDS);
    if (force || full || output.windowsClosed > 0 || (due && this.hasWork())) {
      await this.checkpoint();
      return true;
    }
    return false;
  }

  /** End of input: finalize every window and commit. */
  async flush(): Promise<void> {
    this.collect(this.requireEngine().flush());
    await this.checkpoint();
  }

  /**
   * Replay: recompute windows from the window containing `from`. Commits what is pending, then
   * starts a fresh engine state that reads each partition from its offset for that window's start
   * and ignores earlier events on the way. Rows are upserts of full values, so the recomputed windows
   * simply replace theirs. Call between polls, never during one.
   */
  async replay(from: number): Promise<ReplayProgress> {
    await this.advance(true);
    const floor = windowStartOf(from, this.options.config.windowSizeMs);
    const starts = await this.log.offsetsForTimestamp(floor);
    const ends = await this.log.endOffsets();
    const now = this.options.now();
    // Windows are cut as they were: with the sizes in force at each time.
    const engine = new WindowEngine(this.options.config, this.partitions, [], now, {
      floor,
      schedule: this.requireEngine().schedule,
    });
    // The alert rules resume where they were at the floor (open episodes, streaks under way: a
    // streak that had reached its length would be an open alert).
    const { config } = this.options;
    const lookback =
      (Math.max(1, ...config.alertRules.map((r) => r.consecutiveWindows)) - 1) *
      config.windowSizeMs;
    engine.primeAlerts(
      await this.options.checkpoints.alertContext(this.partitions, floor, lookback),
    );
    for (const partition of this.partitions) {
      const start = starts.find((s) => s.partition === partition)?.offset ?? 0;
      engine.process(partition, [], start, now);
    }
    this.engine = engine;
    this.progressed = true;
    this.replaying = {
      from: floor,
      starts: this.partitions.map((p) => starts.find((s) => s.partition === p)?.offset ?? 0),
      targets: this.partitions.map((p) => ends.find((e) => e.partition === p)?.offset ?? 0),
    };
    this.options.logger.info('replay started', {
      from: new Date(floor).toISOString(),
      offsets: this.replaying.starts,
    });
    return this.replayProgress()!;
  }

  /** How far a replay has come (0..1), or null if none has run. */
  replayProgress(): ReplayProgress | null {
    const replay = this.replaying;
    if (!replay) return null;
    const engine = this.requireEngine();
    let done = 0;
    let total = 0;
    this.partitions.forEach((partition, i) => {
      total += replay.targets[i]! - replay.starts[i]!;
      done += Math.min(engine.nextOffset(partition), replay.targets[i]!) - replay.starts[i]!;
    });
    return { from: replay.from, progress: total === 0 ? 1 : done / total };
  }

  /** Reads until every partition is at its end offset, advancing and checkpointing as it goes. */
  /** Reads and counts until the log has nothing more (or `signal` aborts: between two polls). */
  async drain(signal?: AbortSignal): Promise<void> {
    while (!signal?.aborted && (await this.poll()) > 0) await this.advance();
  }

  partialRows(): WindowRows {
    return this.requireEngine().partialRows();
  }

  stats(): RunnerStats {
    return {
      consumed: this.consumed,
      deadLetters: this.deadLetterCount,
      checkpoints: this.checkpointCount,
      lastCheckpointAt: this.checkpointCount > 0 ? this.lastCheckpointAt : null,
      lastCheckpointMs: this.lastCheckpointMs,
      engine: this.requireEngine().stats(this.options.now()),
      replay: this.replayProgress(),
      windowCloseLatencyMs: this.windowCloseLatencyMs,
      groupOffsetsChanged: this.groupOffsets.lastChange(),
    };
  }

  private hasWork(): boolean {
    return this.progressed || !this.pending.isEmpty;
  }

  private collect(output: EngineOutput): void {
    this.pending.collect(output);
  }

  private async checkpoint(): Promise<void> {
    const began = performance.now();
    const engine = this.requireEngine();
    const batch = this.pending;
    await this.options.checkpoints.commit(batch.batch(engine.snapshot(), this.logId));
    this.pending = new PendingCheckpoint();
    this.progressed = false;
    this.lastCheckpointAt = this.options.now();
    this.lastCheckpointMs = performance.now() - began;
    this.options.onCheckpoint?.(this.lastCheckpointMs);
    this.checkpointCount++;
    if (batch.newestClosedWindowEnd !== null)
      this.windowCloseLatencyMs = this.options.now() - batch.newestClosedWindowEnd;
    for (const alert of batch.alertChanges) {
      this.options.logger.info(alert.resolvedAt === null ? 'alert open' : 'alert resolved', {
        type: alert.type,
        region: alert.region,
        severity: alert.severity,
        metricValue: alert.metricValue,
      });
    }
    // Kafka-style group offsets, for lag monitoring only: Postgres is the source of truth, and the
    // checkpoint above has committed.
    await this.groupOffsets.commitAfterCheckpoint(
      this.log,
      this.options.groupId ?? DEFAULT_GROUP_ID,
      this.offsets(),
      this.options.now(),
      this.options.logger,
    );
  }

  private requireEngine(): WindowEngine {
    if (!this.engine) throw new Error('EngineRunner.start() must be called first');
    return this.engine;
  }
}
