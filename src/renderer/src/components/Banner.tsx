/** The unreachable-backend banner, with the retry countdown and a button to retry now. */
import { memo, useEffect, useState } from 'react';
import { useDashboardShallow } from '../store/store-context';

export const Banner = memo(function Banner(): React.JSX.Element | null {
  const { connection, reachability, refresh, hasData } = useDashboardShallow((s) => ({
    connection: s.connection,
    reachability: s.reachability,
    refresh: s.refresh,
    hasData: s.live !== null,
  }));
  const down = !reachability.reachable || (connection === 'disconnected' && hasData);
  if (!down) return null;
  return (
    <div role="alert" className="banner" data-testid="unreachable-banner">
      <div>
        <strong>The backend is unreachable.</strong>{' '}
        <span>
          Showing the last figures received. Live updates reconnect by themselves
          {reachability.retryAt !== null && (
            <>
              ; the panels retry in <Countdown until={reachability.retryAt} />
            </>
          )}
          .
        </span>
      </div>
      <button type="button" className="button-secondary" onClick={() => void refresh()}>
        Retry now
      </button>
    </div>
  );
});

function Countdown({ until }: { until: number }): React.JSX.Element {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.ceil((until - now) / 1000));
  return <span className="countdown">{seconds} s</span>;
}
