/**
 * The Flink engine behind the engine seam: the same windows, aggregates and alerts as a job on an
 * Apache Flink cluster (flink/job/), driven over the JobManager's REST API. It
 *
 * - starts the job, or adopts ours if it already runs (a restarted app never submits a second);
 * - resumes from the savepoint it last stopped with, or else takes over from the built-in
 *   engine's checkpoint (flink-handover.ts);
 * - watches the job (state, restarts, checkpoints, records, back pressure) every second;
 * - stops it with a savepoint, recorded in PostgreSQL for the next start.
 *
 * It never imports the built-in engine: it reads the built-in engine's checkpoint as data.
 */
import type { HistoryStatus } from '../../shared/api-contract';
import type { FlinkJobStatus } from '../../shared/api/flink';
import type { LogBackend } from '../log/open-event-log';
import type { ReplayProgress } from '../protocol/commands';
import { loadFlinkJob, saveFlinkJob } from '../store/flink-job-store';
import {
  engineCannot,
  type EngineContext,
  type EngineView,
  type FlinkEngineSettings,
  type StreamEngine,
} from '../runtime/stream-engine';
import { flinkJobJar, uploadName } from './flink-jar';
import { handover } from './flink-handover';
import {
  FLINK_JOB_ENTRY_CLASS,
  flinkJobConfig,
  flinkProgramArgs,
  type FlinkJobInputs,
} from './flink-job-config';
import {
  ACTIVE_FLINK_STATES,
  initialFlinkStatus,
  observedStatus,
  stateOf,
} from './flink-job-status';
import { FlinkRest, FlinkRestError } from './flink-rest';

/** How long a start may take before it is reported as failed (the issue's 30 s, with margin). */
const START_DEADLINE_MS = 25_000;
const POLL_MS = 1_000;
const BACKPRESSURE_EVERY = 5;

export class FlinkEngineError extends Error {
  override readonly name = 'FlinkEngineError';
}

export class FlinkEngine implements StreamEngine {
  readonly kind = 'flink' as const;
  private readonly rest: FlinkRest;
  private readonly jobName: string;
  private status: FlinkJobStatus;
  private poller: NodeJS.Timeout | null = null;
  private polls = 0;
  private polling = false;
  private backpressure = new Map<string, string | null>();

  constructor(
    private readonly context: EngineContext,
    private readonly settings: FlinkEngineSettings,
    private readonly options: {
      /** A bounded run (`run --engine flink`): from these offsets to the topic's end, then done. */
      readonly bounded?: { readonly startingOffsets: Readonly<Record<number, number>> };
      readonly jarPath?: string;
    } = {},
  ) {
    this.rest = new FlinkRest(settings.restUrl);
    this.jobName = flinkJobName(context.log, options.bounded !== undefined);
    this.status = initialFlinkStatus(this.rest.baseUrl, this.jobName);
  }

  get restUrl(): string {
    return this.rest.baseUrl;
  }

  async start(): Promise<void> {
    const { log, database, logger } = this.context;
    if (log.kind !== 'kafka')
      throw new FlinkEngineError(
        'the Flink engine reads the events from Apache Kafka, and the event log is the embedded one: set the event log to Kafka (--kafka-brokers, or Settings → Event log), or use the built-in engine (--engine builtin)',
      );
    try {
      const overview = await this.rest.overview();
      this.status = { ...this.status, cluster: clusterOf(overview) };
      // A job of ours already running (the app restarted, or crashed): adopted, never doubled.
      const running = this.options.bounded
        ? undefined
        : (await this.rest.jobs()).find(
            (job) => job.name === this.jobName && ACTIVE_FLINK_STATES.has(job.state),
          );
      const saved = await loadFlinkJob(database.pool, this.jobName);
      let jobId: string;
      if (running) {
        jobId = running.jid;
        logger.info('flink job adopted', { jobId, jobName: this.jobName });
      } else {
        const jarPath = this.options.jarPath ?? flinkJobJar();
        const jarId = await this.rest.uploadJar(jarPath, uploadName(jarPath));
        const savepointPath = this.options.bounded ? null : (saved?.savepointPath ?? null);
        const inputs = this.options.bounded
          ? { startingOffsets: this.options.bounded.startingOffsets }
          : savepointPath
            ? {}
            : await handover(log, this.context);
        const config = flinkJobConfig({ ...this.jobInputs(log), ...inputs });
        jobId = await this.rest
          .runJar(jarId, {
            entryClass: FLINK_JOB_ENTRY_CLASS,
            programArgsList: flinkProgramArgs(config),
            parallelism: this.settings.parallelism,
            savepointPath,
          })
          .catch((error: unknown) => {
            // The job's main() runs on the JobManager: its failure (a database it cannot reach,
            // a savepoint it cannot read) comes back as the refusal's root cause.
            if (error instanceof FlinkRestError && error.problem === 'refused')
              throw new FlinkEngineError(`the Flink job did not start: ${error.reason}`);
            throw error;
          });
        this.status = { ...this.status, restoredFrom: savepointPath };
        logger.info('flink job submitted', {
          jobId,
          jobName: this.jobName,
          restoredFrom: savepointPath,
          floor: inputs.floorMs ?? null,
        });
      }
      this.status = { ...this.status, jobId };
      // The last savepoint stays on record until a newer one replaces it: should this job die
      // with its cluster, the next start resumes from there (and catches up) rather than
      // handing over again.
      await saveFlinkJob(database.pool, {
        jobName: this.jobName,
        restUrl: this.rest.baseUrl,
        jobId,
        savepointPath: saved?.savepointPath ?? null,
      });
      await this.untilRunning(jobId);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.status = {
        ...this.status,
        state:
          error instanceof FlinkRestError && error.problem !== 'refused' ? 'unreachable' : 'failed',
        message,
      };
      throw error instanceof FlinkRestError || error instanceof FlinkEngineError
        ? error
        : new FlinkEngineError(message);
    }
    this.poller = setInterval(() => void this.poll(), POLL_MS);
    this.poller.unref();
  }

