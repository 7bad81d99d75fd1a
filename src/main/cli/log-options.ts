/**
 * Options every command that touches the event log shares: the data dir, the embedded log's shape,
 * and Apache Kafka (`--kafka-brokers` switches the log to Kafka). Secrets never come as flags: the
 * Kafka password comes from STREAMPULSE_KAFKA_PASSWORD or a 0600 file.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultDataDir } from '../data-dir';
import type { EventLog } from '../log/event-log';
import {
  DEFAULT_KAFKA_COMPRESSION,
  DEFAULT_KAFKA_TOPIC,
  KAFKA_COMPRESSIONS,
  SASL_MECHANISMS,
  type SaslMechanism,
} from '../log/kafka-settings';
import { openEventLog, type LogBackend } from '../log/open-event-log';
import { isPartitionerName, PARTITIONER_NAMES, type PartitionerName } from '../log/partitioner';
import type { Logger } from '../logger';
import { UsageError } from './cli-io';
import { parseChoice, parseInteger } from './option-parsers';

export const LOG_OPTIONS = {
  'data-dir': { type: 'string' },
  partitions: { type: 'string' },
  partitioner: { type: 'string' },
  'kafka-brokers': { type: 'string' },
  'kafka-topic': { type: 'string' },
  'kafka-compression': { type: 'string' },
  'kafka-tls': { type: 'boolean' },
  'kafka-ca': { type: 'string' },
  'kafka-sasl': { type: 'string' },
  'kafka-username': { type: 'string' },
  'kafka-password-file': { type: 'string' },
} as const;

export const LOG_OPTIONS_HELP = `  --data-dir DIR        where data lives (default: $STREAMPULSE_DATA_DIR, else the OS's app data dir)
  --partitions N        partitions of a new log or topic (default 3; an existing log keeps its own)
  --partitioner NAME    ${PARTITIONER_NAMES.join(' | ')}: how regions map to partitions (default region)
  --kafka-brokers LIST  use Apache Kafka as the event log: host:port[,host:port...]
  --kafka-topic NAME    the topic (default ${DEFAULT_KAFKA_TOPIC.topic}; created if missing)
  --kafka-compression C ${KAFKA_COMPRESSIONS.join(' | ')}: how our producer compresses record
                        batches (default ${DEFAULT_KAFKA_COMPRESSION}; every codec is read)
  --kafka-tls           connect with TLS; --kafka-ca FILE for a CA certificate (PEM) that is not public
  --kafka-sasl MECH     ${SASL_MECHANISMS.join(' | ')}, with --kafka-username NAME; the password from
                        $STREAMPULSE_KAFKA_PASSWORD or --kafka-password-file FILE (mode 0600)`;

export interface LogSettings {
  readonly dataDir: string;
  /** For a new log; undefined: 3, or what an existing log has. */
  readonly partitions: number | undefined;
  /** For a new log; undefined: `region`, or what an existing log has. */
  readonly partitioner: PartitionerName | undefined;
  /** Where the events go: embedded under the data dir, or Kafka. */
  readonly backend: LogBackend;
}

type LogValues = {
  readonly [K in keyof typeof LOG_OPTIONS]?: (typeof LOG_OPTIONS)[K]['type'] extends 'boolean'
    ? boolean
    : string;
};

export function logSettingsFrom(values: LogValues, env: NodeJS.ProcessEnv): LogSettings {
  const partitioner = values.partitioner;
  if (partitioner !== undefined && !isPartitionerName(partitioner)) {
    throw new UsageError(
      `--partitioner must be one of ${PARTITIONER_NAMES.join(', ')}, got "${partitioner}"`,
    );
  }
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir(env));
  const partitions = parseInteger('partitions', values.partitions, 1, 256);
  const backend: LogBackend = values['kafka-brokers']
    ? kafkaBackend(values, env, partitions, partitioner)
    : { kind: 'embedded', dataDir, partitions, partitioner };
  return { dataDir, partitions, partitioner, backend };
}

function kafkaBackend(
  values: LogValues,
  env: NodeJS.ProcessEnv,
  partitions: number | undefined,
  partitioner: PartitionerName | undefined,
): LogBackend {
  const brokers = values['kafka-brokers']!.split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0 || brokers.some((b) => !/^[^\s:]+:\d{1,5}$/.test(b))) {
    throw new UsageError(
      `--kafka-brokers takes host:port[,host:port...], got "${values['kafka-brokers']}"`,
    );
  }
  const mechanism = parseChoice('kafka-sasl', values['kafka-sasl'], SASL_MECHANISMS) as
    SaslMechanism | undefined;
  let sasl: { mechanism: SaslMechanism; username: string; password: string } | undefined;
  if (mechanism) {
    if (!values['kafka-username']) throw new UsageError('--kafka-sasl needs --kafka-username');
    sasl = { mechanism, username: values['kafka-username'], password: kafkaPassword(values, env) };
  }
  const ca = values['kafka-ca'] ? readFileSync(resolve(values['kafka-ca']), 'utf8') : undefined;
  const tls = values['kafka-tls'] || ca ? { ...(ca ? { ca } : {}) } : false;
  return {
    kind: 'kafka',
    connection: { brokers, tls, ...(sasl ? { sasl } : {}) },
    topic: {
      ...DEFAULT_KAFKA_TOPIC,
      topic: values['kafka-topic'] ?? DEFAULT_KAFKA_TOPIC.topic,
      compression:
        parseChoice('kafka-compression', values['kafka-compression'], KAFKA_COMPRESSIONS) ??
        DEFAULT_KAFKA_COMPRESSION,
      partitions: partitions ?? DEFAULT_KAFKA_TOPIC.partitions,
      partitioner: partitioner ?? 'region',
    },
  };
}

function kafkaPassword(values: LogValues, env: NodeJS.ProcessEnv): string {
  const file = values['kafka-password-file'];
  if (file) {
    const path = resolve(file);
    if ((statSync(path).mode & 0o077) !== 0) {
      throw new UsageError(`--kafka-password-file ${path} is readable by others: chmod 600 it`);
    }
    return readFileSync(path, 'utf8').trim();
  }
  if (env.STREAMPULSE_KAFKA_PASSWORD) return env.STREAMPULSE_KAFKA_PASSWORD;
  throw new UsageError(
    '--kafka-sasl needs a password: set STREAMPULSE_KAFKA_PASSWORD or give --kafka-password-file',
  );
}

export function openLog(
  settings: LogSettings,
  logger: Logger,
  readOnly = false,
): Promise<EventLog> {
  return openEventLog(settings.backend, { readOnly, logger });
}
