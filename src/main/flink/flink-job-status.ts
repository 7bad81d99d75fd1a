/**
 * The Flink job's status as the pipeline view and `/api/pipeline/status` show it, built from the
 * JobManager's REST answers. Pure.
 */
import type { FlinkJobStatus } from '../../shared/api/flink';
import {
  lastCause,
  type FlinkCheckpoints,
  type FlinkExceptionEntry,
  type FlinkJobDetails,
  type FlinkOverview,
} from './flink-rest';

/** Flink's job states in which the job still runs or will run again. */
export const ACTIVE_FLINK_STATES: ReadonlySet<string> = new Set([
  'INITIALIZING',
  'CREATED',
  'RUNNING',
  'RESTARTING',
  'FAILING',
  'CANCELLING',
  'RECONCILING',
]);

export function initialFlinkStatus(restUrl: string, jobName: string): FlinkJobStatus {
  return {
    restUrl,
    state: 'starting',
    flinkState: null,
    jobId: null,
    jobName,
    message: null,
    startedAt: null,
    restarts: 0,
    restoredFrom: null,
    checkpoints: {
      completed: 0,
      failed: 0,
      lastId: null,
      lastAt: null,
      lastDurationMs: null,
      lastSizeBytes: null,
    },
    cluster: null,
    operators: [],
  };
}

/** Our state for Flink's job state. */
export function stateOf(flinkState: string): FlinkJobStatus['state'] {
  switch (flinkState) {
    case 'RUNNING':
      return 'running';
    case 'RESTARTING':
    case 'FAILING':
      return 'restarting';
    case 'FAILED':
      return 'failed';
    case 'CANCELED':
    case 'CANCELLING':
    case 'SUSPENDED':
      return 'stopped';
    case 'FINISHED':
      return 'finished';
    default:
      return 'starting';
  }
}

export interface FlinkObservation {
  readonly overview: FlinkOverview | null;
  readonly job: FlinkJobDetails;
  readonly checkpoints: FlinkCheckpoints | null;
  readonly exceptions: readonly FlinkExceptionEntry[];
  readonly restarts: number | null;
  readonly backpressure: ReadonlyMap<string, string | null>;
}

export function observedStatus(previous: FlinkJobStatus, seen: FlinkObservation): FlinkJobStatus {
  const { job, checkpoints } = seen;
  const state = stateOf(job.state);
  const latest = checkpoints?.latest?.completed ?? null;
  const newestException = seen.exceptions[0];
  // The reason is shown while the job is not running well; a recovered job keeps the last one
  // only in its restart count.
  const message =
    state === 'failed' || state === 'restarting'
      ? newestException
        ? lastCause(newestException.stacktrace)
        : previous.message
      : null;
  return {
    ...previous,
    state,
    flinkState: job.state,
    jobId: job.jid,
    message,
    startedAt: job['start-time'] > 0 ? new Date(job['start-time']).toISOString() : null,
    restarts: seen.restarts ?? previous.restarts,
    checkpoints: checkpoints
      ? {
          completed: checkpoints.counts.completed,
          failed: checkpoints.counts.failed,
          lastId: latest?.id ?? null,
          lastAt: latest ? new Date(latest.latest_ack_timestamp).toISOString() : null,
          lastDurationMs: latest?.end_to_end_duration ?? null,
          lastSizeBytes: latest?.state_size ?? null,
        }
      : previous.checkpoints,
    cluster: seen.overview
      ? {
          taskManagers: seen.overview.taskmanagers,
          slots: seen.overview['slots-total'],
          version: seen.overview['flink-version'],
        }
      : previous.cluster,
    operators: job.vertices.map((vertex) => {
      const level = seen.backpressure.get(vertex.id) ?? null;
      return {
        name: vertex.name,
        parallelism: vertex.parallelism,
        status: vertex.status,
        recordsIn: vertex.metrics?.['read-records'] ?? 0,
        recordsOut: vertex.metrics?.['write-records'] ?? 0,
        backpressure: level === 'ok' || level === 'low' || level === 'high' ? level : null,
      };
    }),
  };
}
