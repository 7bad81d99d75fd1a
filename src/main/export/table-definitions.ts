/**
 * The tables an export can read, each with its columns as CSV writes them (the table's own
 * snake_case names), the time column a range applies to, and the order rows come in (the
 * primary key's, so the read follows an index).
 */
import type { ExportTable } from '../../shared/export-contract';
import type { CsvColumn } from './csv';

export interface TableColumn extends CsvColumn {
  /** The SQL that reads it as text (times as ISO 8601 UTC with ms, floats shortest-exact). */
  readonly sql: string;
}

export interface TableDefinition {
  readonly table: ExportTable;
  readonly columns: readonly TableColumn[];
  /** The range [from, to) applies to this column. */
  readonly rangeColumn: string;
  readonly orderBy: string;
}

const time = (name: string): TableColumn => ({
  name,
  kind: 'raw',
  sql: `to_char(${name} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
});
// PostgreSQL 12+ prints floats shortest-exact (extra_float_digits = 1, the default).
const num = (name: string): TableColumn => ({ name, kind: 'raw', sql: `${name}::text` });
const text = (name: string): TableColumn => ({ name, kind: 'text', sql: name });

const windowColumns = [time('window_start'), time('window_end'), num('source_partition')];
const downloadColumns = ['successful_downloads', 'failed_downloads', 'slow_downloads'].map(num);

export const TABLES: { readonly [T in ExportTable]: TableDefinition } = {
  content_stats: {
    table: 'content_stats',
    columns: [
      ...windowColumns,
      text('content_id'),
      text('title'),
      text('content_type'),
      num('download_count'),
      ...downloadColumns,
      num('bytes_downloaded'),
      time('updated_at'),
    ],
    rangeColumn: 'window_start',
    orderBy: 'window_start, content_id, source_partition',
  },
  region_health: {
    table: 'region_health',
    columns: [
      ...windowColumns,
      text('region'),
      num('total_downloads'),
      ...downloadColumns,
      ...['success_rate', 'error_rate', 'avg_speed_mbps', 'p95_speed_mbps'].map(num),
      num('speed_sum_mbps'),
      time('updated_at'),
    ],
    rangeColumn: 'window_start',
    orderBy: 'window_start, region, source_partition',
  },
  device_stats: {
    table: 'device_stats',
    columns: [
      ...windowColumns,
      text('device_type'),
      num('downloads'),
      ...downloadColumns,
      ...['success_rate', 'avg_speed_mbps', 'avg_duration_ms'].map(num),
      ...['speed_sum_mbps', 'duration_sum_ms'].map(num),
      time('updated_at'),
    ],
    rangeColumn: 'window_start',
    orderBy: 'window_start, device_type, source_partition',
  },
  alerts: {
    table: 'alerts',
    columns: [
      num('id'),
      text('rule_id'),
      text('alert_type'),
      text('severity'),
      text('message'),
      text('region'),
      num('metric_value'),
      num('threshold_value'),
      time('episode_start'),
      time('created_at'),
      time('resolved_at'),
      num('acknowledged'),
      time('acknowledged_at'),
    ],
    // When the alert was raised, in the data's time (the engine stamps it).
    rangeColumn: 'created_at',
    orderBy: 'created_at, id',
  },
  late_events: {
    table: 'late_events',
    columns: [
      num('source_partition'),
      num('source_offset'),
      num('event_id'),
      time('event_time'),
      time('window_start'),
      text('region'),
      text('status'),
      time('watermark'),
      text('reason'),
      time('recorded_at'),
    ],
    rangeColumn: 'window_start',
    orderBy: 'window_start, source_partition, source_offset',
  },
  dead_letters: {
    table: 'dead_letters',
    columns: [
      num('source_partition'),
      num('source_offset'),
      num('last_offset'),
      text('error'),
      num('raw_length'),
      // The kept bytes (at most 4 KiB) as hex: binary-safe and one line.
      { name: 'raw_hex', kind: 'raw', sql: "encode(raw, 'hex')" },
      time('received_at'),
    ],
    rangeColumn: 'received_at',
    orderBy: 'received_at, source_partition, source_offset',
  },
};
