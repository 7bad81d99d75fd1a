/**
 * The composition root of the running pipeline, on the main thread: PostgreSQL (embedded or by
 * URL), the generator worker (generator → event log) and the engine worker (log → windows and
 * alerts → Postgres). The main thread only routes: heavy work stays in the workers.
 * `streampulse serve` and the Electron app both run one.
 */
import type { EngineConfig } from '../engine/engine-config';
import type { PartitionOffset } from '../log/event-log';
import { describeLog, type LogBackend } from '../log/open-event-log';
import type { Logger } from '../logger';
import { LoopDelayMonitor } from '../metrics/loop-delay-monitor';
import { openDatabase, type Database } from '../store/database';
import { sameServer, type DatabaseTarget } from '../store/database-target';
import { RetentionJob } from '../store/retention-job';
import type { HistoryStatus, ReplayStatus } from '../../shared/api-contract';
import type { LateDelivery } from '../generator/download-event-generator';
import type { GeneratorCommand, GeneratorReply } from '../protocol/commands';
import type { PipelineStatus } from '../protocol/statuses';
import { DatabaseSupervisor } from './database-supervisor';
import { GeneratorStage } from './generator-stage';
import { replayView } from './replay-view';
import { createEngine } from './engines';
import type { EngineFactory, EngineKind, FlinkEngineSettings, StreamEngine } from './stream-engine';

export interface PipelineOptions {
  readonly dataDir: string;
  /** The event log: embedded under the data dir, or Kafka. */
  readonly log: LogBackend;
  readonly seed: string;
  readonly ratePerSecond: number;
  /** Late delivery the generator starts with (default: none). */
  readonly late?: LateDelivery;
  /** The database: the embedded one under the data dir, or one by URL; with its pool size. */
  readonly database: DatabaseTarget;
  readonly engine: EngineConfig;
  /** Which engine windows the events (default: the built-in one). */
  readonly engineKind?: EngineKind;
  /** The Flink engine's cluster and job settings. */
  readonly flink?: FlinkEngineSettings | null;
  /** Makes the engine of a kind (default: engines.ts, which knows both implementations). */
  readonly engines?: EngineFactory;
  /** Where the built worker entries are (out/main). */
  readonly workersDir: string;
  readonly logger: Logger;
}

