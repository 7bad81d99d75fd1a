/**
 * Replay from a time recomputes the windows from there, idempotently: after a complete run, a
 * replay from the middle leaves every table exactly as it was, with progress reported to the end.
 */
import { runEngineToEnd } from '../support/engine-run';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { engineConfig } from '../../src/main/engine/engine-config';
import { DownloadEventGenerator } from '../../src/main/generator/download-event-generator';
import { EventProducer } from '../../src/main/generator/event-producer';
import { EmbeddedEventLog } from '../../src/main/log/embedded-event-log';
import { silentLogger } from '../../src/main/logger';
import { openDatabase } from '../../src/main/store/database';
import { readTables } from '../support/database-tables';

const T0 = Date.UTC(2026, 10, 24, 6);

it('replays from a time and leaves the same tables, reporting progress', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sp-replay-'));
  chmodSync(dataDir, 0o755);
  const database = await openDatabase({ kind: 'embedded', dataDir, port: 0, logger: silentLogger });
  const log = await EmbeddedEventLog.open({ dir: join(dataDir, 'log') });
  try {
    const generator = new DownloadEventGenerator({
      seed: 5,
      late: { fraction: 0.02, delayMs: 14_000 },
    });
    await new EventProducer({ generator, log, ratePerSecond: 200, startAt: T0 }).produceVirtual(
      60_000,
      T0,
      200,
    );
    const runner = await runEngineToEnd(database.pool, log, {
      config: engineConfig({ windowSizeMs: 10_000, allowedLatenessMs: 5000 }),
    });
    const before = await readTables(database.url);

    // 300 s of event time: replay from the middle.
    const progress = await runner.replay(T0 + 150_000 + 4321);
    expect(progress).toEqual({ from: T0 + 150_000, progress: 0 });
    await runner.drain();
    await runner.flush();
    expect(runner.replayProgress()).toEqual({ from: T0 + 150_000, progress: 1 });
    const after = await readTables(database.url);

    expect([...after.content.entries()].sort()).toEqual([...before.content.entries()].sort());
    expect([...after.region.entries()].sort()).toEqual([...before.region.entries()].sort());
    expect([...after.device.entries()].sort()).toEqual([...before.device.entries()].sort());
    expect(after.lateEvents).toBe(before.lateEvents);
    expect(before.lateEvents).toBeGreaterThan(0);
  } finally {
    await log.close();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
