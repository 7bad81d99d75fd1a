/**
 * What happens at the file level: a crash leaving a torn or corrupt tail, and a second
 * (read-only) process following a log that another process is writing.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedEventLog, type EmbeddedEventLogOptions } from './embedded-event-log';
import type { LogRecord } from './event-log';
import {
  collectingLogger,
  makeTempDirs,
  pack,
  segmentFiles,
  type Row,
} from '../../../tests/support/log-test-helpers';
import { encodeRecords } from './segment-format';

const temp = makeTempDirs();
const open: EmbeddedEventLog[] = [];
afterEach(async () => {
  for (const log of open.splice(0)) await log.close();
  temp.cleanup();
});

async function openLog(options: EmbeddedEventLogOptions): Promise<EmbeddedEventLog> {
  const log = await EmbeddedEventLog.open({ partitions: 1, ...options });
  open.push(log);
  return log;
}

function rows(first: number, count: number): Row[] {
  return Array.from({ length: count }, (_, i) => ({
    key: 'EU-Paris',
    timestamp: 1_000 + first + i,
    value: `value-${first + i}`,
  }));
}

async function readValues(log: EmbeddedEventLog, from = 0): Promise<string[]> {
  const all: LogRecord[] = [];
  for (let offset = from; ;) {
    const { records, nextOffset } = await log.read(0, offset);
    if (records.length === 0) return all.map((r) => r.value.toString());
    all.push(...records);
    offset = nextOffset;
  }
}

const values = (first: number, count: number) => rows(first, count).map((r) => r.value);

/** A closed log with three 10-record batches; returns the byte range of the last batch. */
async function logWithThreeBatches(
  dir: string,
): Promise<{ file: string; lastBatch: number; size: number }> {
  const log = await EmbeddedEventLog.open({ dir, partitions: 1 });
  await log.append(pack(rows(0, 10)));
  await log.append(pack(rows(10, 10)));
  const [file] = segmentFiles(dir, 0);
  const lastBatch = fs.statSync(file!).size;
  await log.append(pack(rows(20, 10)));
  await log.close();
  return { file: file!, lastBatch, size: fs.statSync(file!).size };
}

describe('torn tail repair', () => {
  it('cuts garbage after the last batch and appends after the intact data', async () => {
    const dir = temp.make();
    const { file, size } = await logWithThreeBatches(dir);
    fs.appendFileSync(file, Buffer.from('half-written garbage'));
    const logger = collectingLogger();
    const log = await openLog({ dir, logger });
    expect(logger.messages).toEqual([expect.stringMatching(/Truncating a torn tail/)]);
    expect(fs.statSync(file).size).toBe(size);
    expect(await readValues(log)).toEqual(values(0, 30));
    expect(await log.append(pack(rows(30, 5)))).toEqual([
      { partition: 0, baseOffset: 30, count: 5 },
    ]);
    await log.close();
    expect(await readValues(await openLog({ dir }))).toEqual(values(0, 35));
  });

  it('drops a last batch cut in half, and the offsets it had are reused', async () => {
    const dir = temp.make();
    const { file, lastBatch, size } = await logWithThreeBatches(dir);
    fs.truncateSync(file, lastBatch + Math.floor((size - lastBatch) / 2));
    const log = await openLog({ dir, logger: collectingLogger() });
    expect(fs.statSync(file).size).toBe(lastBatch);
    expect(await log.endOffsets()).toEqual([{ partition: 0, offset: 20 }]);
    await log.append(pack(rows(100, 3)));
    expect(await readValues(log)).toEqual([...values(0, 20), ...values(100, 3)]);
  });

  it('drops a last batch whose CRC does not match', async () => {
    const dir = temp.make();
    const { file, lastBatch, size } = await logWithThreeBatches(dir);
    const bytes = fs.readFileSync(file);
    bytes[size - 3]! ^= 0x20; // a letter of the last value
    fs.writeFileSync(file, bytes);
    const logger = collectingLogger();
    const log = await openLog({ dir, logger });
    expect(logger.messages).toEqual([expect.stringMatching(/CRC mismatch/)]);
    expect(fs.statSync(file).size).toBe(lastBatch);
    expect(await readValues(log)).toEqual(values(0, 20));
  });

  it('a read-only open of a torn log reads the intact part and changes nothing', async () => {
    const dir = temp.make();
    const { file, size } = await logWithThreeBatches(dir);
    fs.appendFileSync(file, Buffer.alloc(100, 0xab));
    const reader = await openLog({ dir, readOnly: true });
    expect(await readValues(reader)).toEqual(values(0, 30));
    expect(fs.statSync(file).size).toBe(size + 100);
  });
});

describe('tailing by a read-only instance', () => {
  it('sees records appended after it opened, across segment rolls', async () => {
    const dir = temp.make();
    const writer = await openLog({ dir, segmentBytes: 400 });
    await writer.append(pack(rows(0, 10)));
    const reader = await openLog({ dir, readOnly: true });
    expect(await readValues(reader)).toEqual(values(0, 10));

    for (let first = 10; first < 60; first += 10) await writer.append(pack(rows(first, 10)));
    expect(segmentFiles(dir, 0).length).toBeGreaterThan(2);
    const fetched = await reader.read(0, 10);
    expect(fetched.records[0]?.offset).toBe(10);
    expect(fetched.endOffset).toBe(60);
    expect(await readValues(reader, 10)).toEqual(values(10, 50));
    expect(await reader.endOffsets()).toEqual([{ partition: 0, offset: 60 }]);
    expect(await reader.offsetsForTimestamp(1_055)).toEqual([{ partition: 0, offset: 55 }]);
  });

  it('indexes a batch only once it is whole, without truncating the partial one', async () => {
    const dir = temp.make();
    const writer = await openLog({ dir });
    await writer.append(pack(rows(0, 5)));
    // Emulate the writer being caught halfway through writing its next batch.
    const [file] = segmentFiles(dir, 0);
    const batch = encodeRecords(
      rows(5, 4).map((r) => ({ timestamp: r.timestamp, key: r.key, value: Buffer.from(r.value) })),
      5,
    );
    fs.appendFileSync(file!, batch.subarray(0, 30));
    const reader = await openLog({ dir, readOnly: true });
    expect(await readValues(reader)).toEqual(values(0, 5));
    const sizeWithPartial = fs.statSync(file!).size;
    const atEnd = await reader.read(0, 5);
    expect(atEnd.records).toEqual([]);
    expect(atEnd.endOffset).toBe(5);
    expect(fs.statSync(file!).size).toBe(sizeWithPartial);

    fs.appendFileSync(file!, batch.subarray(30));
    expect(await readValues(reader, 5)).toEqual(values(5, 4));
  });
});
