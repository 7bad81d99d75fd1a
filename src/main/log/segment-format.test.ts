import { describe, expect, it } from 'vitest';
import type { LogRecord } from './event-log';
import {
  BATCH_HEADER_BYTES,
  decodeBatchRecords,
  encodeRecords,
  firstOffsetAtOrAfter,
  KeyDecoder,
  parseBatch,
  parseBatchHeader,
  type ReadBudget,
} from './segment-format';

const records = [
  { timestamp: 1000, key: 'EU-Paris', value: Buffer.from('first') },
  { timestamp: 900, key: null, value: Buffer.from('') },
  { timestamp: 1200, key: 'ASIA-Tokyo', value: Buffer.from('third, a little longer') },
  { timestamp: 1100, key: 'EU-Paris', value: Buffer.from('fourth') },
];

function decodeAll(buf: Buffer, fromOffset = 0, maxRecords = 100, maxBytes = 1 << 20): LogRecord[] {
  const parsed = parseBatch(buf, 0);
  if (parsed.kind !== 'complete') throw new Error(parsed.kind);
  const out: LogRecord[] = [];
  const budget: ReadBudget = { records: 0, valueBytes: 0, maxRecords, maxBytes };
  decodeBatchRecords(buf, 0, parsed.header, fromOffset, out, budget, new KeyDecoder());
  return out;
}

describe('batch format', () => {
  it('round-trips records, including a null key and an empty value', () => {
    const batch = encodeRecords(records, 42);
    expect(batch.subarray(0, 4).toString('latin1')).toBe('SPB1');
    const parsed = parseBatch(batch, 0);
    expect(parsed).toMatchObject({
      kind: 'complete',
      header: { recordCount: 4, baseOffset: 42, minTimestamp: 900, maxTimestamp: 1200 },
    });
    expect(decodeAll(batch).map((r) => ({ ...r, value: r.value.toString() }))).toEqual(
      records.map((r, i) => ({ ...r, offset: 42 + i, value: r.value.toString() })),
    );
  });

  it('decodes from an offset inside the batch and within the limits', () => {
    const batch = encodeRecords(records, 10);
    expect(decodeAll(batch, 12).map((r) => r.offset)).toEqual([12, 13]);
    expect(decodeAll(batch, 10, 3).map((r) => r.offset)).toEqual([10, 11, 12]);
    // 'first' (5 bytes) + '' fit in 5; 'third...' does not.
    expect(decodeAll(batch, 10, 100, 5).map((r) => r.offset)).toEqual([10, 11]);
    // At least one record even when it alone is over the byte limit.
    expect(decodeAll(batch, 12, 100, 1).map((r) => r.offset)).toEqual([12]);
  });

  it('says incomplete for a batch cut anywhere, without throwing', () => {
    const batch = encodeRecords(records, 0);
    for (const cut of [0, 3, BATCH_HEADER_BYTES - 1, BATCH_HEADER_BYTES, batch.length - 1]) {
      expect(parseBatch(batch.subarray(0, cut), 0).kind).toBe('incomplete');
    }
  });

  it('says corrupt for a flipped bit anywhere after the CRC, or a bad magic', () => {
    const batch = encodeRecords(records, 0);
    for (const at of [0, 12, 20, 36, BATCH_HEADER_BYTES + 3, batch.length - 1]) {
      const damaged = Buffer.from(batch);
      damaged[at]! ^= 0x01;
      expect(parseBatch(damaged, 0).kind, `byte ${at}`).toBe('corrupt');
    }
    expect(parseBatchHeader(Buffer.alloc(64), 0).kind).toBe('corrupt');
  });

  it('parses a batch at a position after another one', () => {
    const first = encodeRecords(records.slice(0, 2), 0);
    const both = Buffer.concat([first, encodeRecords(records.slice(2), 2)]);
    const second = parseBatch(both, first.length);
    expect(second).toMatchObject({ kind: 'complete', header: { baseOffset: 2, recordCount: 2 } });
  });

  it('finds the first record at or after a timestamp, not the smallest one', () => {
    const batch = encodeRecords(records, 7);
    const parsed = parseBatch(batch, 0);
    if (parsed.kind !== 'complete') throw new Error('bad batch');
    expect(firstOffsetAtOrAfter(batch, 0, parsed.header, 950)).toBe(7);
    expect(firstOffsetAtOrAfter(batch, 0, parsed.header, 1050)).toBe(9);
    expect(firstOffsetAtOrAfter(batch, 0, parsed.header, 1100)).toBe(9);
    expect(firstOffsetAtOrAfter(batch, 0, parsed.header, 1201)).toBe(-1);
  });

  it('decodes multi-byte keys', () => {
    const batch = encodeRecords([{ timestamp: 1, key: 'EU-Zürich', value: Buffer.from('x') }], 0);
    expect(decodeAll(batch)[0]?.key).toBe('EU-Zürich');
  });
});
