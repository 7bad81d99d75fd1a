/** Downloads, success rate, speed and duration per device type in the range. */
import { memo } from 'react';
import { useDashboard } from '../store/store-context';
import { formatCount, formatDuration, formatPercent, formatSpeed } from '../format';
import { Panel, PanelItems } from './Panel';

const LABELS: Record<string, string> = {
  IPHONE: 'iPhone',
  IPAD: 'iPad',
  MAC: 'Mac',
  APPLE_TV: 'Apple TV',
  VISION_PRO: 'Vision Pro',
};

export function deviceLabel(device: string): string {
  return LABELS[device] ?? device;
}

export const DevicesPanel = memo(function DevicesPanel(): React.JSX.Element {
  const devices = useDashboard((s) => s.devices);
  const range = useDashboard((s) => s.range);
  const error = useDashboard((s) => s.queryErrors.devices);
  const total = devices?.reduce((sum, d) => sum + d.downloads, 0) ?? 0;
  return (
    <Panel
      title="Devices"
      subtitle={`Last ${range} min`}
      busy={devices === null}
      error={error}
      testId="devices"
    >
      <PanelItems
        items={devices}
        loading={{ lines: 5 }}
        empty="No device counted yet: the first window closes shortly. If this stays empty, raise the event rate below."
      >
        {(devices) => (
          <ul className="rows">
            {devices.map((d) => (
              <li key={d.deviceType} className="row">
                <div className="row-head">
                  <span className="row-name">{deviceLabel(d.deviceType)}</span>
                  <span className="row-value">{formatCount(d.downloads)}</span>
                </div>
                <div
                  className="meter"
                  role="meter"
                  aria-label={`${deviceLabel(d.deviceType)} share of downloads`}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={total ? Math.round((d.downloads / total) * 100) : 0}
                >
                  <span
                    className="meter-neutral"
                    style={{ width: `${total ? (d.downloads / total) * 100 : 0}%` }}
                  />
                </div>
                <div className="row-meta">
                  {formatPercent(d.successRate)} success · {formatSpeed(d.avgSpeedMbps)} ·{' '}
                  {formatDuration(d.avgDurationMs)} avg
                </div>
              </li>
            ))}
          </ul>
        )}
      </PanelItems>
    </Panel>
  );
});
