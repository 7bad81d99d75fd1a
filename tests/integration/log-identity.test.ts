/**
 * A checkpoint's offsets belong to one event log. An embedded log is known by an id made with it
 * (meta.json), not by its directory: a log deleted and made again at the same path, or another
 * machine's log at the same default path sharing one remote database, is another log, and the
 * engine must not apply the first one's offsets to it. Checkpoints from before ids still count as
 * the same log's, once.
 */
import { runEngineToEnd } from '../support/engine-run';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { logDirOf } from '../../src/main/data-dir';
import { DownloadEventGenerator } from '../../src/main/generator/download-event-generator';
import { EventProducer } from '../../src/main/generator/event-producer';
import { EmbeddedEventLog } from '../../src/main/log/embedded-event-log';
import type { EventLog } from '../../src/main/log/event-log';
import { legacyLogIdentity, logIdentity, type LogBackend } from '../../src/main/log/open-event-log';
import { silentLogger } from '../../src/main/logger';
import { openDatabase, type Database } from '../../src/main/store/database';

const T0 = Date.UTC(2026, 10, 25, 6);
let dataDir: string;
let database: Database;
let backend: LogBackend;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sp-log-identity-'));
  chmodSync(dataDir, 0o755);
  database = await openDatabase({ kind: 'embedded', dataDir, port: 0, logger: silentLogger });
  backend = { kind: 'embedded', dataDir, partitions: undefined, partitioner: undefined };
});
afterEach(async () => {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function produce(log: EventLog, events: number, seed: number): Promise<void> {
  const generator = new DownloadEventGenerator({ seed });
  await new EventProducer({ generator, log, ratePerSecond: 100, startAt: T0 }).produceVirtual(
    events,
    T0,
    100,
  );
}

/** The engine as the worker runs it on `log`: its id, the legacy name, where this run began. */
async function runEngine(log: EmbeddedEventLog, runStart = 0): Promise<number> {
  const runner = await runEngineToEnd(database.pool, log, {
    logId: logIdentity(backend, log),
    logAliases: [legacyLogIdentity(backend)],
    runStartOffsets: [0, 1, 2].map((partition) => ({ partition, offset: runStart })),
  });
  return runner.stats().consumed;
}

const recordedLog = async (): Promise<string[]> =>
  (await database.pool.query<{ log_id: string }>('SELECT log_id FROM engine_log')).rows.map(
    (r) => r.log_id,
  );

it('takes a log made again at the same path for another log, and counts all of it', async () => {
  const first = await EmbeddedEventLog.open({ dir: logDirOf(dataDir) });
  await produce(first, 3000, 1);
  expect(await runEngine(first)).toBe(3000);
  expect(await recordedLog()).toEqual([`embedded:${first.id}`]);
  await first.close();

  // The same path, a new log (another machine's default data dir, or this one deleted): fewer
  // events than the first log's offsets, which must not be applied to it.
  rmSync(logDirOf(dataDir), { recursive: true, force: true });
  const second = await EmbeddedEventLog.open({ dir: logDirOf(dataDir) });
  expect(second.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(second.id).not.toBe(first.id);
  await produce(second, 900, 2);
  expect(await runEngine(second)).toBe(900);
  expect(await recordedLog()).toEqual([`embedded:${second.id}`]);
  await second.close();
});

it('takes a checkpoint from before ids for its log’s, once, and records the id', async () => {
  const log = await EmbeddedEventLog.open({ dir: logDirOf(dataDir) });
  await produce(log, 2000, 3);
  expect(await runEngine(log)).toBe(2000);
  // As a checkpoint written before ids named it.
  await database.pool.query('UPDATE engine_log SET log_id = $1', [legacyLogIdentity(backend)]);
  await produce(log, 500, 4);
  // Read on from the checkpoint: only the 500 new events (a foreign log would start at the end).
  expect(await runEngine(log, 2500)).toBe(500);
  expect(await recordedLog()).toEqual([`embedded:${log.id}`]);
  await log.close();
});
