/** The title, the transport, the live indicator, and the range that the panels cover. */
import { memo } from 'react';
import { RANGES } from '../store/dashboard-store';
import { useDashboard } from '../store/store-context';
import { formatClock } from '../format';

export const Header = memo(function Header({
  transport,
}: {
  transport: 'ipc' | 'http';
}): React.JSX.Element {
  const connection = useDashboard((s) => s.connection);
  const reachable = useDashboard((s) => s.reachability.reachable);
  const asOf = useDashboard((s) => s.live?.realtime.asOf ?? null);
  const range = useDashboard((s) => s.range);
  const setRange = useDashboard((s) => s.setRange);
  const live = connection === 'connected' && reachable;
  return (
    <header className="page-header">
      <div>
        <h1>StreamPulse</h1>
        <p className="subtitle">
          Download events, live · {transport === 'ipc' ? 'desktop app' : 'browser'}
        </p>
      </div>
      <div className="header-tools">
        <span className={`live-pill${live ? ' live-on' : ''}`} role="status">
          <span className="dot" aria-hidden="true" />
          {live ? 'Live' : connection === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
          {asOf && <span className="muted"> · data to {formatClock(asOf)}</span>}
        </span>
        <div className="segmented" role="group" aria-label="Range of the figures">
          {RANGES.map((r) => (
            <button key={r} type="button" aria-pressed={range === r} onClick={() => setRange(r)}>
              {r} min
            </button>
          ))}
        </div>
      </div>
    </header>
  );
});
