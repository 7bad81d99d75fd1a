/** The Flink engine's status: the job on the cluster as the JobManager's REST API reports it. */
import { z } from 'zod';
import type { DeepReadonly } from './readonly';

export const flinkJobStatusSchema = z.object({
  /** The JobManager's REST address. */
  restUrl: z.string(),
  /**
   * Ours: starting (checking the cluster, uploading, submitting), running, restarting (Flink is
   * recovering it), failed (Flink gave up, or it could not start: see `message`), stopping (the
   * savepoint), stopped, finished (a bounded run), unreachable (the JobManager does not answer).
   */
  state: z.enum([
    'starting',
    'running',
    'restarting',
    'failed',
    'stopping',
    'stopped',
    'finished',
    'unreachable',
  ]),
  /** Flink's own job state (RUNNING, RESTARTING, FAILED, CANCELED, FINISHED, …). */
  flinkState: z.string().nullable(),
  jobId: z.string().nullable(),
  jobName: z.string(),
  /** Why it failed, restarted or cannot be reached, in Flink's words (its root cause). */
  message: z.string().nullable(),
  startedAt: z.string().nullable(),
  restarts: z.number(),
  /** The savepoint the job was restored from (null: a new job, handed over from our checkpoint). */
  restoredFrom: z.string().nullable(),
  checkpoints: z.object({
    completed: z.number(),
    failed: z.number(),
    lastId: z.number().nullable(),
    lastAt: z.string().nullable(),
    lastDurationMs: z.number().nullable(),
    lastSizeBytes: z.number().nullable(),
  }),
  cluster: z
    .object({ taskManagers: z.number(), slots: z.number(), version: z.string() })
    .nullable(),
  /** Per operator: records in and out, and back pressure (ok, low, high) as Flink samples it. */
  operators: z.array(
    z.object({
      name: z.string(),
      parallelism: z.number(),
      status: z.string(),
      recordsIn: z.number(),
      recordsOut: z.number(),
      backpressure: z.enum(['ok', 'low', 'high']).nullable(),
    }),
  ),
});
export type FlinkJobStatus = DeepReadonly<z.output<typeof flinkJobStatusSchema>>;
