/**
 * The histogram of checkpoint durations, kept where checkpoints are committed: in the engine's
 * worker thread. The worker has no /metrics of its own, so its status (pushed to the main thread
 * a few times a second, like every other figure of /metrics) carries the histogram as
 * prom-client JSON, cumulative since the worker started: a status that is skipped or arrives late
 * loses nothing, and the main thread exposes the latest as it is (api/pipeline-metrics.ts).
 */
import { Histogram, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';

export const CHECKPOINT_DURATION_METRIC = 'streampulse_checkpoint_commit_duration_seconds';

/** prom-client's JSON for a registry's metrics: what crosses the thread boundary. */
export type MetricsJson = Array<MetricObjectWithValues<MetricValue<string>>>;

/** A checkpoint is one Postgres transaction: milliseconds when idle, seconds under a backlog. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class CheckpointMetrics {
  private readonly registry = new Registry();
  private readonly histogram = new Histogram({
    name: CHECKPOINT_DURATION_METRIC,
    help: 'Duration of each checkpoint transaction (rows, alerts and offsets committed to PostgreSQL).',
    buckets: BUCKETS,
    registers: [this.registry],
  });
  private json: MetricsJson = [];

  /** Resolves when the first (empty) snapshot is taken. */
  readonly ready: Promise<void> = this.refresh();

  observe(ms: number): void {
    this.histogram.observe(ms / 1000);
    void this.refresh();
  }

  /** The latest snapshot (taken right after each observation). */
  snapshot(): MetricsJson {
    return this.json;
  }

  private async refresh(): Promise<void> {
    // prom-client reads metrics asynchronously; the status is synchronous, so keep a copy.
    this.json = await this.registry.getMetricsAsJSON();
  }
}

let empty: Promise<MetricsJson> | null = null;

/** The histogram with no observations: shown before the engine's first status. */
export function emptyCheckpointMetrics(): Promise<MetricsJson> {
  empty ??= (async () => {
    const metrics = new CheckpointMetrics();
    await metrics.ready;
    return metrics.snapshot();
  })();
  return empty;
}
