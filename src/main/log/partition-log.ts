/**
 * One partition of the embedded log: a directory of segment files, the last one active
 * (appended to), the others closed. Appends, reads, offset-for-time lookups, retention and,
 * for read-only instances in another process, tailing what the writer appends.
 */
import fs from 'node:fs';
import type { LogRecord, RetentionPolicy } from './event-log';
import { CorruptBatchError, OffsetOutOfRangeError, type LogWarningSink } from './log-errors';
import { fsyncDirectory } from './file-utils';
import { listSegmentBaseOffsets, SegmentFile } from './segment-file';
import {
  decodeBatchRecords,
  firstOffsetAtOrAfter,
  KeyDecoder,
  parseBatch,
  parseBatchHeader,
  type ReadBudget,
} from './segment-format';

export interface PartitionLogOptions {
  readonly dir: string;
  readonly partition: number;
  readonly readOnly: boolean;
  /** Roll to a new segment once the active one would grow past this. */
  readonly segmentBytes: number;
  /** fdatasync the active segment at most this often (checked on append; 0 = every append). */
  readonly fsyncIntervalMs: number;
  readonly logger: LogWarningSink;
}

export interface PartitionRead {
  readonly records: LogRecord[];
  readonly nextOffset: number;
}

export class PartitionLog {
  readonly partition: number;
  private readonly segments: SegmentFile[] = [];
  private readonly keys = new KeyDecoder();
  private lastSync = Date.now();
  private dirty = false;

  private constructor(private readonly options: PartitionLogOptions) {
    this.partition = options.partition;
  }

  static open(options: PartitionLogOptions): PartitionLog {
    const log = new PartitionLog(options);
    try {
      if (options.readOnly) log.openReadOnly();
      else log.openWritable();
    } catch (error) {
      log.close();
      throw error;
    }
    return log;
  }

  private openWritable(): void {
    const { dir, logger, partition } = this.options;
    fs.mkdirSync(dir, { recursive: true });
    const bases = listSegmentBaseOffsets(dir);
    bases.forEach((base, i) => {
      const last = i === bases.length - 1;
      const segment = SegmentFile.open(dir, base, last);
      this.segments.push(segment);
      // Only the last segment can have a torn tail (a crash mid-append): check every CRC there
      // and cut it off. Older segments were complete when the writer rolled past them.
      const problem = segment.scan(last);
      if (!problem) return;
      const fields = { partition, file: segment.path, position: problem.position };
      if (last) {
        logger.warn(`Truncating a torn tail of the event log (${problem.reason})`, fields);
        segment.truncateToIndexed();
      } else {
        logger.warn(
          `Unreadable data inside the event log, skipping it (${problem.reason})`,
          fields,
        );
      }
    });
    if (this.segments.length === 0) this.roll(0);
  }

  private openReadOnly(): void {
    const bases = listSegmentBaseOffsets(this.options.dir);
    bases.forEach((base, i) => {
      const segment = SegmentFile.open(this.options.dir, base, false);
      this.segments.push(segment);
      // The last segment may be mid-write by the writer: index only whole, CRC-valid batches,
      // and keep quiet about the rest (tailing picks it up once it is whole).
      const problem = segment.scan(i === bases.length - 1);
      if (problem && i < bases.length - 1) {
        this.options.logger.warn(`Unreadable data inside the event log (${problem.reason})`, {
          partition: this.partition,
          file: segment.path,
          position: problem.position,
        });
      }
    });
  }

  get startOffset(): number {
    return this.segments[0]?.baseOffset ?? 0;
  }

  get endOffset(): number {
    return this.segments.at(-1)?.endOffset ?? 0;
  }

