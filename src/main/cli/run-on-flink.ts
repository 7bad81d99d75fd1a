/**
 * `run --engine flink`: the run's records go through a bounded job on the Flink cluster instead
 * of the built-in engine. The job reads each partition from where this run's records begin to
 * the topic's end, and finishes when every window is final; the command waits for that, showing
 * Flink's reason if the job fails. Interrupted, the job is cancelled: the same command submits
 * it again and the rows come out the same (full-value upserts).
 */
import type { EngineConfig } from '../engine/engine-config';
import { cancelFlinkJob, FlinkEngine } from '../flink/flink-engine';
import type { LogBackend } from '../log/open-event-log';
import type { Logger } from '../logger';
import type { FlinkEngineSettings } from '../runtime/stream-engine';
import type { Database } from '../store/database';
import { UsageError } from './cli-io';

/** A bounded job of 1M events takes well under a minute here; this catches a stall. */
const RUN_DEADLINE_MS = 30 * 60_000;

export async function runOnFlink(options: {
  readonly flink: FlinkEngineSettings | null;
  readonly log: LogBackend;
  readonly database: Database;
  readonly config: EngineConfig;
  readonly ranges: ReadonlyArray<{ readonly partition: number; readonly from: number }>;
  readonly logger: Logger;
  readonly interrupt: AbortSignal;
  readonly progress?: (line: string) => void;
}): Promise<void> {
  if (!options.flink)
    throw new UsageError(
      "--engine flink needs the Flink JobManager's REST URL: --flink-rest http://HOST:8081 (or STREAMPULSE_FLINK_REST)",
    );
  const engine = new FlinkEngine(
    {
      log: options.log,
      database: options.database,
      config: options.config,
      runStartOffsets: [],
      workersDir: '',
      logger: options.logger,
      flink: options.flink,
    },
    options.flink,
    {
      bounded: {
        startingOffsets: Object.fromEntries(options.ranges.map((r) => [r.partition, r.from])),
      },
    },
  );
  const onAbort = () => void cancelFlinkJob(engine);
  options.interrupt.addEventListener('abort', onAbort);
  try {
    await engine.start();
    await engine.finished(RUN_DEADLINE_MS);
  } finally {
    options.interrupt.removeEventListener('abort', onAbort);
  }
}
