/**
 * "Test connection" for Kafka settings: connects an admin client (one retry, so an unreachable
 * cluster answers within seconds), reads the cluster's metadata and checks the topic the way
 * KafkaEventLog.open will: an existing topic must match the settings (a mismatch is refused at
 * start), a missing one must be creatable (CreateTopics with validateOnly). Never throws: the
 * result says what happened and what to do, and never contains the password.
 */
import { isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { Admin, type BaseOptions } from '@platformatic/kafka';
import type { ConnectionProblem, ConnectionTestResult } from '../../shared/settings';
import {
  DEFAULT_KAFKA_TOPIC,
  explainKafkaError,
  kafkaClientOptions,
  KafkaConnectionError,
  type KafkaConnection,
  type KafkaTopicSettings,
} from './kafka-settings';
import { errorText, splitHostPort, topicCreatable, topicMismatch } from './kafka-topic';

/** The whole test's deadline, unless options.timeoutMs says otherwise. */
export const KAFKA_TEST_TIMEOUT_MS = 15_000;

export interface KafkaConnectionTestOptions {
  /** Answer within this long (ms), whatever the cluster does; default 15 s. */
  readonly timeoutMs?: number;
}

/** The topic to check: name and partitions; retention and replication default as the log's. */
export type KafkaTopicToTest = Pick<KafkaTopicSettings, 'topic' | 'partitions'> &
  Partial<Pick<KafkaTopicSettings, 'retentionMs' | 'replicationFactor'>>;

const PROBLEMS: Record<KafkaConnectionError['kind'], ConnectionProblem> = {
  unreachable: 'unreachable',
  tls: 'tls',
  authentication: 'authentication',
  authorization: 'authorization',
  topic: 'topic',
  other: 'other',
};

export async function testKafkaConnection(
  connection: KafkaConnection,
  topic: KafkaTopicToTest,
  options: KafkaConnectionTestOptions = {},
): Promise<ConnectionTestResult> {
  const began = performance.now();
  const timeoutMs = Math.max(1000, options.timeoutMs ?? KAFKA_TEST_TIMEOUT_MS);
  const settings = {
    ...DEFAULT_KAFKA_TOPIC,
    ...topic,
  };
  const result = (ok: boolean, problem: ConnectionProblem | null, message: string) => ({
    ok,
    problem,
    message: withoutSecret(message, connection),
    elapsedMs: Math.round(performance.now() - began),
  });
  if (connection.brokers.length === 0) return result(false, 'invalid', 'no broker address given');

  // One retry, short timeouts: an unreachable host or a TLS mismatch fails in seconds, and the
  // deadline below bounds the rest (a broker that accepts connections but never answers).
  const stepMs = Math.min(10_000, Math.max(500, Math.floor(timeoutMs / 3)));
  const tuned = kafkaClientOptions(connection, {
    connectTimeout: stepMs,
    requestTimeout: Math.min(30_000, Math.max(1000, Math.floor(timeoutMs / 2))),
    retries: 1,
    retryDelay: 200,
  });
  // The client's retries nest (an operation retries the connection's own ApiVersions request,
  // which retries too): a listener that never answers costs up to four request timeouts, past
  // the deadline. The failure each retry follows is kept, so the deadline can still say why.
  let lastFailure: unknown;
  const clientOptions: BaseOptions = {
    ...tuned,
    retryDelay: (client, operationId, attempt, retries, error) => {
      lastFailure = error;
      return typeof tuned.retryDelay === 'function'
        ? tuned.retryDelay(client, operationId, attempt, retries, error)
        : (tuned.retryDelay ?? 200);
    },
  };
  const admin = new Admin(clientOptions);

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const check = probe(admin, clientOptions, settings).then(
    (outcome) => ({ outcome }),
    (error: unknown) => ({ error }),
  );
  try {
    const settled = await Promise.race([check, deadline]);
    if (settled === 'timeout') {
      // Retrying after a connection failure (no answer to a request, a refused or closed
      // connection, TLS): that is the answer.
      const retried =
        lastFailure === undefined
          ? null
          : explainKafkaError(lastFailure, connection, settings.topic);
      if (retried && (retried.kind === 'unreachable' || retried.kind === 'tls')) {
        return result(false, PROBLEMS[retried.kind], retried.message);
      }
      return result(
        false,
        'timeout',
        `no answer from ${connection.brokers.join(', ')} within ${Math.round(timeoutMs / 1000)} s: check the host names and ports, that this machine may connect to them, and whether the listener expects TLS`,
      );
    }
    if ('error' in settled) {
      const explained =
        settled.error instanceof KafkaConnectionError
          ? settled.error
          : explainKafkaError(settled.error, connection, settings.topic);
      // A TLS listener closes a plaintext connection: the client says "Broker requires TLS." when
      // it saw the TLS alert, else (during SASL) the connection closed, like an unreachable host.
      const address = connection.brokers[0]!;
      const remainingMs = timeoutMs - (performance.now() - began);
      if (
        (explained.kind === 'unreachable' || explained.kind === 'tls') &&
        !connection.tls &&
        remainingMs > 200 &&
        (await speaksTls(address, Math.min(2000, remainingMs)))
      ) {
        return result(
          false,
          'tls-required',
          `${address} expects TLS: turn TLS on (and give the cluster's CA certificate if it is not from a public CA)`,
        );
      }
      return result(false, PROBLEMS[explained.kind], explained.message);
    }
    const { brokers, state } = settled.outcome;
    const connected = `Connected to ${brokers.length} broker${brokers.length === 1 ? '' : 's'} (${brokers.join(', ')})`;
    switch (state.kind) {
      case 'matches':
        return result(
          true,
          null,
          `${connected}; topic "${settings.topic}" exists with ${settings.partitions} partition${settings.partitions === 1 ? '' : 's'}, as the settings say.`,
        );
      case 'mismatch':
        return result(false, 'topic', `${connected}; ${state.message}`);
      case 'creatable':
        return result(
          true,
          null,
          `${connected}; topic "${settings.topic}" does not exist yet and will be created with ${settings.partitions} partition${settings.partitions === 1 ? '' : 's'} at start.`,
        );
    }
  } finally {
    clearTimeout(timer);
    // Always disconnect, also after the deadline (the probe may still be retrying).
    await Promise.race([
      admin.close().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, 2000).unref()),
    ]);
  }
}

