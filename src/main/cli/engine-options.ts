/**
 * The engine flags `serve` and `run` share: which engine windows the events (ours in this
 * process, or a job on an Apache Flink cluster) and where the Flink cluster is. They override the
 * data dir's settings.json for one run, like the log and database flags.
 */
import { ENGINE_KINDS } from '../../shared/settings/catalogue';
import type { LogBackend } from '../log/open-event-log';
import type { EngineKind } from '../runtime/stream-engine';
import { UsageError } from './cli-io';
import type { FlagTable } from './cli-options';
import { settingFlag } from './settings-flags';

export const ENGINE_OPTIONS = {
  engine: settingFlag('engine', {
    value: 'KIND',
    description: 'builtin (in this process) or flink (a job on a Flink cluster; needs Kafka)',
    choices: ENGINE_KINDS,
  }),
  'flink-rest': settingFlag('flink-rest', {
    value: 'URL',
    description: "the Flink JobManager's REST address, e.g. http://127.0.0.1:8081",
  }),
  'flink-parallelism': settingFlag('flink-parallelism', {
    value: 'N',
    description: "the Flink job's parallelism (useful up to the partition count)",
  }),
} as const satisfies FlagTable;

/** Flink reads the events from Kafka: the embedded log is refused before anything starts. */
export function requireEngineFits(engineKind: EngineKind | undefined, log: LogBackend): void {
  if (engineKind === 'flink' && log.kind !== 'kafka')
    throw new UsageError(
      '--engine flink reads the events from Apache Kafka: add --kafka-brokers HOST:PORT (the embedded log is not reachable from a Flink cluster)',
    );
}
