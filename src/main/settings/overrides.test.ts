import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { FieldsValidationError, ValidationError } from '../../shared/validation-error';
import { applyOverrides, mergeOverrides, settingsFromEnv } from './overrides';

describe('applyOverrides', () => {
  it('changes nothing without overrides', () => {
    expect(applyOverrides(DEFAULT_SETTINGS, {})).toEqual({
      settings: DEFAULT_SETTINGS,
      overridden: [],
      secrets: {},
    });
  });

  it('sets the given values and lists their paths', () => {
    const { settings, overridden } = applyOverrides(DEFAULT_SETTINGS, {
      log: { backend: 'kafka', kafka: { brokers: ['k1:9092', 'k2:9092'], topic: 'demo' } },
      generator: { ratePerSecond: 500, seed: 'abc' },
      engine: { windowSizeMs: 10_000 },
    });
    expect(settings.log).toEqual({
      ...DEFAULT_SETTINGS.log,
      backend: 'kafka',
      kafka: { ...DEFAULT_SETTINGS.log.kafka, brokers: ['k1:9092', 'k2:9092'], topic: 'demo' },
    });
    expect(settings.generator).toEqual({
      ...DEFAULT_SETTINGS.generator,
      ratePerSecond: 500,
      seed: 'abc',
    });
    expect(settings.engine.windowSizeMs).toBe(10_000);
    expect(settings.engine.alertRules).toEqual(DEFAULT_SETTINGS.engine.alertRules);
    expect(overridden).toEqual([
      'log.backend',
      'log.kafka.brokers',
      'log.kafka.topic',
      'generator.ratePerSecond',
      'generator.seed',
      'engine.windowSizeMs',
    ]);
  });

  it('uses a postgres url, taking its password out of the settings', () => {
    const result = applyOverrides(DEFAULT_SETTINGS, {
      postgres: { url: 'postgres://app:Zq%24%24@db.example.com/sp?sslmode=require' },
    });
    expect(result.settings.postgres).toEqual({
      ...DEFAULT_SETTINGS.postgres,
      mode: 'url',
      url: 'postgres://app@db.example.com/sp?sslmode=require',
    });
    expect(result.secrets).toEqual({ postgresPassword: 'Zq$$' });
    expect(result.overridden).toEqual(['postgres.url', 'postgres.mode']);
    expect(JSON.stringify(result.settings)).not.toContain('Zq');
  });

  it('throws every invalid overridden value', () => {
    const error = (() => {
      try {
        applyOverrides(DEFAULT_SETTINGS, {
          log: { backend: 'kafka', kafka: { brokers: ['no-port'] } },
          generator: { ratePerSecond: 0 },
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(FieldsValidationError);
    expect((error as FieldsValidationError).errors.map((e) => e.field)).toEqual([
      'log.kafka.brokers',
      'generator.ratePerSecond',
    ]);
  });

  it('does not change the settings it is given', () => {
    const before = structuredClone(DEFAULT_SETTINGS);
    applyOverrides(DEFAULT_SETTINGS, { generator: { ratePerSecond: 7 } });
    expect(DEFAULT_SETTINGS).toEqual(before);
  });
});

describe('mergeOverrides', () => {
  it('lets later layers win, field by field', () => {
    expect(
      mergeOverrides(
        {
          log: { kafka: { brokers: ['env:9092'], topic: 'env-topic' } },
          generator: { ratePerSecond: 5 },
        },
        { log: { kafka: { brokers: ['flag:9092'] } }, engine: { windowSizeMs: 1000 } },
        { generator: { ratePerSecond: undefined } },
      ),
    ).toEqual({
      log: { kafka: { brokers: ['flag:9092'], topic: 'env-topic' } },
      generator: { ratePerSecond: 5 },
      engine: { windowSizeMs: 1000 },
    });
  });
});

describe('settingsFromEnv', () => {
  it('reads the documented variables', () => {
    expect(
      settingsFromEnv({
        STREAMPULSE_KAFKA_BROKERS: 'k1:9092, k2:9092',
        STREAMPULSE_KAFKA_TOPIC: 'events',
        DATABASE_URL: 'postgres://u@h/db',
        STREAMPULSE_RATE: '1_000',
      }),
    ).toEqual({
      log: { backend: 'kafka', kafka: { brokers: ['k1:9092', 'k2:9092'], topic: 'events' } },
      postgres: { mode: 'url', url: 'postgres://u@h/db' },
      generator: { ratePerSecond: 1000 },
    });
  });

  it('ignores unset and empty variables', () => {
    expect(settingsFromEnv({})).toEqual({});
    expect(settingsFromEnv({ DATABASE_URL: '', STREAMPULSE_RATE: ' ' })).toEqual({});
  });

  it('sets the topic without switching to Kafka', () => {
    expect(settingsFromEnv({ STREAMPULSE_KAFKA_TOPIC: 't' })).toEqual({
      log: { kafka: { topic: 't' } },
    });
  });

  it('names the variable of a value that is not a number', () => {
    expect(() => settingsFromEnv({ STREAMPULSE_RATE: 'fast' })).toThrow(ValidationError);
    expect(() => settingsFromEnv({ STREAMPULSE_RATE: 'fast' })).toThrow(/^STREAMPULSE_RATE: /);
  });

  it('leaves range checks to applyOverrides', () => {
    const overrides = settingsFromEnv({ STREAMPULSE_RATE: '0', STREAMPULSE_KAFKA_BROKERS: 'a:1,' });
    expect(() => applyOverrides(DEFAULT_SETTINGS, overrides)).toThrow(FieldsValidationError);
  });
});
