/** `/metrics`: the pipeline's counters and gauges in Prometheus's text format. */
import type { PipelineStatus } from '../protocol/statuses';
import { formatPrometheus, type Metric } from './prometheus';

export function pipelineMetrics(status: PipelineStatus, partitionRates: readonly number[]): string {
  const { generator, engine } = status;
  const partitions = generator?.log.partitions ?? [];
  const metrics: Metric[] = [
    {
      name: 'streampulse_events_produced_total',
      help: 'Events the generator appended to the log since start.',
      type: 'counter',
      value: generator?.generator.produced ?? 0,
    },
    {
      name: 'streampulse_events_consumed_total',
      help: 'Records the engine consumed since start.',
      type: 'counter',
      value: engine?.consumed ?? 0,
    },
    {
      name: 'streampulse_partition_produced_per_second',
      help: 'Events appended per second, per partition (5 s average).',
      type: 'gauge',
      values: partitions.map((p) => ({
        labels: { partition: String(p.partition) },
        value: partitionRates[p.partition] ?? 0,
      })),
    },
    {
      name: 'streampulse_consumer_lag',
      help: 'Records in the log not yet consumed by the engine, per partition.',
      type: 'gauge',
      values: (engine?.lag ?? []).map((lag, partition) => ({
        labels: { partition: String(partition) },
        value: lag,
      })),
    },
    {
      name: 'streampulse_late_events_total',
      help: 'Events later than the allowed lateness, kept in late_events.',
      type: 'counter',
      value: engine?.engine.lateEvents ?? 0,
    },
    {
      name: 'streampulse_dead_letters_total',
      help: 'Records that did not decode, kept in dead_letters.',
      type: 'counter',
      value: engine?.deadLetters ?? 0,
    },
    {
      name: 'streampulse_checkpoints_total',
      help: 'Checkpoints committed since start.',
      type: 'counter',
      value: engine?.checkpoints ?? 0,
    },
    {
      name: 'streampulse_checkpoint_duration_seconds',
      help: 'Duration of the last checkpoint transaction.',
      type: 'gauge',
      value: (engine?.lastCheckpointMs ?? 0) / 1000,
    },
    {
      name: 'streampulse_window_close_latency_seconds',
      help: 'Wall time from the end of the last closed window to the commit of its rows.',
      type: 'gauge',
      value: (engine?.windowCloseLatencyMs ?? 0) / 1000,
    },
    {
      name: 'streampulse_main_thread_loop_delay_p99_seconds',
      help: 'Main-thread event-loop delay, p99 over the last 10 s.',
      type: 'gauge',
      value: status.mainThreadLoopDelay.p99Ms / 1000,
    },
  ];
  return formatPrometheus(metrics);
}
