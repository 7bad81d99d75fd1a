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
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
// The readiness check's client: StreamPulse's own Kafka client (a plain import: nothing has to
// run before it loads).
import { Admin } from '@platformatic/kafka';

/** The versions this project checks (tests/kafka/broker.test.ts runs against both). */
export const KAFKA_VERSIONS = Object.freeze(['3.9.1', '4.1.1']);
/** What `start` runs without --version: the newest checked version (see docs/kafka.md). */
export const DEFAULT_KAFKA_VERSION = '4.1.1';
/** Short names accepted for --version. */
const VERSION_ALIASES = new Map([
  ['3', '3.9.1'],
  ['3.9', '3.9.1'],
  ['4', '4.1.1'],
  ['4.1', '4.1.1'],
]);

export const SCRAM_USERNAME = 'streampulse';
const STATE_FILE = 'state.json';
const STATE_FORMAT = 1;
/** Pinned, so every machine resolves the same way (Maven 3.8's default for the prefix is 2.8). */
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';
const BROKER_MAIN = 'kafka.Kafka';
const STORAGE_TOOL = 'kafka.tools.StorageTool';

/** A broker problem with a message meant for a person (no stack trace needed). */
export class KafkaLocalError extends Error {
  constructor(message) {
    super(message);
    this.name = 'KafkaLocalError';
  }
}

/** '3.9' → '3.9.1'; checks the shape and that SCRAM-at-format-time is supported (3.7+). */
export function resolveKafkaVersion(requested = DEFAULT_KAFKA_VERSION) {
  const version = VERSION_ALIASES.get(String(requested)) ?? String(requested);
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!match) {
    throw new KafkaLocalError(
      `Kafka version "${requested}" is not of the form X.Y.Z (checked: ${KAFKA_VERSIONS.join(', ')}).`,
    );
  }
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major < 3 || (major === 3 && minor < 7) || major > 4) {
    throw new KafkaLocalError(
      `Kafka ${version} is not supported here: KRaft with SCRAM users at format time needs 3.7 or ` +
        `newer, and only 3.x and 4.x are known (checked: ${KAFKA_VERSIONS.join(', ')}).`,
    );
  }
  return version;
}

/** Where downloaded classpaths live; STREAMPULSE_KAFKA_CACHE overrides. */
export function kafkaCacheRoot() {
  if (process.env.STREAMPULSE_KAFKA_CACHE) return resolve(process.env.STREAMPULSE_KAFKA_CACHE);
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'streampulse', 'kafka');
}

// ---------------------------------------------------------------------------------------------
// Fetch: Maven resolves kafka_2.13 (broker + StorageTool) and kafka-tools (perf tests).

/**
 * The runtime classpath of Kafka `version`, downloading it with Maven on first use.
 * @returns {Promise<{ version: string, libsDir: string, classpath: string, downloaded: boolean,
 *   jars: number, bytes: number, ms: number }>}
 */