type TopicState =
  | { readonly kind: 'matches' }
  | { readonly kind: 'mismatch'; readonly message: string }
  | { readonly kind: 'creatable' };

async function probe(
  admin: Admin,
  options: BaseOptions,
  settings: Omit<KafkaTopicSettings, 'partitioner'>,
): Promise<{ brokers: string[]; state: TopicState }> {
  const cluster = await admin.metadata({ topics: [], forceUpdate: true });
  const brokers = [...cluster.brokers.values()].map((b) => `${b.host}:${b.port}`).sort();
  // Metadata lists only the topics this user may describe: a hidden one is found by the
  // validate-only create below (TOPIC_AUTHORIZATION_FAILED, or "already exists").
  if ((await admin.listTopics()).includes(settings.topic)) {
    const mismatch = await topicMismatch(admin, settings);
    return {
      brokers,
      state: mismatch ? { kind: 'mismatch', message: mismatch } : { kind: 'matches' },
    };
  }
  if (!(await topicCreatable(options, settings))) {
    // It exists, yet the list did not name it: it was created a moment ago (a broker's metadata
    // catches up with the controller's a little later), or this user may not describe it. Asking
    // for the topic by name tells them apart.
    const mismatch = await topicMismatch(admin, settings).catch((error: unknown) => {
      if (/AUTHORIZATION_FAILED|not authorized/i.test(errorText(error))) {
        throw new KafkaConnectionError(
          'authorization',
          `topic "${settings.topic}" exists but this user may not describe it: grant it read, write and describe on the topic`,
          { cause: error },
        );
      }
      throw error;
    });
    return {
      brokers,
      state: mismatch ? { kind: 'mismatch', message: mismatch } : { kind: 'matches' },
    };
  }
  return { brokers, state: { kind: 'creatable' } };
}

/**
 * Whether `address` (host:port) answers a TLS handshake: it completes, or fails only on the
 * certificate (which comes after the server has spoken TLS). Sends no data.
 */
function speaksTls(address: string, timeoutMs: number): Promise<boolean> {
  const { host, port } = splitHostPort(address);
  if (host === '' || !Number.isInteger(port)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = tlsConnect({ host, port, servername: isIP(host) ? undefined : host });
    const done = (speaks: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(speaks);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('secureConnect', () => done(true));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(/CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME/i.test(error.code ?? '')),
    );
  });
}

function withoutSecret(message: string, connection: KafkaConnection): string {
  const password = connection.sasl?.password;
  return password ? message.split(password).join('***') : message;
}
