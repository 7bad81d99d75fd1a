/**
 * One segment file of a partition: its file descriptor and an in-memory index of its batches
 * (base offset, file position, record count, newest timestamp), built by scanning the batch
 * headers. All I/O is synchronous on purpose: the log runs in a worker thread, and sync calls
 * are the fastest path there (no promise, no thread-pool hop per batch).
 */
import fs from 'node:fs';
import path from 'node:path';
import { BATCH_HEADER_BYTES, parseBatch, parseBatchHeader } from './segment-format';

const SEGMENT_NAME = /^(\d{20})\.seg$/;

/** `00000000000000000042.seg`: names sort in offset order, like Kafka's. */
export function segmentFileName(baseOffset: number): string {
  return `${String(baseOffset).padStart(20, '0')}.seg`;
}

/** Base offsets of the segment files in `dir`, ascending; [] if the directory does not exist. */
export function listSegmentBaseOffsets(dir: string): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const offsets: number[] = [];
  for (const name of names) {
    const match = SEGMENT_NAME.exec(name);
    if (match) offsets.push(Number(match[1]));
  }
  return offsets.sort((a, b) => a - b);
}

/** Why a scan stopped before the end of the file. */
export interface ScanProblem {
  readonly kind: 'incomplete' | 'corrupt';
  /** Where the first batch that is not whole starts: a writer truncates here. */
  readonly position: number;
  readonly reason: string;
}

export class SegmentFile {
  /** Bytes of whole, indexed batches: where the next batch is written. */
  size = 0;
  /** The offset after the last indexed record. */
  endOffset: number;
  /** The newest record timestamp in the segment; -Infinity while empty. */
  maxTimestamp = -Infinity;
  batchCount = 0;
  // The index, as parallel growable typed arrays: a million-record segment has ~150 batches,
  // an object per batch would do, but typed arrays make the binary searches cheap and compact.
  private bases = new Float64Array(16);
  private positions = new Float64Array(16);
  private counts = new Uint32Array(16);
  private maxTimestamps = new Float64Array(16);

  private constructor(
    readonly baseOffset: number,
    readonly path: string,
    private fd: number,
  ) {
    this.endOffset = baseOffset;
  }

  /** A new, empty segment for writing. Fails if the file exists (it would be in the index). */
  static create(dir: string, baseOffset: number): SegmentFile {
    const file = path.join(dir, segmentFileName(baseOffset));
    return new SegmentFile(baseOffset, file, fs.openSync(file, 'wx+'));
  }

  /** An existing segment, not yet indexed: call scan(). */
  static open(dir: string, baseOffset: number, writable: boolean): SegmentFile {
    const file = path.join(dir, segmentFileName(baseOffset));
    return new SegmentFile(baseOffset, file, fs.openSync(file, writable ? 'r+' : 'r'));
  }

  /**
   * Indexes the batches between the indexed size and the end of the file. With `verifyCrc`
   * each batch is read whole and checked (the last segment, where a crash leaves a torn tail,
   * or where another process is still writing); without, only headers are read. Stops at the
   * first batch that is not whole and says why; never modifies the file.
   */
  scan(verifyCrc: boolean): ScanProblem | null {
    const fileSize = fs.fstatSync(this.fd).size;
    const chunkBytes = verifyCrc ? 1 << 20 : 64 << 10;
    let chunk: Buffer = Buffer.alloc(0);
    let chunkStart = 0;
    // Makes chunk hold [position, position + length); false if the file is shorter.
    const ensure = (position: number, length: number): boolean => {
      if (position + length > fileSize) return false;
      if (position >= chunkStart && position + length <= chunkStart + chunk.length) return true;
      chunk = this.readBytes(position, Math.min(Math.max(chunkBytes, length), fileSize - position));
      chunkStart = position;
      return true;
    };
    let position = this.size;
    while (position < fileSize) {
      if (!ensure(position, BATCH_HEADER_BYTES)) {
        return { kind: 'incomplete', position, reason: `${fileSize - position} trailing bytes` };
      }
      const head = parseBatchHeader(chunk, position - chunkStart);
      if (head.kind !== 'complete') return { kind: 'corrupt', position, reason: head.reason };
      const { header } = head;
      if (verifyCrc) {
        if (!ensure(position, header.totalBytes)) {
          return { kind: 'incomplete', position, reason: 'batch cut short' };
        }
        const whole = parseBatch(chunk, position - chunkStart);
        if (whole.kind !== 'complete') return { kind: 'corrupt', position, reason: whole.reason };
      } else if (position + header.totalBytes > fileSize) {
        return { kind: 'incomplete', position, reason: 'batch cut short' };
      }
      if (header.baseOffset !== this.endOffset) {
        const reason = `batch base offset ${header.baseOffset}, expected ${this.endOffset}`;
        return { kind: 'corrupt', position, reason };
      }
      this.addToIndex(header.baseOffset, position, header.recordCount, header.maxTimestamp);
      position += header.totalBytes;
      this.size = position;
    }
    return null;
  }

