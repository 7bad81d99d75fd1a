/**
 * "Generate history" fills the hours before the existing data: every generated event is counted,
 * in windows that end where the existing data begins, and the existing rows are untouched.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { engineConfig } from '../../src/main/engine/engine-config';
import { HistoryJob } from '../../src/main/runtime/history-job';
import { cachedPartitioner, regionPartitioner } from '../../src/main/log/partitioner';
import { silentLogger } from '../../src/main/logger';
import { CheckpointStore } from '../../src/main/store/checkpoint-store';
import { openDatabase } from '../../src/main/store/database';

const LIVE_START = Date.UTC(2026, 10, 24, 12, 0, 0);

it('fills the hours before the existing data, counting every event, touching nothing after', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sp-history-'));
  chmodSync(dataDir, 0o755);
  const database = await openDatabase({ kind: 'embedded', dataDir, port: 0, logger: silentLogger });
  try {
    const pool = database.pool;
    // "Live" data already there: one region row from 12:00.
    await pool.query(
      `INSERT INTO region_health VALUES ($1, $2, 1, 'EU-London', 10, 9, 1, 0, 0.9, 0.1, 50, 80, 500, now())`,
      [new Date(LIVE_START), new Date(LIVE_START + 60_000)],
    );
    const job = new HistoryJob({
      hours: 1,
      ratePerSecond: 20,
      seed: 'history-test',
      config: engineConfig(),
      partitions: [0, 1, 2],
      partitionOf: cachedPartitioner(regionPartitioner, 3),
      store: new CheckpointStore(pool, 'history-test'),
      now: () => LIVE_START + 30 * 60_000,
      earliestLiveWindow: () => null,
    });
    const started = await job.prepare();
    expect(started).toMatchObject({
      state: 'running',
      from: '2026-11-24T11:00:00.000Z',
      to: '2026-11-24T12:00:00.000Z',
      total: 72_000,
    });
    const progress: number[] = [];
    while (!job.done) {
      await job.step();
      progress.push(job.status().progress);
    }
    expect(job.status()).toMatchObject({ state: 'done', generated: 72_000, progress: 1 });
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    const history = await pool.query<{ n: number; first: Date; last: Date; windows: number }>(
      `SELECT SUM(total_downloads)::int AS n, min(window_start) AS first, max(window_end) AS last,
              COUNT(DISTINCT window_start)::int AS windows
       FROM region_health WHERE window_start < $1`,
      [new Date(LIVE_START)],
    );
    expect(history.rows[0]).toEqual({
      n: 72_000,
      first: new Date(LIVE_START - 3_600_000),
      last: new Date(LIVE_START),
      windows: 60,
    });
    const content = await pool.query<{ n: number }>(
      'SELECT SUM(download_count)::int AS n FROM content_stats',
    );
    expect(content.rows[0]!.n).toBe(72_000);
    const live = await pool.query(
      'SELECT total_downloads FROM region_health WHERE window_start >= $1',
      [new Date(LIVE_START)],
    );
    expect(live.rows).toEqual([{ total_downloads: 10 }]);
    // No engine checkpoint was written: the live engine's state is its own.
    expect((await pool.query('SELECT * FROM checkpoints')).rows).toEqual([]);
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
