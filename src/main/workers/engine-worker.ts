/**
 * The engine worker: tails the event log (read-only), runs the windowing and alert engine and
 * commits checkpoints to Postgres, off the main thread. On stop it drains what the log holds and
 * writes a final checkpoint.
 */
import { workerData } from 'node:worker_threads';
import pg from 'pg';
import { EngineRunner, type RunnerStats } from '../runtime/engine-runner';
import type { EngineCommand, EngineReplies, EngineWorkerData } from '../protocol/commands';
import type { EngineStatus } from '../protocol/statuses';
import type { WindowRows } from '../engine/window-rows';
import type { EventLog, PartitionOffset } from '../log/event-log';
import {
  legacyLogIdentity,
  logIdentity,
  openEventLog,
  type LogBackend,
} from '../log/open-event-log';
import { createLogger } from '../logger';
import { CheckpointTimings } from '../metrics/checkpoint-metrics';
import { CheckpointStore } from '../store/checkpoint-store';
import { OutageReporter, type OutageLine } from '../store/outage-reporter';
import { postgresPoolConfig } from '../store/postgres-connection';
import { explainPostgresError } from '../store/postgres-errors';
import { serveWorker } from './worker-runtime';
import { ConflictError } from '../../shared/errors';
import { HistoryJob, idleHistory } from '../runtime/history-job';
import { cachedPartitioner, partitionerFor } from '../log/partitioner';

/** Pause between polls when the engine has caught up with the log. */
const IDLE_POLL_MS = 100;