export async function fetchKafka(requested, { log = () => {} } = {}) {
  const version = resolveKafkaVersion(requested);
  const dir = join(kafkaCacheRoot(), version);
  const libsDir = join(dir, 'libs');
  const stampFile = join(dir, 'complete.json');
  const cached = () => {
    const stamp = readJson(stampFile);
    if (!stamp || stamp.version !== version || !Array.isArray(stamp.jars)) return null;
    if (!stamp.jars.every((jar) => existsSync(join(libsDir, jar)))) return null;
    return {
      version,
      libsDir,
      classpath: join(libsDir, '*'),
      downloaded: false,
      jars: stamp.jars.length,
      bytes: stamp.bytes,
      ms: 0,
    };
  };
  const hit = cached();
  if (hit) return hit;

  mkdirSync(dir, { recursive: true });
  return withLock(join(dir, '.fetch.lock'), async () => {
    const again = cached(); // another process may have fetched it while we waited for the lock
    if (again) return again;
    const started = Date.now();
    log(`Fetching Apache Kafka ${version} from Maven Central into ${libsDir} (first use only)…`);
    const pom = join(dir, 'pom.xml');
    writeFileSync(pom, runtimePom(version));
    const staging = join(dir, `libs.tmp-${process.pid}`);
    rmSync(staging, { recursive: true, force: true });
    await mvn(version, [
      '-f',
      pom,
      `${DEPENDENCY_PLUGIN}:copy-dependencies`,
      `-DoutputDirectory=${staging}`,
      '-DincludeScope=runtime',
    ]);
    // The broker logs through slf4j. 3.9 brings reload4j and its slf4j binding; 4.x brings
    // log4j2 but no slf4j binding (the distribution adds one), so add the one matching its log4j.
    const binding = missingLoggingBinding(readdirSync(staging));
    for (const artifact of binding) {
      await mvn(version, [
        '-f',
        pom,
        `${DEPENDENCY_PLUGIN}:copy`,
        `-Dartifact=${artifact}`,
        `-DoutputDirectory=${staging}`,
      ]);
    }
    const jars = readdirSync(staging).filter((name) => name.endsWith('.jar'));
    for (const main of [`kafka_2.13-${version}.jar`, `kafka-tools-${version}.jar`]) {
      if (!jars.includes(main)) throw new KafkaLocalError(`Maven did not fetch ${main}.`);
    }
    const bytes = jars.reduce((sum, jar) => sum + statSync(join(staging, jar)).size, 0);
    rmSync(libsDir, { recursive: true, force: true });
    renameSync(staging, libsDir);
    const ms = Date.now() - started;
    writeFileSync(stampFile, JSON.stringify({ version, jars, bytes, fetchedInMs: ms }, null, 2));
    log(`Fetched Kafka ${version}: ${jars.length} jars, ${mib(bytes)} in ${seconds(ms)}.`);
    return {
      version,
      libsDir,
      classpath: join(libsDir, '*'),
      downloaded: true,
      jars: jars.length,
      bytes,
      ms,
    };
  });
}

