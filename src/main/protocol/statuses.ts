/**
 * What the workers push to the main thread a few times a second, and the pipeline's status built
 * from them: the figures behind `/api/pipeline/status`, `/metrics` and the dashboard's pipeline
 * view. Types, and the status of a history job that has not run.
 */
import type { DatabaseStatusView, HistoryStatus } from '../../shared/api-contract';
import type { FlinkJobStatus } from '../../shared/api/flink';
import type { GeneratorStatus } from '../generator/generator-service';
import type { HistogramCounts } from '../metrics/checkpoint-metrics';
import type { LoopDelay } from '../metrics/loop-delay-monitor';
import type { RunnerStats } from '../runtime/engine-runner';

export type { GeneratorStatus };

export interface EngineStatus extends RunnerStats {
  /** Records in the log not yet consumed, per partition. */
  readonly lag: readonly number[];
  /**
   * When the end offsets behind `lag` were read (ms since the epoch; null before the first read).
   * A read stuck on a broker leaves the lag as it was: its age says how stale it is.
   */
  readonly lagAsOf: number | null;
  /** The open windows' running totals (summed over partitions): the live, partial view. */
  readonly partial: readonly PartialWindow[];
  readonly history: HistoryStatus;
  /** Open windows' per-title counts, for live trending. */
  readonly partialContent: ReadonlyArray<{
    contentId: string;
    title: string;
    contentType: string;
    downloads: number;
    failed: number;
  }>;
  /** The checkpoint durations' histogram, counted in the worker (metrics/checkpoint-metrics.ts). */
  readonly checkpointTimings?: HistogramCounts;
}

export interface PartialWindow {
  readonly windowStart: number;
  readonly downloads: number;
  readonly successful: number;
  readonly failed: number;
  readonly slow: number;
}

export interface PipelineStatus {
  readonly database: string;
  readonly databaseStatus: DatabaseStatusView;
  readonly eventLog: { readonly kind: 'embedded' | 'kafka'; readonly description: string };
  /** How responsive the main thread (window, IPC, HTTP) is. */
  readonly mainThreadLoopDelay: LoopDelay;
  readonly generator: GeneratorStatus | null;
  readonly engineKind: 'builtin' | 'flink';
  /** The built-in engine's figures (null with Flink, or while no engine runs). */
  readonly engine: EngineStatus | null;
  /** The Flink job's (null with the built-in engine). */
  readonly flink: FlinkJobStatus | null;
}

/** The history status before any history job has run (or while the engine is not up). */
export function idleHistory(): HistoryStatus {
  return {
    state: 'idle',
    from: null,
    to: null,
    generated: 0,
    total: 0,
    progress: 0,
    message: null,
  };
}
