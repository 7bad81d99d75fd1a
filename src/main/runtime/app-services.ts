/**
 * Everything a running StreamPulse is, wired once for both shells (`streampulse serve` and the
 * Electron app): the pipeline, the API handler table over its database, the per-launch token
 * (written 0600 for the CLI), the live snapshots and the local HTTP server.
 */
import { API_NAMES, ROUTES, type ApiHandlers } from '../../shared/api-contract';
import { createHandlers, type SettingsPort } from '../api/handlers';
import { HttpServer } from '../api/http-server';
import { createLaunchToken, tokenFilePath, writeTokenFile } from '../api/launch-token';
import { LiveSnapshots } from '../api/live-snapshots';
import { Registry } from 'prom-client';
import { registerExportMetrics } from '../export/export-metrics';
import { ExportService } from '../export/export-service';
import { prepareEventExportInWorker } from '../export/event-export-worker';
import { join } from 'node:path';
import { engineWorkerMetrics, registerPipelineMetrics } from '../api/pipeline-metrics';
import { Pipeline, type PipelineOptions } from './pipeline';
import { LiveDrills } from '../drills/live-drill';
import { defaultScenariosDir, listScenarios, loadScenario } from '../drills/scenario-files';
import { DrillStore } from '../store/drill-store';

export const APP_VERSION = '0.1.0';

export interface AppServicesOptions extends PipelineOptions {
  readonly dashboardDir: string | null;
  readonly port: number;
  readonly now?: () => number;
  /** The settings behind the settings page, over the running pipeline; absent: read-only defaults. */
  readonly settings?: (pipeline: Pipeline) => SettingsPort;
  /** The ready drill scenarios (default: the project's scenarios/; null: none). */
  readonly scenariosDir?: string | null;
}

export class AppServices {
  readonly pipeline: Pipeline;
  private readonly options: AppServicesOptions;
  private server: HttpServer | null = null;
  private drills: LiveDrills | null = null;
  private api: {
    handlers: ApiHandlers;
    live: LiveSnapshots;
    token: string;
    exports: ExportService;
  } | null = null;

  constructor(options: AppServicesOptions) {
    this.options = options;
    this.pipeline = new Pipeline(options);
  }

  async start(): Promise<void> {
    const { options } = this;
    const now = options.now ?? Date.now;
    await this.pipeline.start();
    const token = createLaunchToken();
    await writeTokenFile(options.dataDir, token);
    const pipeline = this.pipeline;
    const scenariosDir =
      options.scenariosDir === undefined ? defaultScenariosDir() : options.scenariosDir;
    const drills = new LiveDrills({
      control: (command) => pipeline.control(command),
      store: () => new DrillStore(pipeline.pool),
      engine: () => pipeline.engineConfig,
      now,
      logger: options.logger,
    });
    this.drills = drills;
    const handlers = createHandlers({
      // A getter: the database can be switched while running, or be down (the API answers 503).
      get pool() {
        return pipeline.pool;
      },
      pipeline,
      settings: options.settings?.(pipeline) ?? unavailableSettings(),
      drills: {
        scenarios: () => listScenarios(scenariosDir),
        start: (file) => drills.start(loadScenario(scenariosDir, file), pipeline.seed),
        stop: (id) => drills.stop(id),
      },
      now,
      version: APP_VERSION,
      startedAt: now(),
    });
    const live = new LiveSnapshots(handlers, now);
    const exports = new ExportService({
      pool: () => pipeline.pool,
      // The log in use now (it can be switched), read-only beside the generator that writes it,
      // in a worker of its own.
      prepareEvents: (request) =>
        prepareEventExportInWorker(
          join(options.workersDir, 'export-worker.js'),
          pipeline.log,
          request,
          options.logger,
        ),
      engine: () => options.engine,
      logger: options.logger,
    });
    this.api = { handlers, live, token, exports };
    // This instance's metrics (tests run several in one process: not prom-client's global registry).
    const metrics = new Registry();
    registerPipelineMetrics(metrics, pipeline);
    registerExportMetrics(metrics, exports);
    this.server = new HttpServer({
      port: options.port,
      handlers,
      token,
      staticRoot: options.dashboardDir,
      stream: { snapshot: () => live.snapshot() },
      metrics,
      workerMetrics: async () => [await engineWorkerMetrics(pipeline.status())],
      exports,
      logger: options.logger,
      version: APP_VERSION,
      tokenFile: tokenFilePath(options.dataDir),
    });
    await this.server.start();
  }

  get url(): string {
    return this.requireServer().url;
  }

  get handlers(): ApiHandlers {
    return this.requireApi().handlers;
  }

  /**
   * The handlers for the app's window (IPC): a change made there also clears the HTTP read
   * cache, so a browser on the same instance sees it at once.
   */
  ipcHandlers(): ApiHandlers {
    const handlers = this.requireApi().handlers;
    const server = this.requireServer();
    return Object.fromEntries(
      API_NAMES.map((name) => {
        const handler = handlers[name] as (params: unknown) => Promise<unknown>;
        if (!ROUTES[name].mutating) return [name, handler];
        return [
          name,
          async (params: unknown) => {
            const result = await handler(params);
            server.clearReadCache();
            return result;
          },
        ];
      }),
    ) as unknown as ApiHandlers;
  }

  /** Exports, for the app's window (IPC) as for HTTP: one implementation, one limit. */
  get exports(): ExportService {
    return this.requireApi().exports;
  }

  get token(): string {
    return this.requireApi().token;
  }

  get live(): LiveSnapshots {
    return this.requireApi().live;
  }

  /** Stops serving, then the pipeline (the engine drains and checkpoints, the database stops). */
  async stop(): Promise<void> {
    await this.server?.stop();
    // A live drill ends with the app: recorded as stopped, its injections gone with the generator.
    await this.drills
      ?.close()
      .catch((error: unknown) =>
        this.options.logger.error('could not record the live drill as stopped', { error }),
      );
    await this.pipeline.stop();
    this.server = null;
  }

  private requireServer(): HttpServer {
    if (!this.server) throw new Error('StreamPulse is not running');
    return this.server;
  }

  private requireApi(): NonNullable<AppServices['api']> {
    if (!this.api) throw new Error('StreamPulse is not running');
    return this.api;
  }
}

/** For embedders that do not manage settings (tests, benchmarks): the page says so. */
function unavailableSettings(): SettingsPort {
  const fail = (): Promise<never> =>
    Promise.reject(new Error('settings are not managed by this StreamPulse instance'));
  return { view: fail, update: fail, testKafka: fail, testPostgres: fail };
}
