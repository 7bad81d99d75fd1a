/**
 * A drill on one time axis: each incident a band on its own lane (coloured by its result), each
 * alert a mark on the lane of the incident it caught, false alerts on a lane of their own. Times
 * are from the drill's start, in event time.
 */
import { memo, useMemo } from 'react';
import {
  CartesianGrid,
  Cell,
  ComposedChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { DrillView } from '../../../shared/drill-views';
import { usePalette } from './theme';
import { formatDelay } from './drill-format';

interface Mark {
  readonly t: number;
  readonly lane: number;
  readonly label: string;
  readonly falseAlert: boolean;
}

export const DrillTimeline = memo(function DrillTimeline({
  drill,
  now,
}: {
  drill: DrillView;
  now: number;
}): React.JSX.Element {
  const palette = usePalette();
  const start = Date.parse(drill.startsAt);
  const lanes = drill.incidentList.length + 1; // the last lane: false alerts
  const falseLane = lanes - 1;
  const marks = useMemo(
    () =>
      drill.alerts.map((a): Mark => ({
        t: Date.parse(a.createdAt) - start,
        lane: a.falseAlert
          ? falseLane
          : Math.max(
              0,
              drill.incidentList.findIndex((i) => a.incidents.includes(i.index)),
            ),
        label: `${a.severity} ${a.type.replace(/_/g, ' ').toLowerCase()} · ${a.region}${a.falseAlert && a.reason ? ` · false: ${a.reason}` : ''}`,
        falseAlert: a.falseAlert,
      })),
    [drill, start, falseLane],
  );
  const end = Math.max(
    Date.parse(drill.endsAt) - start,
    ...marks.map((m) => m.t),
    drill.windowSizeMs,
  );
  const colour = (result: string): string =>
    result === 'detected' || result === 'passed'
      ? '#2f9e63'
      : result === 'missed' || result === 'alerted'
        ? palette.danger
        : result === 'unwatched'
          ? palette.axis
          : palette.warning;
  const laneName = (lane: number): string =>
    lane === falseLane ? 'false alerts' : (drill.incidentList[lane]?.label ?? '');
  const summary =
    `Timeline of drill ${drill.id}: ` +
    drill.incidentList.map((i) => `${i.label} ${i.result}`).join(', ') +
    `; ${drill.alerts.length} alerts, ${drill.falseAlerts} false`;
  return (
    <div
      className="chart drill-timeline"
      role="img"
      aria-label={summary}
      style={{ height: 60 + lanes * 34 }}
    >
      <ResponsiveContainer width="100%" height="100%" minWidth={0}>
        <ComposedChart
          margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
          accessibilityLayer={false}
        >
          <CartesianGrid horizontal={false} stroke={palette.grid} />
          <XAxis
            type="number"
            dataKey="t"
            domain={[0, end]}
            allowDataOverflow
            stroke={palette.axis}
            fontSize={12}
            tickFormatter={(t: number) => `+${formatDelay(t)}`}
          />
          <YAxis
            type="number"
            dataKey="lane"
            domain={[-0.5, lanes - 0.5]}
            reversed
            ticks={Array.from({ length: lanes }, (_, i) => i)}
            tickFormatter={laneName}
            width={150}
            stroke={palette.axis}
            fontSize={11}
            interval={0}
          />
          {drill.incidentList.map((incident, lane) => {
            const from = Date.parse(incident.startsAt) - start;
            // An instant (poison records) is drawn a window wide, to be seen.
            const to = Math.max(Date.parse(incident.endsAt) - start, from + drill.windowSizeMs);
            return (
              <ReferenceArea
                key={incident.index}
                x1={from}
                x2={to}
                y1={lane - 0.35}
                y2={lane + 0.35}
                fill={colour(incident.result)}
                fillOpacity={incident.expect === 'alert' ? 0.35 : 0.15}
                stroke={colour(incident.result)}
                strokeDasharray={incident.expect === 'none' ? '4 3' : undefined}
                ifOverflow="hidden"
              />
            );
          })}
          {drill.status === 'running' && now - start <= end && (
            <ReferenceLine x={now - start} stroke={palette.accent} strokeDasharray="3 3" />
          )}
          <Tooltip
            cursor={false}
            contentStyle={{
              background: palette.tooltipBg,
              borderColor: palette.grid,
              fontSize: 12,
            }}
            formatter={(_v, _n, item) => [
              (item.payload as Mark).label,
              `+${formatDelay((item.payload as Mark).t)}`,
            ]}
            labelFormatter={() => ''}
          />
          <Scatter data={marks} isAnimationActive={false} shape="diamond">
            {marks.map((m, i) => (
              <Cell key={i} fill={m.falseAlert ? palette.danger : palette.text} />
            ))}
          </Scatter>
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
});
