/**
 * The pipeline's counters and gauges on a prom-client registry, read from the pipeline's status
 * at each scrape (prom-client's `collect`): the workers push their figures to the main thread a
 * few times a second, and /metrics shows the latest. The figures that workers keep as metrics of
 * their own (the checkpoint duration histogram, see metrics/checkpoint-metrics.ts) ride in that
 * status as prom-client JSON and are exposed as they are.
 */
import { AggregatorRegistry, Counter, Gauge, type Registry } from 'prom-client';
import type { PipelineStatus } from '../protocol/statuses';
import { checkpointMetricsJson } from '../metrics/checkpoint-metrics';

export interface PipelineFigures {
  status(): PipelineStatus;
  partitionRates(): readonly number[];
  /** The main pool on the database in use (the API's reads); null while there is none. */
  databasePool?(): DatabasePoolFigures | null;
}

export interface DatabasePoolFigures {
  /** The pool's size: the settings' "Pool size". */
  readonly max: number;
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

/** Registers the pipeline's metrics on `registry`; each reads `pipeline` when scraped. */
export function registerPipelineMetrics(registry: Registry, pipeline: PipelineFigures): void {
  const registers = [registry];
  const engine = () => pipeline.status().engine;
  const total = (name: string, help: string, value: () => number): void => {
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(value());
      },
    });
  };
  const gauge = (name: string, help: string, value: () => number): void => {
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(value());
      },
    });
  };
  const perPartition = (name: string, help: string, values: () => readonly number[]): void => {
    new Gauge({
      name,
      help,
      labelNames: ['partition'],
      registers,
      collect() {
        this.reset();
        values().forEach((value, partition) => this.set({ partition: String(partition) }, value));
      },
    });
  };

  total(
    'streampulse_events_produced_total',
    'Events the generator appended to the log since start.',
    () => pipeline.status().generator?.generator.produced ?? 0,
  );
  total(
    'streampulse_events_consumed_total',
    'Records the engine consumed since start.',
    () => engine()?.consumed ?? 0,
  );
  perPartition(
    'streampulse_partition_produced_per_second',
    'Events appended per second, per partition (5 s average).',
    () => {
      const partitions = pipeline.status().generator?.log.partitions ?? [];
      const rates = pipeline.partitionRates();
      return partitions.map((p) => rates[p.partition] ?? 0);
    },
  );
  perPartition(
    'streampulse_consumer_lag',
    'Records in the log not yet consumed by the engine, per partition.',
    () => engine()?.lag ?? [],
  );
  total(
    'streampulse_late_events_total',
    'Events later than the allowed lateness, kept in late_events.',
    () => engine()?.engine.lateEvents ?? 0,
  );
  total(
    'streampulse_dead_letters_total',
    'Records that did not decode, kept in dead_letters.',
    () => engine()?.deadLetters ?? 0,
  );
  total(
    'streampulse_checkpoints_total',
    'Checkpoints committed since start.',
    () => engine()?.checkpoints ?? 0,
  );
  gauge(
    'streampulse_checkpoint_duration_seconds',
    'Duration of the last checkpoint transaction.',
    () => (engine()?.lastCheckpointMs ?? 0) / 1000,
  );
  gauge(
    'streampulse_window_close_latency_seconds',
    'Wall time from the end of the last closed window to the commit of its rows.',
    () => (engine()?.windowCloseLatencyMs ?? 0) / 1000,
  );
  gauge(
    'streampulse_database_pool_max',
    'Connections the main pool on the database may open (the settings’ pool size; the engine keeps 2 of its own).',
    () => pipeline.databasePool?.()?.max ?? 0,
  );
  new Gauge({
    name: 'streampulse_database_pool_connections',
    help: 'The main pool on the database: connections open (total, idle) and queries waiting for one.',
    labelNames: ['state'],
    registers,
    collect() {
      this.reset();
      const pool = pipeline.databasePool?.();
      if (!pool) return;
      this.set({ state: 'total' }, pool.total);
      this.set({ state: 'idle' }, pool.idle);
      this.set({ state: 'waiting' }, pool.waiting);
    },
  });
  gauge(
    'streampulse_main_thread_loop_delay_p99_seconds',
    'Main-thread event-loop delay, p99 over the last 10 s.',
    () => pipeline.status().mainThreadLoopDelay.p99Ms / 1000,
  );
}

/**
 * The engine worker's own metrics, from its latest status (before the engine has started: the
 * same metrics, empty), as a registry to expose beside the main thread's.
 */
export async function engineWorkerMetrics(status: PipelineStatus): Promise<Registry> {
  return AggregatorRegistry.aggregate([checkpointMetricsJson(status.engine?.checkpointTimings)]);
}