  /** Resolves once the job (a bounded one: has finished) is running on every operator. */
  private async untilRunning(jobId: string): Promise<void> {
    const until = Date.now() + START_DEADLINE_MS;
    for (;;) {
      await this.poll(true);
      const { state, message } = this.status;
      if (state === 'finished') return;
      if (state === 'failed' || state === 'restarting' || state === 'stopped') {
        // A job that fails while starting (a wrong database password, a missing class) would
        // only fail again: it is cancelled, and the reason is Flink's.
        if (state === 'restarting') await this.rest.cancel(jobId).catch(() => undefined);
        throw new FlinkEngineError(
          `the Flink job did not start: ${message ?? `it is ${this.status.flinkState}`}`,
        );
      }
      const operators = this.status.operators;
      if (
        state === 'running' &&
        operators.length > 0 &&
        operators.every((op) => op.status === 'RUNNING' || op.status === 'FINISHED')
      )
        return;
      if (Date.now() > until) {
        const waiting =
          this.status.cluster && this.status.cluster.slots < this.settings.parallelism
            ? ` (it needs ${this.settings.parallelism} slots; the cluster has ${this.status.cluster.slots})`
            : '';
        throw new FlinkEngineError(
          `the Flink job was not running after ${START_DEADLINE_MS / 1000} s${waiting}; it is ${this.status.flinkState ?? 'not known to the JobManager'}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** One look at the job; errors become the status (unreachable), never an exception. */
  private async poll(starting = false): Promise<void> {
    const jobId = this.status.jobId;
    if (!jobId || this.polling) return;
    this.polling = true;
    try {
      const job = await this.rest.job(jobId);
      const active = ACTIVE_FLINK_STATES.has(job.state);
      const [overview, checkpoints, exceptions, metrics] = await Promise.all([
        this.polls % BACKPRESSURE_EVERY === 0 ? this.rest.overview().catch(() => null) : null,
        this.rest.checkpoints(jobId).catch(() => null),
        stateOf(job.state) === 'running' && !starting
          ? Promise.resolve([])
          : this.rest.exceptions(jobId).catch(() => []),
        this.rest.jobMetrics(jobId, ['numRestarts']).catch(() => ({}) as Record<string, number>),
      ]);
      if (active && !starting && this.polls % BACKPRESSURE_EVERY === 0) {
        for (const vertex of job.vertices) {
          this.backpressure.set(
            vertex.id,
            await this.rest.backpressure(jobId, vertex.id).catch(() => null),
          );
        }
      }
      this.polls += 1;
      const before = this.status.state;
      this.status = observedStatus(this.status, {
        overview,
        job,
        checkpoints,
        exceptions,
        restarts: metrics.numRestarts ?? null,
        backpressure: this.backpressure,
      });
      if (before !== this.status.state && !starting) {
        this.context.logger[this.status.state === 'running' ? 'info' : 'warn'](
          `flink job ${this.status.state}`,
          { jobId, flinkState: job.state, reason: this.status.message },
        );
      }
    } catch (error) {
      if (this.status.state !== 'stopping' && this.status.state !== 'stopped')
        this.status = {
          ...this.status,
          state: 'unreachable',
          message: error instanceof Error ? error.message : String(error),
        };
    } finally {
      this.polling = false;
    }
  }

  async stop(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    const jobId = this.status.jobId;
    if (!jobId || this.options.bounded) return;
    const job = await this.rest.job(jobId).catch(() => null);
    if (!job || !ACTIVE_FLINK_STATES.has(job.state)) {
      this.status = { ...this.status, state: job ? stateOf(job.state) : 'stopped' };
      return;
    }
    this.status = { ...this.status, state: 'stopping' };
    try {
      const savepointPath = await this.rest.stopWithSavepoint(jobId);
      await saveFlinkJob(this.context.database.pool, {
        jobName: this.jobName,
        restUrl: this.rest.baseUrl,
        jobId: null,
        savepointPath,
      });
      this.status = { ...this.status, state: 'stopped', flinkState: 'FINISHED', message: null };
      this.context.logger.info('flink job stopped with a savepoint', { jobId, savepointPath });
    } catch (error) {
      // Without a savepoint the job keeps running on the cluster: the next start adopts it.
      const message = error instanceof Error ? error.message : String(error);
      this.status = { ...this.status, state: 'failed', message };
      this.context.logger.warn('flink job not stopped: it keeps running on the cluster', {
        jobId,
        reason: message,
      });
      // Still ours: watched as before.
      this.poller = setInterval(() => void this.poll(), POLL_MS);
      this.poller.unref();
      throw new FlinkEngineError(`the Flink job could not be stopped with a savepoint: ${message}`);
    }
  }

  /** Waits until a bounded job has finished (`run --engine flink`); throws if it failed. */
  async finished(
    deadlineMs: number,
    onProgress?: (status: FlinkJobStatus) => void,
  ): Promise<FlinkJobStatus> {
    const until = Date.now() + deadlineMs;
    for (;;) {
      await this.poll(true);
      onProgress?.(this.status);
      const { state } = this.status;
      if (state === 'finished') return this.status;
      if (state === 'failed' || state === 'stopped')
        throw new FlinkEngineError(
          `the Flink job ${state}: ${this.status.message ?? this.status.flinkState ?? 'no reason given'}`,
        );
      if (Date.now() > until)
        throw new FlinkEngineError(`the Flink job had not finished after ${deadlineMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  view(): EngineView {
    return { kind: 'flink', status: this.status };
  }

  replay(): Promise<ReplayProgress> {
    return Promise.reject(
      engineCannot('flink', 'a replay', 'switch to the built-in engine to recompute windows'),
    );
  }

  replayProgress(): ReplayProgress | null {
    return null;
  }

  generateHistory(): Promise<HistoryStatus> {
    return Promise.reject(
      engineCannot('flink', 'generating history', 'switch to the built-in engine first'),
    );
  }

  switchLog(): Promise<void> {
    return Promise.reject(
      engineCannot(
        'flink',
        'switching the event log',
        'the job reads its Kafka topic; switch to the built-in engine first',
      ),
    );
  }

  private jobInputs(log: Extract<LogBackend, { kind: 'kafka' }>): FlinkJobInputs {
    const { connection } = this.context.database;
    return {
      jobName: this.jobName,
      kafka: { connection: log.connection, topic: log.topic },
      database: {
        url: connection.url,
        password: connection.password ?? null,
        ca: connection.ca ?? null,
      },
      engine: this.context.config,
      checkpointIntervalMs: this.settings.checkpointIntervalMs,
      parallelism: this.settings.parallelism,
      bounded: this.options.bounded !== undefined,
    };
  }
}

/** One job per topic (and one bounded run): the name tells it apart on a shared cluster. */
export function flinkJobName(log: LogBackend, bounded = false): string {
  const name = bounded ? 'streampulse-run' : 'streampulse-engine';
  return log.kind === 'kafka' ? `${name} ${log.topic.topic}` : name;
}

/** Cancels the job (an interrupted bounded run: it is submitted again by the next one). */
export async function cancelFlinkJob(engine: FlinkEngine): Promise<void> {
  const { jobId } = engine.view().status as FlinkJobStatus;
  if (jobId) await new FlinkRest(engine.restUrl).cancel(jobId).catch(() => undefined);
}

function clusterOf(overview: {
  taskmanagers: number;
  'slots-total': number;
  'flink-version': string;
}) {
  return {
    taskManagers: overview.taskmanagers,
    slots: overview['slots-total'],
    version: overview['flink-version'],
  };
}
