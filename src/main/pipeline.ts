/**
 * The composition root of the running pipeline, on the main thread: PostgreSQL (embedded or by
 * URL), the generator worker (generator → event log) and the engine worker (log → windows and
 * alerts → Postgres). The main thread only routes: heavy work stays in the workers.
 * `streampulse serve` and the Electron app both run one.
 */
import { join } from 'node:path';
import type { EngineConfig } from './engine/engine-config';
import { DEFAULT_GROUP_ID } from './engine/engine-runner';
import type { GeneratorStatus } from './generator/generator-service';
import type { LogBackend } from './log/open-event-log';
import type { Logger } from './logger';
import { LoopDelayMonitor, type LoopDelay } from './metrics/loop-delay-monitor';
import { openDatabase, type Database } from './store/database';
import { RetentionJob } from './store/retention-job';
import type { HistoryStatus, ReplayStatus } from '../shared/api-contract';
import type { ReplayProgress } from './engine/engine-runner';
import { RateMeter } from './metrics/rate-meter';
import type { EngineCommand, EngineStatus, EngineWorkerData } from './workers/engine-worker';
import type { GeneratorCommand, GeneratorWorkerData } from './workers/generator-worker';
import { WorkerHost } from './workers/worker-host';

export interface PipelineOptions {
  readonly dataDir: string;
  /** The event log: embedded under the data dir, or Kafka. */
  readonly log: LogBackend;
  readonly seed: string;
  readonly ratePerSecond: number;
  /** A PostgreSQL URL; absent: the embedded database under the data dir. */
  readonly databaseUrl: string | undefined;
  readonly engine: EngineConfig;
  /** Where the built worker entries are (out/main). */
  readonly workersDir: string;
  readonly logger: Logger;
}

export interface PipelineStatus {
  readonly database: string;
  /** How responsive the main thread (window, IPC, HTTP) is. */
  readonly mainThreadLoopDelay: LoopDelay;
  readonly generator: GeneratorStatus | null;
  readonly engine: EngineStatus | null;
}

export class Pipeline {
  private readonly options: PipelineOptions;
  private database: Database | null = null;
  private generator: WorkerHost<GeneratorCommand, GeneratorStatus> | null = null;
  private engine: WorkerHost<EngineCommand, EngineStatus> | null = null;
  /** Per-partition produced rates, from the generator's status pushes. */
  private partitionMeters: RateMeter[] = [];
  private replayError: string | null = null;
  private readonly loopDelay = new LoopDelayMonitor();
  private retention: RetentionJob | null = null;

  constructor(options: PipelineOptions) {
    this.options = options;
  }

  async start(): Promise<void> {
    const { options } = this;
    this.loopDelay.start();
    this.database = await openDatabase(
      options.databaseUrl
        ? { kind: 'url', url: options.databaseUrl, logger: options.logger }
        : { kind: 'embedded', dataDir: options.dataDir, logger: options.logger },
    );
    // Aggregates and dead letters 7 days, alerts 30 days: enforced hourly, not by hand.
    this.retention = new RetentionJob({ pool: this.database.pool, logger: options.logger });
    this.retention.start();
    // The generator first: it is the log's writer and creates it; the engine tails it.
    this.generator = new WorkerHost<GeneratorCommand, GeneratorStatus>({
      name: 'generator',
      file: join(options.workersDir, 'generator-worker.js'),
      workerData: {
        log: options.log,
        seed: options.seed,
        ratePerSecond: options.ratePerSecond,
      } satisfies GeneratorWorkerData,
      logger: options.logger,
    });
    await this.generator.start();
    this.generator.onStatus((status) => {
      const now = Date.now();
      status.log.partitions.forEach((p) => {
        this.partitionMeters[p.partition] ??= new RateMeter(5000);
        this.partitionMeters[p.partition]!.record(now, p.produced);
      });
    });
    this.engine = new WorkerHost<EngineCommand, EngineStatus>({
      name: 'engine',
      file: join(options.workersDir, 'engine-worker.js'),
      workerData: {
        log: options.log,
        databaseUrl: this.database.url,
        config: options.engine,
        groupId: DEFAULT_GROUP_ID,
      } satisfies EngineWorkerData,
      logger: options.logger,
    });
    await this.engine.start();
  }

  /** Sends a control to the generator (rate, mix, injections, pause); validation errors come back. */
  control<R>(command: GeneratorCommand): Promise<R> {
    if (!this.generator) return Promise.reject(new Error('the pipeline is not running'));
    return this.generator.request<R>(command);
  }

  /** The database's pool (for the API's reads), once started. */
  get pool(): Database['pool'] {
    if (!this.database) throw new Error('the pipeline is not running');
    return this.database.pool;
  }

  /** Produced events/s per partition over the last 5 s. */
  partitionRates(): number[] {
    return this.partitionMeters.map((meter) => meter.perSecond());
  }

  /** Recomputes windows from `from`: the engine re-reads the log from the offsets for that time. */
  async replay(from: number): Promise<ReplayStatus> {
    if (!this.engine) throw new Error('the pipeline is not running');
    this.replayError = null;
    try {
      return replayView(await this.engine.request<ReplayProgress>({ kind: 'replay', from }), null);
    } catch (err) {
      this.replayError = err instanceof Error ? err.message : String(err);
      throw err;
    }
  }

  /** Fills N hours before the existing data with generated history (in the engine worker). */
  generateHistory(hours: number, ratePerSecond: number): Promise<HistoryStatus> {
    if (!this.engine) return Promise.reject(new Error('the pipeline is not running'));
    return this.engine.request<HistoryStatus>({ kind: 'generateHistory', hours, ratePerSecond });
  }

  replayStatus(): ReplayStatus {
    return replayView(this.engine?.status?.replay ?? null, this.replayError);
  }

  status(): PipelineStatus {
    return {
      database: this.database?.describe() ?? 'not connected',
      mainThreadLoopDelay: this.loopDelay.latest,
      generator: this.generator?.status ?? null,
      engine: this.engine?.status ?? null,
    };
  }

  /** Stops producing, lets the engine drain the log and checkpoint, then closes the database. */
  async stop(): Promise<void> {
    await this.retention?.stop();
    await this.generator?.stop();
    await this.engine?.stop();
    await this.database?.close();
    this.loopDelay.stop();
    this.generator = null;
    this.engine = null;
    this.database = null;
  }
}

function replayView(progress: ReplayProgress | null, error: string | null): ReplayStatus {
  if (error) return { state: 'failed', from: null, progress: 0, message: error };
  if (!progress) return { state: 'idle', from: null, progress: 0, message: null };
  return {
    state: progress.progress >= 1 ? 'done' : 'running',
    from: new Date(progress.from).toISOString(),
    progress: progress.progress,
    message: null,
  };
}
