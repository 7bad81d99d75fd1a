/**
 * Opens the configured event log: embedded (files under the data dir) or Apache Kafka. What is
 * passed here is plain data, so the worker threads receive it and open their own.
 */
import { logDirOf } from '../data-dir';
import { EmbeddedEventLog } from './embedded-event-log';
import type { EventLog } from './event-log';
import type { KafkaConnection, KafkaTopicSettings } from './kafka-settings';
import type { LogWarningSink } from './log-errors';
import type { PartitionerName } from './partitioner';

export type LogBackend =
  | {
      readonly kind: 'embedded';
      readonly dataDir: string;
      readonly partitions: number | undefined;
      readonly partitioner: PartitionerName | undefined;
    }
  | {
      readonly kind: 'kafka';
      readonly connection: KafkaConnection;
      readonly topic: KafkaTopicSettings;
    };

export interface OpenLogOptions {
  /** Only read (the engine, `events export`): no writer lock, no truncation. */
  readonly readOnly?: boolean;
  /** Only write (the generator): for Kafka, no consumer joins the engine's group. */
  readonly produceOnly?: boolean;
  readonly logger?: LogWarningSink;
}

export async function openEventLog(
  backend: LogBackend,
  options: OpenLogOptions = {},
): Promise<EventLog> {
  if (backend.kind === 'kafka') {
    // Loaded when used: the Kafka client is 11 MB of heap in every thread that imports it, and
    // the embedded log (the default) needs none of it.
    const { KafkaEventLog } = await import('./kafka-event-log');
    return KafkaEventLog.open(backend.connection, backend.topic, { consume: !options.produceOnly });
  }
  return EmbeddedEventLog.open({
    dir: logDirOf(backend.dataDir),
    partitions: backend.partitions,
    partitioner: backend.partitioner,
    readOnly: options.readOnly ?? false,
    ...(options.logger ? { logger: options.logger } : {}),
  });
}

/** Where the log is, for people: "embedded log in DIR" or "Kafka topic T on BROKERS". */
export function describeLog(backend: LogBackend): string {
  return backend.kind === 'kafka'
    ? `Kafka topic ${backend.topic.topic} on ${backend.connection.brokers.join(', ')}`
    : `embedded log in ${logDirOf(backend.dataDir)}`;
}

/**
 * What a checkpoint's offsets are offsets *in*: one embedded log (its id, made with it: see
 * topic-meta.ts), or one topic on one cluster (brokers sorted: the same cluster listed in another
 * order is the same log). `log` is the opened log; without it, or for an embedded log from before
 * ids opened read-only, an embedded log is known by its directory, as it was before ids.
 */
export function logIdentity(backend: LogBackend, log?: EventLog): string {
  if (backend.kind === 'kafka')
    return `kafka:${[...backend.connection.brokers].sort().join(',')}/${backend.topic.topic}`;
  const id = log instanceof EmbeddedEventLog ? log.id : undefined;
  return id === undefined ? legacyLogIdentity(backend) : `embedded:${id}`;
}

/**
 * How checkpoints from before embedded logs had ids name this log (its directory). Such a
 * checkpoint is taken as this log's, as it was then; the next checkpoint records the id.
 */
export function legacyLogIdentity(backend: LogBackend): string {
  return backend.kind === 'kafka' ? logIdentity(backend) : `embedded:${logDirOf(backend.dataDir)}`;
}