function runtimePom(version) {
  // connect-runtime (Jetty, Jersey, …) comes with kafka-tools for the Connect tools only; the perf
  // tests (ProducerPerformance, ConsumerPerformance) need the clients, argparse4j and jopt-simple.
  const exclusions = ['org.apache.kafka:connect-runtime', 'com.fasterxml.jackson.jakarta.rs:*']
    .map((ga) => {
      const [groupId, artifactId] = ga.split(':');
      return `<exclusion><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId></exclusion>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by scripts/kafka/broker.mjs: the runtime classpath of a local Kafka ${version} broker. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.streampulse</groupId>
  <artifactId>kafka-local-runtime</artifactId>
  <version>${version}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${version}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>${version}</version>
      <exclusions>${exclusions}</exclusions>
    </dependency>
  </dependencies>
</project>
`;
}

/** Maven coordinates to add so slf4j logs somewhere; [] when the classpath already binds it. */
function missingLoggingBinding(files) {
  const has = (prefix) => files.some((file) => file.startsWith(prefix));
  if (has('slf4j-reload4j-') || has('log4j-slf4j-impl-') || has('log4j-slf4j2-impl-')) return [];
  const slf4j = files.find((file) => /^slf4j-api-\d/.test(file));
  const log4j = /^log4j-api-(.+)\.jar$/.exec(
    files.find((file) => /^log4j-api-\d/.test(file)) ?? '',
  );
  const log4jVersion = log4j?.[1] ?? '2.24.3';
  const impl = slf4j && /^slf4j-api-1\./.test(slf4j) ? 'log4j-slf4j-impl' : 'log4j-slf4j2-impl';
  const wanted = [`org.apache.logging.log4j:${impl}:${log4jVersion}`];
  if (!has('log4j-api-')) wanted.push(`org.apache.logging.log4j:log4j-api:${log4jVersion}`);
  if (!has('log4j-core-')) wanted.push(`org.apache.logging.log4j:log4j-core:${log4jVersion}`);
  return wanted;
}

async function mvn(version, args) {
  const bin = process.env.MVN || 'mvn';
  const result = await run(bin, ['-B', '-q', ...args], { timeoutMs: 15 * 60_000 });
  if (result.error?.code === 'ENOENT') {
    throw new KafkaLocalError(
      `Maven (${bin}) is not installed; it fetches Kafka's jars (apt-get install maven, or set MVN).`,
    );
  }
  if (result.code === 0) return;
  const output = `${result.stdout}\n${result.stderr}`;
  const errorLines = output
    .split('\n')
    // eslint-disable-next-line no-control-regex -- ANSI colours, should a settings.xml turn them on
    .map((line) => line.replace(/\u001b\[[0-9;]*m/g, '').trim())
    .filter((line) => line.startsWith('[ERROR]') && line.length > 8)
    .filter((line) => !/Re-run Maven|re-run Maven|For more information|\[Help 1\] http/.test(line))
    .map((line) => line.replace(/ -> \[Help 1\]$/, ''));
  const detail =
    errorLines.slice(0, 3).join('\n  ') || output.trim().split('\n').slice(-5).join('\n  ');
  if (result.timedOut) {
    throw new KafkaLocalError(`Maven timed out fetching Kafka ${version}.\n  ${detail}`);
  }
  if (
    /UnknownHost|Connection refused|Connect to .* failed|timed out|Network is unreachable|Could not transfer artifact|transfer failed|No route to host|PKIX path/i.test(
      output,
    )
  ) {
    throw new KafkaLocalError(
      `Maven could not download Kafka ${version}: Maven Central seems unreachable ` +
        `(check the network, a proxy in ~/.m2/settings.xml, or run once where it is reachable; ` +
        `the jars are then cached in ${kafkaCacheRoot()}).\n  ${detail}`,
    );
  }
  if (/Could not find artifact|was not found in|Could not resolve dependencies/i.test(output)) {
    throw new KafkaLocalError(
      `Kafka ${version} could not be resolved on Maven Central (is it a released version?).\n  ${detail}`,
    );
  }
  throw new KafkaLocalError(
    `Maven failed (exit ${result.code}) fetching Kafka ${version}.\n  ${detail}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Provision: state, certificates, config files, storage format.

/**
 * The data dir's broker: created on first use (cluster id, ports, SCRAM password, certificates,
 * `kafka-storage format`), reread afterwards. Ports are kept when free, else replaced.
 */
async function provision({ version, dataDir, classpath, keepPorts, log }) {
  mkdirSync(dataDir, { recursive: true });
  const statePath = join(dataDir, STATE_FILE);
  let state = readJson(statePath);
  if (state && state.format !== STATE_FORMAT) {
    throw new KafkaLocalError(`${statePath} was written by another version of this script.`);
  }
  if (state && state.version !== version) {
    throw new KafkaLocalError(
      `${dataDir} holds a Kafka ${state.version} broker; start it with --version ${state.version}, ` +
        `or use another --data-dir for ${version}.`,
    );
  }
  if (!state) {
    state = {
      format: STATE_FORMAT,
      version,
      clusterId: newClusterId(),
      nodeId: 1,
      ports: await freePorts(3),
      scram: { username: SCRAM_USERNAME, password: secret(24) },
      keystorePassword: secret(24),
      createdAt: new Date().toISOString(),
    };
  } else if (!keepPorts) {
    const [plaintext, saslSsl, controller] = state.ports;
    const free = await Promise.all([plaintext, saslSsl, controller].map(portIsFree));
    if (!free.every(Boolean)) {
      const fresh = await freePorts(3);
      log(`Ports ${state.ports.join(', ')} are not all free; using ${fresh.join(', ')} instead.`);
      state.ports = fresh;
    }
  }
  writeFileSync(statePath, JSON.stringify(state, null, 2), { mode: 0o600 });

  const paths = brokerPaths(dataDir);
  for (const dir of [paths.configDir, paths.tlsDir, paths.logsDir])
    mkdirSync(dir, { recursive: true });
  if (!existsSync(paths.keystore) || !existsSync(paths.caPem)) {
    await makeCertificates(paths, state.keystorePassword);
  }
  writeFileSync(paths.serverProperties, serverProperties(state, paths), { mode: 0o600 });
  writeFileSync(paths.clientProperties, clientProperties(state, paths), { mode: 0o600 });
  writeFileSync(paths.log4j1, log4j1Config(paths.serverLog));
  writeFileSync(paths.log4j2, log4j2Config(paths.serverLog));

  if (!existsSync(join(paths.kraftDir, 'meta.properties'))) {
    const started = Date.now();
    const { username, password } = state.scram;
    const result = await run(
      await javaBin(version),
      [
        ...loggingOpts(paths, version),
        '-Xmx256m',
        '-XX:TieredStopAtLevel=1',
        '-XX:+UseSerialGC',
        '-cp',
        classpath,
        STORAGE_TOOL,
        'format',
        '--config',
        paths.serverProperties,
        '--cluster-id',
        state.clusterId,
        '--add-scram',
        `SCRAM-SHA-256=[name=${username},password=${password}]`,
        '--add-scram',
        `SCRAM-SHA-512=[name=${username},password=${password}]`,
      ],
      { timeoutMs: 120_000 },
    );
    if (result.code !== 0) {
      throw new KafkaLocalError(
        `kafka-storage format failed (exit ${result.code}):\n${`${result.stdout}\n${result.stderr}`.trim()}`,
      );
    }
    log(
      `Formatted ${paths.kraftDir} (cluster ${state.clusterId}) in ${seconds(Date.now() - started)}.`,
    );
  }
  return { state, paths };
}

function brokerPaths(dataDir) {
  const configDir = join(dataDir, 'config');
  const tlsDir = join(dataDir, 'tls');
  const logsDir = join(dataDir, 'logs');
  return {
    dataDir,
    configDir,
    tlsDir,
    logsDir,
    kraftDir: join(dataDir, 'kraft-logs'),
    serverProperties: join(configDir, 'server.properties'),
    clientProperties: join(configDir, 'client-sasl-ssl.properties'),
    log4j1: join(configDir, 'log4j.properties'),
    log4j2: join(configDir, 'log4j2.xml'),
    caPem: join(tlsDir, 'ca.pem'),
    caKey: join(tlsDir, 'ca.key'),
    brokerPem: join(tlsDir, 'broker.pem'),
    brokerKey: join(tlsDir, 'broker.key'),
    keystore: join(tlsDir, 'broker.p12'),
    serverLog: join(logsDir, 'server.log'),
    stdoutLog: join(logsDir, 'stdout.log'),
  };
}

/** A self-signed CA and a broker certificate for 127.0.0.1 / localhost, as a PKCS12 keystore. */
async function makeCertificates(paths, keystorePassword) {
  const openssl = async (args) => {
    const result = await run(process.env.OPENSSL || 'openssl', args, { cwd: paths.tlsDir });
    if (result.error?.code === 'ENOENT') {
      throw new KafkaLocalError('openssl is not installed; it makes the broker certificates.');
    }
    if (result.code !== 0) {
      throw new KafkaLocalError(`openssl ${args[0]} failed: ${result.stderr.trim()}`);
    }
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  // prettier-ignore
  await openssl([
    'req', '-x509', ...ec, '-keyout', paths.caKey, '-out', paths.caPem, '-days', '3650',
    '-subj', '/CN=StreamPulse local Kafka CA',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const csr = join(paths.tlsDir, 'broker.csr');
  const ext = join(paths.tlsDir, 'broker.ext');
  await openssl(['req', ...ec, '-keyout', paths.brokerKey, '-out', csr, '-subj', '/CN=localhost']);
  writeFileSync(
    ext,
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyAgreement',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '',
    ].join('\n'),
  );
  // prettier-ignore
  await openssl([
    'x509', '-req', '-in', csr, '-CA', paths.caPem, '-CAkey', paths.caKey,
    '-set_serial', `0x${randomBytes(16).toString('hex')}`, '-days', '825', '-sha256',
    '-extfile', ext, '-out', paths.brokerPem,
  ]);
  // prettier-ignore
  await openssl([
    'pkcs12', '-export', '-in', paths.brokerPem, '-inkey', paths.brokerKey,
    '-certfile', paths.caPem, '-name', 'broker', '-out', paths.keystore,
    '-passout', `pass:${keystorePassword}`,
  ]);
  rmSync(csr, { force: true });
  rmSync(ext, { force: true });
}

function serverProperties(state, paths) {
  const [plaintext, saslSsl, controller] = state.ports;
  const { username, password } = state.scram;
  const lines = {
    'process.roles': 'broker,controller',
    'node.id': state.nodeId,
    'controller.quorum.voters': `${state.nodeId}@127.0.0.1:${controller}`,
    listeners: `PLAINTEXT://127.0.0.1:${plaintext},SASL_SSL://127.0.0.1:${saslSsl},CONTROLLER://127.0.0.1:${controller}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${plaintext},SASL_SSL://127.0.0.1:${saslSsl}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': paths.kraftDir,
    // SASL on the SASL_SSL listener: SCRAM users live in the cluster metadata (added at format
    // time); PLAIN checks the same user against this file.
    'sasl.enabled.mechanisms': 'SCRAM-SHA-256,SCRAM-SHA-512,PLAIN',
    'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config':
      'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config':
      'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    'listener.name.sasl_ssl.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required user_${username}="${password}";`,
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': paths.keystore,
    'ssl.keystore.password': state.keystorePassword,
    'ssl.key.password': state.keystorePassword,
    'ssl.client.auth': 'none',
    // One node: every internal topic has one replica; small internal topics start faster.
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'default.replication.factor': 1,
    'min.insync.replicas': 1,
    'num.partitions': 1,
    'auto.create.topics.enable': false,
    'group.initial.rebalance.delay.ms': 0,
    'num.network.threads': 2,
    'num.io.threads': 4,
  };
  return (
    `# Generated by scripts/kafka/broker.mjs for Kafka ${state.version}; rewritten on every start.\n` +
    Object.entries(lines)
      .map(([key, value]) => `${key}=${propertyValue(String(value))}`)
      .join('\n') +
    '\n'
  );
}

/** For Java clients and tools (kafka-producer-perf-test --producer.config …) on SASL_SSL. */
function clientProperties(state, paths) {
  const { username, password } = state.scram;
  return [
    `bootstrap.servers=127.0.0.1:${state.ports[1]}`,
    'security.protocol=SASL_SSL',
    'sasl.mechanism=SCRAM-SHA-256',
    `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${username}" password="${password}";`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${propertyValue(paths.caPem)}`,
    '',
  ].join('\n');
}

function log4j1Config(file) {
  return [
    'log4j.rootLogger=INFO, file',
    'log4j.appender.file=org.apache.log4j.RollingFileAppender',
    `log4j.appender.file.File=${propertyValue(file)}`,
    'log4j.appender.file.MaxFileSize=50MB',
    'log4j.appender.file.MaxBackupIndex=2',
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.org.apache.kafka.clients=WARN',
    '',
  ].join('\n');
}

function log4j2Config(file) {
  const escaped = file.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <RollingFile name="file" fileName="${escaped}" filePattern="${escaped}.%i">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
      <SizeBasedTriggeringPolicy size="50 MB"/>
      <DefaultRolloverStrategy max="2"/>
    </RollingFile>
  </Appenders>
  <Loggers>
    <Logger name="org.apache.kafka.clients" level="WARN"/>
    <Root level="INFO"><AppenderRef ref="file"/></Root>
  </Loggers>
</Configuration>
`;
}

/** 3.x logs through reload4j (log4j 1 API), 4.x through log4j2. */
function loggingOpts(paths, version) {
  const log4j2 = Number(version.split('.')[0]) >= 4;
  return [
    `-Dkafka.logs.dir=${paths.logsDir}`,
    log4j2
      ? `-Dlog4j2.configurationFile=${paths.log4j2}`
      : `-Dlog4j.configuration=file:${paths.log4j1}`,
  ];
}

// ---------------------------------------------------------------------------------------------
// Run.

/**
 * @typedef {object} RunningBroker
 * @property {string} version
 * @property {string} dataDir
 * @property {string} plaintext '127.0.0.1:port'
 * @property {string} saslSsl '127.0.0.1:port'
 * @property {string} controller '127.0.0.1:port'
 * @property {string} caFile path of the CA certificate (PEM)
 * @property {string} caPem the CA certificate (PEM text)
 * @property {{ username: string, password: string, mechanism: 'scram-sha-256' }} scram
 * @property {string} serverLog
 * @property {string} clientProperties
 * @property {number} pid
 * @property {number} startMs
 * @property {Promise<number | null>} exited resolves with the exit code when the JVM ends
 * @property {() => Promise<void>} stop
 */

/**
 * Provisions (first time) and starts the broker of `dataDir`; resolves when it answers on both
 * listeners.
 * @param {{ version?: string, dataDir: string, keepPorts?: boolean, timeoutMs?: number,
 *   log?: (line: string) => void }} options
 * @returns {Promise<RunningBroker>}
 */
export async function startBroker({
  version: requested,
  dataDir,
  keepPorts = false,
  timeoutMs = 120_000,
  log = () => {},
  signal,
}) {
  const version = resolveKafkaVersion(requested);
  dataDir = resolve(dataDir);
  const { classpath } = await fetchKafka(version, { log });
  const java = await javaBin(version);
  const checkAborted = () => {
    if (signal?.aborted) throw new KafkaLocalError('Interrupted while starting the broker.');
  };
  checkAborted();
  // A free port can be taken between choosing it and the JVM binding it: then choose again.
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    const { state, paths } = await provision({ version, dataDir, classpath, keepPorts, log });
    checkAborted();
    try {
      return await launch({ version, java, classpath, state, paths, started, timeoutMs, signal });
    } catch (error) {
      const bindFailure = /Address already in use|BindException/i.test(String(error?.message));
      if (!bindFailure || keepPorts || attempt >= 3) throw error;
      log(`A port was taken while starting (${state.ports.join(', ')}); retrying on new ports.`);
      const stateFile = join(dataDir, STATE_FILE);
      writeFileSync(stateFile, JSON.stringify({ ...state, ports: await freePorts(3) }, null, 2));
    }
  }
}

const running = new Set();
let exitHookInstalled = false;

async function launch({ version, java, classpath, state, paths, started, timeoutMs, signal }) {
  const heap = process.env.STREAMPULSE_KAFKA_HEAP || '-Xms128m -Xmx1g';
  const extra = process.env.STREAMPULSE_KAFKA_JAVA_OPTS || '';
  const jvm = [
    ...heap.split(/\s+/).filter(Boolean),
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-Djava.awt.headless=true',
    ...loggingOpts(paths, version),
    ...extra.split(/\s+/).filter(Boolean),
    '-cp',
    classpath,
    BROKER_MAIN,
    paths.serverProperties,
  ];
  const out = openSync(paths.stdoutLog, 'a');
  // A small sh wrapper is the JVM's parent: it forwards SIGTERM/SIGINT, and stops the JVM when its
  // stdin (a pipe from this process) closes, so a killed test worker leaves no broker behind.
  const child = spawn('sh', ['-c', WATCHDOG, 'kafka-local', java, ...jvm], {
    stdio: ['pipe', out, out],
    detached: true,
  });
  closeSync(out);
  let exitCode;
  const exited = new Promise((resolveExit) => {
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? -1 : null);
      running.delete(child);
      resolveExit(exitCode);
    });
    child.once('error', () => {
      running.delete(child);
      resolveExit(-1);
    });
  });
  running.add(child);
  installExitHook();

  const stop = async ({ timeoutMs: stopTimeout = 60_000 } = {}) => {
    if (exitCode !== undefined) return;
    child.kill('SIGTERM');
    // Past the timeout, SIGKILL the process group: the sh wrapper and the JVM.
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), stopTimeout);
    await exited;
    clearTimeout(timer);
    child.stdin?.destroy();
  };

  const [plaintextPort, saslSslPort, controllerPort] = state.ports;
  const broker = {
    version,
    dataDir: paths.dataDir,
    plaintext: `127.0.0.1:${plaintextPort}`,
    saslSsl: `127.0.0.1:${saslSslPort}`,
    controller: `127.0.0.1:${controllerPort}`,
    caFile: paths.caPem,
    caPem: readFileSync(paths.caPem, 'utf8'),
    scram: { ...state.scram, mechanism: 'scram-sha-256' },
    clusterId: state.clusterId,
    serverLog: paths.serverLog,
    stdoutLog: paths.stdoutLog,
    clientProperties: paths.clientProperties,
    pid: child.pid,
    startMs: 0,
    exited,
    stop,
  };
  try {
    await waitForReady(broker, {
      deadline: started + timeoutMs,
      hasExited: () => exitCode !== undefined,
      signal,
    });
  } catch (error) {
    await stop({ timeoutMs: 5_000 });
    if (signal?.aborted) throw error;
    throw new KafkaLocalError(`${error.message}\n${brokerLogTail(paths)}`);
  }
  broker.startMs = Date.now() - started;
  return broker;
}

