import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS_CATALOGUE } from '../../shared/settings/schema';
import { useTempDirs } from '../../../tests/support/temp-dir';
import { UsageError } from './cli-io';
import { ENGINE_OPTIONS } from './engine-options';
import { DATABASE_OPTIONS } from './database-options';
import { LOG_OPTIONS } from './log-options';
import { overridesFromFlags, settingsUsageError } from './settings-flags';

const tempDir = useTempDirs();

describe('overridesFromFlags (from the settings catalogue)', () => {
  it('maps each flag to its setting, with what it implies', () => {
    expect(
      overridesFromFlags({
        'kafka-brokers': 'k1:9092, k2:9092',
        'kafka-topic': 'demo',
        partitions: '6',
        rate: '250',
        seed: 'abc',
        window: '10s',
        'database-url': 'postgres://app@db/sp',
      }),
    ).toEqual({
      log: {
        backend: 'kafka',
        partitions: 6,
        kafka: { brokers: ['k1:9092', 'k2:9092'], topic: 'demo' },
      },
      postgres: { mode: 'url', url: 'postgres://app@db/sp' },
      generator: { ratePerSecond: 250, seed: 'abc' },
      engine: { windowSizeMs: 10_000 },
    });
    expect(overridesFromFlags({})).toEqual({});
  });

  it('reads a CA flag as the file it names, and turns TLS on for Kafka', () => {
    const file = join(tempDir(), 'ca.pem');
    writeFileSync(file, 'PEM TEXT');
    expect(overridesFromFlags({ 'kafka-ca': file, 'postgres-ca': file })).toEqual({
      log: { kafka: { ca: 'PEM TEXT', tls: true } },
      postgres: { ca: 'PEM TEXT' },
    });
  });

  it("checks numbers against the catalogue's bounds, naming the flag", () => {
    expect(() => overridesFromFlags({ partitions: '257' })).toThrow(
      new UsageError('--partitions must be a whole number from 1 to 256, got "257"'),
    );
    expect(() => overridesFromFlags({ rate: '0.01' })).toThrow(
      /^--rate must be a number from 0.1 to 10000000/,
    );
    expect(() => overridesFromFlags({ window: '25h' })).toThrow(/^--window /);
  });

  it('names only flags the commands accept', () => {
    const accepted = new Set([
      ...Object.keys(LOG_OPTIONS),
      ...Object.keys(DATABASE_OPTIONS),
      ...Object.keys(ENGINE_OPTIONS),
      'rate',
      'seed',
      'window',
    ]);
    const flags = SETTINGS_CATALOGUE.flatMap((entry) => (entry.flag ? [entry.flag.slice(2)] : []));
    expect(flags.length).toBeGreaterThan(10);
    expect(flags.filter((flag) => !accepted.has(flag))).toEqual([]);
  });
});

describe('settingsUsageError', () => {
  it('names the flag and variable that set a field, else the settings file', () => {
    const error = settingsUsageError([
      { field: 'log.kafka.brokers', message: '"b" has no port' },
      { field: 'generator.ratePerSecond', message: 'must be from 0.1' },
      { field: 'secrets.kafkaPassword', message: 'is missing' },
      { field: 'log.kafka.clientId', message: 'use letters' },
    ]);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message.split('\n')).toEqual([
      '--kafka-brokers (or STREAMPULSE_KAFKA_BROKERS): "b" has no port',
      '--rate (or STREAMPULSE_RATE): must be from 0.1',
      'STREAMPULSE_KAFKA_PASSWORD or --kafka-password-file: is missing',
      'log.kafka.clientId (in settings.json): use letters',
    ]);
  });
});
