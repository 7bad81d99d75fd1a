/** What the API handlers need from the running app, passed in (tests give fakes or a real pool). */
import type pg from 'pg';
import type { Controls, HistoryStatus, ReplayStatus } from '../../../shared/api-contract';
import type { PipelineStatus } from '../../pipeline';
import type { GeneratorCommand } from '../../workers/generator-worker';

export interface PipelinePort {
  status(): PipelineStatus;
  /** Per-partition produced events/s, measured on the main thread. */
  partitionRates(): readonly number[];
  control<R>(command: GeneratorCommand): Promise<R>;
  replay(from: number): Promise<ReplayStatus>;
  generateHistory(hours: number, ratePerSecond: number): Promise<HistoryStatus>;
  replayStatus(): ReplayStatus;
}

export interface HandlerContext {
  readonly pool: pg.Pool;
  readonly pipeline: PipelinePort;
  readonly now: () => number;
  readonly version: string;
  readonly startedAt: number;
}

export type ControlsResult = Controls;
