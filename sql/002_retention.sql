-- StreamPulse schema, version 2: retention.
--
-- streampulse_retention(now) deletes what is older than its table's limit and returns one row per
-- table with the number of rows deleted. `now` is a parameter, not now(), so the retention job
-- (and its tests) decide what "now" is. Each table is cut on the column that says when its rows
-- happened: aggregates by their window, alerts by when they were raised, dead letters and late
-- events by when they were recorded.
--
--   content_stats, region_health, device_stats   window_start < now - 7 days
--   alerts                                        created_at   < now - 30 days
--   dead_letters                                  received_at  < now - 7 days
--   late_events                                   recorded_at  < now - 7 days

-- The other cuts use an index (the aggregates' primary keys start with window_start;
-- alerts_created, dead_letters_received); late_events had none on recorded_at.
CREATE INDEX late_events_recorded ON late_events (recorded_at);

CREATE OR REPLACE FUNCTION streampulse_retention(now timestamptz)
RETURNS TABLE (table_name text, deleted bigint)
LANGUAGE plpgsql
AS $$
DECLARE
  aggregates_before constant timestamptz := now - interval '7 days';
  alerts_before     constant timestamptz := now - interval '30 days';
  records_before    constant timestamptz := now - interval '7 days';
BEGIN
  DELETE FROM content_stats WHERE window_start < aggregates_before;
  GET DIAGNOSTICS deleted = ROW_COUNT;
  table_name := 'content_stats';
  RETURN NEXT;

  DELETE FROM region_health WHERE window_start < aggregates_before;
  GET DIAGNOSTICS deleted = ROW_COUNT;
  table_name := 'region_health';
  RETURN NEXT;

  DELETE FROM device_stats WHERE window_start < aggregates_before;
  GET DIAGNOSTICS deleted = ROW_COUNT;
  table_name := 'device_stats';
  RETURN NEXT;

  DELETE FROM alerts WHERE created_at < alerts_before;
  GET DIAGNOSTICS deleted = ROW_COUNT;
  table_name := 'alerts';
  RETURN NEXT;

  DELETE FROM dead_letters WHERE received_at < records_before;
  GET DIAGNOSTICS deleted = ROW_COUNT;
  table_name := 'dead_letters';
  RETURN NEXT;

  DELETE FROM late_events WHERE recorded_at < records_before;
  GET DIAGNOSTICS deleted = ROW_COUNT;
  table_name := 'late_events';
  RETURN NEXT;
END;
$$;
