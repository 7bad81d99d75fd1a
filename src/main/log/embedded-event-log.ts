/**
 * The embedded, file-backed EventLog: Kafka's model (keyed records, partitions, offsets,
 * consumer-group offsets) in plain files, for running StreamPulse without a broker.
 *
 *   <dir>/<topic>/meta.json            settings fixed at creation (partitions, partitioner), the id
 *   <dir>/<topic>/writer.lock          pid of the one writer
 *   <dir>/<topic>/p<N>/<offset>.seg    segment files of partition N (see segment-format.ts)
 *   <dir>/<topic>/groups/<group>.json  committed offsets per consumer group
 *
 * One writer process, any number of read-only readers (they tail what the writer appends).
 * Methods are async to fit the EventLog contract, but do synchronous I/O inside: the log runs
 * in a worker thread, where that is the fastest path.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {
  AppendedRange,
  EventLog,
  FetchedRecords,
  PackedRecords,
  PartitionOffset,
  ReadOptions,
  RetentionPolicy,
  RetentionResult,
} from './event-log';
import { assertSafeName, GroupOffsetStore } from './group-offsets';
import { silentLogger, type LogWarningSink } from './log-errors';
import { PartitionLog } from './partition-log';
import { isPartitionerName, PARTITIONER_NAMES, type PartitionerName } from './partitioner';
import { RecordRouter } from './record-router';
import { BATCH_HEADER_BYTES, encodeBatchInto, encodedRecordBytes } from './segment-format';
import { resolveTopicMeta } from './topic-meta';
import { WriterLock } from './writer-lock';

export interface EmbeddedEventLogOptions {
  /** The log's directory, e.g. `<dataDir>/log`; the topic gets a folder inside. */
  readonly dir: string;
  /** Default `content-downloads`. */
  readonly topic?: string;
  /** For a new log (default 3). For an existing one: must match it if given. */
  readonly partitions?: number;
  /** For a new log (default 'region'). For an existing one: must match it if given. */
  readonly partitioner?: PartitionerName;
  /** Roll segments at this size (default 64 MiB). */
  readonly segmentBytes?: number;
  /** fdatasync appended data at most this often, checked on append (default 1000 ms). */
  readonly fsyncIntervalMs?: number;
  /** Used by enforceRetention (default 7 days, 1 GiB per partition). */
  readonly retention?: Partial<RetentionPolicy>;
  /** Open for reading only: no lock, no repair, sees what a writer elsewhere appends. */
  readonly readOnly?: boolean;
  readonly logger?: LogWarningSink;
  /** Largest batch body written in one go (default 1 MiB): bounds what a read must load. */
  readonly maxBatchBytes?: number;
}

export const DEFAULT_TOPIC = 'content-downloads';
export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
export const DEFAULT_FSYNC_INTERVAL_MS = 1000;
export const DEFAULT_MAX_BATCH_BYTES = 1024 * 1024;
export const DEFAULT_RETENTION: RetentionPolicy = {
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  maxBytesPerPartition: 1024 * 1024 * 1024,
};
const DEFAULT_MAX_RECORDS = 10_000;
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

function nonNegativeInteger(name: string, value: number | undefined, fallback: number): number {
  const result = value ?? fallback;
  if (!Number.isSafeInteger(result) || result < 0) {
    throw new Error(`Event log option ${name} must be a non-negative integer, got ${value}`);
  }
  return result;
}

export class EmbeddedEventLog implements EventLog {
  readonly topic: string;
  /** The log's id (topic-meta.ts); undefined for a log from before ids, opened read-only. */
  readonly id: string | undefined;
  readonly partitionCount: number;
  readonly partitioner: PartitionerName;
  private readonly router: RecordRouter;
  private readonly groups: GroupOffsetStore;
  private readonly retention: RetentionPolicy;
  private readonly maxBatchBytes: number;
  private scratch = Buffer.alloc(0);
  private closed = false;

