/**
 * The engine box when the engine is Apache Flink: the job's state as the JobManager reports it,
 * its restarts and checkpoints, Flink's reason when it fails or restarts, and per operator the
 * records in and out and the back pressure Flink samples.
 */
import type { FlinkJobStatus } from '../../../shared/api/flink';
import { formatClock, formatCount, formatDuration } from '../format';

const STATE_BADGE: Readonly<Record<FlinkJobStatus['state'], string>> = {
  starting: 'badge-info',
  running: 'badge-ok',
  restarting: 'badge-warning',
  failed: 'badge-critical',
  stopping: 'badge-info',
  stopped: 'badge-info',
  finished: 'badge-info',
  unreachable: 'badge-critical',
};

export function FlinkJobStage({ job }: { job: FlinkJobStatus | null }): React.JSX.Element {
  if (!job) return <p className="muted">Not running</p>;
  const trouble =
    job.state === 'failed' || job.state === 'unreachable' || job.state === 'restarting';
  return (
    <div data-testid="flink-job">
      <p>
        <span className={`badge ${STATE_BADGE[job.state]}`} data-testid="flink-state">
          {job.state}
        </span>{' '}
        <span className="muted small" title={`${job.jobName} on ${job.restUrl}`}>
          Flink{job.cluster ? ` ${job.cluster.version}` : ''}
          {job.cluster &&
            ` · ${job.cluster.taskManagers} TaskManager${job.cluster.taskManagers === 1 ? '' : 's'}, ${job.cluster.slots} slots`}
        </span>
      </p>
      {trouble && job.message && (
        <p className="stale-lag small" role="status" data-testid="flink-message">
          {job.message}
        </p>
      )}
      <dl>
        <div className={`stat${job.restarts > 0 ? ' stat-warn' : ''}`}>
          <dt>Restarts</dt>
          <dd>{formatCount(job.restarts)}</dd>
        </div>
        <div className="stat">
          <dt>Checkpoints</dt>
          <dd>
            {formatCount(job.checkpoints.completed)}
            {job.checkpoints.failed > 0 && ` (${formatCount(job.checkpoints.failed)} failed)`}
          </dd>
        </div>
        <div className="stat">
          <dt>Last checkpoint</dt>
          <dd>
            {formatClock(job.checkpoints.lastAt)}
            {job.checkpoints.lastDurationMs !== null &&
              ` · ${formatDuration(job.checkpoints.lastDurationMs)}`}
          </dd>
        </div>
      </dl>
      {job.operators.length > 0 && (
        <table className="partitions">
          <caption className="sr-only">The Flink job&apos;s operators</caption>
          <thead>
            <tr>
              <th scope="col">Operator</th>
              <th scope="col">In</th>
              <th scope="col">Out</th>
              <th scope="col">Back pressure</th>
            </tr>
          </thead>
          <tbody>
            {job.operators.map((op) => (
              <tr key={op.name} className={op.backpressure === 'high' ? 'flagged' : undefined}>
                <th scope="row" title={`${op.name} (parallelism ${op.parallelism}, ${op.status})`}>
                  {op.name.length > 28 ? `${op.name.slice(0, 27)}…` : op.name}
                </th>
                <td>{formatCount(op.recordsIn)}</td>
                <td>{formatCount(op.recordsOut)}</td>
                <td>{op.backpressure ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
