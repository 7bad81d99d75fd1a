/** Alerts, newest first: severity, what and where, open or resolved, and an acknowledge button. */
import { memo } from 'react';
import type { AlertView } from '../../../shared/api-contract';
import { useDashboard } from '../store/store-context';
import { formatClock, formatCount, formatPercent } from '../format';
import { Panel, PanelItems } from './Panel';

export const AlertsPanel = memo(function AlertsPanel(): React.JSX.Element {
  const fetched = useDashboard((s) => s.alerts);
  const recent = useDashboard((s) => s.live?.recentAlerts ?? null);
  const error = useDashboard((s) => s.queryErrors.alerts);
  const alerts = fetched ?? recent;
  const open = alerts?.filter((a) => a.resolvedAt === null).length ?? 0;
  return (
    <Panel
      title="Alerts"
      subtitle={alerts ? `${open} open · ${alerts.length - open} resolved` : undefined}
      busy={alerts === null}
      error={error}
      testId="alerts"
    >
      <PanelItems
        items={alerts}
        loading={{ lines: 3 }}
        empty="No alerts. Try raising a region’s failure rate above 10% with Failure injection below."
      >
        {(alerts) => (
          <ul className="alerts">
            {alerts.map((alert) => (
              <AlertItem key={alert.id} alert={alert} />
            ))}
          </ul>
        )}
      </PanelItems>
    </Panel>
  );
});

const AlertItem = memo(function AlertItem({ alert }: { alert: AlertView }): React.JSX.Element {
  const key = `ack:${alert.id}`;
  const pending = useDashboard((s) => s.pending[key] ?? false);
  const error = useDashboard((s) => s.controlErrors[key]);
  const runControl = useDashboard((s) => s.runControl);
  const resolved = alert.resolvedAt !== null;
  const errorId = `alert-error-${alert.id}`;
  return (
    <li
      className={`alert${resolved ? ' alert-resolved' : ''}`}
      data-alert-type={alert.type}
      data-region={alert.region ?? ''}
      data-acknowledged={alert.acknowledged}
      data-resolved={resolved}
    >
      <div className="alert-main">
        <span className={`badge badge-${alert.severity.toLowerCase()}`}>{alert.severity}</span>
        <span className="alert-title">
          {alert.type.replace(/_/g, ' ').toLowerCase()}
          {alert.region && <> · {alert.region}</>}
        </span>
      </div>
      <p className="alert-message">{alert.message}</p>
      <div className="alert-meta">
        <span>
          {formatMetric(alert.metricValue, alert.thresholdValue)} · since{' '}
          {formatClock(alert.episodeStart)}
        </span>
        <span className={`status ${resolved ? 'status-ok' : 'status-open'}`}>
          {resolved ? `Resolved ${formatClock(alert.resolvedAt)}` : 'Open'}
        </span>
        {alert.acknowledged ? (
          <span className="status status-ack">Acknowledged</span>
        ) : (
          <button
            type="button"
            className="button-small"
            disabled={pending}
            aria-describedby={error ? errorId : undefined}
            onClick={() => void runControl(key, 'alerts:ack', { id: alert.id })}
          >
            {pending ? 'Acknowledging…' : 'Acknowledge'}
            <span className="sr-only"> alert {alert.id}</span>
          </button>
        )}
      </div>
      {error && (
        <p className="control-error" id={errorId} role="alert">
          {error.message}
        </p>
      )}
    </li>
  );
});

/** Rates (thresholds up to 1) as percentages, counts as counts. */
function formatMetric(value: number, threshold: number): string {
  return threshold <= 1
    ? `${formatPercent(value)} (limit ${formatPercent(threshold, 0)})`
    : `${formatCount(value)} (limit ${formatCount(threshold)})`;
}