  /** Bytes on disk across all segments. */
  get sizeBytes(): number {
    let total = 0;
    for (const segment of this.segments) total += segment.size;
    return total;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  private get active(): SegmentFile {
    const active = this.segments.at(-1);
    if (!active || this.options.readOnly) throw new Error('This event log is open read-only');
    return active;
  }

  /**
   * Appends one encoded batch whose base offset must be this partition's end offset (the
   * caller encodes with it). Rolls first if the batch would push the active segment past
   * segmentBytes, so segments stay under it unless a single batch is bigger.
   */
  appendBatch(batch: Buffer, start: number, length: number): void {
    const head = parseBatchHeader(batch, start);
    if (head.kind !== 'complete') throw new Error(`Refusing to append a bad batch: ${head.reason}`);
    const { header } = head;
    if (header.baseOffset !== this.endOffset) {
      throw new Error(
        `Batch base offset ${header.baseOffset} is not the end offset ${this.endOffset}`,
      );
    }
    let active = this.active;
    if (active.size > 0 && active.size + length > this.options.segmentBytes) {
      active = this.roll(this.endOffset);
    }
    active.append(batch, start, length, header.recordCount, header.maxTimestamp);
    this.dirty = true;
    const now = Date.now();
    if (now - this.lastSync >= this.options.fsyncIntervalMs) this.sync(now);
  }

  /** Makes appended data durable (also done on close). */
  sync(now = Date.now()): void {
    if (this.dirty && !this.options.readOnly) this.segments.at(-1)?.sync();
    this.dirty = false;
    this.lastSync = now;
  }

  /** Closes the active segment and starts a new, empty one at `baseOffset`. */
  private roll(baseOffset: number): SegmentFile {
    const previous = this.segments.at(-1);
    if (previous) {
      previous.sync();
      this.dirty = false;
    }
    const segment = SegmentFile.create(this.options.dir, baseOffset);
    this.segments.push(segment);
    fsyncDirectory(this.options.dir);
    return segment;
  }

  /**
   * Records from `fromOffset` (inclusive), up to the limits. Reads several batches per read
   * call, one segment at a time, and verifies each batch's CRC before decoding it.
   */
  read(fromOffset: number, maxRecords: number, maxBytes: number): PartitionRead {
    if (this.options.readOnly && fromOffset >= this.endOffset) this.refresh();
    const { startOffset, endOffset } = this;
    if (fromOffset < startOffset || fromOffset > endOffset) {
      throw new OffsetOutOfRangeError(this.partition, fromOffset, startOffset, endOffset);
    }
    const records: LogRecord[] = [];
    const budget: ReadBudget = { records: 0, valueBytes: 0, maxRecords, maxBytes };
    let offset = fromOffset;
    let s = this.segmentFor(offset);
    while (s < this.segments.length && budget.records < maxRecords) {
      const segment = this.segments[s]!;
      const first = segment.batchFor(offset);
      if (first >= segment.batchCount) {
        s++;
        continue;
      }
      // Plan a range of whole batches: enough records and bytes for the limits, one read.
      let last = first;
      let plannedRecords = segment.batchBase(first) + segment.batchRecords(first) - offset;
      let plannedBytes = segment.batchEnd(first) - segment.batchPosition(first);
      while (
        last + 1 < segment.batchCount &&
        plannedRecords < maxRecords - budget.records &&
        plannedBytes < maxBytes - budget.valueBytes
      ) {
        last++;
        plannedRecords += segment.batchRecords(last);
        plannedBytes += segment.batchEnd(last) - segment.batchPosition(last);
      }
      const rangeStart = segment.batchPosition(first);
      const buf = segment.readBytes(rangeStart, segment.batchEnd(last) - rangeStart);
      let full = false;
      for (let b = first, p = 0; b <= last && !full; b++) {
        const parsed = parseBatch(buf, p);
        if (parsed.kind !== 'complete') {
          throw new CorruptBatchError(segment.path, rangeStart + p, parsed.reason);
        }
        if (
          parsed.header.baseOffset !== segment.batchBase(b) ||
          parsed.header.totalBytes !== segment.batchEnd(b) - segment.batchPosition(b)
        ) {
          throw new CorruptBatchError(segment.path, rangeStart + p, 'batch differs from the index');
        }
        full = decodeBatchRecords(buf, p, parsed.header, offset, records, budget, this.keys);
        p += parsed.header.totalBytes;
      }
      if (full) break;
      offset = segment.batchBase(last) + segment.batchRecords(last);
    }
    const lastRecord = records.at(-1);
    return { records, nextOffset: lastRecord ? lastRecord.offset + 1 : fromOffset };
  }

  /** The index of the last segment whose base offset is <= offset (0 if none). */
  private segmentFor(offset: number): number {
    let low = 0;
    let high = this.segments.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /**
   * Kafka's offset-for-time: the first batch whose newest timestamp is >= `timestamp`, then
   * its first record with timestamp >= `timestamp`. With late events a later batch may hold an
   * earlier timestamp; like Kafka, the answer is the earliest batch that can contain one.
   */
  offsetForTimestamp(timestamp: number): number {
    if (this.options.readOnly) this.refresh();
    for (const segment of this.segments) {
      if (!(segment.maxTimestamp >= timestamp)) continue;
      const b = segment.batchWithTimestampAtLeast(timestamp);
      if (b >= segment.batchCount) continue;
      const buf = segment.readBytes(
        segment.batchPosition(b),
        segment.batchEnd(b) - segment.batchPosition(b),
      );
      const parsed = parseBatch(buf, 0);
      if (parsed.kind !== 'complete') {
        throw new CorruptBatchError(segment.path, segment.batchPosition(b), parsed.reason);
      }
      const offset = firstOffsetAtOrAfter(buf, 0, parsed.header, timestamp);
      if (offset >= 0) return offset;
    }
    return this.endOffset;
  }

  /**
   * Deletes whole closed segments, oldest first: first those whose newest record is older
   * than the age cutoff, then more while the partition is over its byte cap. Like Kafka, only
   * from the front (a younger segment stops the age pass), so the log never gets a hole.
   */
  enforceRetention(now: number, policy: RetentionPolicy): { segments: number; bytes: number } {
    const cutoff = now - policy.maxAgeMs;
    const active = this.active;
    // An active segment that is entirely past the cutoff would never be deleted (the active
    // segment never is): close it by rolling, so the age pass below can take it.
    if (active.batchCount > 0 && active.maxTimestamp < cutoff) this.roll(this.endOffset);
    let segments = 0;
    let bytes = 0;
    const deleteOldest = (): void => {
      const oldest = this.segments.shift()!;
      bytes += oldest.size;
      segments++;
      oldest.delete();
    };
    while (this.segments.length > 1 && this.segments[0]!.maxTimestamp < cutoff) deleteOldest();
    while (this.segments.length > 1 && this.sizeBytes > policy.maxBytesPerPartition) deleteOldest();
    if (segments > 0) fsyncDirectory(this.options.dir);
    return { segments, bytes };
  }

  /**
   * Read-only instances: pick up what the writer (another process) appended since. Lists the
   * directory BEFORE rescanning the last known segment: a writer only creates a new segment
   * after its last write to the previous one, so that order cannot miss a batch.
   */
  refresh(): void {
    if (!this.options.readOnly) return;
    const bases = listSegmentBaseOffsets(this.options.dir);
    // Segments the writer's retention deleted (only from the front) leave our view too.
    const present = new Set(bases);
    while (this.segments.length > 1 && !present.has(this.segments[0]!.baseOffset)) {
      this.segments.shift()!.close();
    }
    const last = this.segments.at(-1);
    last?.scan(true);
    for (const base of bases) {
      if (last && base <= last.baseOffset) continue;
      const segment = SegmentFile.open(this.options.dir, base, false);
      this.segments.push(segment);
      segment.scan(true);
    }
  }

  close(): void {
    try {
      this.sync();
    } finally {
      for (const segment of this.segments) segment.close();
      this.segments.length = 0;
    }
  }
}
