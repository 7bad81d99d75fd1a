/** Downloads and failures per minute over the last hour; the open minute dashed and lighter. */
import { memo, useMemo } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useDashboard } from '../store/store-context';
import { formatCompact, formatCount } from '../format';
import { Panel, PanelItems } from './Panel';
import { usePalette } from './theme';
import { chartRows, timeseriesSummary } from './timeseries-data';

export const TimeseriesPanel = memo(function TimeseriesPanel(): React.JSX.Element {
  const points = useDashboard((s) => s.timeseries);
  const error = useDashboard((s) => s.queryErrors.timeseries);
  const palette = usePalette();
  const rows = useMemo(() => (points ? chartRows(points) : []), [points]);
  const summary = useMemo(() => (points ? timeseriesSummary(points) : ''), [points]);
  // With few minutes yet there is hardly a line: mark each point.
  const dot = rows.length <= 3 ? { r: 3 } : false;
  return (
    <Panel
      title="Downloads per minute"
      subtitle="Last hour · the current minute is still counting (dashed)"
      className="span-2"
      busy={points === null}
      error={error}
      testId="timeseries"
    >
      <PanelItems
        items={points}
        loading={{ height: 240 }}
        empty="No downloads in the last hour yet. Start the pipeline or raise the event rate."
      >
        {() => (
          <>
            <div className="chart" role="img" aria-label={summary} style={{ height: 240 }}>
              <ResponsiveContainer width="100%" height="100%" minWidth={0}>
                <LineChart
                  data={rows}
                  margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
                  accessibilityLayer={false}
                >
                  <CartesianGrid vertical={false} stroke={palette.grid} />
                  <XAxis
                    dataKey="label"
                    stroke={palette.axis}
                    fontSize={12}
                    minTickGap={24}
                    tickMargin={6}
                  />
                  <YAxis
                    stroke={palette.axis}
                    fontSize={12}
                    width={44}
                    tickFormatter={formatCompact}
                    allowDecimals={false}
                  />
                  <Tooltip
                    contentStyle={{ background: palette.tooltipBg, borderColor: palette.grid }}
                    formatter={(value, name) => [formatCount(Number(value)), String(name)]}
                  />
                  <Line
                    name="Downloads"
                    dataKey="downloads"
                    stroke={palette.accent}
                    strokeWidth={2}
                    dot={dot}
                    isAnimationActive={false}
                    connectNulls={false}
                  />
                  <Line
                    name="Failures"
                    dataKey="failed"
                    stroke={palette.danger}
                    strokeWidth={2}
                    dot={dot}
                    isAnimationActive={false}
                    connectNulls={false}
                  />
                  <Line
                    name="Downloads (counting)"
                    dataKey="downloadsPartial"
                    stroke={palette.accent}
                    strokeOpacity={0.55}
                    strokeDasharray="4 4"
                    strokeWidth={2}
                    dot={{ r: 3, strokeOpacity: 0.7, strokeDasharray: '0', fill: 'none' }}
                    isAnimationActive={false}
                    legendType="none"
                  />
                  <Line
                    name="Failures (counting)"
                    dataKey="failedPartial"
                    stroke={palette.danger}
                    strokeOpacity={0.55}
                    strokeDasharray="4 4"
                    strokeWidth={2}
                    dot={{ r: 3, strokeOpacity: 0.7, strokeDasharray: '0', fill: 'none' }}
                    isAnimationActive={false}
                    legendType="none"
                  />
                </LineChart>
              </ResponsiveContainer>
            </div>
            <ul className="legend" aria-hidden="true">
              <li>
                <span className="swatch" style={{ background: palette.accent }} /> Downloads
              </li>
              <li>
                <span className="swatch" style={{ background: palette.danger }} /> Failures
              </li>
              <li>
                <span className="swatch swatch-dashed" style={{ borderColor: palette.axis }} />{' '}
                Still counting
              </li>
            </ul>
          </>
        )}
      </PanelItems>
    </Panel>
  );
});
