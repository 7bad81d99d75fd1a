/**
 * A real single-node Apache Kafka broker (KRaft, combined broker+controller) on 127.0.0.1, for
 * development and tests. Shared by `scripts/kafka-local.mjs` (the CLI) and
 * `tests/support/kafka-broker.ts` (the test fixture).
 *
 * - fetchKafka(version): the broker's runtime classpath from Maven Central, cached per version
 *   under ~/.cache/streampulse/kafka/<version>/libs (Maven's own ~/.m2 is shared across versions).
 * - startBroker({ version, dataDir }): certificates, config, `kafka-storage format` with a SCRAM
 *   user (first start only), then the JVM; resolves once clients can talk to both listeners.
 *
 * Everything a broker keeps lives in its data dir (see docs/kafka.md), so a second start on the
 * same dir is a restart: same cluster, ports (when free), user, password and certificates.
 *
 * The pieces, one concern each: versions.mjs (versions, errors), maven-fetch.mjs (the classpath
 * from Maven Central, cached), tls-material.mjs (certificates, passwords), broker-config.mjs
 * (state, config files, storage format), java.mjs (the JVM, Kafka's tools), broker-process.mjs
 * (start, stop), readiness.mjs (ready checks, log tails), support.mjs (helpers). Importers use
 * this module.
 */
export {
  DEFAULT_KAFKA_VERSION,
  KAFKA_VERSIONS,
  KafkaLocalError,
  resolveKafkaVersion,
} from './versions.mjs';
export { fetchKafka, kafkaCacheRoot } from './maven-fetch.mjs';
export { SCRAM_USERNAME } from './broker-config.mjs';
export { startBroker } from './broker-process.mjs';
export { runKafkaClass } from './java.mjs';
export { makeTempDataDir, mib, seconds } from './support.mjs';
