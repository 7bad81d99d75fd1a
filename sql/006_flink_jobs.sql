-- StreamPulse schema, version 6: the Flink engine's jobs.
--
-- One row per Flink job name (one per topic and database): the running job's id, so a restarted
-- app adopts it rather than submitting a second, and the savepoint it was last stopped with, so
-- the next start (and an engine switch back to Flink) resumes from it.
CREATE TABLE flink_jobs (
  job_name       text        PRIMARY KEY,
  rest_url       text        NOT NULL,
  job_id         text,
  savepoint_path text,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
