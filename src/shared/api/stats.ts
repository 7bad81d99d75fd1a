/** The stats area: the dashboard's figures over a range of minutes, and their parameters. */
import { z } from 'zod';
import { enumParam, integerParam, paramsObject } from './params';
import type { DeepReadonly } from './readonly';

const minutesOptions = { default: 5, description: 'Range in minutes' } as const;
const minutes = integerParam(1, 1440, minutesOptions);
const minutesOnly = paramsObject({ minutes });

export const statsParams = {
  realtime: minutesOnly,
  trending: paramsObject({
    minutes,
    limit: integerParam(1, 100, { default: 5, description: 'How many titles' }),
  }),
  regions: minutesOnly,
  timeseries: paramsObject({
    minutes: integerParam(1, 1440, { ...minutesOptions, default: 60 }),
    bucket: enumParam(['1m', '5m', '15m', '60m'], { default: '1m', description: 'Bucket size' }),
  }),
  devices: minutesOnly,
};

export const realtimeStatsSchema = z.object({
  /** The range the figures cover: the last `minutes` of final windows, plus the open window. */
  minutes: z.number(),
  asOf: z.string(),
  downloads: z.number(),
  successful: z.number(),
  failed: z.number(),
  slow: z.number(),
  successRate: z.number(),
  activeContent: z.number(),
  /** The generator's measured rate now. */
  eventsPerSecond: z.number(),
  consumerLag: z.number(),
  /** How far the engine's watermark trails the wall clock, ms (null before the first event). */
  watermarkDelayMs: z.number().nullable(),
  /** The open window's running totals (partial). */
  partial: z.object({
    windowStart: z.string().nullable(),
    downloads: z.number(),
    failed: z.number(),
    slow: z.number(),
  }),
});
export type RealtimeStats = DeepReadonly<z.output<typeof realtimeStatsSchema>>;

export const trendingItemSchema = z.object({
  contentId: z.string(),
  title: z.string(),
  contentType: z.string(),
  downloads: z.number(),
  successful: z.number(),
  failed: z.number(),
});
export type TrendingItem = DeepReadonly<z.output<typeof trendingItemSchema>>;

export const regionHealthSchema = z.object({
  region: z.string(),
  total: z.number(),
  successful: z.number(),
  failed: z.number(),
  slow: z.number(),
  successRate: z.number(),
  errorRate: z.number(),
  avgSpeedMbps: z.number(),
  /** The highest window p95 in the range. */
  p95SpeedMbps: z.number(),
  /** An open alert concerns this region. */
  inAlert: z.boolean(),
});
export type RegionHealth = DeepReadonly<z.output<typeof regionHealthSchema>>;

export const timeseriesPointSchema = z.object({
  bucketStart: z.string(),
  downloads: z.number(),
  failed: z.number(),
  slow: z.number(),
  /** The open window: still counting. */
  partial: z.boolean(),
});
export type TimeseriesPoint = DeepReadonly<z.output<typeof timeseriesPointSchema>>;

export const deviceStatsSchema = z.object({
  deviceType: z.string(),
  downloads: z.number(),
  successRate: z.number(),
  avgSpeedMbps: z.number(),
  avgDurationMs: z.number(),
});
export type DeviceStatsView = DeepReadonly<z.output<typeof deviceStatsSchema>>;
