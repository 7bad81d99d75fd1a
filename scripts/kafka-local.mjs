#!/usr/bin/env node
/**
 * `npm run kafka:local -- <command>`: a real single-node Apache Kafka broker (KRaft) on 127.0.0.1
 * for development. See docs/kafka.md.
 *
 *   start [--version V] [--data-dir DIR]   run a broker in the foreground until Ctrl-C
 *   fetch [--version V]...                 only download (default: every checked version)
 *   producer-perf-test [--version V] -- …  Kafka's kafka-producer-perf-test
 *   consumer-perf-test [--version V] -- …  Kafka's kafka-consumer-perf-test
 */
import { parseArgs } from 'node:util';
import {
  DEFAULT_KAFKA_VERSION,
  KAFKA_VERSIONS,
  KafkaLocalError,
  fetchKafka,
  makeTempDataDir,
  mib,
  resolveKafkaVersion,
  runKafkaClass,
  seconds,
  startBroker,
} from './kafka/broker.mjs';

const USAGE = `Usage: node scripts/kafka-local.mjs <command> [options]

Commands:
  start [--version V] [--data-dir DIR]    run a single-node Kafka broker (KRaft) in the foreground
                                          until Ctrl-C; DIR is kept (default: a new temp dir)
  fetch [--version V]...                  download the broker's jars only (default: ${KAFKA_VERSIONS.join(' and ')})
  producer-perf-test [--version V] -- ARGS  run kafka-producer-perf-test with ARGS
  consumer-perf-test [--version V] -- ARGS  run kafka-consumer-perf-test with ARGS

Versions: ${KAFKA_VERSIONS.join(', ')} are checked (default ${DEFAULT_KAFKA_VERSION}); '3.9' and '4' are short for them.
Jars are cached in ~/.cache/streampulse/kafka (STREAMPULSE_KAFKA_CACHE overrides).`;

const PERF_CLASSES = {
  'producer-perf-test': 'org.apache.kafka.tools.ProducerPerformance',
  'consumer-perf-test': 'org.apache.kafka.tools.ConsumerPerformance',
};

const log = (line) => console.log(line);

async function main(argv) {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  if (command === 'fetch') {
    const { values } = parseArgs({
      args: rest,
      options: { version: { type: 'string', multiple: true } },
    });
    const versions = values.version?.length ? values.version : KAFKA_VERSIONS;
    for (const version of versions) {
      const fetched = await fetchKafka(version, { log });
      if (!fetched.downloaded) {
        console.log(
          `Kafka ${fetched.version}: cached in ${fetched.libsDir} (${fetched.jars} jars, ${mib(fetched.bytes)}).`,
        );
      }
    }
    return 0;
  }
  if (command === 'start') {
    const { values } = parseArgs({
      args: rest,
      options: { version: { type: 'string' }, 'data-dir': { type: 'string' } },
    });
    return start(values.version ?? DEFAULT_KAFKA_VERSION, values['data-dir']);
  }
  if (command in PERF_CLASSES) {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { version: { type: 'string' } },
      allowPositionals: true,
    });
    return runKafkaClass({
      version: values.version ?? DEFAULT_KAFKA_VERSION,
      mainClass: PERF_CLASSES[command],
      args: positionals,
      log,
    });
  }
  console.error(`Unknown command "${command}".\n\n${USAGE}`);
  return 2;
}

async function start(requestedVersion, requestedDataDir) {
  const version = resolveKafkaVersion(requestedVersion);
  const dataDir = requestedDataDir ?? makeTempDataDir();
  console.log(`Starting Apache Kafka ${version} (KRaft) with data in ${dataDir}…`);

  let broker = null;
  let stopping = 0;
  const starting = new AbortController();
  const stop = (signal) => {
    if (!broker) {
      starting.abort(); // startBroker stops the JVM it launched and rejects
      return;
    }
    // `npm run` forwards Ctrl-C and the terminal sends it too: only a later one forces.
    if (stopping && Date.now() - stopping < 2_000) return;
    if (stopping) {
      console.log(`${signal} again: killing the broker.`);
      process.kill(-broker.pid, 'SIGKILL'); // the wrapper's process group: sh and the JVM
      return;
    }
    stopping = Date.now();
    console.log(`\n${signal}: stopping the broker…`);
    broker.stop().then(() => console.log(`Stopped in ${seconds(Date.now() - stopping)}.`));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));

  broker = await startBroker({ version, dataDir, log, signal: starting.signal });
  const rows = [
    ['PLAINTEXT', broker.plaintext],
    ['SASL_SSL', `${broker.saslSsl}  (SCRAM-SHA-256, SCRAM-SHA-512 or PLAIN; TLS, CA below)`],
    ['controller', broker.controller],
    ['CA (PEM)', broker.caFile],
    ['user', broker.scram.username],
    ['password', broker.scram.password],
    ['cluster id', broker.clusterId],
    ['data dir', `${broker.dataDir}  (kept after stop; start again with --data-dir)`],
    ['broker log', broker.serverLog],
    ['Java clients', `${broker.clientProperties}  (SASL_SSL client config)`],
  ];
  console.log(`\nKafka ${version} is ready (${seconds(broker.startMs)}, pid ${broker.pid}):`);
  for (const [name, value] of rows) console.log(`  ${name.padEnd(12)} ${value}`);
  console.log('\nCtrl-C stops it.');

  const code = await broker.exited;
  if (!stopping) {
    console.error(`The broker exited on its own (code ${code}); see ${broker.serverLog}.`);
    return 1;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error instanceof KafkaLocalError ? error.message : (error?.stack ?? error));
    process.exitCode = 1;
  },
);
