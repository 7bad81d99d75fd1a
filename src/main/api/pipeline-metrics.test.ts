import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CheckpointTimings } from '../metrics/checkpoint-metrics';
import type { PipelineStatus } from '../protocol/statuses';
import { engineWorkerMetrics, registerPipelineMetrics } from './pipeline-metrics';

function status(engine: Record<string, unknown> | null): PipelineStatus {
  return {
    mainThreadLoopDelay: { p99Ms: 12 },
    generator: {
      generator: { produced: 1234 },
      log: { partitions: [{ partition: 0 }, { partition: 1 }] },
    },
    engine,
  } as unknown as PipelineStatus;
}

const ENGINE = {
  consumed: 1200,
  lag: [30, 4],
  engine: { lateEvents: 7 },
  deadLetters: 2,
  checkpoints: 9,
  lastCheckpointMs: 25,
  windowCloseLatencyMs: 1500,
};

async function scrape(current: PipelineStatus): Promise<string> {
  const registry = new Registry();
  registerPipelineMetrics(registry, { status: () => current, partitionRates: () => [50, 25.5] });
  return registry.metrics();
}

describe('the pipeline metrics', () => {
  it('keep their names, types, HELP and labels, read from the status at each scrape', async () => {
    const text = await scrape(status(ENGINE));
    const expected: Array<[string, string, string, string[]]> = [
      [
        'streampulse_events_produced_total',
        'counter',
        'Events the generator appended to the log since start.',
        ['streampulse_events_produced_total 1234'],
      ],
      [
        'streampulse_events_consumed_total',
        'counter',
        'Records the engine consumed since start.',
        ['streampulse_events_consumed_total 1200'],
      ],
      [
        'streampulse_partition_produced_per_second',
        'gauge',
        'Events appended per second, per partition (5 s average).',
        [
          'streampulse_partition_produced_per_second{partition="0"} 50',
          'streampulse_partition_produced_per_second{partition="1"} 25.5',
        ],
      ],
      [
        'streampulse_consumer_lag',
        'gauge',
        'Records in the log not yet consumed by the engine, per partition.',
        ['streampulse_consumer_lag{partition="0"} 30', 'streampulse_consumer_lag{partition="1"} 4'],
      ],
      [
        'streampulse_late_events_total',
        'counter',
        'Events later than the allowed lateness, kept in late_events.',
        ['streampulse_late_events_total 7'],
      ],
      [
        'streampulse_dead_letters_total',
        'counter',
        'Records that did not decode, kept in dead_letters.',
        ['streampulse_dead_letters_total 2'],
      ],
      [
        'streampulse_checkpoints_total',
        'counter',
        'Checkpoints committed since start.',
        ['streampulse_checkpoints_total 9'],
      ],
      [
        'streampulse_checkpoint_duration_seconds',
        'gauge',
        'Duration of the last checkpoint transaction.',
        ['streampulse_checkpoint_duration_seconds 0.025'],
      ],
      [
        'streampulse_window_close_latency_seconds',
        'gauge',
        'Wall time from the end of the last closed window to the commit of its rows.',
        ['streampulse_window_close_latency_seconds 1.5'],
      ],
      [
        'streampulse_main_thread_loop_delay_p99_seconds',
        'gauge',
        'Main-thread event-loop delay, p99 over the last 10 s.',
        ['streampulse_main_thread_loop_delay_p99_seconds 0.012'],
      ],
    ];
    for (const [name, type, help, samples] of expected) {
      expect(text).toContain(`# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`);
      for (const line of samples)
        expect(text).toMatch(new RegExp(`^${line.replace(/[.{}()]/g, '\\$&')}$`, 'm'));
    }
  });

  it('follow the status: zeros and no partitions before the engine starts', async () => {
    const text = await scrape(status(null));
    expect(text).toMatch(/^streampulse_events_consumed_total 0$/m);
    expect(text).toMatch(/^streampulse_checkpoints_total 0$/m);
    expect(text).not.toMatch(/^streampulse_consumer_lag\{/m);
  });
});

describe("the engine worker's checkpoint histogram", () => {
  it('crosses to the main thread in the status and shows as a histogram with buckets', async () => {
    const worker = new CheckpointTimings();
    for (const ms of [3, 40, 40]) worker.observe(ms);
    // What the status carries is structured-cloned across threads: plain data.
    const carried = structuredClone(worker.snapshot());
    const text = await (
      await engineWorkerMetrics(status({ ...ENGINE, checkpointTimings: carried }))
    ).metrics();
    const name = 'streampulse_checkpoint_commit_duration_seconds';
    expect(text).toContain(`# TYPE ${name} histogram`);
    expect(text).toMatch(new RegExp(`^${name}_bucket\\{le="0.005"\\} 1$`, 'm'));
    expect(text).toMatch(new RegExp(`^${name}_bucket\\{le="0.05"\\} 3$`, 'm'));
    expect(text).toMatch(new RegExp(`^${name}_bucket\\{le="\\+Inf"\\} 3$`, 'm'));
    expect(text).toMatch(new RegExp(`^${name}_count 3$`, 'm'));
    expect(text).toMatch(new RegExp(`^${name}_sum 0.083$`, 'm'));
  });

  it('is there, empty, before the engine has reported', async () => {
    const text = await (await engineWorkerMetrics(status(null))).metrics();
    expect(text).toMatch(/^streampulse_checkpoint_commit_duration_seconds_count 0$/m);
  });
});
