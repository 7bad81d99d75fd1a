/**
 * The runner's memory stays bounded by what arrives: a log full of late events (they close no
 * window, and a bounded run has no timer) is checkpointed in bounded chunks, not held to the end.
 * In memory: an embedded log and a checkpoint store that keeps what it is given.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { DownloadEventCodec } from '../events/download-event-codec';
import { EmbeddedEventLog } from '../log/embedded-event-log';
import { silentLogger } from '../logger';
import type { CheckpointBatch, CheckpointPort } from '../engine/checkpoint-port';
import type { PartitionSnapshot } from '../engine/partition-state';
import { engineConfig } from '../engine/engine-config';
import { EngineRunner } from './engine-runner';
import { eventAt } from '../../../tests/support/engine-test-events';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A checkpoint store in memory that remembers each commit's size. */
function memoryCheckpoints(): { store: CheckpointPort; lateSizes: number[] } {
  const lateSizes: number[] = [];
  let snapshots: PartitionSnapshot[] = [];
  const store = {
    load: async () => snapshots,
    loadLogId: async () => null,
    commit: async (batch: CheckpointBatch) => {
      lateSizes.push(batch.lateEvents.length);
      snapshots = [...batch.snapshots];
    },
  } as unknown as CheckpointPort;
  return { store, lateSizes };
}

it('checkpoints late events in bounded chunks, however many arrive between windows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sp-runner-'));
  dirs.push(dir);
  const log = await EmbeddedEventLog.open({ dir });
  const codec = new DownloadEventCodec();
  const T0 = Date.UTC(2026, 10, 24, 12);
  // One partition: an hour of events, then 25,000 events an hour older: all late.
  const times = [
    ...Array.from({ length: 600 }, (_, i) => T0 + i * 6000),
    ...Array.from({ length: 25_000 }, (_, i) => T0 - 3_600_000 + (i % 3600) * 1000),
  ];
  const values = times.map((t) => codec.encode(eventAt(t, { region: 'EU-London' })));
  let end = 0;
  await log.append({
    count: times.length,
    keys: times.map(() => 'EU-London'),
    timestamps: times,
    values: Buffer.concat(values),
    valueEnds: values.map((v) => (end += v.length)),
  });
  const { store, lateSizes } = memoryCheckpoints();
  const runner = new EngineRunner({
    log,
    checkpoints: store,
    config: engineConfig({ allowedLatenessMs: 60_000 }),
    logger: silentLogger,
    now: () => 0, // virtual time, as in `run`: no timer ever makes a checkpoint due
    maxPendingRecords: 4000,
  });
  await runner.start();
  await runner.drain();
  await runner.flush();
  await log.close();
  expect(runner.stats().engine.lateEvents).toBe(25_000);
  expect(lateSizes.reduce((a, b) => a + b, 0)).toBe(25_000);
  // Never more than the bound plus one read's worth (2,000 records) in one checkpoint.
  expect(Math.max(...lateSizes)).toBeLessThanOrEqual(4000 + 2000);
  expect(lateSizes.filter((n) => n > 0).length).toBeGreaterThanOrEqual(5);
});
