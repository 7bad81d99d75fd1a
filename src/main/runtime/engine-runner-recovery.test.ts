/**
 * The runner over its checkpoint port, in memory (tests/support/memory-checkpoints.ts has the
 * PostgreSQL store's semantics): a drain reads to the given ends and checkpoints, a restart goes
 * on from the checkpoint without counting anything twice, a failed commit loses nothing, a replay
 * rewrites the same rows, and a checkpoint from another log is rebased onto this one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventAt } from '../../../tests/support/engine-test-events';
import { MemoryCheckpoints, memoryTables } from '../../../tests/support/memory-checkpoints';
import { engineConfig } from '../engine/engine-config';
import type { DownloadEvent } from '../events/download-event';
import { DownloadEventCodec } from '../events/download-event-codec';
import { EmbeddedEventLog } from '../log/embedded-event-log';
import { regionPartitioner } from '../log/partitioner';
import { REGIONS as ALL_REGIONS } from '../../shared/domain';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import { EngineRunner, type EngineRunnerOptions } from './engine-runner';

const T0 = Date.UTC(2026, 10, 24, 12);
/** One region on each of the log's 3 partitions: every partition's watermark moves. */
const REGIONS = [0, 1, 2].map((p) => ALL_REGIONS.find((r) => regionPartitioner(r, 3) === p)!);
const codec = new DownloadEventCodec();
const dirs: string[] = [];
const logs: EmbeddedEventLog[] = [];

afterEach(async () => {
  for (const log of logs.splice(0)) await log.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function openLog(): Promise<EmbeddedEventLog> {
  const dir = mkdtempSync(join(tmpdir(), 'sp-runner-recovery-'));
  dirs.push(dir);
  const log = await EmbeddedEventLog.open({ dir, partitions: 3 });
  logs.push(log);
  return log;
}

/** `count` events, one every `stepMs` from `from`, over the regions in turn; every 7th failed. */
function events(from: number, count: number, stepMs = 1000): DownloadEvent[] {
  return Array.from({ length: count }, (_, i) =>
    eventAt(from + i * stepMs, {
      region: REGIONS[i % REGIONS.length]!,
      status: i % 7 === 0 ? 'FAILED' : 'SUCCESS',
    }),
  );
}

async function append(log: EmbeddedEventLog, batch: readonly DownloadEvent[]): Promise<void> {
  const values = batch.map((e) => codec.encode(e));
  let end = 0;
  await log.append({
    count: batch.length,
    keys: batch.map((e) => e.region),
    timestamps: batch.map((e) => e.eventTime),
    values: Buffer.concat(values),
    valueEnds: values.map((v) => (end += v.length)),
  });
}

function runner(
  log: EmbeddedEventLog,
  checkpoints: MemoryCheckpoints,
  extra: Partial<EngineRunnerOptions> = {},
): EngineRunner {
  return new EngineRunner({
    log,
    checkpoints,
    config: engineConfig({ windowSizeMs: 60_000, allowedLatenessMs: 0 }),
    logger: silentLogger,
    now: () => 0, // virtual time: only closed windows and drains checkpoint
    ...extra,
  });
}

/** Events counted in the region table, per region (what the dashboard's totals come from). */
function counted(checkpoints: MemoryCheckpoints): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const row of checkpoints.tables.region.values())
    totals[row.region] = (totals[row.region] ?? 0) + row.total;
  return totals;
}

function recount(batch: readonly DownloadEvent[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const e of batch) totals[e.region] = (totals[e.region] ?? 0) + 1;
  return totals;
}

