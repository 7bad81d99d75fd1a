/**
 * The engine worker: tails the event log (read-only), runs the windowing and alert engine and
 * commits checkpoints to Postgres, off the main thread. On stop it drains what the log holds and
 * writes a final checkpoint.
 */
import { workerData } from 'node:worker_threads';
import pg from 'pg';
import { logDirOf } from '../data-dir';
import type { EngineConfig } from '../engine/engine-config';
import { EngineRunner, type RunnerStats } from '../engine/engine-runner';
import { EmbeddedEventLog } from '../log/embedded-event-log';
import { createLogger } from '../logger';
import { CheckpointStore } from '../store/checkpoint-store';
import { serveWorker } from './worker-runtime';

export interface EngineWorkerData {
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly config: EngineConfig;
  readonly groupId: string;
}

export interface EngineStatus extends RunnerStats {
  /** Records in the log not yet consumed, per partition. */
  readonly lag: readonly number[];
}

/** Pause between polls when the engine has caught up with the log. */
const IDLE_POLL_MS = 100;

serveWorker<never, EngineStatus>(async () => {
  const data = workerData as EngineWorkerData;
  const logger = createLogger({ component: 'engine' });
  const log = await EmbeddedEventLog.open({ dir: logDirOf(data.dataDir), readOnly: true, logger });
  const pool = new pg.Pool({ connectionString: data.databaseUrl, max: 2 });
  const runner = new EngineRunner({
    log,
    checkpoints: new CheckpointStore(pool, data.groupId),
    config: data.config,
    logger,
    now: Date.now,
    groupId: data.groupId,
  });
  await runner.start();
  let endOffsets: readonly number[] = [];
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      try {
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
        lag: stats.engine.partitions.map((p, i) =>
          Math.max(0, (endOffsets[i] ?? 0) - p.nextOffset),
        ),
      };
    },
    handle: () => {
      throw new Error('the engine worker takes no commands');
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
