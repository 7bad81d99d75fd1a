/**
 * The API's handlers against a real database filled by `streampulse run`: each figure checked
 * against a recount in SQL or from the export, alerts acknowledged, replay and controls routed.
 */
import { fakeDrillsPort, fakeSettingsPort } from '../../src/main/api/fake-handlers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandlers, ReplayStatus } from '../../src/shared/api-contract';
import { createHandlers, type PipelinePort } from '../../src/main/api/handlers';
import type { GeneratorCommand } from '../../src/main/protocol/commands';
import { silentLogger } from '../../src/main/logger';
import type { PipelineStatus } from '../../src/main/protocol/statuses';
import { openDatabase, type Database } from '../../src/main/store/database';
import { expectApiResult } from '../support/api-result';
import { runCliInProcess } from '../support/run-cli-in-process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// One data dir for the whole file: the database lives in it across the tests.
const dataDir = mkdtempSync(join(tmpdir(), 'sp-api-'));
chmodSync(dataDir, 0o755);
let database: Database;
let handlers: ApiHandlers;
const commands: GeneratorCommand[] = [];

/** A pipeline stand-in: status with one open window; controls recorded. */
const pipeline: PipelinePort = {
  status: (): PipelineStatus =>
    ({
      database: 'test',
      mainThreadLoopDelay: { p99Ms: 1, maxMs: 2, intervalMs: 10_000 },
      generator: null,
      engine: {
        partial: [
          {
            windowStart: Date.parse('2026-11-24T10:40:00Z'),
            downloads: 7,
            successful: 5,
            failed: 1,
            slow: 1,
          },
        ],
        lag: [1, 2, 3],
        partialContent: [
          {
            contentId: 'not-in-the-database',
            title: 'New',
            contentType: 'APP',
            downloads: 7,
            failed: 1,
          },
        ],
        engine: { watermark: Date.parse('2026-11-24T10:39:55Z') },
      },
    }) as unknown as PipelineStatus,
  partitionRates: () => [1, 2, 3],
  control: async <R>(command: GeneratorCommand): Promise<R> => {
    commands.push(command);
    return {
      ratePerSecond: 10,
      outcomeMix: { failed: 0.1, slow: 0 },
      late: { fraction: 0, delayMs: 0 },
      injections: [],
      paused: false,
    } as R;
  },
  replay: async (from: number): Promise<ReplayStatus> => ({
    state: 'running',
    from: new Date(from).toISOString(),
    progress: 0,
    message: null,
  }),
  replayStatus: () => ({ state: 'idle', from: null, progress: 0, message: null }),
  generateHistory: async () => {
    throw new Error('not used here');
  },
};

