/** The Flink engine's record of its job: the running job's id and the last savepoint (sql/006). */
import type pg from 'pg';

export interface FlinkJobRecord {
  readonly jobName: string;
  readonly restUrl: string;
  readonly jobId: string | null;
  readonly savepointPath: string | null;
}

export async function loadFlinkJob(pool: pg.Pool, jobName: string): Promise<FlinkJobRecord | null> {
  const { rows } = await pool.query<{
    rest_url: string;
    job_id: string | null;
    savepoint_path: string | null;
  }>('SELECT rest_url, job_id, savepoint_path FROM flink_jobs WHERE job_name = $1', [jobName]);
  const row = rows[0];
  return row
    ? { jobName, restUrl: row.rest_url, jobId: row.job_id, savepointPath: row.savepoint_path }
    : null;
}

export async function saveFlinkJob(pool: pg.Pool, record: FlinkJobRecord): Promise<void> {
  await pool.query(
    `INSERT INTO flink_jobs (job_name, rest_url, job_id, savepoint_path, updated_at)
     VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (job_name) DO UPDATE SET rest_url = EXCLUDED.rest_url, job_id = EXCLUDED.job_id,
       savepoint_path = EXCLUDED.savepoint_path, updated_at = now()`,
    [record.jobName, record.restUrl, record.jobId, record.savepointPath],
  );
}