const WATCHDOG = `
exec 3<&0
"$@" 3<&- </dev/null &
broker=$!
trap 'kill -TERM "$broker" 2>/dev/null' TERM INT HUP
( while read -r _; do :; done <&3; kill -TERM "$broker" 2>/dev/null ) &
watchdog=$!
exec 3<&-
status=0
while kill -0 "$broker" 2>/dev/null; do wait "$broker"; status=$?; done
kill "$watchdog" 2>/dev/null
exit "$status"
`;

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    // The process group: the sh wrapper and the JVM both get SIGTERM (the JVM's shutdown hook).
    for (const child of running) killGroup(child, 'SIGTERM');
  });
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Ready = a TCP connect on PLAINTEXT, then the cluster metadata (with this broker in it) over
 * PLAINTEXT and over SASL_SSL with SCRAM and the CA.
 */
async function waitForReady(broker, { deadline, hasExited, signal }) {
  let lastError = 'no answer yet';
  const checks = [
    { name: 'tcp', check: () => tcpConnect(broker.plaintext) },
    { name: 'PLAINTEXT metadata', check: () => clusterMetadata(plaintextOptions(broker)) },
    { name: 'SASL_SSL metadata', check: () => clusterMetadata(saslSslOptions(broker)) },
  ];
  for (const { name, check } of checks) {
    for (;;) {
      if (signal?.aborted) throw new KafkaLocalError('Interrupted while starting the broker.');
      if (hasExited())
        throw new KafkaLocalError(`The Kafka ${broker.version} broker exited while starting.`);
      if (Date.now() > deadline) {
        throw new KafkaLocalError(
          `The Kafka ${broker.version} broker was not ready in time (${name}: ${lastError}).`,
        );
      }
      try {
        await check();
        break;
      } catch (error) {
        lastError = rootMessages(error);
        await delay(100);
      }
    }
  }
}