  private constructor(
    meta: { topic: string; partitions: number; partitioner: PartitionerName; id?: string },
    topicDir: string,
    private readonly logs: readonly PartitionLog[],
    private readonly lock: WriterLock | null,
    private readonly readOnly: boolean,
    options: EmbeddedEventLogOptions,
  ) {
    this.topic = meta.topic;
    this.id = meta.id;
    this.partitionCount = meta.partitions;
    this.partitioner = meta.partitioner;
    this.router = new RecordRouter(meta.partitioner, meta.partitions);
    this.groups = new GroupOffsetStore(topicDir, meta.partitions);
    this.retention = { ...DEFAULT_RETENTION, ...options.retention };
    this.maxBatchBytes = nonNegativeInteger(
      'maxBatchBytes',
      options.maxBatchBytes,
      DEFAULT_MAX_BATCH_BYTES,
    );
  }

  static async open(options: EmbeddedEventLogOptions): Promise<EmbeddedEventLog> {
    const topic = options.topic ?? DEFAULT_TOPIC;
    assertSafeName('topic name', topic);
    if (options.partitions !== undefined) {
      if (!Number.isInteger(options.partitions) || options.partitions < 1) {
        throw new Error(
          `Event log option partitions must be an integer >= 1, got ${options.partitions}`,
        );
      }
    }
    if (options.partitioner !== undefined && !isPartitionerName(options.partitioner)) {
      throw new Error(
        `Unknown partitioner "${String(options.partitioner)}": use one of ${PARTITIONER_NAMES.join(', ')}`,
      );
    }
    const readOnly = options.readOnly ?? false;
    const logger = options.logger ?? silentLogger;
    const segmentBytes = nonNegativeInteger(
      'segmentBytes',
      options.segmentBytes,
      DEFAULT_SEGMENT_BYTES,
    );
    const fsyncIntervalMs = nonNegativeInteger(
      'fsyncIntervalMs',
      options.fsyncIntervalMs,
      DEFAULT_FSYNC_INTERVAL_MS,
    );
    const topicDir = path.join(options.dir, topic);
    if (!readOnly) fs.mkdirSync(topicDir, { recursive: true });
    // Lock before touching anything, so two writers cannot both create or repair the log.
    const lock = readOnly ? null : WriterLock.acquire(path.join(topicDir, 'writer.lock'), logger);
    const logs: PartitionLog[] = [];
    try {
      const meta = resolveTopicMeta(
        topicDir,
        { topic, partitions: options.partitions, partitioner: options.partitioner },
        readOnly,
      );
      for (let partition = 0; partition < meta.partitions; partition++) {
        logs.push(
          PartitionLog.open({
            dir: path.join(topicDir, `p${partition}`),
            partition,
            readOnly,
            segmentBytes,
            fsyncIntervalMs,
            logger,
          }),
        );
      }
      return new EmbeddedEventLog(meta, topicDir, logs, lock, readOnly, options);
    } catch (error) {
      for (const log of logs) log.close();
      lock?.release();
      throw error;
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`The event log for topic "${this.topic}" is closed`);
  }

  private partitionLog(partition: number): PartitionLog {
    const log = Number.isInteger(partition) ? this.logs[partition] : undefined;
    if (!log) {
      throw new Error(
        `No partition ${partition} in topic "${this.topic}" (partitions 0 to ${this.partitionCount - 1})`,
      );
    }
    return log;
  }

