/** What the API handlers need from the running app, passed in (tests give fakes or a real pool). */
import type pg from 'pg';
import type { Controls, HistoryStatus, ReplayStatus } from '../../../shared/api-contract';
import type { ScenarioView } from '../../../shared/drill-views';
import type {
  ConnectionTestResult,
  Settings,
  SettingsUpdate,
  SettingsView,
} from '../../../shared/settings';
import type { GeneratorCommand, GeneratorReply } from '../../protocol/commands';
import type { PipelineStatus } from '../../protocol/statuses';

export interface PipelinePort {
  status(): PipelineStatus;
  /** Per-partition produced events/s, measured on the main thread. */
  partitionRates(): readonly number[];
  control<C extends GeneratorCommand>(command: C): Promise<GeneratorReply<C>>;
  replay(from: number): Promise<ReplayStatus>;
  generateHistory(hours: number, ratePerSecond: number): Promise<HistoryStatus>;
  replayStatus(): ReplayStatus;
}

/** The settings: what the page shows, saving (which may switch the log or database), tests. */
export interface SettingsPort {
  view(): Promise<SettingsView>;
  update(update: SettingsUpdate): Promise<SettingsView>;
  testKafka(settings: Settings, secrets: SettingsUpdate['secrets']): Promise<ConnectionTestResult>;
  testPostgres(
    settings: Settings,
    secrets: SettingsUpdate['secrets'],
  ): Promise<ConnectionTestResult>;
}

/** Live drills in the running pipeline (see drills/live-drill.ts). */
export interface DrillsPort {
  scenarios(): readonly ScenarioView[];
  /** Starts a ready scenario by its file name; returns the drill's id. */
  start(scenarioFile: string): Promise<number>;
  stop(id: number): Promise<void>;
}

export interface HandlerContext {
  /** The current database's pool: may be a getter (the database can be switched, or be down). */
  readonly pool: pg.Pool;
  readonly settings: SettingsPort;
  readonly pipeline: PipelinePort;
  readonly drills: DrillsPort;
  readonly now: () => number;
  readonly version: string;
  readonly startedAt: number;
}

export type ControlsResult = Controls;
