/**
 * The on-disk batch format of the embedded event log: pure functions over Buffers, no I/O.
 *
 * A segment file is a sequence of batches; a batch holds consecutive records of one partition.
 * All integers are little-endian.
 *
 *   header (40 bytes)
 *     0  magic         u32  'SPB1' (the bytes on disk spell it)
 *     4  bodyLength    u32  bytes of the body that follows the header
 *     8  crc32         u32  zlib CRC-32 of header bytes [12, 40) and the body
 *    12  recordCount   u32  >= 1
 *    16  baseOffset    f64  offset of the first record (offsets are exact integers below 2^53)
 *    24  minTimestamp  f64  smallest record timestamp (ms since the epoch)
 *    32  maxTimestamp  f64  largest record timestamp: retention and offset-for-time skip by it
 *   body, per record (14-byte record header, then the bytes)
 *     0  timestamp     f64
 *     8  keyLength     u16  0xffff = null key
 *    10  valueLength   u32
 *    14  key (utf8), then value
 *
 * The CRC covers everything after itself, so a torn write (a crash mid-batch) or a flipped bit
 * is detected before any record of the batch is handed out.
 */
import { crc32 } from 'node:zlib';
import type { LogRecord } from './event-log';

/** 'SPB1' read as a little-endian u32. */
export const BATCH_MAGIC = 0x31425053;
export const BATCH_HEADER_BYTES = 40;
export const RECORD_HEADER_BYTES = 14;
export const NULL_KEY_LENGTH = 0xffff;
/** Longest key the u16 length can hold (0xffff is taken by the null key). */
export const MAX_KEY_BYTES = 0xfffe;

const CRC_AT = 8;
const CRC_FROM = 12;

export interface BatchHeader {
  readonly bodyLength: number;
  readonly crc: number;
  readonly recordCount: number;
  readonly baseOffset: number;
  readonly minTimestamp: number;
  readonly maxTimestamp: number;
  /** Header plus body: where the next batch starts, relative to this one. */
  readonly totalBytes: number;
}

/** What sits at a position in a buffer: a whole valid batch, not enough bytes yet, or garbage. */
export type BatchParse =
  | { readonly kind: 'complete'; readonly header: BatchHeader }
  | { readonly kind: 'incomplete'; readonly reason: string }
  | { readonly kind: 'corrupt'; readonly reason: string };

function viewOf(buf: Buffer): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.length);
}

/**
 * Reads and sanity-checks a batch header only (no CRC: the body may not be in `buf`). Used to
 * index older segments quickly; their CRCs are checked when their batches are read.
 */
export function parseBatchHeader(buf: Buffer, position: number): BatchParse {
  if (buf.length - position < BATCH_HEADER_BYTES) {
    return { kind: 'incomplete', reason: `${buf.length - position} bytes, less than a header` };
  }
  const view = viewOf(buf);
  if (view.getUint32(position, true) !== BATCH_MAGIC) {
    return { kind: 'corrupt', reason: 'bad magic' };
  }
  const header: BatchHeader = {
    bodyLength: view.getUint32(position + 4, true),
    crc: view.getUint32(position + CRC_AT, true),
    recordCount: view.getUint32(position + 12, true),
    baseOffset: view.getFloat64(position + 16, true),
    minTimestamp: view.getFloat64(position + 24, true),
    maxTimestamp: view.getFloat64(position + 32, true),
    totalBytes: BATCH_HEADER_BYTES + view.getUint32(position + 4, true),
  };
  if (
    header.recordCount < 1 ||
    header.bodyLength < header.recordCount * RECORD_HEADER_BYTES ||
    !Number.isSafeInteger(header.baseOffset) ||
    header.baseOffset < 0 ||
    !(header.minTimestamp <= header.maxTimestamp)
  ) {
    return { kind: 'corrupt', reason: 'implausible header fields' };
  }
  return { kind: 'complete', header };
}

