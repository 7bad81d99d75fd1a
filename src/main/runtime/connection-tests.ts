/**
 * The settings page's "test connection" buttons: the Kafka and PostgreSQL connections the given
 * (possibly unsaved) settings describe, tried for real, with a specific, actionable result.
 */
import type { ConnectionTestResult, Settings } from '../../shared/settings';
import { postgresPoolConfig, testPostgresConnection } from '../store/postgres-connection';
import type { ConnectionTests } from './settings-service';
import { logBackendOf } from './runtime-config';

export const connectionTests: ConnectionTests = {
  async kafka(settings, kafkaPassword) {
    let backend;
    try {
      // The Kafka section is tested even while the log is embedded: the user is about to switch.
      const asKafka: Settings = { ...settings, log: { ...settings.log, backend: 'kafka' } };
      backend = logBackendOf(asKafka, '', kafkaPassword);
    } catch (error) {
      return invalid(error);
    }
    if (backend.kind !== 'kafka') throw new Error('unreachable: the backend was set to kafka');
    // Loaded when used, like the Kafka log itself (open-event-log.ts).
    const { testKafkaConnection } = await import('../log/kafka-connection-test');
    return testKafkaConnection(backend.connection, backend.topic);
  },

  async postgres(settings, postgresPassword) {
    const { postgres } = settings;
    if (postgres.mode === 'embedded') {
      return {
        ok: true,
        problem: null,
        message: 'the embedded PostgreSQL runs inside StreamPulse: there is nothing to connect to',
        elapsedMs: 0,
      };
    }
    let config;
    try {
      config = postgresPoolConfig({
        url: postgres.url,
        password: postgresPassword ?? null,
        ca: postgres.ca,
        poolMax: postgres.poolMax,
      });
    } catch (error) {
      return invalid(error);
    }
    return testPostgresConnection(config);
  },
};

function invalid(error: unknown): ConnectionTestResult {
  return {
    ok: false,
    problem: 'invalid',
    message: error instanceof Error ? error.message : String(error),
    elapsedMs: 0,
  };
}
