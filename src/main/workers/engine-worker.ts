/**
 * The engine worker: tails the event log (read-only), runs the windowing and alert engine and
 * commits checkpoints to Postgres, off the main thread. On stop it drains what the log holds and
 * writes a final checkpoint.
 */
import { workerData } from 'node:worker_threads';
import pg from 'pg';
import type { EngineConfig } from '../engine/engine-config';
import { EngineRunner, type RunnerStats } from '../engine/engine-runner';
import type { WindowRows } from '../engine/window-rows';
import { openEventLog, type LogBackend } from '../log/open-event-log';
import { createLogger } from '../logger';
import { CheckpointStore } from '../store/checkpoint-store';
import { serveWorker } from './worker-runtime';
import type { HistoryStatus } from '../../shared/api-contract';
import { ConflictError } from '../api/api-errors';
import { HistoryJob, idleHistory } from '../engine/history-job';
import { cachedPartitioner, partitionerFor } from '../log/partitioner';

export interface EngineWorkerData {
  readonly log: LogBackend;
  readonly databaseUrl: string;
  readonly config: EngineConfig;
  readonly groupId: string;
}

export interface EngineStatus extends RunnerStats {
  /** Records in the log not yet consumed, per partition. */
  readonly lag: readonly number[];
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
}

export interface PartialWindow {
  readonly windowStart: number;
  readonly downloads: number;
  readonly successful: number;
  readonly failed: number;
  readonly slow: number;
}

/** Pause between polls when the engine has caught up with the log. */
const IDLE_POLL_MS = 100;

export type EngineCommand =
  | { readonly kind: 'replay'; readonly from: number }
  | { readonly kind: 'generateHistory'; readonly hours: number; readonly ratePerSecond: number };

serveWorker<EngineCommand, EngineStatus>(async () => {
  const data = workerData as EngineWorkerData;
  const logger = createLogger({ component: 'engine' });
  const log = await openEventLog(data.log, { readOnly: true, logger });
  const pool = new pg.Pool({ connectionString: data.databaseUrl, max: 2 });
  const store = new CheckpointStore(pool, data.groupId);
  const runner = new EngineRunner({
    log,
    checkpoints: store,
    config: data.config,
    logger,
    now: Date.now,
    groupId: data.groupId,
  });
  await runner.start();
  let endOffsets: readonly number[] = [];
  let stopping = false;
  // Requests that change the engine's state run between loop iterations, never during a poll.
  const jobs: { history: HistoryJob | null } = { history: null };
  const replays: Array<{
    from: number;
    done: (result: unknown) => void;
    fail: (err: unknown) => void;
  }> = [];
  const loop = (async () => {
    while (!stopping) {
      try {
        const request = replays.shift();
        if (request) await runner.replay(request.from).then(request.done, request.fail);
        // History goes a chunk at a time, so live events keep flowing between chunks.
        if (jobs.history && !jobs.history.done) await jobs.history.step();
        const consumed = await runner.poll();
        await runner.advance();
        endOffsets = (await log.endOffsets()).map((p) => p.offset);
        if (consumed === 0) await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
      } catch (err) {
        logger.error('engine step failed; retrying', { error: err });
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
        lag: stats.engine.partitions.map((p, i) =>
          Math.max(0, (endOffsets[i] ?? 0) - p.nextOffset),
        ),
      };
    },
    handle: async (command) => {
      if (command.kind === 'generateHistory') {
        if (jobs.history && !jobs.history.done)
          throw new ConflictError('history is already being generated');
        const job = new HistoryJob({
          hours: command.hours,
          ratePerSecond: command.ratePerSecond,
          seed: `history-${Date.now()}`,
          config: data.config,
          partitions: Array.from({ length: log.partitionCount }, (_, p) => p),
          partitionOf: cachedPartitioner(partitionerFor(log.partitioner), log.partitionCount),
          pool,
          store,
          now: Date.now,
          earliestLiveWindow: () => {
            const starts = runner.partialRows().region.map((r) => r.windowStart);
            return starts.length > 0 ? Math.min(...starts) : null;
          },
        });
        jobs.history = job;
        return job.prepare();
      }
      return new Promise((done, fail) => {
        if (replays.length > 0) fail(new ConflictError('a replay request is already waiting'));
        else replays.push({ from: command.from, done, fail });
      });
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
