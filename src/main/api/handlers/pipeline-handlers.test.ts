import { describe, expect, it } from 'vitest';
import { pipelineStatusView } from './pipeline-handlers';
import type { HandlerContext } from './handler-context';

const NOW = Date.parse('2026-12-04T12:00:00Z');

/** A context whose pipeline has an engine that last read the log's end offsets at `lagAsOf`. */
function contextWith(lagAsOf: number | null): HandlerContext {
  return {
    now: () => NOW,
    pipeline: {
      status: () => ({
        database: 'test',
        databaseStatus: { state: 'up' },
        eventLog: { kind: 'kafka', description: 'test' },
        mainThreadLoopDelay: { p99Ms: 1, maxMs: 2 },
        generator: null,
        engine: {
          consumed: 10,
          deadLetters: 0,
          checkpoints: 1,
          lastCheckpointAt: null,
          lastCheckpointMs: null,
          lag: [5, 0, 0],
          lagAsOf,
          history: null,
          engine: { watermark: NOW - 5000, openWindows: 1, lateEvents: 0, partitions: [] },
        },
      }),
      partitionRates: () => [0, 0, 0],
      replayStatus: () => ({ state: 'idle', from: null, progress: 0, message: null }),
    },
  } as unknown as HandlerContext;
}

describe('pipeline:status', () => {
  it('says how old the lag figures are, so a read stuck on the log shows as stale', () => {
    const engine = pipelineStatusView(contextWith(NOW - 12_000)).engine!;
    expect(engine.lagAsOf).toBe('2026-12-04T11:59:48.000Z');
    expect(engine.lagAgeMs).toBe(12_000);
  });

  it('has no age before the first read of the end offsets', () => {
    const engine = pipelineStatusView(contextWith(null)).engine!;
    expect(engine.lagAsOf).toBeNull();
    expect(engine.lagAgeMs).toBeNull();
  });
});
