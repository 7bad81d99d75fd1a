/**
 * Retention against the real schema: rows on each side of every table's limit, a fixed "now",
 * and exactly the old ones gone.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './database';
import { RetentionJob } from './retention-job';
import { collectingLogger, makeTempDirs, waitFor } from '../../../tests/support/store-test-helpers';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const ago = (ms: number) => new Date(NOW - ms).toISOString();

const temp = makeTempDirs();
let db: Database;

beforeAll(async () => {
  db = await openDatabase({
    kind: 'embedded',
    dataDir: temp.make(),
    port: 0,
    logger: collectingLogger(),
  });
});

afterAll(async () => {
  await db?.close();
  temp.cleanup();
});

beforeEach(async () => {
  await db.pool.query(
    'TRUNCATE content_stats, region_health, device_stats, alerts, dead_letters, late_events',
  );
});

/** One row per (table, age), each tagged with its age so the survivors can be named. */
async function insertAged(tag: string, at: string): Promise<void> {
  const q = (sql: string) => db.pool.query(sql, [at, tag]);
  await q(`INSERT INTO content_stats VALUES ($1, $1::timestamptz + interval '1 minute', 0, $2,
           'Title', 'movie', 3, 1, 1, 1, 1000)`);
  await q(`INSERT INTO region_health VALUES ($1, $1::timestamptz + interval '1 minute', 0, $2,
           3, 1, 1, 1, 0.33, 0.33, 10, 20, 30)`);
  await q(`INSERT INTO device_stats VALUES ($1, $1::timestamptz + interval '1 minute', 0, $2,
           3, 1, 1, 1, 0.33, 10, 100, 30, 300)`);
  await q(`INSERT INTO alerts (rule_id, alert_type, severity, message, region, metric_value,
           threshold_value, episode_start, created_at) VALUES ('rule', 'ERROR_RATE', 'WARNING', 'm',
           $2, 0.5, 0.1, $1, $1)`);
  await q(`INSERT INTO dead_letters (source_partition, source_offset, error, raw, received_at)
           VALUES (0, (SELECT count(*) FROM dead_letters), $2, '\\x00', $1)`);
  await q(`INSERT INTO late_events (source_partition, source_offset, event_id, event_time,
           window_start, region, status, watermark, recorded_at) VALUES (0,
           (SELECT count(*) FROM late_events), gen_random_uuid(), $1, $1, $2, 'SUCCESS', $1, $1)`);
}

async function survivors(): Promise<Record<string, string[]>> {
  const { rows } = await db.pool.query<{ t: string; tag: string }>(`
    SELECT 'content_stats' AS t, content_id AS tag FROM content_stats
    UNION ALL SELECT 'region_health', region FROM region_health
    UNION ALL SELECT 'device_stats', device_type FROM device_stats
    UNION ALL SELECT 'alerts', region FROM alerts
    UNION ALL SELECT 'dead_letters', error FROM dead_letters
    UNION ALL SELECT 'late_events', region FROM late_events`);
  const result: Record<string, string[]> = {};
  for (const { t, tag } of rows) (result[t] ??= []).push(tag);
  for (const tags of Object.values(result)) tags.sort();
  return result;
}

describe('RetentionJob', () => {
  it('deletes exactly the rows older than each limit (7 days; 30 for alerts)', async () => {
    await insertAged('a-fresh', ago(DAY));
    await insertAged('b-at-7-days', ago(7 * DAY)); // not older than the limit: kept
    await insertAged('c-8-days', ago(8 * DAY));
    await insertAged('d-31-days', ago(31 * DAY));

    const logger = collectingLogger();
    const job = new RetentionJob({ pool: db.pool, logger, now: () => NOW });
    const counts = await job.runOnce(NOW);

    expect(counts).toEqual({
      content_stats: 2,
      region_health: 2,
      device_stats: 2,
      alerts: 1,
      dead_letters: 2,
      late_events: 2,
    });
    const recent = ['a-fresh', 'b-at-7-days'];
    expect(await survivors()).toEqual({
      content_stats: recent,
      region_health: recent,
      device_stats: recent,
      alerts: [...recent, 'c-8-days'],
      dead_letters: recent,
      late_events: recent,
    });
    expect(logger.entries).toContainEqual(
      expect.objectContaining({ level: 'info', fields: expect.objectContaining({ total: 11 }) }),
    );

    // Nothing left to delete: all zeros, and no info line.
    const again = collectingLogger();
    const second = await new RetentionJob({ pool: db.pool, logger: again }).runOnce(NOW);
    expect(Object.values(second)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(again.entries.filter((e) => e.level === 'info')).toEqual([]);
  });

  it('start() runs at once and then on its schedule, with its clock; stop() ends it', async () => {
    await insertAged('old', ago(40 * DAY));
    const logger = collectingLogger();
    const job = new RetentionJob({ pool: db.pool, logger, everyMs: 20, now: () => NOW });
    job.start();
    const runs = () => logger.entries.filter((e) => e.msg.startsWith('retention')).length;
    try {
      await waitFor('the first and a scheduled run', () => runs() >= 2);
    } finally {
      await job.stop();
    }
    expect(await survivors()).toEqual({});
    const afterStop = runs();
    await job.stop(); // idempotent
    expect(runs()).toBe(afterStop);
  });
});
