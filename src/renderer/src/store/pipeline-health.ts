/**
 * Flags for the pipeline view, from the snapshots' recent history: a hot partition (producing far
 * more than the others) and a stalled stage (its lag growing snapshot after snapshot).
 */
import type { PipelineStatusView } from '../../../shared/api-contract';

/** How many snapshots of lag the store keeps per partition. */
export const LAG_HISTORY = 6;
/** A partition is hot when it produces this many times the others' mean... */
export const HOT_FACTOR = 3;
/** ...and at least this many events per second (a trickle is never hot). */
export const HOT_MIN_PER_SECOND = 5;
/** A lag that grew across every one of the kept snapshots, and is at least this, is a stall. */
export const STALL_MIN_LAG = 50;

export interface PipelineFlags {
  readonly hotPartitions: readonly number[];
  readonly laggingPartitions: readonly number[];
  /** The engine falls behind: some partition's lag keeps growing. */
  readonly engineStalled: boolean;
  /** The generator should produce but does not. */
  readonly generatorStalled: boolean;
}

export const NO_FLAGS: PipelineFlags = {
  hotPartitions: [],
  laggingPartitions: [],
  engineStalled: false,
  generatorStalled: false,
};

/** Appends each partition's lag to its history, keeping the newest LAG_HISTORY. */
export function nextLagHistory(
  history: Readonly<Record<number, readonly number[]>>,
  pipeline: PipelineStatusView,
): Record<number, readonly number[]> {
  const next: Record<number, readonly number[]> = {};
  for (const p of pipeline.log?.partitions ?? [])
    next[p.partition] = [...(history[p.partition] ?? []), p.lag].slice(-LAG_HISTORY);
  return next;
}

export function hotPartitions(pipeline: PipelineStatusView): number[] {
  const partitions = pipeline.log?.partitions ?? [];
  if (partitions.length < 2) return [];
  return partitions
    .filter((p) => {
      const others = partitions.filter((o) => o !== p);
      const mean = others.reduce((sum, o) => sum + o.producedPerSecond, 0) / others.length;
      return p.producedPerSecond >= HOT_MIN_PER_SECOND && p.producedPerSecond > HOT_FACTOR * mean;
    })
    .map((p) => p.partition);
}

export function isLagGrowing(lags: readonly number[]): boolean {
  if (lags.length < LAG_HISTORY) return false;
  for (let i = 1; i < lags.length; i++) if (lags[i]! <= lags[i - 1]!) return false;
  return lags[lags.length - 1]! >= STALL_MIN_LAG;
}

export function pipelineFlags(
  pipeline: PipelineStatusView,
  lagHistory: Readonly<Record<number, readonly number[]>>,
): PipelineFlags {
  const laggingPartitions = Object.entries(lagHistory)
    .filter(([, lags]) => isLagGrowing(lags))
    .map(([partition]) => Number(partition));
  const generator = pipeline.generator;
  return {
    hotPartitions: hotPartitions(pipeline),
    laggingPartitions,
    engineStalled: laggingPartitions.length > 0,
    generatorStalled:
      !pipeline.paused &&
      generator !== null &&
      generator.ratePerSecond >= 1 &&
      generator.eventsPerSecond === 0,
  };
}
