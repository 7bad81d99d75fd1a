import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedEventLog, type EmbeddedEventLogOptions } from './embedded-event-log';
import type { LogRecord } from './event-log';
import { LogConfigMismatchError, LogLockedError, OffsetOutOfRangeError } from './log-errors';
import {
  collectingLogger,
  makeTempDirs,
  pack,
  regionRows,
  segmentFiles,
  type Row,
} from '../../../tests/support/log-test-helpers';
import { regionPartitioner } from './partitioner';

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

async function readAll(log: EmbeddedEventLog, partition: number, from = 0): Promise<LogRecord[]> {
  const all: LogRecord[] = [];
  for (let offset = from; ;) {
    const { records, nextOffset } = await log.read(partition, offset);
    if (records.length === 0) return all;
    all.push(...records);
    offset = nextOffset;
  }
}

const simple = (records: readonly LogRecord[]) =>
  records.map((r) => ({
    offset: r.offset,
    key: r.key,
    ts: r.timestamp,
    value: r.value.toString(),
  }));

/** The rows of `rows` that belong to `partition` with 3 region partitions, with their offsets. */
function expected(rows: readonly Row[], partition: number, partitions = 3) {
  return rows
    .filter((row) => regionPartitioner(row.key, partitions) === partition)
    .map((row, offset) => ({ offset, key: row.key, ts: row.timestamp, value: row.value }));
}

describe('EmbeddedEventLog append and read', () => {
  it('routes records by region and gives each partition consecutive offsets', async () => {
    const log = await openLog({ dir: temp.make() });
    const rows = regionRows(90);
    const first = await log.append(pack(rows.slice(0, 45)));
    const second = await log.append(pack(rows.slice(45)));
    expect(first).toEqual([
      { partition: 0, baseOffset: 0, count: 15 },
      { partition: 1, baseOffset: 0, count: 15 },
      { partition: 2, baseOffset: 0, count: 15 },
    ]);
    expect(second.map((r) => r.baseOffset)).toEqual([15, 15, 15]);
    for (const partition of [0, 1, 2]) {
      expect(simple(await readAll(log, partition))).toEqual(expected(rows, partition));
    }
    const prefixes = ['US-', 'EU-', 'ASIA-'];
    for (const partition of [0, 1, 2]) {
      const records = await readAll(log, partition);
      expect(records.every((r) => r.key?.startsWith(prefixes[partition]!))).toBe(true);
    }
    expect(await log.endOffsets()).toEqual([0, 1, 2].map((p) => ({ partition: p, offset: 30 })));
    expect(await log.startOffsets()).toEqual([0, 1, 2].map((p) => ({ partition: p, offset: 0 })));
  });

  it('honours maxRecords and maxBytes, across batch boundaries', async () => {
    // Small batches, so reads span several of them.
    const log = await openLog({ dir: temp.make(), partitions: 1, maxBatchBytes: 200 });
    const rows = Array.from({ length: 50 }, (_, i) => ({
      key: 'EU-Paris',
      timestamp: i,
      value: String(i).padStart(10, '0'),
    }));
    await log.append(pack(rows));
    const some = await log.read(0, 7, { maxRecords: 12 });
    expect(some.records.map((r) => r.offset)).toEqual(Array.from({ length: 12 }, (_, i) => 7 + i));
    expect(some.nextOffset).toBe(19);
    expect(some.endOffset).toBe(50);
    expect(some.records[0]?.value.toString()).toBe('0000000007');
    // 10-byte values: 25 bytes allow two of them.
    expect((await log.read(0, 3, { maxBytes: 25 })).records.map((r) => r.offset)).toEqual([3, 4]);
    // At least one record, even over the byte limit.
    expect((await log.read(0, 3, { maxBytes: 1 })).records).toHaveLength(1);
  });

  it('returns no records at the end, and refuses offsets past it', async () => {
    const log = await openLog({ dir: temp.make() });
    const atStart = await log.read(1, 0);
    expect(atStart).toEqual({ partition: 1, records: [], nextOffset: 0, endOffset: 0 });
    await log.append(pack(regionRows(9)));
    const atEnd = await log.read(0, 3);
    expect(atEnd.records).toEqual([]);
    expect(atEnd.nextOffset).toBe(3);
    await expect(log.read(0, 4)).rejects.toBeInstanceOf(OffsetOutOfRangeError);
    await expect(log.read(3, 0)).rejects.toThrow(/No partition 3/);
  });

  it('keeps data across close and reopen, over many segments', async () => {
    const dir = temp.make();
    const rows = regionRows(600);
    let log = await openLog({ dir, segmentBytes: 1024 });
    for (let i = 0; i < 400; i += 50) await log.append(pack(rows.slice(i, i + 50)));
    await log.close();
    expect(segmentFiles(dir, 0).length).toBeGreaterThan(3);

    log = await openLog({ dir, segmentBytes: 1024 });
    const written = [0, 1, 2].map((p) => expected(rows.slice(0, 400), p).length);
    expect(written).toEqual([135, 133, 132]);
    expect((await log.endOffsets()).map((p) => p.offset)).toEqual(written);
    const ranges = await log.append(pack(rows.slice(400)));
    expect(ranges.map((r) => r.baseOffset)).toEqual(written);
    await log.close();

    log = await openLog({ dir, segmentBytes: 1024 });
    for (const partition of [0, 1, 2]) {
      expect(simple(await readAll(log, partition))).toEqual(expected(rows, partition));
    }
    // Reading from the middle of a middle segment.
    expect(simple((await log.read(2, 101, { maxRecords: 1 })).records)).toEqual([
      expected(rows, 2)[101],
    ]);
  });
});