/** Parses the batch at `position` and checks its CRC: the one test of "is this batch whole?". */
export function parseBatch(buf: Buffer, position: number): BatchParse {
  const parsed = parseBatchHeader(buf, position);
  if (parsed.kind !== 'complete') return parsed;
  const { header } = parsed;
  if (buf.length - position < header.totalBytes) {
    return {
      kind: 'incomplete',
      reason: `${buf.length - position} of the batch's ${header.totalBytes} bytes`,
    };
  }
  const actual = crc32(buf.subarray(position + CRC_FROM, position + header.totalBytes));
  if (actual !== header.crc) return { kind: 'corrupt', reason: 'CRC mismatch' };
  return parsed;
}

/**
 * Records to encode, column-wise like PackedRecords, with keys already turned into bytes once
 * per distinct key (keys are a handful of region names; encoding each record's key would cost
 * an allocation per record).
 */
export interface BatchSource {
  readonly timestamps: ArrayLike<number>;
  readonly values: Buffer;
  readonly valueEnds: ArrayLike<number>;
  /** For each record, the index of its key in `keyBytes`. */
  readonly keyIds: ArrayLike<number>;
  /** Encoded keys; null for a record without a key. */
  readonly keyBytes: readonly (Buffer | null)[];
}

/** Bytes record `i` takes in a batch body. */
export function encodedRecordBytes(source: BatchSource, i: number): number {
  const key = source.keyBytes[source.keyIds[i]!];
  const valueLength = source.valueEnds[i]! - (i === 0 ? 0 : source.valueEnds[i - 1]!);
  return RECORD_HEADER_BYTES + (key ? key.length : 0) + valueLength;
}

/**
 * Encodes records `indices[from..to)` of `source` as one batch at `target[at..]`, offsets
 * starting at `baseOffset`. The caller sizes `target` (header + sum of encodedRecordBytes).
 * Returns the batch's length in bytes.
 */
export function encodeBatchInto(
  target: Buffer,
  at: number,
  source: BatchSource,
  indices: ArrayLike<number>,
  from: number,
  to: number,
  baseOffset: number,
): number {
  const view = viewOf(target);
  const { timestamps, values, valueEnds, keyIds, keyBytes } = source;
  let minTimestamp = Infinity;
  let maxTimestamp = -Infinity;
  let p = at + BATCH_HEADER_BYTES;
  for (let n = from; n < to; n++) {
    const i = indices[n]!;
    const timestamp = timestamps[i]!;
    if (timestamp < minTimestamp) minTimestamp = timestamp;
    if (timestamp > maxTimestamp) maxTimestamp = timestamp;
    const key = keyBytes[keyIds[i]!] ?? null;
    const valueStart = i === 0 ? 0 : valueEnds[i - 1]!;
    const valueEnd = valueEnds[i]!;
    view.setFloat64(p, timestamp, true);
    view.setUint16(p + 8, key ? key.length : NULL_KEY_LENGTH, true);
    view.setUint32(p + 10, valueEnd - valueStart, true);
    p += RECORD_HEADER_BYTES;
    if (key) {
      // Keys are ~10 bytes: a JS loop beats a native copy call at that size.
      for (let k = 0; k < key.length; k++) target[p + k] = key[k]!;
      p += key.length;
    }
    p += values.copy(target, p, valueStart, valueEnd);
  }
  const totalBytes = p - at;
  view.setUint32(at, BATCH_MAGIC, true);
  view.setUint32(at + 4, totalBytes - BATCH_HEADER_BYTES, true);
  view.setUint32(at + 12, to - from, true);
  view.setFloat64(at + 16, baseOffset, true);
  view.setFloat64(at + 24, minTimestamp, true);
  view.setFloat64(at + 32, maxTimestamp, true);
  view.setUint32(at + CRC_AT, crc32(target.subarray(at + CRC_FROM, p)), true);
  return totalBytes;
}

/** Convenience (tests, tools): one batch from a few records. Not for the hot path. */
export function encodeRecords(
  records: readonly { timestamp: number; key: string | null; value: Buffer }[],
  baseOffset: number,
): Buffer {
  const keyBytes = records.map((r) => (r.key === null ? null : Buffer.from(r.key, 'utf8')));
  const valueEnds: number[] = [];
  let end = 0;
  for (const r of records) valueEnds.push((end += r.value.length));
  const source: BatchSource = {
    timestamps: records.map((r) => r.timestamp),
    values: Buffer.concat(records.map((r) => r.value)),
    valueEnds,
    keyIds: records.map((_, i) => i),
    keyBytes,
  };
  const indices = records.map((_, i) => i);
  let bytes = BATCH_HEADER_BYTES;
  for (let i = 0; i < records.length; i++) bytes += encodedRecordBytes(source, i);
  const target = Buffer.alloc(bytes);
  encodeBatchInto(target, 0, source, indices, 0, records.length, baseOffset);
  return target;
}

