-- StreamPulse schema, version 3: which event log the checkpoint's offsets belong to.
--
-- The checkpoint's offsets only mean something in one log (the embedded log of a data dir, or one
-- Kafka topic on one cluster). When the log is switched, the engine drains the old one, then
-- rebases its offsets onto the new one and records the new identity here, in the same
-- transaction as the rebased checkpoint. An engine that starts on a different log than the one
-- recorded knows its offsets are foreign and does not apply them.
CREATE TABLE engine_log (
  group_id   text        PRIMARY KEY,
  log_id     text        NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
