/**
 * The engine over a whole log, as a bounded run does it: start from the checkpoint in `pool`,
 * read to the end of the log, flush every window. Tests and benchmarks pass what differs.
 */
import type pg from 'pg';
import { engineConfig } from '../../src/main/engine/engine-config';
import {
  DEFAULT_GROUP_ID,
  EngineRunner,
  type EngineRunnerOptions,
} from '../../src/main/runtime/engine-runner';
import type { EventLog } from '../../src/main/log/event-log';
import { silentLogger } from '../../src/main/logger';
import { CheckpointStore } from '../../src/main/store/checkpoint-store';

export async function runEngineToEnd(
  pool: pg.Pool,
  log: EventLog,
  options: Partial<Omit<EngineRunnerOptions, 'log' | 'checkpoints'>> = {},
): Promise<EngineRunner> {
  const runner = new EngineRunner({
    config: engineConfig(),
    logger: silentLogger,
    now: () => 0,
    ...options,
    log,
    checkpoints: new CheckpointStore(pool, DEFAULT_GROUP_ID),
  });
  await runner.start();
  await runner.drain();
  await runner.flush();
  return runner;
}
