import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_CONFIG } from '../engine/engine-config';
import {
  flinkJobConfig,
  flinkProgramArgs,
  jdbcDatabase,
  kafkaClientProperties,
} from './flink-job-config';

describe("the Flink job's configuration", () => {
  it('turns our Kafka settings into the Java client properties (PLAINTEXT, TLS, SASL)', () => {
    expect(kafkaClientProperties({ brokers: ['b:9092'] })).toEqual({
      'security.protocol': 'PLAINTEXT',
    });
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const sasl = kafkaClientProperties({
      brokers: ['b:9093'],
      clientId: 'sp',
      tls: { ca: pem },
      sasl: { mechanism: 'scram-sha-256', username: 'ann', password: 'p"w\\x' },
    });
    expect(sasl).toEqual({
      'security.protocol': 'SASL_SSL',
      'client.id': 'sp-flink',
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.certificates': pem,
      'sasl.mechanism': 'SCRAM-SHA-256',
      'sasl.jaas.config':
        'org.apache.kafka.common.security.scram.ScramLoginModule required username="ann" password="p\\"w\\\\x";',
    });
    expect(
      kafkaClientProperties({
        brokers: ['b:9093'],
        tls: {},
        sasl: { mechanism: 'plain', username: 'u', password: 'p' },
      })['sasl.jaas.config'],
    ).toMatch(/^org\.apache\.kafka\.common\.security\.plain\.PlainLoginModule required/);
  });

  it('turns a postgres:// URL into a JDBC URL with the user and password apart', () => {
    expect(
      jdbcDatabase({ url: 'postgres://ann:s%40cret@db.example.com:6543/stats?sslmode=require' }),
    ).toEqual({
      jdbcUrl: 'jdbc:postgresql://db.example.com:6543/stats?sslmode=require',
      user: 'ann',
      password: 's@cret',
      caPem: null,
    });
    // The password from the secret store wins; no sslmode means no TLS, as for our own client,
    // unless a CA is given: then the server is verified.
    expect(jdbcDatabase({ url: 'postgres://ann@127.0.0.1/stats' }).jdbcUrl).toBe(
      'jdbc:postgresql://127.0.0.1:5432/stats?sslmode=disable',
    );
    expect(
      jdbcDatabase({ url: 'postgres://ann@127.0.0.1/stats', password: 'stored', ca: 'PEM' }),
    ).toEqual({
      jdbcUrl: 'jdbc:postgresql://127.0.0.1:5432/stats?sslmode=verify-full',
      user: 'ann',
      password: 'stored',
      caPem: 'PEM',
    });
  });

  it('carries the engine settings, the start and the alert rules, as base64 JSON in one argument', () => {
    const config = flinkJobConfig({
      jobName: 'streampulse-engine t',
      kafka: {
        connection: { brokers: ['a:1', 'b:2'] },
        topic: {
          topic: 't',
          partitions: 3,
          partitioner: 'region',
          replicationFactor: 1,
          retentionMs: 1,
          groupId: 'g',
        },
      },
      database: { url: 'postgres://u:p@h:5/d' },
      engine: DEFAULT_ENGINE_CONFIG,
      checkpointIntervalMs: 10_000,
      parallelism: 3,
      startingOffsets: { 0: 5, 2: 7 },
      floorMs: 60_000,
    });
    expect(config.kafka).toMatchObject({
      bootstrapServers: 'a:1,b:2',
      topic: 't',
      groupId: 'streampulse-flink',
      startingOffsets: { '0': 5, '2': 7 },
      bounded: false,
    });
    expect(config.engine).toMatchObject({ windowSizeMs: 60_000, floorMs: 60_000 });
    expect(config.engine.alertRules).toEqual(DEFAULT_ENGINE_CONFIG.alertRules);
    const [flag, value] = flinkProgramArgs(config);
    expect(flag).toBe('--config');
    expect(JSON.parse(Buffer.from(value!, 'base64').toString('utf8'))).toEqual(config);
  });
});
