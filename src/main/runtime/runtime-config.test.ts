import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { ValidationError } from '../../shared/validation-error';
import { DEFAULT_ENGINE_CONFIG } from '../engine/engine-config';
import { DEFAULT_KAFKA_TOPIC } from '../log/kafka-settings';
import {
  changedSettings,
  databaseTargetOf,
  describeSettings,
  engineConfigOf,
  logBackendOf,
} from './runtime-config';

const CA = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';

function kafka(changes: Partial<Settings['log']['kafka']>): Settings {
  return {
    ...DEFAULT_SETTINGS,
    log: {
      ...DEFAULT_SETTINGS.log,
      backend: 'kafka',
      partitions: 6,
      partitioner: 'murmur2',
      kafka: { ...DEFAULT_SETTINGS.log.kafka, brokers: ['k1:9092', 'k2:9092'], ...changes },
    },
  };
}

describe('logBackendOf', () => {
  it('gives the embedded log under the data dir', () => {
    expect(logBackendOf(DEFAULT_SETTINGS, '/data', undefined)).toEqual({
      kind: 'embedded',
      dataDir: '/data',
      partitions: 3,
      partitioner: 'region',
    });
  });

  it('gives plaintext Kafka without SASL', () => {
    expect(logBackendOf(kafka({ topic: 'events' }), '/data', 'ignored')).toEqual({
      kind: 'kafka',
      connection: { brokers: ['k1:9092', 'k2:9092'], clientId: 'streampulse', tls: false },
      topic: {
        ...DEFAULT_KAFKA_TOPIC,
        topic: 'events',
        compression: 'lz4',
        partitions: 6,
        partitioner: 'murmur2',
      },
    });
  });

  it('gives TLS, with the CA only when TLS is on', () => {
    const connectionOf = (s: Settings) => {
      const backend = logBackendOf(s, '/d', undefined);
      return backend.kind === 'kafka' ? backend.connection : undefined;
    };
    expect(connectionOf(kafka({ tls: true }))?.tls).toEqual({});
    expect(connectionOf(kafka({ tls: true, ca: CA }))?.tls).toEqual({ ca: CA });
    expect(connectionOf(kafka({ tls: false, ca: CA }))?.tls).toBe(false);
  });

  it('gives SASL with the password', () => {
    const backend = logBackendOf(
      kafka({ tls: true, sasl: 'scram-sha-512', username: 'alice' }),
      '/d',
      's3cret',
    );
    expect(backend.kind === 'kafka' && backend.connection.sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'alice',
      password: 's3cret',
    });
  });

  it('asks for the password SASL needs', () => {
    const settings = kafka({ sasl: 'plain', username: 'alice' });
    for (const password of [undefined, '']) {
      let error: unknown;
      try {
        logBackendOf(settings, '/d', password);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('secrets.kafkaPassword');
    }
  });
});

describe('engineConfigOf', () => {
  it('gives the default engine config for the default settings', () => {
    expect(engineConfigOf(DEFAULT_SETTINGS)).toEqual(DEFAULT_ENGINE_CONFIG);
  });

  it('takes windows and rules from the settings and keeps the idle timeout', () => {
    const rules = [
      {
        id: 'traffic-drop',
        type: 'TRAFFIC_DROP',
        metric: 'downloads' as const,
        direction: 'below' as const,
        threshold: 50,
        consecutiveWindows: 2,
        minEvents: 0,
      },
    ];
    const config = engineConfigOf({
      ...DEFAULT_SETTINGS,
      engine: {
        ...DEFAULT_SETTINGS.engine,
        windowSizeMs: 10_000,
        outOfOrdernessMs: 0,
        allowedLatenessMs: 0,
        maxFutureMs: 60_000,
        alertRules: rules,
      },
    });
    expect(config).toEqual({
      windowSizeMs: 10_000,
      outOfOrdernessMs: 0,
      allowedLatenessMs: 0,
      maxFutureMs: 60_000,
      idleTimeoutMs: DEFAULT_ENGINE_CONFIG.idleTimeoutMs,
      alertRules: rules,
    });
  });
});

describe('databaseTargetOf', () => {
  const url = (u: string): Settings => ({
    ...DEFAULT_SETTINGS,
    postgres: { mode: 'url', url: u, ca: CA, poolMax: 3 },
  });

  it('gives the embedded server', () => {
    expect(databaseTargetOf(DEFAULT_SETTINGS, '/d', 'x')).toEqual({
      kind: 'embedded',
      dataDir: '/d',
      poolMax: 5,
    });
  });

  it('puts the stored password into the URL', () => {
    expect(databaseTargetOf(url('postgres://app@db/sp?sslmode=require'), '/d', 'p@ss')).toEqual({
      kind: 'url',
      url: 'postgres://app:p%40ss@db/sp?sslmode=require',
      ca: CA,
      poolMax: 3,
    });
    expect(databaseTargetOf(url('postgres://app@db/sp'), '/d', undefined)).toMatchObject({
      url: 'postgres://app@db/sp',
    });
  });

  it('keeps a password the URL has', () => {
    expect(databaseTargetOf(url('postgres://app:own@db/sp'), '/d', 'stored')).toMatchObject({
      url: 'postgres://app:own@db/sp',
    });
  });
});

describe('describeSettings', () => {
  it('describes the defaults', () => {
    expect(describeSettings(DEFAULT_SETTINGS)).toBe(
      'log: embedded log, 3 partitions by region; database: embedded PostgreSQL (pool 5); ' +
        'generator: 50 events/s, a new seed; engine: 60 s windows, 1 alert rule',
    );
  });

  it('describes Kafka and a URL without any password', () => {
    const settings: Settings = {
      ...kafka({ tls: true, ca: CA, sasl: 'plain', username: 'alice' }),
      postgres: { mode: 'url', url: 'postgres://app:hunter22@db/sp', ca: null, poolMax: 2 },
    };
    const text = describeSettings(settings);
    expect(text).toContain(
      'Kafka topic content-downloads on k1:9092, k2:9092 (TLS with a custom CA, SASL plain as alice), 6 partitions by murmur2',
    );
    expect(text).toContain('PostgreSQL at postgres://app@db/sp (pool 2)');
    expect(text).not.toContain('hunter22');
  });
});

describe('changedSettings', () => {
  it('lists the changed leaves, lists as a whole', () => {
    const after: Settings = {
      ...DEFAULT_SETTINGS,
      log: { ...DEFAULT_SETTINGS.log, kafka: { ...DEFAULT_SETTINGS.log.kafka, topic: 'x' } },
      engine: { ...DEFAULT_SETTINGS.engine, windowSizeMs: 1000, alertRules: [] },
    };
    expect(changedSettings(DEFAULT_SETTINGS, after)).toEqual([
      'log.kafka.topic',
      'engine.windowSizeMs',
      'engine.alertRules',
    ]);
    expect(changedSettings(DEFAULT_SETTINGS, structuredClone(DEFAULT_SETTINGS))).toEqual([]);
  });
});
