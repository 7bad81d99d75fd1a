/** The most downloaded titles in the range, as a horizontal bar chart. */
import { memo } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useDashboard } from '../store/store-context';
import { formatCompact, formatCount } from '../format';
import { Panel, PanelItems } from './Panel';
import { usePalette } from './theme';

const ROW_HEIGHT = 30;
const TITLE_CHARS = 16;

/** A title on one line (Recharts would wrap it), shortened with an ellipsis; full in a tooltip. */
function TitleTick(props: {
  x?: number | string;
  y?: number | string;
  fill?: string;
  payload?: { value?: unknown };
}): React.JSX.Element {
  const title = String(props.payload?.value ?? '');
  const short = title.length > TITLE_CHARS ? `${title.slice(0, TITLE_CHARS - 1)}…` : title;
  return (
    <text
      x={Number(props.x ?? 0)}
      y={Number(props.y ?? 0)}
      dy={4}
      textAnchor="end"
      fontSize={12}
      fill={props.fill}
    >
      <title>{title}</title>
      {short}
    </text>
  );
}

export const TrendingPanel = memo(function TrendingPanel(): React.JSX.Element {
  const trending = useDashboard((s) => s.trending);
  const range = useDashboard((s) => s.range);
  const error = useDashboard((s) => s.queryErrors.trending);
  const palette = usePalette();
  const summary = trending
    ?.map((t, i) => `${i + 1}. ${t.title}: ${formatCount(t.downloads)} downloads`)
    .join('; ');
  return (
    <Panel
      title="Trending content"
      subtitle={`Most downloaded, last ${range} min`}
      busy={trending === null}
      error={error}
      testId="trending"
    >
      <PanelItems
        items={trending}
        loading={{ height: 200 }}
        empty="No titles counted yet: the first window closes shortly. If this stays empty, raise the event rate below."
      >
        {(trending) => (
          <div
            className="chart"
            role="img"
            aria-label={`Top ${trending.length} titles in the last ${range} minutes: ${summary}.`}
            style={{ height: trending.length * ROW_HEIGHT + 40 }}
          >
            <ResponsiveContainer width="100%" height="100%" minWidth={0}>
              <BarChart
                data={trending as never[]}
                layout="vertical"
                margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
                accessibilityLayer={false}
              >
                <CartesianGrid horizontal={false} stroke={palette.grid} />
                <XAxis
                  type="number"
                  tickFormatter={formatCompact}
                  stroke={palette.axis}
                  fontSize={12}
                  allowDecimals={false}
                />
                <YAxis
                  type="category"
                  dataKey="title"
                  width={116}
                  stroke={palette.axis}
                  fontSize={12}
                  tick={(tick: Parameters<typeof TitleTick>[0]) => (
                    <TitleTick {...tick} fill={palette.axis} />
                  )}
                />
                <Tooltip
                  cursor={{ fill: palette.grid, opacity: 0.4 }}
                  contentStyle={{ background: palette.tooltipBg, borderColor: palette.grid }}
                  formatter={(value) => [formatCount(Number(value)), 'Downloads']}
                />
                <Bar
                  dataKey="downloads"
                  fill={palette.accent}
                  radius={[0, 4, 4, 0]}
                  maxBarSize={20}
                  isAnimationActive={false}
                />
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
      </PanelItems>
    </Panel>
  );
});