/** The database is not reachable (yet): the API answers 503, the log keeps the events. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'UnavailableError';
}

export class Pipeline {
  private readonly options: PipelineOptions;
  private database: Database | null = null;
  private databaseTarget: DatabaseTarget;
  private readonly supervisor: DatabaseSupervisor;
  private logBackend: LogBackend;
  private generator: GeneratorStage | null = null;
  private engine: StreamEngine | null = null;
  private engineKindInUse: EngineKind;
  private flinkSettings: FlinkEngineSettings | null;
  private replayError: string | null = null;
  private readonly loopDelay = new LoopDelayMonitor();
  private retention: RetentionJob | null = null;
  /** One switch (log or database) at a time. */
  private switching: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(options: PipelineOptions) {
    this.options = options;
    this.logBackend = options.log;
    this.databaseTarget = options.database;
    this.engineKindInUse = options.engineKind ?? 'builtin';
    this.flinkSettings = options.flink ?? null;
    this.supervisor = new DatabaseSupervisor(options.logger, this.databaseTarget);
  }

  /**
   * Starts the generator at once and the engine once the database is up. The embedded database
   * must start; a remote one that is unreachable is retried in the background while the events
   * accumulate in the log, and the engine catches up when it comes.
   */
  async start(): Promise<void> {
    const { options } = this;
    this.loopDelay.start();
    // The generator first: it is the log's writer and creates it; the engine tails it.
    this.generator = new GeneratorStage({
      log: this.logBackend,
      seed: options.seed,
      ratePerSecond: options.ratePerSecond,
      late: options.late,
      workersDir: options.workersDir,
      logger: options.logger,
    });
    await this.generator.start();
    try {
      await this.attachDatabase(await this.openTarget(this.databaseTarget));
    } catch (error) {
      if (this.databaseTarget.kind === 'embedded') {
        await this.stop();
        throw error;
      }
      this.keepConnecting(this.databaseTarget, error);
    }
  }

  /** Sends a control to the generator (rate, mix, injections, pause); validation errors come back. */
  control<C extends GeneratorCommand>(command: C): Promise<GeneratorReply<C>> {
    if (!this.generator) return Promise.reject(new Error('the pipeline is not running'));
    return this.generator.request(command);
  }

  /** The database's pool (for the API's reads); throws DatabaseUnavailableError when it is down. */
  get pool(): Database['pool'] {
    if (!this.database) throw this.unavailable();
    return this.database.pool;
  }

  /** The main pool's size and use, for /metrics; null while no database is up. */
  databasePool(): { max: number; total: number; idle: number; waiting: number } | null {
    const pool = this.database?.pool;
    if (!pool) return null;
    const max = pool.options.max ?? 0;
    return { max, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
  }

  /** The generator's seed for this run. */
  get seed(): string {
    return this.options.seed;
  }

  /** The engine's settings for this run (restart-only: they do not change while it runs). */
  get engineConfig(): EngineConfig {
    return this.options.engine;
  }

  /** The log in use. */
  get log(): LogBackend {
    return this.logBackend;
  }

  /** The database in use (or being connected to). */
  get databaseInUse(): DatabaseTarget {
    return this.databaseTarget;
  }

  /** Produced events/s per partition over the last 5 s. */
  partitionRates(): number[] {
    return this.generator?.partitionRates() ?? [];
  }

  /** Recomputes windows from `from`: the engine re-reads the log from the offsets for that time. */
  async replay(from: number): Promise<ReplayStatus> {
    const engine = this.requireEngine();
    this.replayError = null;
    try {
      return replayView(await engine.replay(from), null);
    } catch (err) {
      this.replayError = err instanceof Error ? err.message : String(err);
      throw err;
    }
  }

  /** Fills N hours before the existing data with generated history (in the engine worker). */
  generateHistory(hours: number, ratePerSecond: number): Promise<HistoryStatus> {
    return this.requireEngine().generateHistory(hours, ratePerSecond);
  }

  replayStatus(): ReplayStatus {
    return replayView(this.engine?.replayProgress() ?? null, this.replayError);
  }

  /** The engine in use (or to be started once the database is up). */
  get engineKind(): EngineKind {
    return this.engineKindInUse;
  }

  status(): PipelineStatus {
    const view = this.engine?.view() ?? null;
    return {
      database: this.database?.describe() ?? this.supervisor.state.description,
      databaseStatus: this.supervisor.state,
      eventLog: { kind: this.logBackend.kind, description: describeLog(this.logBackend) },
      mainThreadLoopDelay: this.loopDelay.latest,
      generator: this.generator?.status ?? null,
      engineKind: this.engineKindInUse,
      engine: view?.kind === 'builtin' ? view.status : null,
      flink: view?.kind === 'flink' ? view.status : null,
    };
  }

  /**
   * Switches the event log while running: the generator stops writing to the old log and opens
   * the new one (without producing yet); the engine reads the old log to its end, checkpoints,
   * and continues its windows on the new log from where the generator will start writing; then
   * the generator produces again. Nothing is lost or counted twice. If the new log cannot be
   * opened, the old one is kept and the error says why.
   */
  switchLog(backend: LogBackend): Promise<void> {
    return this.serialized(async () => {
      const generator = this.requireGenerator();
      const previous = this.logBackend;
      // The same log with other credentials or TLS settings is a switch too: it reconnects.
      if (JSON.stringify(backend) === JSON.stringify(previous)) return;
      // The engine must read the old log to its end before the switch and checkpoint it, which
      // needs the database: while it is down (at start, or gone since), say so rather than fail
      // halfway with the driver's error.
      if (!this.engine || this.supervisor.state.state === 'unreachable')
        throw this.unavailable('the event log can be switched once it is back');
      const drainTo = await generator.request({ kind: 'detachLog' });
      let startOffsets: readonly PartitionOffset[];
      try {
        startOffsets = await generator.request({
          kind: 'attachLog',
          log: backend,
        });
      } catch (error) {
        await generator.request({ kind: 'attachLog', log: previous });
        await generator.request({ kind: 'resumeProducing' });
        throw error;
      }
      try {
        await this.requireEngine().switchLog(backend, drainTo, startOffsets);
      } catch (error) {
        await generator.request({ kind: 'detachLog' });
        await generator.request({ kind: 'attachLog', log: previous });
        await generator.request({ kind: 'resumeProducing' });
        throw error;
      }
      this.logBackend = backend;
      generator.resetRates();
      await generator.request({ kind: 'resumeProducing' });
      this.options.logger.info('event log switched', { log: describeLog(backend) });
    });
  }

  /**
   * Switches the database while running: the new one is opened and migrated first (an error
   * leaves everything as it was); then the engine drains and checkpoints into the old one and
   * starts again on the new one, which continues from its own checkpoint (or, new, from the
   * start of the log). The generator never stops: the log holds the events meanwhile.
   */
  switchDatabase(target: DatabaseTarget): Promise<void> {
    return this.serialized(async () => {
      // The same server (two embedded ones on one data dir would fight over it): at most the pool
      // size changed, and the open pool takes it.
      if (
        sameServer(target, this.databaseTarget) &&
        (this.database || target.kind === 'embedded')
      ) {
        this.databaseTarget = target;
        if (target.poolMax !== undefined) this.database?.resize(target.poolMax);
        return;
      }
      const next = await this.openTarget(target);
      await this.supervisor.cancel();
      const previous = this.databaseTarget;
      this.supervisor.set(target, 'switching', null);
      await this.detachDatabase();
      try {
        this.databaseTarget = target;
        await this.attachDatabase(next);
      } catch (error) {
        // The engine did not start on the new one: back to the previous database, or keep
        // trying it in the background, so the pipeline is never left without one.
        this.databaseTarget = previous;
        try {
          await this.attachDatabase(await this.openTarget(previous));
        } catch (again) {
          this.keepConnecting(previous, again);
        }
        throw error;
      }
      this.options.logger.info('database switched', { database: next.describe() });
    });
  }

  /** Stops producing, lets the engine drain the log and checkpoint, then closes the database. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.switching.catch(() => undefined);
    await this.supervisor.cancel();
    await this.generator?.stop();
    await this.detachDatabase();
    this.loopDelay.stop();
    this.generator = null;
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.switching
      .catch(() => undefined)
      .then(() => {
        if (this.stopped) throw new Error('the pipeline is stopping');
        return work();
      });
    this.switching = run;
    return run;
  }

  /**
   * Opens and migrates `target`. A remote database gets a few quick retries (Neon wakes a
   * suspended compute in a few hundred ms); `once` is for the background reconnection loop,
   * which has its own, longer backoff.
   */
  private async openTarget(target: DatabaseTarget, once = false): Promise<Database> {
    const { logger } = this.options;
    if (target.kind === 'embedded') return openDatabase({ ...target, logger });
    return openDatabase({ ...target, ...(once ? { retry: { attempts: 1 } } : {}), logger });
  }

  /** The database is up: retention and the engine (which reads from its checkpoint) start on it. */
  private async attachDatabase(database: Database): Promise<void> {
    const { options } = this;
    let engine: StreamEngine;
    try {
      engine = await this.startEngine(this.engineKindInUse, database);
    } catch (error) {
      await database.close().catch(() => undefined);
      throw error;
    }
    this.database = database;
    this.engine = engine;
    // Aggregates and dead letters 7 days, alerts 30 days: enforced hourly, not by hand.
    this.retention = new RetentionJob({ pool: database.pool, logger: options.logger });
    this.retention.start();
    this.supervisor.watch(database, this.databaseTarget);
  }

  private async startEngine(kind: EngineKind, database: Database): Promise<StreamEngine> {
    const { options } = this;
    const engine = (options.engines ?? createEngine)(kind, {
      log: this.logBackend,
      database,
      config: options.engine,
      runStartOffsets: await this.requireGenerator().request({ kind: 'runStartOffsets' }),
      workersDir: options.workersDir,
      logger: options.logger,
      flink: this.flinkSettings,
    });
    await engine.start();
    return engine;
  }

  /**
   * Switches the engine while running: the running one stops so that nothing is lost or counted
   * twice (the built-in engine drains and checkpoints; a Flink job stops with a savepoint), and
   * the other continues from there. If the new one does not start, the previous one starts again
   * and the error says why. The generator never stops: the log holds the events meanwhile.
   */
  switchEngine(kind: EngineKind, flink: FlinkEngineSettings | null): Promise<void> {
    return this.serialized(async () => {
      const previous = { kind: this.engineKindInUse, flink: this.flinkSettings };
      const flinkChanged = JSON.stringify(flink) !== JSON.stringify(previous.flink);
      if (kind === previous.kind && (kind === 'builtin' || !flinkChanged)) {
        this.flinkSettings = flink;
        return;
      }
      const database = this.database;
      if (database && this.engine) {
        // A running engine that cannot stop cleanly (a Flink job without its savepoint) keeps
        // running, and nothing changes.
        await this.engine.stop();
        this.engine = null;
      }
      this.engineKindInUse = kind;
      this.flinkSettings = flink;
      // No database yet: the engine of the new kind starts when it comes.
      if (!database) return;
      try {
        this.engine = await this.startEngine(kind, database);
      } catch (error) {
        this.engineKindInUse = previous.kind;
        this.flinkSettings = previous.flink;
        this.engine = await this.startEngine(previous.kind, database);
        throw error;
      }
      this.options.logger.info('engine switched', { engine: kind });
    });
  }

  /** The engine drains and checkpoints, retention stops, then the database closes. */
  private async detachDatabase(): Promise<void> {
    this.supervisor.unwatch();
    await this.retention?.stop();
    await this.engine?.stop();
    await this.database?.close();
    this.retention = null;
    this.engine = null;
    this.database = null;
  }

  /** Retries a database that is down, with backoff, until it answers or the pipeline stops. */
  private keepConnecting(target: DatabaseTarget, firstError: unknown): void {
    this.supervisor.keepConnecting(
      target,
      firstError,
      () => this.openTarget(target, true),
      (database) => this.attachDatabase(database),
    );
  }

  private requireGenerator(): GeneratorStage {
    if (!this.generator) throw new Error('the pipeline is not running');
    return this.generator;
  }

  private requireEngine(): StreamEngine {
    if (!this.engine) throw this.unavailable();
    return this.engine;
  }

  private unavailable(
    what = 'events keep accumulating in the log and are counted when it is back',
  ): DatabaseUnavailableError {
    const { state, error } = this.supervisor.state;
    return new DatabaseUnavailableError(
      `the database is ${state}${error ? ` (${error})` : ''}; ${what}`,
    );
  }
}
