/**
 * A real single-node Kafka broker for tests (KRaft, PLAINTEXT + SASL_SSL/SCRAM on 127.0.0.1, free
 * ports per start). The logic lives in scripts/kafka/broker.mjs, shared with `npm run kafka:local`.
 *
 *   const broker = await startKafkaBroker({ version: '4.1.1' });
 *   const admin = new Admin(kafkaClientConfig(broker, 'sasl_ssl'));   // @platformatic/kafka
 *   …
 *   await admin.close();
 *   await broker.destroy();
 *
 * The first start of a version downloads its jars with Maven (~45 MiB, cached in
 * ~/.cache/streampulse/kafka): give the hook that starts it a few minutes.
 */
import { rmSync } from 'node:fs';
import type { BaseOptions, SASLMechanismValue } from '@platformatic/kafka';
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
  /** The CA certificate that signed the broker's, as PEM text (client option `tls: { ca: [caPem] }`). */
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

/** SASL mechanisms of the SASL_SSL listener, as @platformatic/kafka names them. */
export type KafkaSaslMechanism = Extract<
  SASLMechanismValue,
  'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'PLAIN'
>;

/**
 * @platformatic/kafka client options (BaseOptions, for `new Admin/Producer/Consumer`) for one of
 * the broker's listeners: `clientId`, `bootstrapBrokers`, plus for SASL_SSL `tls` (the CA) and
 * `sasl` (SCRAM-SHA-256 unless another mechanism or password is given). Timeouts are short and
 * retries bounded, so a broken test fails in seconds rather than after the client's defaults
 * (30 s per request; an idempotent producer with default retries retries forever). Spread
 * `overrides` last to change any of them.
 */
export function kafkaClientConfig(
  broker: KafkaBroker,
  listener: 'plaintext' | 'sasl_ssl',
  sasl: { mechanism?: KafkaSaslMechanism; password?: string } = {},
  overrides: Partial<BaseOptions> = {},
): BaseOptions {
  const common: BaseOptions = {
    clientId: `streampulse-test-${broker.version}`,
    bootstrapBrokers: [listener === 'plaintext' ? broker.plaintext : broker.saslSsl],
    connectTimeout: 5_000,
    requestTimeout: 15_000,
    retries: 3,
    retryDelay: 250,
  };
  if (listener === 'sasl_ssl') {
    common.tls = { ca: [broker.caPem] };
    common.sasl = {
      mechanism: sasl.mechanism ?? 'SCRAM-SHA-256',
      username: broker.scram.username,
      password: sasl.password ?? broker.scram.password,
    };
  }
  return { ...common, ...overrides };
}