function tcpConnect(address) {
  const [host, port] = splitAddress(address);
  return new Promise((resolveConnect, reject) => {
    const socket = createConnection({ host, port });
    socket.setTimeout(1_000, () => socket.destroy(new Error('connect timed out')));
    socket.once('connect', () => {
      socket.end();
      resolveConnect();
    });
    socket.once('error', reject);
  });
}

/** One Metadata request (no retries: waitForReady polls); fails until a broker is registered. */
async function clusterMetadata(options) {
  const admin = new Admin(options);
  try {
    const cluster = await admin.metadata({ topics: [], forceUpdate: true });
    if (cluster.brokers.size === 0) throw new Error('no brokers in the metadata yet');
  } finally {
    await admin.close().catch(() => {});
  }
}

function plaintextOptions(broker) {
  return {
    clientId: 'kafka-local-readiness',
    bootstrapBrokers: [broker.plaintext],
    connectTimeout: 2_000,
    requestTimeout: 5_000,
    retries: 0,
  };
}

function saslSslOptions(broker) {
  return {
    clientId: 'kafka-local-readiness',
    bootstrapBrokers: [broker.saslSsl],
    tls: { ca: [broker.caPem] },
    sasl: {
      mechanism: broker.scram.mechanism.toUpperCase(), // 'scram-sha-256' → 'SCRAM-SHA-256'
      username: broker.scram.username,
      password: broker.scram.password,
    },
    // connectTimeout bounds the TCP connect and TLS handshake; each SASL request, requestTimeout.
    connectTimeout: 3_000,
    requestTimeout: 5_000,
    retries: 0,
  };
}

