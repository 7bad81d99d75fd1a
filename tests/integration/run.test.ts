/**
 * `streampulse run` end to end on embedded Postgres: the tables it leaves equal an independent
 * recount of the events in the log, and a record that does not decode lands in dead_letters.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventAt } from '../support/engine-test-events';
import { DownloadEventCodec } from '../../src/main/events/download-event-codec';
import { EmbeddedEventLog } from '../../src/main/log/embedded-event-log';
import { silentLogger } from '../../src/main/logger';
import { openDatabase } from '../../src/main/store/database';
import { tablesOf, type TableRow } from '../support/database-tables';
import { percentile, recount, type Counts, type ExportedEvent } from '../support/recount';
import { runCliInProcess } from '../support/run-cli-in-process';
import { useTempDirs } from '../support/temp-dir';

const tempDir = useTempDirs();
const START = '2026-11-24T10:00:00Z';

async function exportedEvents(dataDir: string): Promise<ExportedEvent[]> {
  const result = await runCliInProcess(['events', 'export', '--data-dir', dataDir]);
  expect(result.code).toBe(0);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ExportedEvent);
}

function expectSameCounts(
  table: Map<string, TableRow>,
  counted: Map<string, Counts>,
  what: string,
): void {
  expect([...table.keys()].sort(), what).toEqual([...counted.keys()].sort());
  for (const [key, c] of counted) {
    const row = table.get(key)!;
    expect([row.total, row.successful, row.failed, row.slow], `${what} ${key}`).toEqual([
      c.total,
      c.successful,
      c.failed,
      c.slow,
    ]);
  }
}

describe('streampulse run', () => {
  it('leaves tables that equal an independent recount of its 200,000 events', async () => {
    const dataDir = tempDir();
    const run = await runCliInProcess([
      'run',
      '--events',
      '200000',
      '--seed',
      '7',
      '--start',
      START,
      '--virtual-rate',
      '100',
      '--data-dir',
      dataDir,
    ]);
    expect(run.stderr).not.toMatch(/"level":"error"/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /200,000 events \(seed 7\): 200,000 counted in windows of 60 s, 0 late, 0 too far in the future, 0 dead letters/,
    );

    const events = await exportedEvents(dataDir);
    expect(events).toHaveLength(200_000);
    const counted = recount(events, 60_000);
    const tables = await tablesOf(dataDir);

    const sum = [...tables.content.values()].reduce((s, r) => s + r.total, 0);
    expect(sum).toBe(200_000);
    expectSameCounts(tables.content, counted.content, 'content_stats');
    expectSameCounts(tables.region, counted.region, 'region_health');
    expectSameCounts(tables.device, counted.device, 'device_stats');
    for (const [key, c] of counted.content)
      expect(tables.content.get(key)!.bytes, key).toBe(c.bytes);
    for (const [key, c] of counted.region) {
      const row = tables.region.get(key)!;
      expect(row.successRate).toBeCloseTo(c.successful / c.total, 12);
      expect(row.avgSpeed / (c.speedSum / c.total)).toBeCloseTo(1, 6);
      // p95 comes from a 2% log-bucket histogram: within 2% of the exact nearest-rank value.
      expect(Math.abs(row.p95Speed / percentile(c.speeds, 0.95) - 1), key).toBeLessThan(0.02);
    }
    for (const [key, c] of counted.device) {
      const row = tables.device.get(key)!;
      expect(row.speedSum / c.speedSum).toBeCloseTo(1, 6);
      expect(row.durationSum).toBe(c.durationSum);
    }
    expect(tables.deadLetters).toEqual([]);
  });

  it('puts a corrupted record in dead_letters and completes the run', async () => {
    const dataDir = tempDir();
    const first = await runCliInProcess([
      'generate',
      '--events',
      '3000',
      '--start',
      START,
      '--data-dir',
      dataDir,
    ]);
    expect(first.code).toBe(0);
    const log = await EmbeddedEventLog.open({ dir: `${dataDir}/log` });
    const garbage = Buffer.from('definitely not an avro download event');
    const [appended] = await log.append({
      count: 1,
      keys: ['EU-London'],
      timestamps: [Date.parse(START)],
      values: garbage,
      valueEnds: [garbage.length],
    });
    await log.close();

    const run = await runCliInProcess([
      'run',
      '--events',
      '2000',
      '--start',
      START,
      '--seed',
      '9',
      '--data-dir',
      dataDir,
    ]);
    expect(run.code).toBe(0);
    // The summary is this run's: the corrupted record was appended before it, not by it.
    expect(run.stdout).toMatch(
      /2,000 events \(seed 9\): 2,000 counted in windows .* 0 dead letters/,
    );
    const tables = await tablesOf(dataDir);
    expect(tables.deadLetters).toEqual([
      expect.objectContaining({
        source_partition: appended!.partition,
        source_offset: String(appended!.baseOffset),
        raw: garbage,
      }),
    ]);
    expect(tables.deadLetters[0]!.error).toMatch(/undecodable event at partition 1/);
  });

  it('keeps an event from a clock 30 days ahead aside, and counts every event after it', async () => {
    const dataDir = tempDir();
    const generate = (events: string, start: string) =>
      runCliInProcess(['generate', '--events', events, '--start', start, '--data-dir', dataDir]);
    expect((await generate('3000', START)).code).toBe(0);
    // One event from a clock gone wrong, between two ordinary runs of events.
    const future = Date.now() + 30 * 24 * 3600_000;
    const value = new DownloadEventCodec().encode(eventAt(future, { region: 'EU-London' }));
    const log = await EmbeddedEventLog.open({ dir: `${dataDir}/log` });
    await log.append({
      count: 1,
      keys: ['EU-London'],
      timestamps: [future],
      values: value,
      valueEnds: [value.length],
    });
    await log.close();
    expect((await generate('3000', '2026-11-24T10:05:00Z')).code).toBe(0);

    const run = await runCliInProcess([
      'run',
      '--events',
      '1',
      '--start',
      '2026-11-24T10:10:00Z',
      '--data-dir',
      dataDir,
    ]);
    expect(run.code).toBe(0);
    const tables = await tablesOf(dataDir);
    const counted = [...tables.region.values()].reduce((sum, row) => sum + row.total, 0);
    // Taken into the watermark, it made every later event late (3,000 of them, here).
    expect(counted).toBe(6001);
    const database = await openDatabase({ kind: 'embedded', dataDir, logger: silentLogger });
    try {
      const { rows } = await database.pool.query<{ reason: string; event_time: Date }>(
        'SELECT reason, event_time FROM late_events',
      );
      expect(rows).toEqual([{ reason: 'future', event_time: new Date(future) }]);
    } finally {
      await database.close();
    }
  });

  it('resumes a run instead of generating its events twice', async () => {
    const dataDir = tempDir();
    const args = [
      'run',
      '--events',
      '5000',
      '--start',
      START,
      '--seed',
      '3',
      '--data-dir',
      dataDir,
    ];
    expect((await runCliInProcess(args)).code).toBe(0);
    const again = await runCliInProcess(args);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/5,000 events \(seed 3\): 5,000 counted in windows/);
  });

  it("reports this run's events, not the totals of the tables it shares with an earlier run", async () => {
    const dataDir = tempDir();
    // prettier-ignore
    const runAt = (seed: string) => runCliInProcess([
      'run', '--events', '6000', '--seed', seed, '--start', START, '--virtual-rate', '20',
      '--data-dir', dataDir,
    ]);
    const first = await runAt('1');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /6,000 events \(seed 1\): 6,000 counted in windows of 60 s, 0 late/,
    );
    // The same five minutes again, after the first run moved the watermark past them: all of the
    // second run's events are for windows already past their lateness, but its last minute's.
    const second = await runAt('2');
    expect(second.code).toBe(0);
    const summary =
      /6,000 events \(seed 2\): ([\d,]+) counted in windows of 60 s, ([\d,]+) late/.exec(
        second.stdout,
      );
    expect(summary, second.stdout).not.toBeNull();
    const [counted, late] = [summary![1]!, summary![2]!].map((n) =>
      Number(n.replace(/,/g, '')),
    ) as [number, number];
    expect(counted + late).toBe(6000);
    expect(late).toBeGreaterThan(3000);
    const tables = await tablesOf(dataDir);
    expect(tables.lateEvents).toBe(late);
    expect([...tables.region.values()].reduce((sum, row) => sum + row.total, 0)).toBe(
      6000 + counted,
    );
  });
});

describe('streampulse run with a new window size', () => {
  it('finishes the open windows at the old size and tiles the rest at the new one', async () => {
    const dataDir = tempDir();
    // prettier-ignore
    const runWith = (window: string, start: string) => runCliInProcess([
      'run', '--events', '3000', '--seed', window, '--start', start, '--virtual-rate', '20',
      '--window', window, '--data-dir', dataDir,
    ]);
    // 10:00:00 to 10:02:30 in 60 s windows; then 10:02:30 to 10:05:00 in 10 s windows.
    expect((await runWith('60s', START)).code).toBe(0);
    const second = await runWith('10s', '2026-11-24T10:02:30Z');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/3,000 events \(seed 10s\): 3,000 counted in windows of 10 s/);

    const database = await openDatabase({ kind: 'embedded', dataDir, logger: silentLogger });
    try {
      const { rows } = await database.pool.query<{
        partition: number;
        start: string;
        end: string;
        n: number;
      }>(
        `SELECT source_partition AS partition, to_char(window_start, 'HH24:MI:SS') AS start,
                to_char(window_end, 'HH24:MI:SS') AS "end", SUM(total_downloads)::int AS n
           FROM region_health GROUP BY 1, 2, 3 ORDER BY 1, 2`,
      );
      expect(rows.reduce((sum, r) => sum + r.n, 0)).toBe(6000);
      for (const partition of new Set(rows.map((r) => r.partition))) {
        const windows = rows.filter((r) => r.partition === partition);
        // 60 s windows up to 10:03:00 (the one open at the change finished at 60 s), then 10 s.
        expect(windows.map((w) => `${w.start}-${w.end}`)).toEqual([
          '10:00:00-10:01:00',
          '10:01:00-10:02:00',
          '10:02:00-10:03:00',
          ...Array.from({ length: 12 }, (_, i) => {
            const at = (s: number) =>
              `10:0${3 + Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
            return `${at(i * 10)}-${at(i * 10 + 10)}`;
          }),
        ]);
      }
    } finally {
      await database.close();
    }
  });
});

describe('streampulse run on a shared database', () => {
  const admin = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  const name = `sp_shared_${process.pid}_${Date.now()}`;
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  beforeAll(async () => {
    await admin.query(`CREATE DATABASE ${name}`);
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  const runInto = (dataDir: string, events: number) =>
    // prettier-ignore
    runCliInProcess([
      'run', '--events', String(events), '--seed', '5', '--start', START, '--virtual-rate', '200',
      '--data-dir', dataDir, '--database-url', url,
    ]);

  it('refuses a second log’s run into a database that holds another log’s results, writing nothing', async () => {
    const [first, second] = [tempDir(), tempDir()];
    expect((await runInto(first, 4000)).code).toBe(0);
    const refused = await runInto(second, 2000);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(
      /holds the results of another event log \(embedded:[\w-]+\); this run's log is embedded:[\w-]+.*Nothing was written/,
    );
    // Nothing generated into the second log, nothing counted into the database from it.
    const exported = await runCliInProcess(['events', 'export', '--data-dir', second]);
    expect(exported.stderr).toMatch(/exported 0 events/);
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    try {
      const { rows } = await check.query<{ n: number }>(
        'SELECT COALESCE(SUM(total_downloads), 0)::int AS n FROM region_health',
      );
      expect(rows[0]!.n).toBe(4000);
    } finally {
      await check.end();
    }
    // The first log's data dir goes on into the same database.
    expect((await runInto(first, 4000)).code).toBe(0);
  }, 120_000);
});
