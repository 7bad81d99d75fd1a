/** Retention (by age, by size) and offsets for a timestamp, as a consumer sees them. */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedEventLog, type EmbeddedEventLogOptions } from './embedded-event-log';
import { OffsetOutOfRangeError } from './log-errors';
import {
  makeTempDirs,
  pack,
  regionRows,
  segmentFiles,
  type Row,
} from '../../../tests/support/log-test-helpers';

const temp = makeTempDirs();
const open: EmbeddedEventLog[] = [];
afterEach(async () => {
  for (const log of open.splice(0)) await log.close();
  temp.cleanup();
});

async function openLog(options: EmbeddedEventLogOptions): Promise<EmbeddedEventLog> {
  const log = await EmbeddedEventLog.open(options);
  open.push(log);
  return log;
}

/** `count` rows of one key with the given timestamps (or first + i), 12-byte values. */
function rowsAt(first: number, timestamps: readonly number[]): Row[] {
  return timestamps.map((timestamp, i) => ({
    key: 'EU-Paris',
    timestamp,
    value: `value-${String(first + i).padStart(6, '0')}`,
  }));
}
const span = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

async function values(log: EmbeddedEventLog, partition: number, from: number): Promise<string[]> {
  const { records } = await log.read(partition, from, { maxRecords: 1000 });
  return records.map((r) => r.value.toString());
}

const DAY = 24 * 60 * 60 * 1000;

describe('retention by age', () => {
  it('deletes only segments whose newest record is past the cutoff', async () => {
    const dir = temp.make();
    // segmentBytes 1: every append starts a new segment in each partition it touches.
    const retention = { maxAgeMs: DAY, maxBytesPerPartition: 1 << 30 };
    const log = await openLog({ dir, segmentBytes: 1, retention });
    await log.append(pack(regionRows(9, { timestamp: 1 * DAY })));
    await log.append(pack(regionRows(9, { first: 9, timestamp: 3 * DAY })));
    await log.append(pack(regionRows(9, { first: 18, timestamp: 5 * DAY })));
    expect(segmentFiles(dir, 1)).toHaveLength(3);

    // Cutoff 2.5 days: only the first append's segments are older.
    const first = await log.enforceRetention(3.5 * DAY);
    expect(first.deletedSegments).toBe(3);
    expect(first.startOffsets).toEqual([0, 1, 2].map((partition) => ({ partition, offset: 3 })));
    expect(await log.startOffsets()).toEqual(first.startOffsets);
    expect(segmentFiles(dir, 1)).toHaveLength(2);
    expect(await values(log, 1, 3)).toEqual([
      'event-12',
      'event-13',
      'event-14',
      'event-21',
      'event-22',
      'event-23',
    ]);

    const error = await log.read(1, 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OffsetOutOfRangeError);
    expect(error).toMatchObject({ partition: 1, requestedOffset: 0, startOffset: 3 });
    expect(String(error)).toMatch(
      /Offset 0 of partition 1 is no longer in the log.*first readable offset is 3/,
    );

    // Cutoff 4.5 days: the second goes too; the newest (active) stays.
    const second = await log.enforceRetention(5.5 * DAY);
    expect(second.startOffsets.map((p) => p.offset)).toEqual([6, 6, 6]);
    expect(second.deletedBytes).toBeGreaterThan(0);
    expect(await values(log, 2, 6)).toEqual(['event-24', 'event-25', 'event-26']);
  });

  it('with late events, stops at the first segment that is still young', async () => {
    const dir = temp.make();
    const log = await openLog({
      dir,
      partitions: 1,
      segmentBytes: 1,
      retention: { maxAgeMs: 10_000, maxBytesPerPartition: 1 << 30 },
    });
    await log.append(pack(rowsAt(0, [1_000, 1_001])));
    await log.append(pack(rowsAt(2, [50_000, 50_001])));
    await log.append(pack(rowsAt(4, [1_100, 1_101]))); // late events, after newer ones
    await log.append(pack(rowsAt(6, [50_002])));
    const result = await log.enforceRetention(45_000);
    expect(result.startOffsets).toEqual([{ partition: 0, offset: 2 }]);
    expect(await values(log, 0, 2)).toHaveLength(5);
  });

  it('closes and deletes an active segment that is entirely too old, appends go on', async () => {
    const dir = temp.make();
    const log = await openLog({
      dir,
      partitions: 1,
      segmentBytes: 1,
      retention: { maxAgeMs: DAY },
    });
    await log.append(pack(rowsAt(0, span(1_000, 5))));
    await log.append(pack(rowsAt(5, span(2_000, 5))));
    const result = await log.enforceRetention(10 * DAY);
    expect(result).toMatchObject({
      deletedSegments: 2,
      startOffsets: [{ partition: 0, offset: 10 }],
    });
    expect(await log.endOffsets()).toEqual([{ partition: 0, offset: 10 }]);
    expect(segmentFiles(dir, 0).map((file) => fs.statSync(file).size)).toEqual([0]);
    expect(await log.append(pack(rowsAt(10, [10 * DAY])))).toEqual([
      { partition: 0, baseOffset: 10, count: 1 },
    ]);
    expect(await values(log, 0, 10)).toEqual(['value-000010']);
  });

  it('never deletes the active segment while it holds recent data, even over the size cap', async () => {
    const dir = temp.make();
    const retention = { maxAgeMs: DAY, maxBytesPerPartition: 1 };
    const log = await openLog({ dir, partitions: 1, retention });
    await log.append(pack(rowsAt(0, span(5 * DAY, 20))));
    const result = await log.enforceRetention(5 * DAY + 1000);
    expect(result.deletedSegments).toBe(0);
    expect(await values(log, 0, 0)).toHaveLength(20);
  });
});