/**
 * Turns key bytes back into strings, reusing the string for bytes seen before: reading a
 * million records over nine region keys should not decode nine keys a million times.
 */
export class KeyDecoder {
  private readonly bytes: Buffer[] = [];
  private readonly strings: string[] = [];

  constructor(private readonly maxEntries = 256) {}

  decode(buf: Buffer, start: number, length: number): string {
    const cached = this.bytes;
    for (let e = 0; e < cached.length; e++) {
      const candidate = cached[e]!;
      if (candidate.length !== length) continue;
      let k = 0;
      while (k < length && candidate[k] === buf[start + k]) k++;
      if (k === length) return this.strings[e]!;
    }
    const text = buf.toString('utf8', start, start + length);
    if (cached.length < this.maxEntries) {
      cached.push(Buffer.from(buf.subarray(start, start + length)));
      this.strings.push(text);
    }
    return text;
  }
}

/** Limits of one read; decodeBatchRecords counts down against them. */
export interface ReadBudget {
  records: number;
  valueBytes: number;
  readonly maxRecords: number;
  readonly maxBytes: number;
}

/**
 * Appends to `out` the records of the (already validated) batch at `position` whose offset is
 * >= `fromOffset`, within `budget`. Values are subarrays of `buf`, not copies. Returns true
 * when the budget is used up.
 */
export function decodeBatchRecords(
  buf: Buffer,
  position: number,
  header: BatchHeader,
  fromOffset: number,
  out: LogRecord[],
  budget: ReadBudget,
  keys: KeyDecoder,
): boolean {
  const view = viewOf(buf);
  const batchEnd = position + header.totalBytes;
  let p = position + BATCH_HEADER_BYTES;
  for (let n = 0; n < header.recordCount; n++) {
    const timestamp = view.getFloat64(p, true);
    const keyLength = view.getUint16(p + 8, true);
    const valueLength = view.getUint32(p + 10, true);
    p += RECORD_HEADER_BYTES;
    const offset = header.baseOffset + n;
    const keyBytes = keyLength === NULL_KEY_LENGTH ? 0 : keyLength;
    if (p + keyBytes + valueLength > batchEnd) {
      // Only a writer bug can get here: the CRC matched, so these are the bytes it wrote.
      throw new Error(`record ${offset} overruns its batch (base offset ${header.baseOffset})`);
    }
    if (offset >= fromOffset) {
      if (budget.records >= budget.maxRecords) return true;
      if (budget.records > 0 && budget.valueBytes + valueLength > budget.maxBytes) return true;
      const key = keyLength === NULL_KEY_LENGTH ? null : keys.decode(buf, p, keyLength);
      const value = buf.subarray(p + keyBytes, p + keyBytes + valueLength);
      out.push({ offset, timestamp, key, value });
      budget.records++;
      budget.valueBytes += valueLength;
    }
    p += keyBytes + valueLength;
  }
  return budget.records >= budget.maxRecords;
}

/** The offset of the first record of the batch with timestamp >= `timestamp`, or -1. */
export function firstOffsetAtOrAfter(
  buf: Buffer,
  position: number,
  header: BatchHeader,
  timestamp: number,
): number {
  const view = viewOf(buf);
  let p = position + BATCH_HEADER_BYTES;
  for (let n = 0; n < header.recordCount; n++) {
    if (view.getFloat64(p, true) >= timestamp) return header.baseOffset + n;
    const keyLength = view.getUint16(p + 8, true);
    const valueLength = view.getUint32(p + 10, true);
    p += RECORD_HEADER_BYTES + (keyLength === NULL_KEY_LENGTH ? 0 : keyLength) + valueLength;
  }
  return -1;
}
