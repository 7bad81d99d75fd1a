/** Reads the aggregate tables, summed over source partitions, keyed like the recount. */
import pg from 'pg';
import { silentLogger } from '../../src/main/logger';
import { openDatabase } from '../../src/main/store/database';

export interface TableRow {
  total: number;
  successful: number;
  failed: number;
  slow: number;
  speedSum: number;
  durationSum: number;
  bytes: number;
  successRate: number;
  avgSpeed: number;
  p95Speed: number;
  avgDuration: number;
}

export interface Tables {
  readonly content: Map<string, TableRow>;
  readonly region: Map<string, TableRow>;
  readonly device: Map<string, TableRow>;
  readonly alerts: Array<Record<string, unknown>>;
  readonly deadLetters: Array<{
    source_partition: number;
    source_offset: string;
    error: string;
    raw: Buffer;
  }>;
  readonly lateEvents: number;
}

export async function readTables(url: string): Promise<Tables> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const iso = (d: Date): string => d.toISOString();
    const content = new Map<string, TableRow>();
    for (const r of (
      await client.query(`SELECT window_start, content_id, SUM(download_count)::int AS total,
        SUM(successful_downloads)::int AS successful, SUM(failed_downloads)::int AS failed,
        SUM(slow_downloads)::int AS slow, SUM(bytes_downloaded)::float8 AS bytes
        FROM content_stats GROUP BY 1, 2`)
    ).rows) {
      content.set(`${iso(r.window_start)}|${r.content_id}`, {
        ...blank(),
        ...r,
        bytes: Number(r.bytes),
      });
    }
    const region = new Map<string, TableRow>();
    for (const r of (
      await client.query(`SELECT window_start, region, total_downloads AS total, successful_downloads AS successful,
        failed_downloads AS failed, slow_downloads AS slow, speed_sum_mbps AS "speedSum", success_rate AS "successRate",
        avg_speed_mbps AS "avgSpeed", p95_speed_mbps AS "p95Speed" FROM region_health`)
    ).rows) {
      const key = `${iso(r.window_start)}|${r.region}`;
      if (region.has(key)) throw new Error(`a region in two partitions: ${key}`);
      region.set(key, { ...blank(), ...r });
    }
    const device = new Map<string, TableRow>();
    for (const r of (
      await client.query(`SELECT window_start, device_type, SUM(downloads)::int AS total,
        SUM(successful_downloads)::int AS successful, SUM(failed_downloads)::int AS failed,
        SUM(slow_downloads)::int AS slow, SUM(speed_sum_mbps) AS "speedSum", SUM(duration_sum_ms) AS "durationSum"
        FROM device_stats GROUP BY 1, 2`)
    ).rows) {
      device.set(`${iso(r.window_start)}|${r.device_type}`, { ...blank(), ...r });
    }
    const alerts = (
      await client.query(`SELECT rule_id, alert_type, severity, region, metric_value, episode_start, created_at,
        resolved_at FROM alerts ORDER BY episode_start, region`)
    ).rows;
    const deadLetters = (
      await client.query('SELECT * FROM dead_letters ORDER BY source_partition, source_offset')
    ).rows;
    const late = await client.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM late_events');
    return { content, region, device, alerts, deadLetters, lateEvents: late.rows[0]!.n };
  } finally {
    await client.end();
  }
}

function blank(): TableRow {
  return {
    total: 0,
    successful: 0,
    failed: 0,
    slow: 0,
    speedSum: 0,
    durationSum: 0,
    bytes: 0,
    successRate: 0,
    avgSpeed: 0,
    p95Speed: 0,
    avgDuration: 0,
  };
}

/** The tables of a data dir's embedded database (started for the read, then stopped). */
export async function tablesOf(dataDir: string): Promise<Tables> {
  const database = await openDatabase({ kind: 'embedded', dataDir, logger: silentLogger });
  try {
    return await readTables(database.url);
  } finally {
    await database.close();
  }
}