describe('EngineRunner over its checkpoint port', () => {
  it('drains to the given ends, checkpoints, and a restart counts every event once', async () => {
    const log = await openLog();
    const first = events(T0, 600); // ten minutes
    await append(log, first);
    const tables = memoryTables();
    const before = runner(log, new MemoryCheckpoints(tables));
    await before.start();
    const ends = await log.endOffsets();
    expect(await before.drainAndCheckpoint(ends)).toEqual(ends);
    // The checkpoint holds the offsets read, and the closed windows' rows.
    expect([...tables.checkpoints.values()].map((s) => s.nextOffset)).toEqual(
      ends.map((e) => e.offset),
    );
    expect(Object.values(counted(new MemoryCheckpoints(tables))).length).toBeGreaterThan(0);

    // "Restart": a new runner on the same tables, more events, to the end.
    const second = events(T0 + 600_000, 300);
    await append(log, second);
    const checkpoints = new MemoryCheckpoints(tables);
    const after = runner(log, checkpoints);
    await after.start();
    await after.drain();
    await after.flush();
    expect(counted(checkpoints)).toEqual(recount([...first, ...second]));
    expect(after.stats().consumed).toBe(second.length);
  });

  it('loses nothing when a commit fails: the next start resumes from the last good checkpoint', async () => {
    const log = await openLog();
    const all = events(T0, 900);
    await append(log, all);
    const tables = memoryTables();
    const failing = new MemoryCheckpoints(tables);
    failing.failFromCommit = 3;
    // Small reads: windows close over many polls, each commit a few of them.
    const crashed = runner(log, failing, { maxRecordsPerRead: 50 });
    await crashed.start();
    await expect(crashed.drain()).rejects.toThrow(/commit 3 failed/);
    expect(tables.commits).toBe(2);

    const checkpoints = new MemoryCheckpoints(tables);
    const resumed = runner(log, checkpoints, { maxRecordsPerRead: 50 });
    await resumed.start();
    await resumed.drain();
    await resumed.flush();
    expect(counted(checkpoints)).toEqual(recount(all));
  });

  it('refuses to commit over another writer’s checkpoint', async () => {
    const log = await openLog();
    await append(log, events(T0, 300));
    const tables = memoryTables();
    const one = runner(log, new MemoryCheckpoints(tables));
    const two = runner(log, new MemoryCheckpoints(tables));
    await one.start();
    await two.start();
    await one.drain();
    await expect(two.drain()).rejects.toThrow(/checkpointed by another engine/);
  });

  it('replays from a time and rewrites the same rows, counting nothing twice', async () => {
    const log = await openLog();
    const all = events(T0, 1200);
    await append(log, all);
    const checkpoints = new MemoryCheckpoints();
    const engine = runner(log, checkpoints);
    await engine.start();
    await engine.drain();
    await engine.flush();
    const firstPass = structuredClone([...checkpoints.tables.region.entries()]);
    expect(counted(checkpoints)).toEqual(recount(all));

    const progress = await engine.replay(T0 + 5 * 60_000 + 30_000);
    expect(progress).toMatchObject({ from: T0 + 5 * 60_000, progress: 0 });
    await engine.drain();
    await engine.flush();
    expect(engine.stats().replay).toMatchObject({ progress: 1 });
    expect([...checkpoints.tables.region.entries()]).toEqual(firstPass);
    expect(counted(checkpoints)).toEqual(recount(all));
  });

  it('rebases a checkpoint from another log onto this one, from where this run began writing', async () => {
    const oldLog = await openLog();
    const before = events(T0, 300);
    await append(oldLog, before);
    const tables = memoryTables();
    const first = runner(oldLog, new MemoryCheckpoints(tables), { logId: 'log-A' });
    await first.start();
    await first.drain();
    await first.advance(true);
    expect(tables.logId).toBe('log-A');

    // Another log, with events this run did not write (before runStartOffsets) and events it did.
    const newLog = await openLog();
    const foreign = events(T0 + 300_000, 150);
    await append(newLog, foreign);
    const runStartOffsets = await newLog.endOffsets();
    const mine = events(T0 + 450_000, 150);
    await append(newLog, mine);
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (msg) => void warnings.push(msg) };
    const checkpoints = new MemoryCheckpoints(tables);
    const second = runner(newLog, checkpoints, { logId: 'log-B', runStartOffsets, logger });
    await second.start();
    // The rebase is checkpointed at once, with this log's identity.
    expect(tables.logId).toBe('log-B');
    expect(warnings.join('\n')).toMatch(/the checkpoint belongs to another event log/);
    await second.drain();
    await second.flush();
    expect(second.stats().consumed).toBe(mine.length);
    expect(counted(checkpoints)).toEqual(recount([...before, ...mine]));
  });
});
