/**
 * Helpers for the Flink engine's tests: the built-in engine over the same Kafka topic into its
 * own embedded database (the cross-check's other side), a Kafka log backend for a topic, and the
 * EngineContext a FlinkEngine is started with.
 */
import { engineConfig, type EngineConfig } from '../../src/main/engine/engine-config';
import { DEFAULT_KAFKA_TOPIC } from '../../src/main/log/kafka-settings';
import { openEventLog, type LogBackend } from '../../src/main/log/open-event-log';
import { silentLogger } from '../../src/main/logger';
import { EngineRunner } from '../../src/main/runtime/engine-runner';
import type { EngineContext, FlinkEngineSettings } from '../../src/main/runtime/stream-engine';
import { CheckpointStore } from '../../src/main/store/checkpoint-store';
import { openDatabase, type Database } from '../../src/main/store/database';

/** The windows `streampulse run` uses by default. */
export const RUN_CONFIG: EngineConfig = engineConfig({
  windowSizeMs: 60_000,
  allowedLatenessMs: 60_000,
});

export function kafkaLog(brokers: string, topic: string): Extract<LogBackend, { kind: 'kafka' }> {
  return {
    kind: 'kafka',
    connection: { brokers: [brokers] },
    topic: { ...DEFAULT_KAFKA_TOPIC, topic, partitions: 3, partitioner: 'region' },
  };
}

export function openEmbedded(dataDir: string): Promise<Database> {
  return openDatabase({ kind: 'embedded', dataDir, logger: silentLogger });
}

/**
 * The built-in engine over the whole topic into `database`, as `run` drives it: every record
 * read, then every window finalized (`flush`), in virtual time (no partition goes idle).
 */
export async function builtinOverTopic(
  log: LogBackend,
  database: Database,
  config: EngineConfig = RUN_CONFIG,
): Promise<void> {
  const eventLog = await openEventLog(log, { readOnly: true });
  try {
    const runner = new EngineRunner({
      log: eventLog,
      checkpoints: new CheckpointStore(database.pool, 'cross-check'),
      config,
      logger: silentLogger,
      now: () => 0,
    });
    await runner.start();
    await runner.drain(new AbortController().signal);
    await runner.flush();
  } finally {
    await eventLog.close();
  }
}

export function flinkContext(
  log: LogBackend,
  database: Database,
  flink: FlinkEngineSettings,
  config: EngineConfig = RUN_CONFIG,
): EngineContext {
  return {
    log,
    database,
    config,
    runStartOffsets: [],
    workersDir: '',
    logger: silentLogger,
    flink,
  };
}
