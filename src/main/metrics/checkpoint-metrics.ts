/**
 * The histogram of checkpoint durations, counted where checkpoints are committed: in the engine's
 * worker thread. The worker counts into plain buckets (CheckpointTimings: no prom-client there, it
 * would cost the worker ~10 MB of memory for one histogram), its status carries the counts,
 * cumulative since the worker started, so a status that is skipped or arrives late loses nothing,
 * and the main thread turns the latest into prom-client's histogram for /metrics
 * (api/pipeline-metrics.ts).
 */
import type { MetricObjectWithValues, MetricValue } from 'prom-client';

export const CHECKPOINT_DURATION_METRIC = 'streampulse_checkpoint_commit_duration_seconds';

/** prom-client's JSON for a registry's metrics (what AggregatorRegistry.aggregate takes). */
export type MetricsJson = Array<MetricObjectWithValues<MetricValue<string>>>;

/** A checkpoint is one Postgres transaction: milliseconds when idle, seconds under a backlog. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Plain data for the status: the upper bounds (s), each bucket's own count, sum (s) and count. */
export interface HistogramCounts {
  readonly buckets: readonly number[];
  readonly counts: readonly number[];
  readonly sum: number;
  readonly count: number;
}

/** The worker's side: counts each checkpoint's duration into its bucket. */
export class CheckpointTimings {
  private readonly counts = BUCKETS.map(() => 0);
  private sum = 0;
  private count = 0;

  observe(ms: number): void {
    const seconds = ms / 1000;
    const bucket = BUCKETS.findIndex((le) => seconds <= le);
    if (bucket >= 0) this.counts[bucket]!++;
    this.sum += seconds;
    this.count++;
  }

  snapshot(): HistogramCounts {
    return { buckets: BUCKETS, counts: [...this.counts], sum: this.sum, count: this.count };
  }
}

/** The main thread's side: the counts as prom-client's histogram JSON (empty when absent). */
export function checkpointMetricsJson(counts: HistogramCounts | undefined): MetricsJson {
  const snapshot = counts ?? new CheckpointTimings().snapshot();
  let cumulative = 0;
  const bucketValues = snapshot.buckets.map((le, i) => ({
    value: (cumulative += snapshot.counts[i] ?? 0),
    metricName: `${CHECKPOINT_DURATION_METRIC}_bucket`,
    labels: { le },
  }));
  return [
    {
      name: CHECKPOINT_DURATION_METRIC,
      help: 'Duration of each checkpoint transaction (rows, alerts and offsets committed to PostgreSQL).',
      type: 'histogram',
      aggregator: 'sum',
      values: [
        ...bucketValues,
        {
          value: snapshot.count,
          metricName: `${CHECKPOINT_DURATION_METRIC}_bucket`,
          labels: { le: '+Inf' },
        },
        { value: snapshot.sum, metricName: `${CHECKPOINT_DURATION_METRIC}_sum`, labels: {} },
        { value: snapshot.count, metricName: `${CHECKPOINT_DURATION_METRIC}_count`, labels: {} },
      ],
    } as unknown as MetricObjectWithValues<MetricValue<string>>, // its type is an enum: no prom-client here at run time
  ];
}
