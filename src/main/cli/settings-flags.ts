/**
 * `streampulse serve`'s flags as settings overrides for this run: they win over the settings file
 * (and the environment) but are never saved, and the settings page shows them as overridden.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { MAX_RATE, MIN_RATE } from '../generator/rate-pacer';
import type { SettingsOverrides } from '../settings/overrides';
import { UsageError } from './cli-io';
import { parseDuration, parseInteger, parseNumber } from './option-parsers';
import type { LOG_OPTIONS } from './log-options';
import type { SaslMechanismSetting, PartitionerSetting } from '../../shared/settings';

export type FlagValues = {
  readonly [K in keyof typeof LOG_OPTIONS]?: (typeof LOG_OPTIONS)[K]['type'] extends 'boolean'
    ? boolean
    : string;
} & {
  readonly rate?: string;
  readonly seed?: string;
  readonly window?: string;
  readonly 'database-url'?: string;
  readonly 'postgres-ca'?: string;
};

export function overridesFromFlags(values: FlagValues): SettingsOverrides {
  const kafka: Record<string, unknown> = {};
  if (values['kafka-brokers'] !== undefined)
    kafka.brokers = values['kafka-brokers'].split(',').map((b) => b.trim());
  if (values['kafka-topic'] !== undefined) kafka.topic = values['kafka-topic'];
  if (values['kafka-compression'] !== undefined) kafka.compression = values['kafka-compression'];
  if (values['kafka-tls'] !== undefined) kafka.tls = values['kafka-tls'];
  if (values['kafka-ca'] !== undefined) {
    kafka.ca = readFileSync(resolve(values['kafka-ca']), 'utf8');
    kafka.tls = true;
  }
  if (values['kafka-sasl'] !== undefined) kafka.sasl = values['kafka-sasl'] as SaslMechanismSetting;
  if (values['kafka-username'] !== undefined) kafka.username = values['kafka-username'];
  const partitions = parseInteger('partitions', values.partitions, 1, 256);
  const log = {
    ...(values['kafka-brokers'] !== undefined ? { backend: 'kafka' as const } : {}),
    ...(partitions !== undefined ? { partitions } : {}),
    ...(values.partitioner !== undefined
      ? { partitioner: values.partitioner as PartitionerSetting }
      : {}),
    ...(Object.keys(kafka).length > 0 ? { kafka } : {}),
  };
  const rate = parseNumber('rate', values.rate, MIN_RATE, MAX_RATE);
  const windowSizeMs = parseDuration('window', values.window, 1000, 86_400_000);
  return {
    ...(Object.keys(log).length > 0 ? { log } : {}),
    ...(values['database-url'] !== undefined || values['postgres-ca'] !== undefined
      ? {
          postgres: {
            ...(values['database-url'] !== undefined
              ? { mode: 'url' as const, url: values['database-url'] }
              : {}),
            ...(values['postgres-ca'] !== undefined
              ? { ca: readFileSync(resolve(values['postgres-ca']), 'utf8') }
              : {}),
          },
        }
      : {}),
    ...(rate !== undefined || values.seed !== undefined
      ? {
          generator: {
            ...(rate !== undefined ? { ratePerSecond: rate } : {}),
            ...(values.seed !== undefined ? { seed: values.seed } : {}),
          },
        }
      : {}),
    ...(windowSizeMs !== undefined ? { engine: { windowSizeMs } } : {}),
  };
}

/** The Kafka password from `--kafka-password-file` (which must be 0600), for this run only. */
export function passwordFromFile(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const path = resolve(file);
  if ((statSync(path).mode & 0o077) !== 0) {
    throw new UsageError(`--kafka-password-file ${path} is readable by others: chmod 600 it`);
  }
  return readFileSync(path, 'utf8').trim();
}

/** Which flag or variable sets a settings path, to name it in errors. */
const SOURCES: Readonly<Record<string, string>> = {
  'log.kafka.brokers': '--kafka-brokers (or STREAMPULSE_KAFKA_BROKERS)',
  'log.kafka.topic': '--kafka-topic (or STREAMPULSE_KAFKA_TOPIC)',
  'log.kafka.sasl': '--kafka-sasl',
  'log.kafka.compression': '--kafka-compression',
  'log.kafka.username': '--kafka-username',
  'log.kafka.ca': '--kafka-ca',
  'log.partitions': '--partitions',
  'log.partitioner': '--partitioner',
  'postgres.url': '--database-url (or DATABASE_URL)',
  'generator.ratePerSecond': '--rate (or STREAMPULSE_RATE)',
  'generator.seed': '--seed',
  'engine.windowSizeMs': '--window',
  'secrets.kafkaPassword': 'STREAMPULSE_KAFKA_PASSWORD or --kafka-password-file',
};

/** A settings error from flags, environment or the settings file, said in their terms. */
export function settingsUsageError(
  errors: ReadonlyArray<{ readonly field: string; readonly message: string }>,
): UsageError {
  const lines = errors.map(({ field, message }) => {
    const source = SOURCES[field];
    return source ? `${source}: ${message}` : `${field} (in settings.json): ${message}`;
  });
  return new UsageError(lines.join('\n'));
}
