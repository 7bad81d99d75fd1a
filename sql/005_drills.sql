-- StreamPulse schema, version 5: incident drills and their ground truth.
--
-- A drill injects known incidents (where, from when to when, in event time) and scores the alerts
-- the rules raised against them. What was injected is kept here, beside the alerts, so a
-- scorecard can be computed again at any time, by the API, the CLI or psql.

-- When an alert row was first written, by the wall clock: the wall-time half of a drill's
-- detection delay (created_at is event time). Rows written before version 5 get the migration's
-- time, which no drill uses.
ALTER TABLE alerts ADD COLUMN raised_at timestamptz NOT NULL DEFAULT now();

CREATE TABLE drills (
  id              bigserial   PRIMARY KEY,
  name            text        NOT NULL,
  -- virtual: generated and computed as fast as the machine goes (`streampulse drill`);
  -- live: injected into the running pipeline by the wall clock (the dashboard, the API).
  mode            text        NOT NULL CHECK (mode IN ('virtual', 'live')),
  seed            text        NOT NULL,
  -- The validated scenario, and the alert rules and window size the drill was scored with.
  scenario        jsonb       NOT NULL,
  rules           jsonb       NOT NULL,
  window_size_ms  integer     NOT NULL CHECK (window_size_ms > 0),
  -- The drill's span in event time; a stopped drill ends where it was stopped.
  starts_at       timestamptz NOT NULL,
  ends_at         timestamptz NOT NULL,
  wall_started_at timestamptz NOT NULL DEFAULT now(),
  wall_ended_at   timestamptz,
  status          text        NOT NULL CHECK (status IN ('running', 'finished', 'stopped', 'failed')),
  error           text,
  CHECK (ends_at >= starts_at)
);
CREATE INDEX drills_started ON drills (wall_started_at DESC);

-- The ground truth: each incident as injected. A live drill stopped early cuts its incidents at
-- the stop (ends_at), and those that had not started are removed.
CREATE TABLE drill_incidents (
  drill_id        bigint      NOT NULL REFERENCES drills (id) ON DELETE CASCADE,
  idx             integer     NOT NULL,
  kind            text        NOT NULL,
  label           text        NOT NULL,
  region          text,
  device          text,
  starts_at       timestamptz NOT NULL,
  ends_at         timestamptz NOT NULL,
  -- When it was injected by the wall clock (live drills); NULL in virtual time.
  wall_starts_at  timestamptz,
  expect          text        NOT NULL CHECK (expect IN ('alert', 'none')),
  -- The incident's own figures (error rate, slow share, late fraction, poison count...).
  params          jsonb       NOT NULL DEFAULT '{}',
  PRIMARY KEY (drill_id, idx),
  CHECK (ends_at >= starts_at)
);