/**
 * The innermost messages of a client error: @platformatic/kafka nests the cause (a refused
 * connection, a SASL failure) under aggregates ("Cannot connect to any broker.") and `cause`s.
 */
function rootMessages(error) {
  const leaves = new Set();
  const pending = [error];
  for (let seen = 0; pending.length > 0 && seen < 32; seen++) {
    const e = pending.shift();
    if (!e || typeof e !== 'object') {
      if (e !== undefined) leaves.add(String(e));
      continue;
    }
    const inner = [...(Array.isArray(e.errors) ? e.errors : []), ...(e.cause ? [e.cause] : [])];
    if (inner.length === 0) leaves.add(e.code ? `${e.message} (${e.code})` : String(e.message));
    pending.push(...inner);
  }
  return [...leaves].join('; ') || String(error);
}

function brokerLogTail(paths) {
  const tail = (file, lines) => {
    try {
      return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  const errors = tail(paths.serverLog, 400)
    .split('\n')
    .filter((line) => /\b(ERROR|FATAL)\b|Exception/.test(line))
    .slice(-8)
    .join('\n');
  const stdout = tail(paths.stdoutLog, 15);
  return [
    errors && `Last errors in ${paths.serverLog}:\n${errors}`,
    stdout && `Last lines of ${paths.stdoutLog}:\n${stdout}`,
    `(full log: ${paths.serverLog})`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** Runs a Java class of Kafka `version` (e.g. the perf tests) with its classpath, inheriting stdio. */
export async function runKafkaClass({ version: requested, mainClass, args = [], log = () => {} }) {
  const version = resolveKafkaVersion(requested);
  const { classpath, libsDir } = await fetchKafka(version, { log });
  const java = await javaBin(version);
  // Tools log warnings and errors to stderr, as Kafka's tools-log4j config does.
  const toolsLog = join(libsDir, '..', 'tools-log');
  mkdirSync(toolsLog, { recursive: true });
  const paths = {
    logsDir: toolsLog,
    log4j1: join(toolsLog, 'log4j.properties'),
    log4j2: join(toolsLog, 'log4j2.xml'),
  };
  writeFileSync(
    paths.log4j1,
    [
      'log4j.rootLogger=WARN, stderr',
      'log4j.appender.stderr=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stderr.Target=System.err',
      'log4j.appender.stderr.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n',
      '',
    ].join('\n'),
  );
  writeFileSync(
    paths.log4j2,
    `<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders><Console name="stderr" target="SYSTEM_ERR"><PatternLayout pattern="[%d] %p %m (%c)%n"/></Console></Appenders>
  <Loggers><Root level="WARN"><AppenderRef ref="stderr"/></Root></Loggers>
</Configuration>
`,
  );
  const child = spawn(
    java,
    ['-Xmx512m', ...loggingOpts(paths, version), '-cp', classpath, mainClass, ...args],
    { stdio: 'inherit' },
  );
  return new Promise((resolveRun) => {
    child.once('exit', (code) => resolveRun(code ?? 1));
    child.once('error', (error) => {
      console.error(error.message);
      resolveRun(1);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers.

let javaChecked;
async function javaBin(version) {
  const bin = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  javaChecked ??= run(bin, ['-version'], { timeoutMs: 30_000 }).then((result) => {
    if (result.error?.code === 'ENOENT') {
      throw new KafkaLocalError(
        `Java (${bin}) is not installed; Kafka needs Java 17 (set JAVA_HOME).`,
      );
    }
    const match = /version "(\d+)(?:\.(\d+))?/.exec(result.stderr);
    const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : 0;
    return { bin, major };
  });
  const { major } = await javaChecked;
  const needed = Number(version.split('.')[0]) >= 4 ? 17 : 11;
  if (major && major < needed) {
    throw new KafkaLocalError(
      `Kafka ${version} needs Java ${needed}+, but ${bin} is Java ${major}.`,
    );
  }
  return bin;
}

/** Runs a command to completion, collecting its output (never throws). */
function run(cmd, args, { cwd, timeoutMs = 600_000 } = {}) {
  return new Promise((resolveRun) => {
    execFile(
      cmd,
      args,
      { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolveRun({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          error: error && typeof error.code === 'string' ? error : undefined,
          timedOut: Boolean(error?.killed),
          stdout: String(stdout),
          stderr: String(stderr),
        });
      },
    );
  });
}

/** One process at a time fetches a version (a mkdir lock; a lock whose owner died is taken over). */
async function withLock(lockDir, fn) {
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const owner = Number(readFileSafe(join(lockDir, 'pid')));
      if (owner && !processAlive(owner)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new KafkaLocalError(`Timed out waiting for ${lockDir}.`);
      await delay(250);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      await new Promise((resolveListen, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolveListen);
      });
      servers.push(server);
    }
    return servers.map((server) => server.address().port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  }
}

function portIsFree(port) {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePort(true)));
  });
}

/** A Kafka cluster id: 16 random bytes, base64url (22 characters), not starting with '-'. */
function newClusterId() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Letters and digits only, so it needs no quoting in JAAS, properties or --add-scram. */
function secret(length) {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

function propertyValue(value) {
  return value.replace(/\\/g, '\\\\');
}

function splitAddress(address) {
  const index = address.lastIndexOf(':');
  return [address.slice(0, index), Number(address.slice(index + 1))];
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function readFileSafe(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function delay(ms) {
  return new Promise((resolveDelay) => setTimeout(resolveDelay, ms));
}

/** A fresh temp dir for a broker's data (kept after stop). */
export function makeTempDataDir(prefix = 'streampulse-kafka-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function mib(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}
