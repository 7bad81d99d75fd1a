/** The pipeline area: every stage's status, the replay, and the server's health. */
import { z } from 'zod';
import { historyStatusSchema } from './controls';
import { flinkJobStatusSchema } from './flink';
import { dateTimeParam, paramsObject } from './params';
import type { DeepReadonly } from './readonly';

export const replayParams = paramsObject({
  from: dateTimeParam({ description: 'Recompute from this time' }),
});

export const replayStatusSchema = z.object({
  state: z.enum(['idle', 'running', 'done', 'failed']),
  from: z.string().nullable(),
  /** 0..1 of the records to re-read. */
  progress: z.number(),
  message: z.string().nullable(),
});
export type ReplayStatus = DeepReadonly<z.output<typeof replayStatusSchema>>;

/** Which database the pipeline uses, and whether it can reach it. */
export const databaseStatusSchema = z.object({
  kind: z.enum(['embedded', 'remote']),
  /** "embedded PostgreSQL 18 on 127.0.0.1:54329", or the URL without its password. */
  description: z.string(),
  state: z.enum(['connecting', 'up', 'unreachable', 'switching']),
  /** Why it is unreachable, for people (never a secret). */
  error: z.string().nullable(),
});
export type DatabaseStatusView = DeepReadonly<z.output<typeof databaseStatusSchema>>;

const engineStatusSchema = z.object({
  consumed: z.number(),
  watermark: z.string().nullable(),
  /** The newest event time the engine has seen: in live mode, when the newest counted event was generated. */
  newestEventAt: z.string().nullable(),
  openWindows: z.number(),
  lateEvents: z.number(),
  /**
   * Events kept aside as too far ahead of the wall clock and the watermark (engine.maxFutureMs):
   * stored in late_events with reason 'future'; they never moved the watermark.
   */
  futureEvents: z.number(),
  deadLetters: z.number(),
  checkpoints: z.number(),
  lastCheckpointAt: z.string().nullable(),
  lastCheckpointMs: z.number().nullable(),
  /** When the log's end offsets behind each partition's `lag` were read; null before the first. */
  lagAsOf: z.string().nullable(),
  /** How old that figure is (ms): it stops moving while a read from the log is stuck. */
  lagAgeMs: z.number().nullable(),
  /**
   * The last time the engine's consumer-group offsets were found changed outside StreamPulse
   * (e.g. `kafka-consumer-groups --reset-offsets`). Such a change is ignored: the engine
   * continues from its PostgreSQL checkpoint; a replay reads part of the log again.
   */
  groupOffsetsChanged: z
    .object({
      detectedAt: z.string(),
      groupId: z.string(),
      partitions: z.array(
        z.object({ partition: z.number(), committed: z.number(), found: z.number().nullable() }),
      ),
    })
    .nullable(),
});

export const pipelineStatusSchema = z.object({
  database: z.string(),
  databaseStatus: databaseStatusSchema,
  /** Where the events go: the embedded log or a Kafka topic. */
  eventLog: z.object({ kind: z.enum(['embedded', 'kafka']), description: z.string() }),
  paused: z.boolean(),
  /** The main thread's event-loop delay over the last interval (intervalMs; 0 before the first). */
  mainThreadLoopDelay: z.object({ p99Ms: z.number(), maxMs: z.number(), intervalMs: z.number() }),
  generator: z
    .object({ ratePerSecond: z.number(), eventsPerSecond: z.number(), produced: z.number() })
    .nullable(),
  log: z
    .object({
      topic: z.string(),
      partitioner: z.string(),
      partitions: z.array(
        z.object({
          partition: z.number(),
          endOffset: z.number(),
          producedPerSecond: z.number(),
          lag: z.number(),
        }),
      ),
    })
    .nullable(),
  /** Which engine windows the events: the built-in one (`engine`) or a Flink job (`flink`). */
  engineKind: z.enum(['builtin', 'flink']),
  engine: engineStatusSchema.nullable(),
  flink: flinkJobStatusSchema.nullable(),
  replay: replayStatusSchema,
  history: historyStatusSchema,
});
export type PipelineStatusView = DeepReadonly<z.output<typeof pipelineStatusSchema>>;

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.enum(['up', 'down']),
  uptimeSeconds: z.number(),
  version: z.string(),
});
export type Health = DeepReadonly<z.output<typeof healthSchema>>;
