/**
 * Provision: a data dir's broker state (cluster id, ports, SCRAM user, certificates), its config
 * files (server.properties, the SASL_SSL client properties, log4j 1 and 2), and
 * `kafka-storage format` with the SCRAM users on first start.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { javaBin, loggingOpts } from './java.mjs';
import { freePorts, portIsFree, propertyValue, readJson, run, seconds } from './support.mjs';
import { makeCertificates, newClusterId, secret } from './tls-material.mjs';
import { KafkaLocalError } from './versions.mjs';

export const SCRAM_USERNAME = 'streampulse';
export const STATE_FILE = 'state.json';
const STATE_FORMAT = 1;
const STORAGE_TOOL = 'kafka.tools.StorageTool';

/**
 * The data dir's broker: created on first use (cluster id, ports, SCRAM password, certificates,
 * `kafka-storage format`), reread afterwards. Ports are kept when free, else replaced.
 */
export async function provision({ version, dataDir, classpath, keepPorts, log }) {
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