beforeAll(async () => {
  // 40 minutes of event time at 50 events/s.
  const run = await runCliInProcess([
    'run',
    '--events',
    '120000',
    '--seed',
    '3',
    '--start',
    '2026-11-24T10:00:00Z',
    '--virtual-rate',
    '50',
    '--data-dir',
    dataDir,
  ]);
  expect(run.code).toBe(0);
  database = await openDatabase({ kind: 'embedded', dataDir, logger: silentLogger });
  handlers = createHandlers({
    pool: database.pool,
    pipeline,
    settings: fakeSettingsPort(),
    drills: fakeDrillsPort(),
    now: () => Date.parse('2026-11-24T12:00:00Z'),
    version: 'test',
    startedAt: 0,
  });
});
afterAll(async () => {
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('API handlers on a real database', () => {
  it('answers ranges ending at the newest final window, with the open window added live', async () => {
    const realtime = await handlers['stats:realtime']({ minutes: 5 });
    expectApiResult('stats:realtime', realtime);
    expect(realtime.asOf).toBe('2026-11-24T10:40:00.000Z');
    const { rows } = await database.pool.query<{ n: number }>(
      "SELECT SUM(total_downloads)::int AS n FROM region_health WHERE window_start >= '2026-11-24T10:35:00Z'",
    );
    expect(realtime.downloads).toBe(rows[0]!.n + 7);
    expect(realtime.partial).toEqual({
      windowStart: '2026-11-24T10:40:00.000Z',
      downloads: 7,
      failed: 1,
      slow: 1,
    });
    expect(realtime.consumerLag).toBe(6);
    const titles = await database.pool.query<{ n: number }>(
      "SELECT COUNT(DISTINCT content_id)::int AS n FROM content_stats WHERE window_start >= '2026-11-24T10:35:00Z'",
    );
    // The final windows' titles, plus one seen only in the open window.
    expect(realtime.activeContent).toBe(titles.rows[0]!.n + 1);
    expect(realtime.watermarkDelayMs).toBe(
      Date.parse('2026-11-24T12:00:00Z') - Date.parse('2026-11-24T10:39:55Z'),
    );
  });

  it('ranks trending titles by downloads in the range', async () => {
    const top = await handlers['stats:trending']({ minutes: 60, limit: 5 });
    expectApiResult('stats:trending', top);
    expect(top).toHaveLength(5);
    const { rows } = await database.pool.query<{ content_id: string; n: number }>(
      'SELECT content_id, SUM(download_count)::int AS n FROM content_stats GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5',
    );
    expect(top.map((t) => [t.contentId, t.downloads])).toEqual(
      rows.map((r) => [r.content_id, r.n]),
    );
  });

  it('gives every region and device with rates that add up', async () => {
    const regions = await handlers['stats:regions']({ minutes: 60 });
    expectApiResult('stats:regions', regions);
    expect(regions).toHaveLength(9);
    for (const r of regions) {
      expect(r.total).toBe(r.successful + r.failed + r.slow);
      expect(r.successRate).toBeCloseTo(r.successful / r.total, 12);
      expect(r.p95SpeedMbps).toBeGreaterThan(r.avgSpeedMbps * 0.5);
    }
    const devices = await handlers['stats:devices']({ minutes: 60 });
    expectApiResult('stats:devices', devices);
    expect(devices.map((d) => d.deviceType).sort()).toEqual([
      'APPLE_TV',
      'IPAD',
      'IPHONE',
      'MAC',
      'VISION_PRO',
    ]);
    expect(devices.reduce((s, d) => s + d.downloads, 0)).toBe(
      regions.reduce((s, r) => s + r.total, 0),
    );
  });

  it('buckets the time series, the open window marked partial', async () => {
    const points = await handlers['stats:timeseries']({ minutes: 60, bucket: '5m' });
    expectApiResult('stats:timeseries', points);
    expect(points.at(-1)).toEqual({
      bucketStart: '2026-11-24T10:40:00.000Z',
      downloads: 7,
      failed: 1,
      slow: 1,
      partial: true,
    });
    const final = points.filter((p) => !p.partial);
    expect(final.every((p) => Date.parse(p.bucketStart) % 300_000 === 0)).toBe(true);
    const { rows } = await database.pool.query<{ n: number }>(
      "SELECT SUM(total_downloads)::int AS n FROM region_health WHERE window_start >= '2026-11-24T09:40:00Z'",
    );
    expect(final.reduce((s, p) => s + p.downloads, 0)).toBe(rows[0]!.n);
  });

  it('acknowledges an alert once, and says so for an alert that does not exist', async () => {
    await database.pool.query(
      `INSERT INTO alerts (rule_id, alert_type, severity, message, region, metric_value, threshold_value, episode_start, created_at)
       VALUES ('high-error-rate', 'HIGH_ERROR_RATE', 'WARNING', 'test', 'EU-London', 0.3, 0.1, now(), now())`,
    );
    const openAlerts = await handlers['stats:alerts']({ limit: 5, status: 'open' });
    expectApiResult('stats:alerts', openAlerts);
    const [open] = openAlerts;
    expect(open).toMatchObject({
      type: 'HIGH_ERROR_RATE',
      region: 'EU-London',
      acknowledged: false,
      resolvedAt: null,
    });
    const acked = await handlers['alerts:ack']({ id: open!.id });
    expectApiResult('alerts:ack', acked);
    expect(acked).toMatchObject({ id: open!.id, acknowledged: true });
    expect(acked.acknowledgedAt).not.toBeNull();
    await expect(handlers['alerts:ack']({ id: 999_999 })).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    const resolved = await handlers['stats:alerts']({ limit: 100, status: 'resolved' });
    expect(resolved.every((a) => a.resolvedAt !== null)).toBe(true);
    expect(resolved.map((a) => a.id)).not.toContain(open!.id);
  });

  it('routes controls to the generator, checking an injection has exactly one target', async () => {
    expectApiResult('control:setRate', await handlers['control:setRate']({ ratePerSecond: 10 }));
    expectApiResult(
      'control:inject',
      await handlers['control:inject']({ region: 'EU-London', failed: 0.4, durationSeconds: 60 }),
    );
    expect(commands).toContainEqual({ kind: 'setRate', ratePerSecond: 10 });
    expect(commands).toContainEqual({
      kind: 'inject',
      spec: { target: { region: 'EU-London' }, failed: 0.4, durationMs: 60_000 },
    });
    await expect(handlers['control:inject']({ failed: 0.4 })).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'region',
    });
    await expect(
      handlers['control:inject']({ region: 'EU-Paris', device: 'MAC', failed: 0.4 }),
    ).rejects.toMatchObject({ field: 'region' });
  });

  it('reports health with the database up', async () => {
    const health = await handlers.health({});
    expectApiResult('health', health);
    expect(health).toMatchObject({
      status: 'ok',
      database: 'up',
      version: 'test',
    });
  });
});