describe('EmbeddedEventLog consumer groups', () => {
  it('keeps committed offsets across reopen, merging partial commits', async () => {
    const dir = temp.make();
    let log = await openLog({ dir });
    expect(await log.fetchCommittedOffsets('dashboard')).toEqual([]);
    await log.commitOffsets('dashboard', [
      { partition: 0, offset: 5 },
      { partition: 2, offset: 7 },
    ]);
    await log.commitOffsets('dashboard', [{ partition: 2, offset: 9 }]);
    await log.commitOffsets('export.v2_x-1', [{ partition: 1, offset: 1 }]);
    await log.close();
    log = await openLog({ dir });
    expect(await log.fetchCommittedOffsets('dashboard')).toEqual([
      { partition: 0, offset: 5 },
      { partition: 2, offset: 9 },
    ]);
    expect(await log.fetchCommittedOffsets('export.v2_x-1')).toEqual([{ partition: 1, offset: 1 }]);
    expect(fs.readdirSync(path.join(dir, 'content-downloads', 'groups')).sort()).toEqual([
      'dashboard.json',
      'export.v2_x-1.json',
    ]);
  });

  it('rejects group ids that are not safe file names, and bad offsets', async () => {
    const log = await openLog({ dir: temp.make() });
    for (const bad of ['', '../escape', 'a/b', 'with space', '..', 'x'.repeat(201)]) {
      await expect(log.commitOffsets(bad, [{ partition: 0, offset: 1 }])).rejects.toThrow(
        /Invalid consumer group id/,
      );
      await expect(log.fetchCommittedOffsets(bad)).rejects.toThrow(/Invalid consumer group id/);
    }
    await expect(log.commitOffsets('g', [{ partition: 3, offset: 1 }])).rejects.toThrow(
      /partition 3/,
    );
    await expect(log.commitOffsets('g', [{ partition: 0, offset: -1 }])).rejects.toThrow(
      /offset -1/,
    );
  });
});

