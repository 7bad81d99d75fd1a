/**
 * How StreamPulse connects to Kafka (@platformatic/kafka): brokers, TLS (with an optional CA),
 * SASL, timeouts and bounded retries suited to cloud clusters; and the errors a connection gives,
 * turned into ones a user can act on.
 */
import { backoffDelay } from '../backoff';
import type { BaseOptions, CompressionAlgorithmValue } from '@platformatic/kafka';
import type { PartitionerName } from './partitioner';

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** Our producer's compression codecs; every one of them is also read (docs/kafka.md). */
export const KAFKA_COMPRESSIONS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type KafkaCompression = (typeof KAFKA_COMPRESSIONS)[number] & CompressionAlgorithmValue;

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
  /** The codec our producer compresses record batches with (default lz4). */
  readonly compression?: KafkaCompression;
}

export const DEFAULT_KAFKA_TOPIC: Omit<KafkaTopicSettings, 'partitioner'> = {
  topic: 'content-downloads',
  partitions: 3,
  replicationFactor: 1,
  retentionMs: 7 * 24 * 3600 * 1000,
  groupId: 'streampulse-engine',
};

/** lz4: the best events/s of the four codecs here, at under half the bytes (docs/BENCHMARKS.md). */
export const DEFAULT_KAFKA_COMPRESSION: KafkaCompression = 'lz4';

/** Timeouts and retries of a client; `kafkaClientOptions`'s defaults suit a long-running pipeline. */
export interface KafkaClientTuning {
  /** One TCP (and TLS) connect, ms. */
  readonly connectTimeout?: number;
  /** One request's answer, ms. */
  readonly requestTimeout?: number;
  /** Retries of a failed operation (never unbounded: the client's default retries forever). */
  readonly retries?: number;
  /** The first retry's delay, ms; later ones double, up to 5 s. */
  readonly retryDelay?: number;
}

const SASL_NAMES = {
  plain: 'PLAIN',
  'scram-sha-256': 'SCRAM-SHA-256',
  'scram-sha-512': 'SCRAM-SHA-512',
} as const;

