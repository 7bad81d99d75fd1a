/**
 * Every row of every result table, as comparable text, without the columns that record when a
 * row was written (updated_at, recorded_at, received_at, raised_at, alert ids): what two
 * engines must agree on, row for row.
 */
import type pg from 'pg';

const TABLES: ReadonlyArray<readonly [string, string, readonly string[]]> = [
  ['content_stats', 'window_start, content_id, source_partition', ['updated_at']],
  ['region_health', 'window_start, region, source_partition', ['updated_at']],
  ['device_stats', 'window_start, device_type, source_partition', ['updated_at']],
  ['alerts', 'rule_id, region, episode_start', ['id', 'raised_at', 'acknowledged_at']],
  ['late_events', 'source_partition, source_offset', ['recorded_at']],
  // The error text is each decoder's own words (avsc's, Apache Avro's): the record is what counts.
  ['dead_letters', 'source_partition, source_offset', ['received_at', 'error']],
];

export type TableDump = Record<string, string[]>;

export async function dumpTables(pool: pg.Pool): Promise<TableDump> {
  const dump: TableDump = {};
  for (const [table, order, skipped] of TABLES) {
    const { rows } = await pool.query<{ columns: string[] }>(
      `SELECT array_agg(column_name::text ORDER BY ordinal_position) AS columns
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
      [table],
    );
    const columns = (rows[0]?.columns ?? []).filter((c) => !skipped.includes(c));
    const result = await pool.query<{ row: string }>(
      `SELECT (${columns.map((c) => `coalesce(${c}::text, 'NULL')`).join(" || '|' || ")}) AS row
         FROM ${table} ORDER BY ${order}`,
    );
    dump[table] = result.rows.map((r) => r.row);
  }
  return dump;
}
