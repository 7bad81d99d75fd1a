/** `pipeline:*`, `replay:start` and `health`: the running pipeline as a whole. */
import type { ApiHandlers, PipelineStatusView } from '../../../shared/api-contract';
import { idleHistory } from '../../protocol/statuses';
import type { HandlerContext } from './handler-context';

type PipelineHandlers = Pick<
  ApiHandlers,
  'pipeline:status' | 'pipeline:pause' | 'pipeline:resume' | 'replay:start' | 'health'
>;

export function pipelineHandlers(ctx: HandlerContext): PipelineHandlers {
  return {
    'pipeline:status': async () => pipelineStatusView(ctx),
    'pipeline:pause': async () => {
      await ctx.pipeline.control({ kind: 'pause' });
      return pipelineStatusView(ctx);
    },
    'pipeline:resume': async () => {
      await ctx.pipeline.control({ kind: 'resume' });
      return pipelineStatusView(ctx);
    },
    'replay:start': async ({ from }) => ctx.pipeline.replay(Date.parse(from)),
    health: async () => {
      const database = await Promise.resolve()
        .then(() => ctx.pool.query('SELECT 1'))
        .then(() => 'up' as const)
        .catch(() => 'down' as const);
      return {
        status: database === 'up' ? 'ok' : 'degraded',
        database,
        uptimeSeconds: Math.round((ctx.now() - ctx.startedAt) / 1000),
        version: ctx.version,
      };
    },
  };
}

export function pipelineStatusView(ctx: HandlerContext): PipelineStatusView {
  const status = ctx.pipeline.status();
  const rates = ctx.pipeline.partitionRates();
  const { generator, engine } = status;
  const watermark = engine?.engine.watermark;
  return {
    database: status.database,
    databaseStatus: status.databaseStatus,
    eventLog: status.eventLog,
    engineKind: status.engineKind,
    flink: status.flink,
    replay: ctx.pipeline.replayStatus(),
    history: engine?.history ?? idleHistory(),
    paused: generator?.paused ?? false,
    mainThreadLoopDelay: status.mainThreadLoopDelay,
    generator: generator
      ? {
          ratePerSecond: generator.generator.ratePerSecond,
          eventsPerSecond: generator.generator.eventsPerSecond,
          produced: generator.generator.produced,
        }
      : null,
    log: generator
      ? {
          topic: generator.log.topic,
          partitioner: generator.log.partitioner,
          partitions: generator.log.partitions.map((p) => ({
            partition: p.partition,
            endOffset: p.endOffset,
            producedPerSecond: rates[p.partition] ?? 0,
            lag: engine?.lag[p.partition] ?? 0,
          })),
        }
      : null,
    engine: engine
      ? {
          consumed: engine.consumed,
          watermark:
            watermark !== undefined && Number.isFinite(watermark)
              ? new Date(watermark).toISOString()
              : null,
          newestEventAt: newestEventAt(engine.engine.partitions),
          openWindows: engine.engine.openWindows,
          lateEvents: engine.engine.lateEvents,
          futureEvents: engine.engine.futureEvents ?? 0,
          deadLetters: engine.deadLetters,
          checkpoints: engine.checkpoints,
          lastCheckpointAt:
            engine.lastCheckpointAt === null
              ? null
              : new Date(engine.lastCheckpointAt).toISOString(),
          lastCheckpointMs: engine.lastCheckpointMs,
          lagAsOf: engine.lagAsOf === null ? null : new Date(engine.lagAsOf).toISOString(),
          lagAgeMs: engine.lagAsOf === null ? null : Math.max(0, ctx.now() - engine.lagAsOf),
          groupOffsetsChanged: engine.groupOffsetsChanged
            ? {
                ...engine.groupOffsetsChanged,
                detectedAt: new Date(engine.groupOffsetsChanged.detectedAt).toISOString(),
              }
            : null,
        }
      : null,
  };
}

function newestEventAt(partitions: ReadonlyArray<{ maxEventTime: number | null }>): string | null {
  const times = partitions.map((p) => p.maxEventTime).filter((t): t is number => t !== null);
  return times.length > 0 ? new Date(Math.max(...times)).toISOString() : null;
}
