/**
 * The Flink job's configuration (the contract with `flink/job/`, see its README), built from the
 * app's own settings: the Kafka topic and client settings, the database the tables live in, and
 * the engine's windows and alert rules. Pure: the driver base64-encodes it into the job's
 * arguments. It holds the Kafka and database passwords, so it is never logged and never put where
 * Flink shows it (the driver passes it as a program argument, not as a job parameter).
 */
import type { AlertContext } from '../engine/alert-tracker';
import type { AlertRule } from '../engine/alert-rules';
import type { EngineConfig } from '../engine/engine-config';
import type { KafkaConnection, KafkaTopicSettings } from '../log/kafka-settings';
import { parsePostgresUrl } from '../../shared/postgres-url';

export const FLINK_JOB_ENTRY_CLASS = 'com.streampulse.flink.StreamPulseJob';
/** The Kafka group the job commits its offsets to (for lag only: its checkpoints hold them). */
export const FLINK_GROUP_ID = 'streampulse-flink';

export interface FlinkJobConfig {
  readonly jobName: string;
  readonly kafka: {
    readonly bootstrapServers: string;
    readonly topic: string;
    readonly groupId: string;
    readonly properties: Readonly<Record<string, string>>;
    readonly startingOffsets: Readonly<Record<string, number>> | null;
    readonly bounded: boolean;
  };
  readonly database: {
    readonly jdbcUrl: string;
    readonly user: string;
    readonly password: string;
    /** PEM text of the server's CA (verify-full): the job writes it to a file for the driver. */
    readonly caPem: string | null;
  };
  readonly engine: {
    readonly windowSizeMs: number;
    readonly outOfOrdernessMs: number;
    readonly allowedLatenessMs: number;
    readonly idleTimeoutMs: number;
    readonly maxFutureMs: number;
    readonly floorMs: number | null;
    readonly alertRules: readonly AlertRule[];
  };
  readonly alertContext: AlertContext | null;
  readonly checkpointIntervalMs: number;
  readonly parallelism: number;
}

export interface FlinkJobInputs {
  readonly jobName: string;
  readonly kafka: { readonly connection: KafkaConnection; readonly topic: KafkaTopicSettings };
  /** postgres:// URL (password in it or apart), and the CA when the server needs one. */
  readonly database: {
    readonly url: string;
    readonly password?: string | null;
    readonly ca?: string | null;
  };
  readonly engine: EngineConfig;
  readonly checkpointIntervalMs: number;
  readonly parallelism: number;
  readonly startingOffsets?: Readonly<Record<number, number>> | null;
  readonly floorMs?: number | null;
  readonly alertContext?: AlertContext | null;
  readonly bounded?: boolean;
}

export function flinkJobConfig(inputs: FlinkJobInputs): FlinkJobConfig {
  const { engine } = inputs;
  return {
    jobName: inputs.jobName,
    kafka: {
      bootstrapServers: inputs.kafka.connection.brokers.join(','),
      topic: inputs.kafka.topic.topic,
      groupId: FLINK_GROUP_ID,
      properties: kafkaClientProperties(inputs.kafka.connection),
      startingOffsets: inputs.startingOffsets
        ? Object.fromEntries(
            Object.entries(inputs.startingOffsets).map(([p, offset]) => [String(p), offset]),
          )
        : null,
      bounded: inputs.bounded ?? false,
    },
    database: jdbcDatabase(inputs.database),
    engine: {
      windowSizeMs: engine.windowSizeMs,
      outOfOrdernessMs: engine.outOfOrdernessMs,
      allowedLatenessMs: engine.allowedLatenessMs,
      idleTimeoutMs: engine.idleTimeoutMs,
      maxFutureMs: engine.maxFutureMs,
      floorMs: inputs.floorMs ?? null,
      alertRules: engine.alertRules,
    },
    alertContext: inputs.alertContext ?? null,
    checkpointIntervalMs: inputs.checkpointIntervalMs,
    parallelism: inputs.parallelism,
  };
}

/** The Java Kafka client's properties for our connection settings (TLS, SASL). */
export function kafkaClientProperties(connection: KafkaConnection): Record<string, string> {
  const properties: Record<string, string> = {};
  const tls = connection.tls !== undefined && connection.tls !== false;
  const sasl = connection.sasl ?? null;
  properties['security.protocol'] = sasl
    ? tls
      ? 'SASL_SSL'
      : 'SASL_PLAINTEXT'
    : tls
      ? 'SSL'
      : 'PLAINTEXT';
  if (connection.clientId) properties['client.id'] = `${connection.clientId}-flink`;
  if (tls && connection.tls && connection.tls.ca) {
    properties['ssl.truststore.type'] = 'PEM';
    properties['ssl.truststore.certificates'] = connection.tls.ca;
  }
  if (sasl) {
    const mechanism = sasl.mechanism.toUpperCase();
    properties['sasl.mechanism'] = mechanism;
    const module =
      mechanism === 'PLAIN'
        ? 'org.apache.kafka.common.security.plain.PlainLoginModule'
        : 'org.apache.kafka.common.security.scram.ScramLoginModule';
    properties['sasl.jaas.config'] =
      `${module} required username=${jaasQuoted(sasl.username)} password=${jaasQuoted(sasl.password)};`;
  }
  return properties;
}

/** A JAAS option value: double-quoted, with backslashes and quotes escaped. */
function jaasQuoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** postgres://user:pw@host:port/db?sslmode=… → the JDBC URL, user and password apart. */
export function jdbcDatabase(database: FlinkJobInputs['database']): FlinkJobConfig['database'] {
  const parsed = parsePostgresUrl(database.url);
  const params = new URLSearchParams();
  const sslmode = parsed.params.get('sslmode');
  // pgjdbc's default is "prefer"; ours is no TLS unless the URL asks for it, and a CA alone means
  // verify-full (as for the app's own connection: postgres-connection.ts).
  params.set('sslmode', sslmode ?? (database.ca ? 'verify-full' : 'disable'));
  const host = parsed.host.includes(':') ? `[${parsed.host}]` : parsed.host;
  const path = encodeURIComponent(parsed.database ?? parsed.user ?? 'postgres');
  return {
    jdbcUrl: `jdbc:postgresql://${host}:${parsed.port}/${path}?${params.toString()}`,
    user: parsed.user ?? 'postgres',
    password: database.password || parsed.password || '',
    caPem: database.ca ?? null,
  };
}

/** The job's single program argument: the config as base64 JSON (no quoting problems). */
export function flinkProgramArgs(config: FlinkJobConfig): string[] {
  return ['--config', Buffer.from(JSON.stringify(config), 'utf8').toString('base64')];
}
