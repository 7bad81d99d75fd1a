/**
 * From Settings (and the secrets) to what the pipeline's parts take: the event log's backend, the
 * engine's config, the database to open; and a description for logs. Pure.
 */
import type { Settings } from '../../shared/settings';
import { splitPasswordFromUrl, urlWithPassword } from '../../shared/postgres-url';
import { ValidationError } from '../../shared/validation-error';
import { engineConfig, type EngineConfig } from '../engine/engine-config';
import type { FlinkEngineSettings } from './stream-engine';
import { DEFAULT_KAFKA_TOPIC, type KafkaConnection } from '../log/kafka-settings';
import type { LogBackend } from '../log/open-event-log';
import type { DatabaseTarget } from '../store/database-target';

/**
 * The event log the settings describe. Kafka with SASL needs `kafkaPassword` (ValidationError on
 * `secrets.kafkaPassword` without it). The CA applies only with TLS on. `partitions` is passed as
 * set: an existing embedded log or topic with another count is refused by the log, with a message.
 */
export function logBackendOf(
  settings: Settings,
  dataDir: string,
  kafkaPassword: string | undefined,
): LogBackend {
  const { log } = settings;
  if (log.backend === 'embedded') {
    return {
      kind: 'embedded',
      dataDir,
      partitions: log.partitions,
      partitioner: log.partitioner,
    };
  }
  const { kafka } = log;
  let sasl: KafkaConnection['sasl'];
  if (kafka.sasl !== 'none') {
    if (kafkaPassword === undefined || kafkaPassword === '') {
      throw new ValidationError(
        'secrets.kafkaPassword',
        `Kafka SASL (${kafka.sasl}) needs a password: enter it in the settings, or set STREAMPULSE_KAFKA_PASSWORD`,
      );
    }
    sasl = { mechanism: kafka.sasl, username: kafka.username, password: kafkaPassword };
  }
  const connection: KafkaConnection = {
    brokers: [...kafka.brokers],
    clientId: kafka.clientId,
    tls: kafka.tls ? (kafka.ca !== null ? { ca: kafka.ca } : {}) : false,
    ...(sasl ? { sasl } : {}),
  };
  return {
    kind: 'kafka',
    connection,
    topic: {
      ...DEFAULT_KAFKA_TOPIC,
      topic: kafka.topic,
      compression: kafka.compression,
      partitions: log.partitions,
      partitioner: log.partitioner,
    },
  };
}

/** The Flink engine's settings; null until a JobManager REST URL is set. */
export function flinkSettingsOf(settings: Settings): FlinkEngineSettings | null {
  const { flink } = settings.engine;
  return flink.restUrl === ''
    ? null
    : {
        restUrl: flink.restUrl,
        parallelism: flink.parallelism,
        checkpointIntervalMs: flink.checkpointIntervalMs,
      };
}

/** The engine's config from the settings (idleTimeoutMs keeps its default). */
export function engineConfigOf(settings: Settings): EngineConfig {
  const { engine } = settings;
  return engineConfig({
    windowSizeMs: engine.windowSizeMs,
    outOfOrdernessMs: engine.outOfOrdernessMs,
    allowedLatenessMs: engine.allowedLatenessMs,
    maxFutureMs: engine.maxFutureMs,
    alertRules: engine.alertRules.map((rule) => ({ ...rule })),
  });
}

/**
 * The database to open. For a URL the password is the one in the URL if it has one (e.g. from
 * DATABASE_URL), else `postgresPassword` (the secret); none is fine (trust, .pgpass, PGPASSWORD).
 */
export function databaseTargetOf(
  settings: Settings,
  dataDir: string,
  postgresPassword: string | undefined,
): DatabaseTarget {
  const { postgres } = settings;
  if (postgres.mode === 'embedded') return { kind: 'embedded', dataDir, poolMax: postgres.poolMax };
  const { password } = splitPasswordFromUrl(postgres.url);
  return {
    kind: 'url',
    url: password !== null ? postgres.url : urlWithPassword(postgres.url, postgresPassword),
    ca: postgres.ca,
    poolMax: postgres.poolMax,
  };
}

/** One line for logs and the console; never contains a password. */
export function describeSettings(settings: Settings): string {
  const { log, postgres, generator, engine } = settings;
  let logText: string;
  if (log.backend === 'kafka') {
    const extras = [
      log.kafka.tls ? `TLS${log.kafka.ca !== null ? ' with a custom CA' : ''}` : 'no TLS',
      log.kafka.sasl !== 'none' ? `SASL ${log.kafka.sasl} as ${log.kafka.username}` : 'no SASL',
    ];
    logText = `Kafka topic ${log.kafka.topic} on ${log.kafka.brokers.join(', ')} (${extras.join(', ')})`;
  } else {
    logText = `embedded log`;
  }
  logText += `, ${log.partitions} partitions by ${log.partitioner}`;
  const database =
    postgres.mode === 'url'
      ? `PostgreSQL at ${splitPasswordFromUrl(postgres.url).url}`
      : 'embedded PostgreSQL';
  const seed = generator.seed === null ? 'a new seed' : `seed ${generator.seed}`;
  const rules = engine.alertRules.length;
  return (
    `log: ${logText}; database: ${database} (pool ${postgres.poolMax}); ` +
    `generator: ${generator.ratePerSecond} events/s, ${seed}; ` +
    `engine: ${engine.windowSizeMs / 1000} s windows, ${rules} alert rule${rules === 1 ? '' : 's'}`
  );
}

/**
 * Dotted paths of the settings that differ between `before` and `after` (lists compare as a
 * whole, e.g. `engine.alertRules`): for deciding what to restart or apply.
 */
export function changedSettings(before: Settings, after: Settings): string[] {
  const changed: string[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (isPlainObject(a) && isPlainObject(b)) {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const key of keys) walk(a[key], b[key], path ? `${path}.${key}` : key);
    } else if (JSON.stringify(a) !== JSON.stringify(b)) {
      changed.push(path);
    }
  };
  walk(before, after, '');
  return changed;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
