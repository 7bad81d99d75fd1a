/** Each region's success rate and average speed in the range; regions in alert stand out. */
import { memo } from 'react';
import { useDashboard } from '../store/store-context';
import { formatCount, formatPercent, formatSpeed } from '../format';
import { Panel, PanelItems } from './Panel';

/** The alert rule's threshold: above it a region's bar turns red. */
const ERROR_RATE_LIMIT = 0.1;

export const RegionsPanel = memo(function RegionsPanel(): React.JSX.Element {
  const regions = useDashboard((s) => s.regions);
  const range = useDashboard((s) => s.range);
  const error = useDashboard((s) => s.queryErrors.regions);
  const inAlert = regions?.filter((r) => r.inAlert).length ?? 0;
  return (
    <Panel
      title="Region health"
      subtitle={`Last ${range} min${inAlert ? ` · ${inAlert} in alert` : ''}`}
      busy={regions === null}
      error={error}
      testId="regions"
    >
      <PanelItems
        items={regions}
        loading={{ lines: 5 }}
        empty="No region counted yet: the first window closes shortly. If this stays empty, raise the event rate below."
      >
        {(regions) => (
          <ul className="rows">
            {regions.map((r) => (
              <li
                key={r.region}
                className={`row${r.inAlert ? ' row-alert' : ''}`}
                data-region={r.region}
              >
                <div className="row-head">
                  <span className="row-name">{r.region}</span>
                  {r.inAlert && <span className="badge badge-critical">In alert</span>}
                  <span className="row-value">{formatPercent(r.successRate)}</span>
                </div>
                <div
                  className="meter"
                  role="meter"
                  aria-label={`${r.region} success rate`}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={Math.round(r.successRate * 1000) / 10}
                  aria-valuetext={formatPercent(r.successRate)}
                >
                  <span
                    className={
                      r.inAlert || r.errorRate > ERROR_RATE_LIMIT ? 'meter-bad' : 'meter-good'
                    }
                    style={{ width: `${Math.max(0, Math.min(1, r.successRate)) * 100}%` }}
                  />
                </div>
                <div className="row-meta">
                  {formatCount(r.total)} downloads · {formatPercent(r.errorRate)} failed ·{' '}
                  {formatSpeed(r.avgSpeedMbps)} avg · {formatSpeed(r.p95SpeedMbps)} p95
                </div>
              </li>
            ))}
          </ul>
        )}
      </PanelItems>
    </Panel>
  );
});
