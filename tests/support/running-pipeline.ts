/**
 * A live Pipeline (the built workers of out/main: run `npm run build` or `npm test` first) in the
 * test's process, and the two figures that say whether anything was lost or counted twice: what
 * the generator produced, and what the engine counted (final rows in the database plus its open
 * windows, plus events too late to count).
 */
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { expect } from 'vitest';
import { engineConfig } from '../../src/main/engine/engine-config';
import type { LogBackend } from '../../src/main/log/open-event-log';
import { silentLogger } from '../../src/main/logger';
import type { PipelineStatus } from '../../src/main/protocol/statuses';
import { Pipeline, type PipelineOptions } from '../../src/main/runtime/pipeline';

export const WORKERS_DIR = fileURLToPath(new URL('../../out/main/', import.meta.url));

export function embeddedLog(dataDir: string): LogBackend {
  return { kind: 'embedded', dataDir, partitions: 3, partitioner: 'region' };
}

export function startPipeline(
  options: Partial<PipelineOptions> & Pick<PipelineOptions, 'dataDir'>,
): { pipeline: Pipeline; started: Promise<void> } {
  const pipeline = new Pipeline({
    log: embeddedLog(options.dataDir),
    seed: 'pipeline-test',
    ratePerSecond: 2000,
    database: { kind: 'embedded', dataDir: options.dataDir },
    engine: engineConfig({ windowSizeMs: 2000, allowedLatenessMs: 10_000 }),
    workersDir: WORKERS_DIR,
    logger: silentLogger,
    ...options,
  });
  return { pipeline, started: pipeline.start() };
}

/** Polls the pipeline's status (pushed by its workers twice a second) until `check` holds. */
export async function waitForStatus(
  pipeline: Pipeline,
  check: (status: PipelineStatus) => boolean,
  timeout = 60_000,
): Promise<PipelineStatus> {
  await expect.poll(() => check(pipeline.status()), { timeout, interval: 100 }).toBe(true);
  return pipeline.status();
}

export function produced(status: PipelineStatus): number {
  return status.generator?.generator.produced ?? 0;
}

/**
 * Pauses the generator and waits until the engine has consumed everything it produced. A status
 * that says paused has the final produced count (pause resolves once the last batch is in).
 */
export async function pauseAndDrain(pipeline: Pipeline): Promise<PipelineStatus> {
  await pipeline.control({ kind: 'pause' });
  return waitForStatus(
    pipeline,
    (status) =>
      status.generator?.paused === true &&
      status.engine !== null &&
      status.engine.lag.every((lag) => lag === 0) &&
      status.engine.consumed >= produced(status),
  );
}

/** Downloads the engine has accounted for: final rows in `pool`, open windows, too-late events. */
export async function countedDownloads(pool: pg.Pool, status: PipelineStatus): Promise<number> {
  const final = await pool.query<{ total: string | null }>(
    'SELECT sum(total_downloads)::text AS total FROM region_health',
  );
  const late = await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM late_events');
  const open = (status.engine?.partial ?? []).reduce((sum, w) => sum + w.downloads, 0);
  return Number(final.rows[0]?.total ?? 0) + open + Number(late.rows[0]?.n ?? 0);
}
