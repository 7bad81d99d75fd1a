/** `stats:*`: the dashboard's figures, from final windows in Postgres plus the engine's open window. */
import type {
  AlertView,
  ApiHandlers,
  RealtimeStats,
  TimeseriesPoint,
} from '../../../shared/api-contract';
import type { HandlerContext } from './handler-context';
import {
  ALERT_COLUMNS,
  asOfTime,
  devices,
  regions,
  timeseries,
  totalsSince,
  trending,
} from './stats-queries';

type StatsHandlers = Pick<
  ApiHandlers,
  | 'stats:realtime'
  | 'stats:trending'
  | 'stats:regions'
  | 'stats:alerts'
  | 'stats:timeseries'
  | 'stats:devices'
>;

const MINUTE = 60_000;
const BUCKET_MINUTES = { '1m': 1, '5m': 5, '15m': 15, '60m': 60 } as const;

export function statsHandlers(ctx: HandlerContext): StatsHandlers {
  const since = async (minutes: number): Promise<{ asOf: number; since: Date }> => {
    const asOf = await asOfTime(ctx.pool, ctx.now());
    return { asOf, since: new Date(asOf - minutes * MINUTE) };
  };

  return {
    'stats:realtime': async ({ minutes }): Promise<RealtimeStats> => {
      const range = await since(minutes);
      const totals = await totalsSince(ctx.pool, range.since);
      const { generator, engine } = ctx.pipeline.status();
      const open = engine?.partial.at(-1);
      const downloads = totals.downloads + (open?.downloads ?? 0);
      const successful = totals.successful + (open?.successful ?? 0);
      const watermark = engine?.engine.watermark;
      return {
        minutes,
        asOf: new Date(range.asOf).toISOString(),
        downloads,
        successful,
        failed: totals.failed + (open?.failed ?? 0),
        slow: totals.slow + (open?.slow ?? 0),
        successRate: downloads > 0 ? successful / downloads : 0,
        activeContent: new Set([
          ...totals.contentIds,
          ...(engine?.partialContent ?? []).map((c) => c.contentId),
        ]).size,
        eventsPerSecond: generator?.generator.eventsPerSecond ?? 0,
        consumerLag: engine ? engine.lag.reduce((a, b) => a + b, 0) : 0,
        watermarkDelayMs:
          watermark !== undefined && Number.isFinite(watermark)
            ? Math.max(0, ctx.now() - watermark)
            : null,
        partial: {
          windowStart: open ? new Date(open.windowStart).toISOString() : null,
          downloads: open?.downloads ?? 0,
          failed: open?.failed ?? 0,
          slow: open?.slow ?? 0,
        },
      };
    },

    'stats:trending': async ({ minutes, limit }) => {
      const range = await since(minutes);
      return (await trending(ctx.pool, range.since, limit)).rows;
    },

    'stats:regions': async ({ minutes }) => {
      const range = await since(minutes);
      return (await regions(ctx.pool, range.since)).rows.map((r) => ({
        ...r,
        successRate: r.total > 0 ? r.successful / r.total : 0,
        errorRate: r.total > 0 ? r.failed / r.total : 0,
      }));
    },

    'stats:alerts': async ({ limit, status }): Promise<AlertView[]> => {
      const where =
        status === 'open'
          ? 'WHERE resolved_at IS NULL'
          : status === 'resolved'
            ? 'WHERE resolved_at IS NOT NULL'
            : '';
      const { rows } = await ctx.pool.query<AlertRow>(
        `SELECT ${ALERT_COLUMNS} FROM alerts ${where} ORDER BY created_at DESC, id DESC LIMIT $1`,
        [limit],
      );
      return rows.map(toAlertView);
    },

    'stats:timeseries': async ({ minutes, bucket }): Promise<TimeseriesPoint[]> => {
      const range = await since(minutes);
      const bucketMinutes = BUCKET_MINUTES[bucket];
      const points: TimeseriesPoint[] = (
        await timeseries(ctx.pool, range.since, bucketMinutes)
      ).rows.map((r) => ({
        bucketStart: r.bucket.toISOString(),
        downloads: r.downloads,
        failed: r.failed,
        slow: r.slow,
        partial: false,
      }));
      // The open windows, still counting, join their buckets and mark them partial.
      for (const open of ctx.pipeline.status().engine?.partial ?? []) {
        const bucketMs = bucketMinutes * MINUTE;
        const bucketStart = new Date(
          Math.floor(open.windowStart / bucketMs) * bucketMs,
        ).toISOString();
        const index = points.findIndex((p) => p.bucketStart === bucketStart);
        const merged = {
          bucketStart,
          downloads: (points[index]?.downloads ?? 0) + open.downloads,
          failed: (points[index]?.failed ?? 0) + open.failed,
          slow: (points[index]?.slow ?? 0) + open.slow,
          partial: true,
        };
        if (index >= 0) points[index] = merged;
        else points.push(merged);
      }
      return points.sort((a, b) => a.bucketStart.localeCompare(b.bucketStart));
    },

    'stats:devices': async ({ minutes }) => {
      const range = await since(minutes);
      return (await devices(ctx.pool, range.since)).rows.map((r) => ({
        ...r,
        successRate: r.successRate ?? 0,
        avgSpeedMbps: r.avgSpeedMbps ?? 0,
        avgDurationMs: r.avgDurationMs ?? 0,
      }));
    },
  };
}

export interface AlertRow {
  id: number;
  type: string;
  severity: AlertView['severity'];
  message: string;
  region: string | null;
  metricValue: number;
  thresholdValue: number;
  episodeStart: Date;
  createdAt: Date;
  resolvedAt: Date | null;
  acknowledged: boolean;
  acknowledgedAt: Date | null;
}

export function toAlertView(row: AlertRow): AlertView {
  return {
    ...row,
    episodeStart: row.episodeStart.toISOString(),
    createdAt: row.createdAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
  };
}