describe('EmbeddedEventLog settings and the writer lock', () => {
  it('refuses to reopen with another partition count or partitioner, saying what to do', async () => {
    const dir = temp.make();
    await (await EmbeddedEventLog.open({ dir, partitions: 3 })).close();
    const mismatch = EmbeddedEventLog.open({ dir, partitions: 6 });
    await expect(mismatch).rejects.toBeInstanceOf(LogConfigMismatchError);
    await expect(EmbeddedEventLog.open({ dir, partitions: 6 })).rejects.toThrow(
      /has 3 partitions, but 6 were asked for.*set partitions to 3/s,
    );
    await expect(EmbeddedEventLog.open({ dir, partitioner: 'murmur2' })).rejects.toThrow(
      /uses the "region" partitioner, but "murmur2"/,
    );
    // Not asking for a count means: whatever the log has.
    const log = await openLog({ dir, readOnly: true });
    expect(log.partitionCount).toBe(3);
  });

  it('has an id made with it, kept across opens; a log from before ids gets one from a writer', async () => {
    const dir = temp.make();
    const metaFile = path.join(dir, 'content-downloads', 'meta.json');
    const first = await EmbeddedEventLog.open({ dir });
    expect(first.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    await first.close();
    expect((await openLog({ dir, readOnly: true })).id).toBe(first.id);
    expect(JSON.parse(fs.readFileSync(metaFile, 'utf8')).id).toBe(first.id);

    // meta.json as written before ids: read-only leaves it; a writer adds an id, then keeps it.
    const legacy = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
    delete legacy.id;
    fs.writeFileSync(metaFile, JSON.stringify(legacy));
    expect((await openLog({ dir, readOnly: true })).id).toBeUndefined();
    expect(JSON.parse(fs.readFileSync(metaFile, 'utf8')).id).toBeUndefined();
    const writer = await EmbeddedEventLog.open({ dir });
    expect(writer.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(writer.id).not.toBe(first.id);
    await writer.close();
    expect((await openLog({ dir, readOnly: true })).id).toBe(writer.id);

    fs.writeFileSync(metaFile, JSON.stringify({ ...legacy, id: 42 }));
    await expect(EmbeddedEventLog.open({ dir })).rejects.toThrow(/meta\.json is damaged/);
  });

  it('refuses to open a missing log read-only', async () => {
    await expect(EmbeddedEventLog.open({ dir: temp.make(), readOnly: true })).rejects.toThrow(
      /No event log for topic "content-downloads"/,
    );
  });

  it('refuses a second writer while the first is open, then allows one after close', async () => {
    const dir = temp.make();
    const first = await openLog({ dir });
    await expect(EmbeddedEventLog.open({ dir })).rejects.toBeInstanceOf(LogLockedError);
    const reader = await openLog({ dir, readOnly: true });
    expect(reader.partitionCount).toBe(3);
    await first.close();
    const lockFile = path.join(dir, 'content-downloads', 'writer.lock');
    expect(fs.existsSync(lockFile)).toBe(false);
    await openLog({ dir });
    expect(fs.readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
  });

  it('refuses a lock held by another live process, takes over one of a dead process', async () => {
    const dir = temp.make();
    const lockFile = path.join(dir, 'content-downloads', 'writer.lock');
    fs.mkdirSync(path.dirname(lockFile), { recursive: true });
    fs.writeFileSync(lockFile, `${process.ppid}\n`);
    await expect(EmbeddedEventLog.open({ dir })).rejects.toThrow(
      new RegExp(`another process \\(pid ${process.ppid}`),
    );
    // No process has this pid (above Linux's pid_max and Windows' practical range).
    fs.writeFileSync(lockFile, '2147483646\n');
    const logger = collectingLogger();
    await openLog({ dir, logger });
    expect(logger.messages).toEqual(['Taking over a stale event-log writer lock']);
    expect(fs.readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
  });

  it.runIf(process.platform === 'linux')(
    'takes over a lock whose writer is a zombie (exited, not yet reaped by its parent)',
    async () => {
      // `sleep 0` exits at once; its parent, exec'd into `sleep 30`, never reaps it.
      const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      try {
        const zombie = Number(
          (await new Promise<Buffer>((resolve) => parent.stdout.once('data', resolve))).toString(),
        );
        await expect
          .poll(() => fs.readFileSync(`/proc/${zombie}/stat`, 'utf8').split(') ')[1]?.[0])
          .toBe('Z');
        const dir = temp.make();
        const lockFile = path.join(dir, 'content-downloads', 'writer.lock');
        fs.mkdirSync(path.dirname(lockFile), { recursive: true });
        fs.writeFileSync(lockFile, `${zombie}\n`);
        const logger = collectingLogger();
        await openLog({ dir, logger });
        expect(logger.messages).toEqual(['Taking over a stale event-log writer lock']);
      } finally {
        parent.kill('SIGKILL');
      }
    },
  );

  it('a read-only instance cannot append or enforce retention', async () => {
    const dir = temp.make();
    await openLog({ dir });
    const reader = await openLog({ dir, readOnly: true });
    await expect(reader.append(pack(regionRows(1)))).rejects.toThrow(/read-only/);
    await expect(reader.enforceRetention(Date.now())).rejects.toThrow(/read-only/);
  });
});
