-- StreamPulse schema, version 1.
--
-- Every aggregate row is keyed by its window and its source partition: two engines that own
-- different partitions never write the same row, and queries sum over partitions. Every write is
-- an idempotent upsert of full values (never an increment), so replaying a checkpoint's batch after
-- a crash writes the same rows again. All times are timestamptz; windows are [window_start, window_end).

CREATE TABLE content_stats (
  window_start         timestamptz NOT NULL,
  window_end           timestamptz NOT NULL,
  source_partition     integer     NOT NULL,
  content_id           text        NOT NULL,
  title                text        NOT NULL,
  content_type         text        NOT NULL,
  download_count       integer     NOT NULL,
  successful_downloads integer     NOT NULL,
  failed_downloads     integer     NOT NULL,
  slow_downloads       integer     NOT NULL,
  bytes_downloaded     bigint      NOT NULL,
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, content_id, source_partition),
  CHECK (download_count = successful_downloads + failed_downloads + slow_downloads)
);
-- Trending: the top titles over the last N minutes.
CREATE INDEX content_stats_content_time ON content_stats (content_id, window_start DESC);

CREATE TABLE region_health (
  window_start         timestamptz      NOT NULL,
  window_end           timestamptz      NOT NULL,
  source_partition     integer          NOT NULL,
  region               text             NOT NULL,
  total_downloads      integer          NOT NULL,
  successful_downloads integer          NOT NULL,
  failed_downloads     integer          NOT NULL,
  slow_downloads       integer          NOT NULL,
  success_rate         double precision NOT NULL,
  error_rate           double precision NOT NULL,
  avg_speed_mbps       double precision NOT NULL,
  p95_speed_mbps       double precision NOT NULL,
  speed_sum_mbps       double precision NOT NULL,
  updated_at           timestamptz      NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, region, source_partition),
  CHECK (total_downloads = successful_downloads + failed_downloads + slow_downloads)
);
CREATE INDEX region_health_region_time ON region_health (region, window_start DESC);

CREATE TABLE device_stats (
  window_start         timestamptz      NOT NULL,
  window_end           timestamptz      NOT NULL,
  source_partition     integer          NOT NULL,
  device_type          text             NOT NULL,
  downloads            integer          NOT NULL,
  successful_downloads integer          NOT NULL,
  failed_downloads     integer          NOT NULL,
  slow_downloads       integer          NOT NULL,
  success_rate         double precision NOT NULL,
  avg_speed_mbps       double precision NOT NULL,
  avg_duration_ms      double precision NOT NULL,
  speed_sum_mbps       double precision NOT NULL,
  duration_sum_ms      double precision NOT NULL,
  updated_at           timestamptz      NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, device_type, source_partition)
);
CREATE INDEX device_stats_device_time ON device_stats (device_type, window_start DESC);

-- One row per episode: opened after N consecutive bad windows, resolved when the rate recovers.
-- (rule_id, region, episode_start) makes re-writing an episode after a crash an upsert.
CREATE TABLE alerts (
  id               bigserial        PRIMARY KEY,
  rule_id          text             NOT NULL,
  alert_type       text             NOT NULL,
  severity         text             NOT NULL CHECK (severity IN ('CRITICAL', 'WARNING', 'INFO')),
  message          text             NOT NULL,
  region           text,
  metric_value     double precision NOT NULL,
  threshold_value  double precision NOT NULL,
  episode_start    timestamptz      NOT NULL,
  created_at       timestamptz      NOT NULL,
  resolved_at      timestamptz,
  acknowledged     boolean          NOT NULL DEFAULT false,
  acknowledged_at  timestamptz,
  UNIQUE (rule_id, region, episode_start)
);
-- The dashboard's list: newest first; open ones (resolved_at IS NULL) via a partial index.
-- (The seed's partial index with NOW() in its predicate is rejected: predicates must be immutable.)
CREATE INDEX alerts_created ON alerts (created_at DESC);
CREATE INDEX alerts_open ON alerts (created_at DESC) WHERE resolved_at IS NULL;

-- The engine's checkpoint, per consumer group and source partition: the next offset to read and
-- the engine state for that partition (open windows, watermark, alert trackers), written in the
-- same transaction as the window rows they account for.
CREATE TABLE checkpoints (
  group_id         text        NOT NULL,
  source_partition integer     NOT NULL,
  next_offset      bigint      NOT NULL,
  watermark        timestamptz,
  state            jsonb       NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, source_partition)
);

-- Records that did not decode: kept with their position and bytes, never silently dropped.
CREATE TABLE dead_letters (
  source_partition integer     NOT NULL,
  source_offset    bigint      NOT NULL,
  error            text        NOT NULL,
  raw              bytea       NOT NULL,
  received_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_partition, source_offset)
);
CREATE INDEX dead_letters_received ON dead_letters (received_at);

-- Events that arrived after their window's allowed lateness: counted and kept, never silently dropped.
CREATE TABLE late_events (
  source_partition integer     NOT NULL,
  source_offset    bigint      NOT NULL,
  event_id         uuid        NOT NULL,
  event_time       timestamptz NOT NULL,
  window_start     timestamptz NOT NULL,
  region           text        NOT NULL,
  status           text        NOT NULL,
  watermark        timestamptz NOT NULL,
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_partition, source_offset)
);
CREATE INDEX late_events_window ON late_events (window_start);
