/**
 * Which database and which event log the pipeline uses (from the live pipeline status), for the
 * header; and the notice shown while the database is unreachable or being switched (distinct from
 * the Banner, which is about the backend itself).
 */
import { memo } from 'react';
import type { DatabaseStatusView, PipelineStatusView } from '../../../../shared/api-contract';
import { useDashboardShallow } from '../../store/store-context';

const DB_STATE: Readonly<Record<DatabaseStatusView['state'], string>> = {
  connecting: 'connecting…',
  up: '',
  unreachable: 'unreachable',
  switching: 'switching…',
};

/** Fields a backend from before the settings work may not send. */
type Pipeline = Partial<Pick<PipelineStatusView, 'databaseStatus' | 'eventLog'>>;

export const BackendIndicator = memo(function BackendIndicator(): React.JSX.Element | null {
  const { database, eventLog } = useDashboardShallow((s) => {
    const pipeline = s.live?.pipeline as Pipeline | undefined;
    return { database: pipeline?.databaseStatus ?? null, eventLog: pipeline?.eventLog ?? null };
  });
  if (!database && !eventLog) return null;
  const dbState = database ? DB_STATE[database.state] : '';
  const bad = database?.state === 'unreachable';
  return (
    <p
      className={`backend-pill${bad ? ' backend-bad' : ''}`}
      data-testid="backend-indicator"
      aria-label="Database and event log in use"
    >
      {database && (
        <span
          data-testid="database-indicator"
          data-kind={database.kind}
          data-state={database.state}
          title={database.description}
        >
          <span className="dot" aria-hidden="true" />
          <span className="muted">Database </span>
          {database.kind}
          {dbState && <strong> {dbState}</strong>}
          <span className="sr-only">: {database.description}</span>
        </span>
      )}
      {eventLog && (
        <span data-testid="log-indicator" data-kind={eventLog.kind} title={eventLog.description}>
          <span className="muted">Log </span>
          {eventLog.kind}
          <span className="sr-only">: {eventLog.description}</span>
        </span>
      )}
    </p>
  );
});

export const DatabaseNotice = memo(function DatabaseNotice(): React.JSX.Element | null {
  const database = useDashboardShallow((s) => {
    const status = (s.live?.pipeline as Pipeline | undefined)?.databaseStatus;
    return status
      ? { state: status.state, description: status.description, error: status.error }
      : { state: null, description: '', error: null };
  });
  if (database.state === 'unreachable')
    return (
      <div className="db-notice" role="alert" data-testid="database-notice">
        <span className="notice-icon" aria-hidden="true">
          !
        </span>
        <div>
          <strong>The database is unreachable</strong>{' '}
          <span className="muted">({database.description})</span>
          {database.error && <p className="db-error">{database.error}</p>}
          <p>Events keep accumulating in the event log and will be counted when it returns.</p>
        </div>
      </div>
    );
  if (database.state === 'switching')
    return (
      <div className="db-notice db-notice-info" role="status" data-testid="database-notice">
        <span className="spinner" aria-hidden="true" />
        <span>
          <strong>Switching the database…</strong> Events wait in the event log meanwhile.
        </span>
      </div>
    );
  return null;
});
