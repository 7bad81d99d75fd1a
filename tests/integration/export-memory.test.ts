/**
 * A million-row table export streams: the server holds one cursor batch and a few chunks at a
 * time, so memory stays flat while far more bytes than that go through. Prints the rate and the
 * peak memory (docs/BENCHMARKS.md quotes them).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/http-test-support';
import { DEFAULT_ENGINE_CONFIG } from '../../src/main/engine/engine-config';
import { ExportService } from '../../src/main/export/export-service';
import { silentLogger } from '../../src/main/logger';
import { openDatabase, type Database } from '../../src/main/store/database';
import { exportUrl, openExport } from '../support/export-fixture';

const ROWS = 1_000_000;

// A full GC on demand, so what is measured is memory still held, not garbage not yet collected.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const dataDir = mkdtempSync(join(tmpdir(), 'sp-export-mem-'));
chmodSync(dataDir, 0o755);
let database: Database;
let http: TestServer;
let service: ExportService;

beforeAll(async () => {
  database = await openDatabase({ kind: 'embedded', dataDir, logger: silentLogger });
  // A million region_health rows: one per minute and region-like key, as windows would write them.
  await database.pool.query(
    `INSERT INTO region_health (window_start, window_end, source_partition, region, total_downloads,
       successful_downloads, failed_downloads, slow_downloads, success_rate, error_rate,
       avg_speed_mbps, p95_speed_mbps, speed_sum_mbps)
     SELECT '2026-01-01T00:00:00Z'::timestamptz + (g / 8) * interval '1 minute',
            '2026-01-01T00:01:00Z'::timestamptz + (g / 8) * interval '1 minute',
            g % 3, 'region-' || (g % 8), 100, 90, 7, 3, 0.9, 0.07, 48.25 + (g % 100) / 7.0,
            91.5, 4825.0
     FROM generate_series(0, ${ROWS - 1}) AS g`,
  );
  service = new ExportService({
    pool: () => database.pool,
    prepareEvents: () => Promise.reject(new Error('no log in this test')),
    engine: () => DEFAULT_ENGINE_CONFIG,
    logger: silentLogger,
  });
  http = await startTestServer({ exports: service });
}, 180_000);
afterAll(async () => {
  await http?.server.stop();
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('streams a million rows with bounded memory', async () => {
  gc();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  let peakExternal = before.external;
  let rssAtHalf = 0;
  let nextSample = 0;
  const started = performance.now();
  const res = await openExport(
    http.port,
    exportUrl('region_health', { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' }),
  );
  expect(res.statusCode).toBe(200);
  expect(Number(res.headers['x-total-estimate'])).toBe(ROWS);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
    if (bytes >= nextSample) {
      // Every 10 MB: the heap that survives a full collection (what the server really holds).
      nextSample += 10e6;
      gc();
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
      peakExternal = Math.max(peakExternal, m.external);
      if (lines < ROWS / 2) rssAtHalf = peakRss;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const mb = (n: number) => Math.round(n / 1e6);
  console.log(
    `exported ${lines - 1} rows, ${mb(bytes)} MB in ${seconds.toFixed(1)} s ` +
      `(${Math.round((lines - 1) / seconds)} rows/s); live heap +${mb(peakHeap - before.heapUsed)} MB ` +
      `(peak ${mb(peakHeap)} MB), external +${mb(peakExternal - before.external)} MB, RSS +${mb(peakRss - before.rss)} MB (peak ${mb(peakRss)} MB; ` +
      `+${mb(peakRss - rssAtHalf)} MB over the second half)`,
  );
  expect(lines).toBe(ROWS + 1); // and the header
  expect(bytes).toBeGreaterThan(100e6);
  // Far less than the file: nothing holds it whole (server and client share this process).
  expect(peakHeap - before.heapUsed).toBeLessThan(16e6);
  expect(peakExternal - before.external).toBeLessThan(48e6);
  // The process's size levels off (freed pages the allocator keeps): the second half of the
  // rows does not make it grow as the first did.
  expect(peakRss - rssAtHalf).toBeLessThan(48e6);
  expect(service.running).toBe(0);
}, 180_000);
