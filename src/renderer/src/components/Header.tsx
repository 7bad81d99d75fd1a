/**
 * The title, the transport, the live indicator, the database and event log in use, the page
 * navigation (dashboard, settings), and on the dashboard the range that the panels cover.
 */
import { memo } from 'react';
import { RANGES } from '../store/dashboard-store';
import { useDashboard } from '../store/store-context';
import { formatClock } from '../format';
import { BackendIndicator } from './settings/BackendStatus';

export type Page = 'dashboard' | 'settings';

export const PAGE_HASHES: Readonly<Record<Page, string>> = {
  dashboard: '#/',
  settings: '#/settings',
};

export const Header = memo(function Header({
  transport,
  page = 'dashboard',
}: {
  transport: 'ipc' | 'http';
  page?: Page;
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
        <BackendIndicator />
        {page === 'dashboard' && (
          <div className="segmented" role="group" aria-label="Range of the figures">
            {RANGES.map((r) => (
              <button key={r} type="button" aria-pressed={range === r} onClick={() => setRange(r)}>
                {r} min
              </button>
            ))}
          </div>
        )}
        <nav className="page-nav" aria-label="Pages">
          <a href={PAGE_HASHES.dashboard} aria-current={page === 'dashboard' ? 'page' : undefined}>
            Dashboard
          </a>
          <a href={PAGE_HASHES.settings} aria-current={page === 'settings' ? 'page' : undefined}>
            Settings
          </a>
        </nav>
      </div>
    </header>
  );
});