describe('retention by size', () => {
  it('deletes the oldest segments until the partition is under the cap', async () => {
    const dir = temp.make();
    const log = await openLog({ dir, partitions: 1, segmentBytes: 1 });
    for (let i = 0; i < 6; i++) await log.append(pack(rowsAt(i * 10, span(DAY + i, 10))));
    const sizes = segmentFiles(dir, 0).map((file) => fs.statSync(file).size);
    expect(sizes).toHaveLength(6);
    const segment = sizes[0]!;
    expect(new Set(sizes)).toEqual(new Set([segment]));
    await log.close();

    const cap = Math.floor(2.5 * segment);
    const capped = await openLog({
      dir,
      segmentBytes: 1,
      retention: { maxAgeMs: 365 * DAY, maxBytesPerPartition: cap },
    });
    const result = await capped.enforceRetention(DAY);
    expect(result).toMatchObject({ deletedSegments: 4, deletedBytes: 4 * segment });
    const left = segmentFiles(dir, 0).map((file) => fs.statSync(file).size);
    expect(left.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(cap);
    expect(result.startOffsets).toEqual([{ partition: 0, offset: 40 }]);
    expect((await values(capped, 0, 40))[0]).toBe('value-000040');
    await expect(capped.read(0, 39)).rejects.toBeInstanceOf(OffsetOutOfRangeError);
  });
});

describe('offsetsForTimestamp', () => {
  // Two batches with timestamps out of order: [100, 300, 200] then [150, 400, 50].
  async function outOfOrderLog(
    options: Partial<EmbeddedEventLogOptions>,
  ): Promise<EmbeddedEventLog> {
    const log = await openLog({ dir: temp.make(), partitions: 1, ...options });
    await log.append(pack(rowsAt(0, [100, 300, 200])));
    await log.append(pack(rowsAt(3, [150, 400, 50])));
    return log;
  }
  const cases: [number, number][] = [
    [0, 0],
    [100, 0],
    [101, 1],
    // 150 is at offset 3, but the first batch already has a record >= 150 (Kafka's semantic).
    [150, 1],
    [300, 1],
    [301, 4],
    [400, 4],
  ];

  it.each([
    ['one segment', {}],
    ['a segment per batch', { segmentBytes: 1 }],
  ])('gives the first offset at or after a time with late events, %s', async (_, options) => {
    const log = await outOfOrderLog(options);
    for (const [timestamp, offset] of cases) {
      expect(await log.offsetsForTimestamp(timestamp), `timestamp ${timestamp}`).toEqual([
        { partition: 0, offset },
      ]);
    }
  });

  it('gives the end offset when the time is after everything, per partition', async () => {
    const log = await openLog({ dir: temp.make() });
    await log.append(pack(regionRows(6, { timestamp: 1_000 }))); // US and EU only
    expect(await log.offsetsForTimestamp(1_002)).toEqual([
      { partition: 0, offset: 2 },
      { partition: 1, offset: 0 },
      { partition: 2, offset: 0 },
    ]);
    expect(await log.offsetsForTimestamp(5_000)).toEqual([
      { partition: 0, offset: 3 },
      { partition: 1, offset: 3 },
      { partition: 2, offset: 0 },
    ]);
  });
});