serveWorker<EngineCommand, EngineReplies, EngineStatus>(async () => {
  const data = workerData as EngineWorkerData;
  const logger = createLogger({ component: 'engine' });
  let log = await openEventLog(data.log, { readOnly: true, logger });
  // The same TLS, timeouts and password as the main thread's pool; 2 connections are enough.
  const poolConfig = postgresPoolConfig({ ...data.database, poolMax: 2 });
  const pool = new pg.Pool(poolConfig);
  // An outage in a few lines a person can read (store/outage-reporter.ts), not an error a second.
  const outage = new OutageReporter();
  const report = (line: OutageLine | null): void => {
    if (line) logger[line.level](line.msg, line.fields);
  };
  const databaseFailed = (error: unknown): void =>
    report(outage.failed(Date.now(), explainPostgresError(error, poolConfig).message));
  // A lost idle connection (the database restarting) must not crash the worker: the loop retries.
  pool.on('error', databaseFailed);
  const store = new CheckpointStore(pool, data.groupId);
  const checkpointTimings = new CheckpointTimings();
  const runner = new EngineRunner({
    log,
    checkpoints: store,
    config: data.config,
    logger,
    now: Date.now,
    groupId: data.groupId,
    logId: logIdentity(data.log, log),
    logAliases: [legacyLogIdentity(data.log)],
    ...(data.runStartOffsets ? { runStartOffsets: data.runStartOffsets } : {}),
    onCheckpoint: (ms) => checkpointTimings.observe(ms),
  });
  await runner.start();
  let endOffsets: readonly number[] = [];
  let endOffsetsAt: number | null = null;
  /** Records in the log not yet consumed, per partition, as of the last end offsets read. */
  const lagOf = (stats: RunnerStats): number[] =>
    stats.engine.partitions.map((p, i) => Math.max(0, (endOffsets[i] ?? 0) - p.nextOffset));
  let stopping = false;
  // Requests that change the engine's state run between loop iterations, never during a poll.
  const jobs: { history: HistoryJob | null } = { history: null };
  const requests: Array<{
    kind: 'replay' | 'switchLog';
    run: () => Promise<unknown>;
    done: (result: unknown) => void;
    fail: (err: unknown) => void;
  }> = [];
  const enqueue = <T>(kind: 'replay' | 'switchLog', run: () => Promise<T>): Promise<T> =>
    new Promise<T>((done, fail) => {
      if (requests.some((r) => r.kind === kind))
        fail(
          new ConflictError(`a ${kind === 'replay' ? 'replay' : 'log switch'} is already waiting`),
        );
      else requests.push({ kind, run, done: done as (value: unknown) => void, fail });
    });
  let backendInUse = data.log;
  /**
   * The old log is read to its end and closed before the new one opens: for Kafka, so that a
   * single consumer of the engine's group is ever subscribed (two would split the partitions).
   * If the new log fails, the old one is opened again and reading goes on where it was.
   */
  const switchLog = async (
    backend: LogBackend,
    drainTo: readonly PartitionOffset[],
    startOffsets: readonly PartitionOffset[],
  ) => {
    const drained = await runner.drainAndCheckpoint(drainTo);
    await log.close();
    let next: EventLog | null = null;
    try {
      next = await openEventLog(backend, { readOnly: true, logger });
      await runner.continueOn(next, logIdentity(backend, next), startOffsets);
    } catch (err) {
      await next?.close();
      // Back to the old log, at the offsets it was drained to (not the new log's).
      log = await openEventLog(backendInUse, { readOnly: true, logger });
      await runner.continueOn(log, logIdentity(backendInUse, log), drained);
      throw err;
    }
    log = next;
    backendInUse = backend;
  };
  const loop = (async () => {
    while (!stopping) {
      // The checkpoint is the step that needs the database: its failures are an outage.
      let checkpointing = false;
      try {
        const request = requests.shift();
        if (request) await request.run().then(request.done, request.fail);
        // History goes a chunk at a time, so live events keep flowing between chunks.
        if (jobs.history && !jobs.history.done) await jobs.history.step();
        const consumed = await runner.poll();
        checkpointing = true;
        // Only a checkpoint that committed proves the database answers (most steps write none).
        const committed = await runner.advance();
        checkpointing = false;
        endOffsets = (await log.endOffsets()).map((p) => p.offset);
        endOffsetsAt = Date.now();
        if (committed && outage.downSinceMs() !== null) {
          const backlog = lagOf(runner.stats()).reduce((sum, lag) => sum + lag, 0);
          report(outage.succeeded(Date.now(), backlog));
        }
        if (consumed === 0) await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
      } catch (err) {
        if (checkpointing) databaseFailed(err);
        else logger.error('engine step failed; retrying', { error: err });
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  })();
  return {
    status: () => {
      const stats = runner.stats();
      return {
        ...stats,
        ...summarizePartial(runner.partialRows()),
        history: jobs.history?.status() ?? idleHistory(),
        lag: lagOf(stats),
        lagAsOf: endOffsetsAt,
        checkpointTimings: checkpointTimings.snapshot(),
      };
    },
    handlers: {
      generateHistory: (command) => {
        if (jobs.history && !jobs.history.done)
          throw new ConflictError('history is already being generated');
        const job = new HistoryJob({
          hours: command.hours,
          ratePerSecond: command.ratePerSecond,
          seed: `history-${Date.now()}`,
          config: data.config,
          partitions: Array.from({ length: log.partitionCount }, (_, p) => p),
          partitionOf: cachedPartitioner(partitionerFor(log.partitioner), log.partitionCount),
          store,
          now: Date.now,
          earliestLiveWindow: () => {
            const starts = runner.partialRows().region.map((r) => r.windowStart);
            return starts.length > 0 ? Math.min(...starts) : null;
          },
        });
        jobs.history = job;
        return job.prepare();
      },
      switchLog: (command) =>
        enqueue('switchLog', () => switchLog(command.log, command.drainTo, command.startOffsets)),
      replay: (command) => enqueue('replay', () => runner.replay(command.from)),
    },
    stop: async () => {
      stopping = true;
      await loop;
      await runner.drain();
      await runner.advance(true);
      await pool.end();
      await log.close();
    },
  };
});

/** Sums the open windows' rows over partitions: small enough to push twice a second. */
function summarizePartial(rows: WindowRows): Pick<EngineStatus, 'partial' | 'partialContent'> {
  const windows = new Map<
    number,
    { windowStart: number; downloads: number; successful: number; failed: number; slow: number }
  >();
  for (const row of rows.region) {
    const w = windows.get(row.windowStart) ?? {
      windowStart: row.windowStart,
      downloads: 0,
      successful: 0,
      failed: 0,
      slow: 0,
    };
    w.downloads += row.total;
    w.successful += row.successful;
    w.failed += row.failed;
    w.slow += row.slow;
    windows.set(row.windowStart, w);
  }
  const content = new Map<
    string,
    { contentId: string; title: string; contentType: string; downloads: number; failed: number }
  >();
  for (const row of rows.content) {
    const c = content.get(row.contentId) ?? {
      contentId: row.contentId,
      title: row.title,
      contentType: row.contentType,
      downloads: 0,
      failed: 0,
    };
    c.downloads += row.downloads;
    c.failed += row.failed;
    content.set(row.contentId, c);
  }
  return {
    partial: [...windows.values()].sort((a, b) => a.windowStart - b.windowStart),
    partialContent: [...content.values()],
  };
}
