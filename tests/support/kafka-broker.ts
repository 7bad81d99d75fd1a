/**
 * A real single-node Kafka broker for tests (KRaft, PLAINTEXT + SASL_SSL/SCRAM on 127.0.0.1, free
 * ports per start). The logic lives in scripts/kafka/broker.mjs, shared with `npm run kafka:local`.
 *
 *   const broker = await startKafkaBroker({ version: '4.1.1' });
 *   const kafka = new Kafka({ clientId: 'test', ...kafkaClientConfig(broker, 'sasl_ssl') });
 *   …
 *   await broker.destroy();
 *
 * The first start of a version downloads its jars with Maven (~45 MiB, cached in
 * ~/.cache/streampulse/kafka): give the hook that starts it a few minutes.
 */
import { rmSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import {
  KAFKA_VERSIONS,
  makeTempDataDir,
  startBroker,
  type RunningBroker,
} from '../../scripts/kafka/broker.mjs';

export { KAFKA_VERSIONS };

/**
 * A start for event times in Kafka tests: the top of the UTC hour `hoursAgo` hours ago. Kafka's
 * retention counts from a record's timestamp (the event time), so a fixed date ages out of the
 * topic's 7 days and the broker deletes the records mid-test; this keeps every run on any date
 * well inside it, and stays whole-minute aligned so windows fall as they did with a fixed date.
 */
export function recentEventTime(hoursAgo = 6, now = Date.now()): number {
  return Math.floor(now / 3_600_000) * 3_600_000 - hoursAgo * 3_600_000;
}

/**
 * The versions tests/kafka runs against: KAFKA_VERSIONS (3.9.1 and 4.1.1), or a comma-separated
 * list in STREAMPULSE_KAFKA_TEST_VERSIONS (e.g. `3.9.1,4.4.0`).
 */
export const KAFKA_TEST_VERSIONS: readonly string[] = process.env.STREAMPULSE_KAFKA_TEST_VERSIONS
  ? process.env.STREAMPULSE_KAFKA_TEST_VERSIONS.split(',')
      .map((v) => v.trim())
      .filter(Boolean)
  : KAFKA_VERSIONS;

export interface KafkaBroker {
  version: string;
  /** Where the broker keeps its data, config, certificates and logs. */
  dataDir: string;
  /** PLAINTEXT bootstrap address, '127.0.0.1:port'. */
  plaintext: string;
  /** SASL_SSL bootstrap address, '127.0.0.1:port' (SCRAM-SHA-256/512 or PLAIN, TLS). */
  saslSsl: string;
  /** The CA certificate that signed the broker's, as PEM text (kafkajs: `ssl: { ca: [caPem] }`). */
  caPem: string;
  /** The same CA certificate as a file. */
  caFile: string;
  scram: { username: string; password: string; mechanism: 'scram-sha-256' };
  /** The broker's log4j log. */
  serverLog: string;
  /** Time of the last start (provisioning to ready), ms. */
  startMs: number;
  /** SIGTERM to the JVM, then waits for it to exit. Data is kept. */
  stop(): Promise<void>;
  /** Stops (if running) and starts again on the same data dir and ports. */
  restart(): Promise<void>;
  /** Stops, and removes the data dir if startKafkaBroker made it. */
  destroy(): Promise<void>;
}

export async function startKafkaBroker({
  version,
  dataDir,
  timeoutMs,
}: {
  version: string;
  dataDir?: string;
  timeoutMs?: number;
}): Promise<KafkaBroker> {
  const ownDir = dataDir === undefined;
  const dir = dataDir ?? makeTempDataDir('streampulse-kafka-test-');
  let current: RunningBroker | null = null;
  try {
    current = await startBroker({ version, dataDir: dir, timeoutMs });
  } catch (error) {
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const first = current;
  const broker: KafkaBroker = {
    version: first.version,
    dataDir: first.dataDir,
    plaintext: first.plaintext,
    saslSsl: first.saslSsl,
    caPem: first.caPem,
    caFile: first.caFile,
    scram: first.scram,
    serverLog: first.serverLog,
    startMs: first.startMs,
    async stop() {
      const running = current;
      current = null;
      await running?.stop();
    },
    async restart() {
      await broker.stop();
      current = await startBroker({ version, dataDir: dir, keepPorts: true, timeoutMs });
      broker.startMs = current.startMs;
    },
    async destroy() {
      await broker.stop();
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return broker;
}

/**
 * kafkajs connection options for one of the broker's listeners: `brokers`, plus `ssl` (the CA) and
 * `sasl` (SCRAM-SHA-256 unless another mechanism is given) for SASL_SSL.
 */
export function kafkaClientConfig(
  broker: KafkaBroker,
  listener: 'plaintext' | 'sasl_ssl',
  sasl: { mechanism?: 'scram-sha-256' | 'scram-sha-512' | 'plain'; password?: string } = {},
): Pick<KafkaConfig, 'brokers' | 'ssl' | 'sasl'> {
  if (listener === 'plaintext') return { brokers: [broker.plaintext] };
  const username = broker.scram.username;
  const password = sasl.password ?? broker.scram.password;
  const mechanism = sasl.mechanism ?? broker.scram.mechanism;
  return {
    brokers: [broker.saslSsl],
    ssl: { ca: [broker.caPem] },
    sasl: { mechanism, username, password } as SASLOptions,
  };
}
