/**
 * The engine seam: what the pipeline needs of whatever windows the events. Two implementations,
 * neither of which knows the other: the built-in engine (a worker thread of this process,
 * `builtin-engine.ts`) and a job on an Apache Flink cluster (`../flink/flink-engine.ts`). The
 * composition root (`app-services.ts`) picks one with `EngineFactory`; the pipeline only holds a
 * `StreamEngine`.
 */
import type { HistoryStatus } from '../../shared/api-contract';
import { ConflictError } from '../../shared/errors';
import type { FlinkJobStatus } from '../../shared/api/flink';
import type { EngineConfig } from '../engine/engine-config';
import type { PartitionOffset } from '../log/event-log';
import type { LogBackend } from '../log/open-event-log';
import type { Logger } from '../logger';
import type { ReplayProgress } from '../protocol/commands';
import type { EngineStatus } from '../protocol/statuses';
import type { Database } from '../store/database';

export type EngineKind = 'builtin' | 'flink';

/** What an engine reports: the built-in engine's figures, or the Flink job's. */
export type EngineView =
  | { readonly kind: 'builtin'; readonly status: EngineStatus | null }
  | { readonly kind: 'flink'; readonly status: FlinkJobStatus };

export interface StreamEngine {
  readonly kind: EngineKind;
  /** Starts on the database, continuing from where this engine (or the other one) left off. */
  start(): Promise<void>;
  /**
   * Stops so that the next start (of this engine or the other) loses and doubles nothing: the
   * built-in engine drains and checkpoints; a Flink job stops with a savepoint.
   */
  stop(): Promise<void>;
  view(): EngineView;
  replay(from: number): Promise<ReplayProgress>;
  replayProgress(): ReplayProgress | null;
  generateHistory(hours: number, ratePerSecond: number): Promise<HistoryStatus>;
  /** The event log changes under a running engine (see Pipeline.switchLog). */
  switchLog(
    log: LogBackend,
    drainTo: readonly PartitionOffset[],
    startOffsets: readonly PartitionOffset[],
  ): Promise<void>;
}

/** Where the Flink engine's cluster is, and the job's shape (settings: engine.flink). */
export interface FlinkEngineSettings {
  readonly restUrl: string;
  readonly parallelism: number;
  readonly checkpointIntervalMs: number;
}

/** What an engine is started with. */
export interface EngineContext {
  readonly log: LogBackend;
  readonly database: Database;
  readonly config: EngineConfig;
  /** Where the generator's current run started writing, per partition (the built-in engine's). */
  readonly runStartOffsets: readonly PartitionOffset[];
  readonly workersDir: string;
  readonly logger: Logger;
  /** The Flink engine's settings (null: not configured). */
  readonly flink: FlinkEngineSettings | null;
}

export type EngineFactory = (kind: EngineKind, context: EngineContext) => StreamEngine;

/** An engine that cannot do what was asked (e.g. a replay on Flink): 409 with the reason. */
export function engineCannot(kind: EngineKind, what: string, instead: string): ConflictError {
  return new ConflictError(`${what} is not available with the ${kind} engine: ${instead}`);
}