  /**
   * The hot path. Routes every record, then per partition writes batches of up to
   * maxBatchBytes, each encoded into a reused scratch buffer and written with one call.
   * Not atomic across partitions: if the disk fails midway, earlier partitions keep their part.
   */
  async append(records: PackedRecords): Promise<readonly AppendedRange[]> {
    this.assertOpen();
    if (this.readOnly) throw new Error('This event log is open read-only: it cannot append');
    if (records.count === 0) return [];
    const { source, order, starts } = this.router.route(records);
    const ranges: AppendedRange[] = [];
    for (let partition = 0; partition < this.partitionCount; partition++) {
      const from = starts[partition]!;
      const to = starts[partition + 1]!;
      if (from === to) continue;
      const log = this.logs[partition]!;
      ranges.push({ partition, baseOffset: log.endOffset, count: to - from });
      let batchStart = from;
      while (batchStart < to) {
        // Take records while the batch stays under maxBatchBytes (always at least one).
        let bytes = BATCH_HEADER_BYTES + encodedRecordBytes(source, order[batchStart]!);
        let batchEnd = batchStart + 1;
        while (batchEnd < to) {
          const next = encodedRecordBytes(source, order[batchEnd]!);
          if (bytes + next > this.maxBatchBytes) break;
          bytes += next;
          batchEnd++;
        }
        if (this.scratch.length < bytes) {
          this.scratch = Buffer.allocUnsafe(Math.max(bytes, this.maxBatchBytes));
        }
        const written = encodeBatchInto(
          this.scratch,
          0,
          source,
          order,
          batchStart,
          batchEnd,
          log.endOffset,
        );
        log.appendBatch(this.scratch, 0, written);
        batchStart = batchEnd;
      }
    }
    return ranges;
  }

  async read(
    partition: number,
    fromOffset: number,
    options: ReadOptions = {},
  ): Promise<FetchedRecords> {
    this.assertOpen();
    const log = this.partitionLog(partition);
    if (!Number.isSafeInteger(fromOffset)) throw new Error(`Not an offset: ${fromOffset}`);
    const maxRecords = Math.max(1, options.maxRecords ?? DEFAULT_MAX_RECORDS);
    const maxBytes = Math.max(1, options.maxBytes ?? DEFAULT_MAX_BYTES);
    const { records, nextOffset } = log.read(fromOffset, maxRecords, maxBytes);
    return { partition, records, nextOffset, endOffset: log.endOffset };
  }

  /** Read-only instances look for the writer's appends and deletions first. */
  private refreshed(): readonly PartitionLog[] {
    this.assertOpen();
    if (this.readOnly) for (const log of this.logs) log.refresh();
    return this.logs;
  }

  async startOffsets(): Promise<readonly PartitionOffset[]> {
    return this.refreshed().map((log) => ({ partition: log.partition, offset: log.startOffset }));
  }

  async endOffsets(): Promise<readonly PartitionOffset[]> {
    return this.refreshed().map((log) => ({ partition: log.partition, offset: log.endOffset }));
  }

  async offsetsForTimestamp(timestamp: number): Promise<readonly PartitionOffset[]> {
    return this.refreshed().map((log) => ({
      partition: log.partition,
      offset: log.offsetForTimestamp(timestamp),
    }));
  }

  /** Allowed read-only too: an exporting consumer commits its progress without writing data. */
  async commitOffsets(groupId: string, offsets: readonly PartitionOffset[]): Promise<void> {
    this.assertOpen();
    this.groups.commit(groupId, offsets);
  }

  async fetchCommittedOffsets(groupId: string): Promise<readonly PartitionOffset[]> {
    this.assertOpen();
    return this.groups.fetch(groupId);
  }

  async enforceRetention(now: number): Promise<RetentionResult> {
    this.assertOpen();
    if (this.readOnly)
      throw new Error('This event log is open read-only: retention is the writer’s job');
    let deletedSegments = 0;
    let deletedBytes = 0;
    for (const log of this.logs) {
      const { segments, bytes } = log.enforceRetention(now, this.retention);
      deletedSegments += segments;
      deletedBytes += bytes;
    }
    const startOffsets = this.logs.map((log) => ({
      partition: log.partition,
      offset: log.startOffset,
    }));
    return { deletedSegments, deletedBytes, startOffsets };
  }

  /** fdatasyncs what was appended since the last sync, without waiting for the interval. */
  async flush(): Promise<void> {
    this.assertOpen();
    for (const log of this.logs) log.sync();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Close every partition even if one fails (e.g. its final fdatasync), then unlock.
    const errors: unknown[] = [];
    for (const log of this.logs) {
      try {
        log.close();
      } catch (error) {
        errors.push(error);
      }
    }
    this.lock?.release();
    if (errors.length > 0) throw errors[0];
  }
}
