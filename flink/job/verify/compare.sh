#!/usr/bin/env bash
# Compares the rows of two StreamPulse databases (the built-in engine's and the Flink job's), table
# by table, with EXCEPT both ways on every column but the write-time ones (updated_at, recorded_at,
# received_at, raised_at) and alerts.id. Copies the first database's tables into schema `other` of
# the second. Usage: compare.sh BUILTIN_DB FLINK_DB [psql connection options, e.g. -h 127.0.0.1]
# Env EXCLUDE_ERROR=1 also leaves out dead_letters.error (Avro's messages differ from avsc's).
set -euo pipefail
a="${1:?builtin database}"; b="${2:?flink database}"; shift 2
psql_a=(psql -X -q -v ON_ERROR_STOP=1 "$@" -d "$a")
psql_b=(psql -X -q -v ON_ERROR_STOP=1 "$@" -d "$b")
declare -A cols=(
  [content_stats]="window_start, window_end, source_partition, content_id, title, content_type, download_count, successful_downloads, failed_downloads, slow_downloads, bytes_downloaded"
  [region_health]="window_start, window_end, source_partition, region, total_downloads, successful_downloads, failed_downloads, slow_downloads, success_rate, error_rate, avg_speed_mbps, p95_speed_mbps, speed_sum_mbps"
  [device_stats]="window_start, window_end, source_partition, device_type, downloads, successful_downloads, failed_downloads, slow_downloads, success_rate, avg_speed_mbps, avg_duration_ms, speed_sum_mbps, duration_sum_ms"
  [alerts]="rule_id, alert_type, severity, message, region, metric_value, threshold_value, episode_start, created_at, resolved_at, acknowledged, acknowledged_at"
  [late_events]="source_partition, source_offset, event_id, event_time, window_start, region, status, watermark, reason"
  [dead_letters]="source_partition, source_offset, last_offset, error, raw, raw_length"
)
if [[ "${EXCLUDE_ERROR:-0}" == 1 ]]; then
  cols[dead_letters]="source_partition, source_offset, last_offset, raw, raw_length"
fi
"${psql_b[@]}" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS other CASCADE; CREATE SCHEMA other;"
status=0
printf '%-14s %10s %10s %12s %12s\n' table builtin flink only_builtin only_flink
for t in content_stats region_health device_stats alerts late_events dead_letters; do
  c="${cols[$t]}"
  "${psql_b[@]}" -c "CREATE TABLE other.$t AS SELECT $c FROM public.$t WITH NO DATA;"
  "${psql_a[@]}" -c "\\copy (SELECT $c FROM public.$t) TO STDOUT" | "${psql_b[@]}" -c "\\copy other.$t FROM STDIN"
  read -r na nb oa ob < <("${psql_b[@]}" -At -F' ' -c "
    SELECT (SELECT count(*) FROM other.$t), (SELECT count(*) FROM public.$t),
      (SELECT count(*) FROM (SELECT $c FROM other.$t EXCEPT ALL SELECT $c FROM public.$t) x),
      (SELECT count(*) FROM (SELECT $c FROM public.$t EXCEPT ALL SELECT $c FROM other.$t) y)")
  printf '%-14s %10s %10s %12s %12s\n' "$t" "$na" "$nb" "$oa" "$ob"
  if [[ "$na" != "$nb" || "$oa" != 0 || "$ob" != 0 ]]; then status=1; fi
done
exit $status
