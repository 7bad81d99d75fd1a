/**
 * How StreamPulse connects to Kafka: brokers, TLS (with an optional CA), SASL, timeouts suited to
 * cloud clusters; and the errors a connection gives, turned into ones a user can act on.
 */
import type { Kafka as KafkaClient, KafkaConfig, SASLOptions } from 'kafkajs';
import { Kafka, logLevel } from './kafkajs';
import type { PartitionerName } from './partitioner';

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export interface KafkaConnection {
  readonly brokers: readonly string[];
  readonly clientId?: string;
  /** TLS on; `ca` (PEM text) when the cluster's certificate is not from a public CA. */
  readonly tls?: { readonly ca?: string } | false;
  readonly sasl?: {
    readonly mechanism: SaslMechanism;
    readonly username: string;
    readonly password: string;
  };
}

export interface KafkaTopicSettings {
  readonly topic: string;
  readonly partitions: number;
  readonly partitioner: PartitionerName;
  readonly replicationFactor: number;
  readonly retentionMs: number;
  /** The consumer group the engine commits to (for lag). */
  readonly groupId: string;
}

export const DEFAULT_KAFKA_TOPIC: Omit<KafkaTopicSettings, 'partitioner'> = {
  topic: 'content-downloads',
  partitions: 3,
  replicationFactor: 1,
  retentionMs: 7 * 24 * 3600 * 1000,
  groupId: 'streampulse-engine',
};

/** Timeouts and retries of a client; `kafkaClient`'s defaults suit a long-running pipeline. */
export type KafkaClientTuning = Pick<
  KafkaConfig,
  'connectionTimeout' | 'authenticationTimeout' | 'requestTimeout' | 'retry'
>;

export function kafkaClient(
  connection: KafkaConnection,
  tuning: KafkaClientTuning = {},
): KafkaClient {
  const config: KafkaConfig = {
    clientId: connection.clientId ?? 'streampulse',
    brokers: [...connection.brokers],
    // Cloud clusters are slow to connect and authenticate; retries back off.
    connectionTimeout: 10_000,
    authenticationTimeout: 10_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 30_000 },
    logLevel: logLevel.NOTHING,
    ...tuning,
  };
  if (connection.tls) config.ssl = connection.tls.ca ? { ca: [connection.tls.ca] } : true;
  if (connection.sasl) config.sasl = { ...connection.sasl } as SASLOptions;
  return new Kafka(config);
}

/** A connection problem, with what to check. `kind` lets the UI say it in its own words. */
export class KafkaConnectionError extends Error {
  override readonly name = 'KafkaConnectionError';
  readonly kind: 'unreachable' | 'tls' | 'authentication' | 'authorization' | 'topic' | 'other';

  constructor(kind: KafkaConnectionError['kind'], message: string, options?: ErrorOptions) {
    super(message, options);
    this.kind = kind;
  }
}

/** Classifies a kafkajs error (or its causes) into an actionable KafkaConnectionError. */
export function explainKafkaError(
  err: unknown,
  connection: KafkaConnection,
  topic?: string,
): KafkaConnectionError {
  // The error, its causes, and the errors an aggregate carries (createTopics gives one per topic).
  const chain: Array<Error & { type?: string; code?: string }> = [];
  const pending: unknown[] = [err];
  while (pending.length > 0 && chain.length < 8) {
    const e = pending.shift();
    if (!(e instanceof Error)) continue;
    chain.push(e as Error & { type?: string; code?: string });
    const { cause, originalError, errors } = e as Error & {
      cause?: unknown;
      originalError?: unknown;
      errors?: unknown;
    };
    pending.push(cause ?? originalError, ...(Array.isArray(errors) ? errors : []));
  }
  const text = chain
    .map((e) => `${e.name} ${e.type ?? ''} ${e.code ?? ''} ${e.message}`)
    .join(' | ');
  const brokers = connection.brokers.join(', ');
  if (/SASLAuthentication|SASL_AUTHENTICATION_FAILED|invalid credentials/i.test(text)) {
    return new KafkaConnectionError(
      'authentication',
      `authentication failed for user "${connection.sasl?.username}" on ${brokers}: check the username, password and SASL mechanism (${connection.sasl?.mechanism})`,
      { cause: err },
    );
  }
  if (/TOPIC_AUTHORIZATION_FAILED|CLUSTER_AUTHORIZATION_FAILED|not authorized/i.test(text)) {
    return new KafkaConnectionError(
      'authorization',
      `the user is not allowed to use topic "${topic}": grant it read, write and describe (and create, to let StreamPulse create the topic)`,
      { cause: err },
    );
  }
  if (/certificate|self.signed|SSL|TLS|EPROTO|handshake|wrong version number/i.test(text)) {
    return new KafkaConnectionError(
      'tls',
      `TLS failed with ${brokers}: turn TLS on for a TLS listener (off for a plaintext one), and give the cluster's CA certificate if it is not from a public CA`,
      { cause: err },
    );
  }
  // A listener that accepts connections but does not answer Kafka requests (kafkajs's connect
  // then resolves, and the first request finds "Broker not connected").
  if (/KafkaJSRequestTimeoutError|Request .* timed out|Broker not connected/i.test(text)) {
    return new KafkaConnectionError(
      'unreachable',
      `${brokers} accepted the connection but did not answer Kafka requests: check that the host and port are a Kafka listener, and whether it expects TLS`,
      { cause: err },
    );
  }
  if (
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|Connection timeout|KafkaJSConnectionError|Closed connection|ECONNRESET/i.test(
      text,
    )
  ) {
    return new KafkaConnectionError(
      'unreachable',
      `cannot reach ${brokers}: check the host names and ports, and that this machine may connect to them`,
      { cause: err },
    );
  }
  if (
    /UNKNOWN_TOPIC|INVALID_CONFIG|POLICY_VIOLATION|INVALID_REPLICATION_FACTOR|topic/i.test(text)
  ) {
    return new KafkaConnectionError(
      'topic',
      `topic "${topic}" is missing and could not be created (${chain[0]?.message}): create it with the configured partitions, or allow this user to create topics`,
      { cause: err },
    );
  }
  return new KafkaConnectionError('other', `Kafka failed: ${chain[0]?.message ?? String(err)}`, {
    cause: err,
  });
}