/** The options every @platformatic/kafka client of ours is made with. */
export function kafkaClientOptions(
  connection: KafkaConnection,
  tuning: KafkaClientTuning = {},
): BaseOptions {
  const firstDelay = tuning.retryDelay ?? 250;
  const options: BaseOptions = {
    clientId: connection.clientId ?? 'streampulse',
    bootstrapBrokers: [...connection.brokers],
    // Cloud clusters are slow to connect and authenticate; a listener that accepts and never
    // answers must still fail in seconds, not after the client's default retries (forever).
    connectTimeout: tuning.connectTimeout ?? 10_000,
    requestTimeout: tuning.requestTimeout ?? 30_000,
    // What the broker may take for acks=all (and CreateTopics): inside the request's own timeout,
    // so the broker's answer, not the client's timer, says what happened.
    timeout: Math.round((tuning.requestTimeout ?? 30_000) * 0.5),
    retries: tuning.retries ?? 5,
    // Data the client cannot parse fails the same way on every try: no point in waiting for it
    // (the reader then finds the unreadable range, kafka-partition-reader.ts).
    retryDelay: (_client, _operation, attempt, _retries, error) =>
      isUnreadableBatch(error)
        ? 0
        : backoffDelay(attempt, { initialDelayMs: firstDelay, maxDelayMs: 5000 }),
    // Topics are created by KafkaEventLog.open, with our partitions and retention, never implicitly.
    autocreateTopics: false,
  };
  if (connection.tls) {
    options.tls = connection.tls.ca ? { ca: [connection.tls.ca] } : {};
  }
  if (connection.sasl) {
    options.sasl = {
      mechanism: SASL_NAMES[connection.sasl.mechanism],
      username: connection.sasl.username,
      password: connection.sasl.password,
    };
  }
  return options;
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

/** Classifies a client error (or its causes) into an actionable KafkaConnectionError. */
export function explainKafkaError(
  err: unknown,
  connection: KafkaConnection,
  topic?: string,
): KafkaConnectionError {
  // The error, its causes, and the errors an aggregate carries: the client wraps the root cause
  // (an AuthenticationError, a broker's error code) in MultipleErrors and NetworkErrors, one per
  // retry, several levels deep.
  const chain = errorsWithin(err);
  const text = chain
    .map((e) => `${e.name} ${e.apiId ?? ''} ${e.code ?? ''} ${e.message}`)
    .join(' | ');
  const brokers = connection.brokers.join(', ');
  // The client reports a connection that closes during the SASL handshake, before the broker said
  // anything (a TLS listener receiving plaintext does that), as an AuthenticationError ("Cannot
  // find a suitable SASL mechanism") caused by a NetworkError: that says nothing of the
  // credentials. A real refusal carries the broker's error code (SASL_AUTHENTICATION_FAILED…).
  // (The client's errors are all named 'Error': tell them apart by code. A TimeoutError's code is
  // PLT_KFK_NETWORK too.)
  const authentication = chain.filter((e) => e.code === 'PLT_KFK_AUTHENTICATION');
  const droppedDuringSasl =
    authentication.length > 0 &&
    !/SASL_AUTHENTICATION_FAILED|invalid credentials/i.test(text) &&
    authentication.every((e) => {
      const inner = errorsWithin(e).slice(1);
      return inner.some((i) => i.code === 'PLT_KFK_NETWORK') && !inner.some((i) => i.apiId);
    });
  if (droppedDuringSasl) {
    return new KafkaConnectionError(
      'unreachable',
      `${brokers} closed the connection during SASL authentication: check the host names and ports, and whether the listener expects TLS`,
      { cause: err },
    );
  }
  if (
    /AuthenticationError|PLT_KFK_AUTHENTICATION|SASL_AUTHENTICATION_FAILED|invalid credentials/i.test(
      text,
    )
  ) {
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
  // A listener that accepts connections but does not answer Kafka requests: the connection opens,
  // and the first request times out.
  if (/Request timed out|request .*timed out|TimeoutError/i.test(text)) {
    return new KafkaConnectionError(
      'unreachable',
      `${brokers} accepted the connection but did not answer Kafka requests: check that the host and port are a Kafka listener, and whether it expects TLS`,
      { cause: err },
    );
  }
  if (
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|timed out|Connection .*closed|closed connection|ECONNRESET|EHOSTUNREACH|PLT_KFK_NETWORK/i.test(
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
    // Broker codes, and the client's own "Unknown topic X." (not its wrappers' "Creating topics
    // failed.", which any failure inside them carries).
    /UNKNOWN_TOPIC|INVALID_CONFIG|POLICY_VIOLATION|INVALID_REPLICATION_FACTOR|Unknown topic /.test(
      text,
    )
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

/** An error and everything it wraps (`cause`s, and the `errors` of aggregates), outermost first. */
/**
 * An error and everything it wraps, breadth first: the client nests the root cause (a broker's
 * error code, an AuthenticationError) in MultipleErrors and NetworkErrors, one per retry.
 */
export function errorsWithin(err: unknown): Array<Error & { apiId?: string; code?: string }> {
  const chain: Array<Error & { apiId?: string; code?: string }> = [];
  const seen = new Set<unknown>();
  const pending: unknown[] = [err];
  while (pending.length > 0 && chain.length < 256) {
    const e = pending.shift();
    if (!(e instanceof Error) || seen.has(e)) continue;
    seen.add(e);
    chain.push(e as Error & { apiId?: string; code?: string });
    const { cause, originalError, errors } = e as Error & {
      cause?: unknown;
      originalError?: unknown;
      errors?: unknown;
    };
    pending.push(cause ?? originalError, ...(Array.isArray(errors) ? errors : []));
  }
  return chain;
}

/**
 * Whether a failed fetch failed on the data itself (a batch the client cannot parse or
 * decompress) rather than on the network, the broker or the request: only such a failure makes
 * a range of the log unreadable.
 */
export function isUnreadableBatch(error: unknown): boolean {
  return errorsWithin(error).some((e) => {
    if (e.code === 'PLT_KFK_UNSUPPORTED_COMPRESSION') return true;
    // zlib's gzip (Z_DATA_ERROR …) and zstd (ZSTD_error_…) failures; the WASM snappy and lz4
    // decoders trap (WebAssembly.RuntimeError); a batch cut short reads past its buffer.
    if (/^(Z_|ZSTD_|ERR_OUT_OF_RANGE|ERR_BUFFER_OUT_OF_BOUNDS)/.test(String(e.code ?? '')))
      return true;
    if (e instanceof RangeError || e.name === 'RuntimeError') return true;
    return /ZSTD_error|Z_DATA_ERROR|incorrect header check|invalid (block|distance|stored)/.test(
      e.message,
    );
  });
}
