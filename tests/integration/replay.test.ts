/**
 * Replay from a time recomputes the windows from there, idempotently: after a complete run, a
 * replay from the middle leaves every table exactly as it was, with progress reported to the end,
 * and the alerts too, when the replay starts within an alert's episode or its streak.
 */
import { runEngineToEnd } from '../support/engine-run';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { eventAt } from '../support/engine-test-events';
import { DownloadEventCodec } from '../../src/main/events/download-event-codec';
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

describe('a replay and the alerts', () => {
  const S = 1000;
  /** 300 s of events, 10 a second per region; EU-London fails half of them from 100 s to 200 s. */
  async function incidentLog(dir: string): Promise<EmbeddedEventLog> {
    const log = await EmbeddedEventLog.open({ dir });
    const codec = new DownloadEventCodec();
    const times: number[] = [];
    const keys: string[] = [];
    const values: Buffer[] = [];
    for (let s = 0; s < 300; s++) {
      for (let i = 0; i < 10; i++) {
        for (const region of ['EU-London', 'US-East']) {
          const failing = region === 'EU-London' && s >= 100 && s < 200 && i % 2 === 0;
          times.push(T0 + s * S + i * 100);
          keys.push(region);
          values.push(
            codec.encode(
              eventAt(T0 + s * S + i * 100, { region, status: failing ? 'FAILED' : 'SUCCESS' }),
            ),
          );
        }
      }
    }
    let end = 0;
    await log.append({
      count: times.length,
      keys,
      timestamps: times,
      values: Buffer.concat(values),
      valueEnds: values.map((v) => (end += v.length)),
    });
    return log;
  }

  async function alertsOf(pool: pg.Pool): Promise<unknown[]> {
    const { rows } = await pool.query(
      `SELECT rule_id, region, severity, metric_value, episode_start, created_at, resolved_at
         FROM alerts ORDER BY episode_start`,
    );
    return rows;
  }

  it.each([
    ['in the middle of an open episode', 150_000],
    ['in the middle of a streak, before the alert opened', 115_000],
  ])('reproduces the same alerts from a replay %s', async (_, from) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sp-replay-alerts-'));
    chmodSync(dataDir, 0o755);
    const database = await openDatabase({
      kind: 'embedded',
      dataDir,
      port: 0,
      logger: silentLogger,
    });
    const log = await incidentLog(join(dataDir, 'log'));
    try {
      const runner = await runEngineToEnd(database.pool, log, {
        config: engineConfig({ windowSizeMs: 10_000, allowedLatenessMs: 5000 }),
      });
      const before = await alertsOf(database.pool);
      // One episode: 3 windows from 100 s open it at 130 s; the window from 200 s resolves it.
      expect(before).toEqual([
        expect.objectContaining({
          region: 'EU-London',
          episode_start: new Date(T0 + 100 * S),
          created_at: new Date(T0 + 130 * S),
          resolved_at: new Date(T0 + 210 * S),
        }),
      ]);
      await runner.replay(T0 + from);
      await runner.drain();
      await runner.flush();
      expect(await alertsOf(database.pool)).toEqual(before);
    } finally {
      await log.close();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