  /** Cuts the file back to its indexed batches (a writer repairing a torn tail). */
  truncateToIndexed(): void {
    fs.ftruncateSync(this.fd, this.size);
  }

  /** Writes one encoded batch at the end: one positioned write, then the index entry. */
  append(
    batch: Buffer,
    start: number,
    length: number,
    recordCount: number,
    maxTimestamp: number,
  ): void {
    let written = 0;
    while (written < length) {
      written += fs.writeSync(
        this.fd,
        batch,
        start + written,
        length - written,
        this.size + written,
      );
    }
    this.addToIndex(this.endOffset, this.size, recordCount, maxTimestamp);
    this.size += length;
  }

  private addToIndex(base: number, position: number, count: number, maxTimestamp: number): void {
    const n = this.batchCount;
    if (n === this.bases.length) {
      this.bases = grow(this.bases);
      this.positions = grow(this.positions);
      this.counts = grow(this.counts);
      this.maxTimestamps = grow(this.maxTimestamps);
    }
    this.bases[n] = base;
    this.positions[n] = position;
    this.counts[n] = count;
    this.maxTimestamps[n] = maxTimestamp;
    this.batchCount = n + 1;
    this.endOffset = base + count;
    if (maxTimestamp > this.maxTimestamp) this.maxTimestamp = maxTimestamp;
  }

  /** The index of the batch holding `offset`, or of the first batch after it; batchCount if none. */
  batchFor(offset: number): number {
    let low = 0;
    let high = this.batchCount;
    // First batch whose end (base + count) is > offset.
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.bases[mid]! + this.counts[mid]! <= offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** The first batch at or after `from` whose newest timestamp is >= `timestamp`; batchCount if none. */
  batchWithTimestampAtLeast(timestamp: number, from = 0): number {
    for (let b = from; b < this.batchCount; b++) {
      if (this.maxTimestamps[b]! >= timestamp) return b;
    }
    return this.batchCount;
  }

  batchBase(b: number): number {
    return this.bases[b]!;
  }
  batchRecords(b: number): number {
    return this.counts[b]!;
  }
  batchPosition(b: number): number {
    return this.positions[b]!;
  }
  batchEnd(b: number): number {
    return b + 1 < this.batchCount ? this.positions[b + 1]! : this.size;
  }

  /** Reads `length` bytes at `position` into a new buffer (records keep subarrays of it). */
  readBytes(position: number, length: number): Buffer {
    const buf = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const n = fs.readSync(this.fd, buf, read, length - read, position + read);
      if (n === 0) throw new Error(`${this.path}: unexpected end of file at ${position + read}`);
      read += n;
    }
    return buf;
  }

  sync(): void {
    fs.fdatasyncSync(this.fd);
  }

  close(): void {
    if (this.fd < 0) return;
    fs.closeSync(this.fd);
    this.fd = -1;
  }

  /** Closes and removes the file (retention). */
  delete(): void {
    this.close();
    fs.rmSync(this.path, { force: true });
  }
}

function grow<T extends Float64Array | Uint32Array>(array: T): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}
