/**
 * Run: starts the broker's JVM under a small sh watchdog (it stops the JVM when this process
 * goes, so a killed test worker leaves no broker behind), waits until clients can talk to both
 * listeners, and stops it (SIGTERM, then SIGKILL of the process group past a timeout).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnWatched } from '../jvm/watched-process.mjs';
import { provision, STATE_FILE } from './broker-config.mjs';
import { javaBin, loggingOpts } from './java.mjs';
import { fetchKafka } from './maven-fetch.mjs';
import { brokerLogTail, waitForReady } from './readiness.mjs';
import { freePorts } from './support.mjs';
import { KafkaLocalError, resolveKafkaVersion } from './versions.mjs';

const BROKER_MAIN = 'kafka.Kafka';

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
  const jvmProcess = spawnWatched(java, jvm, { logFile: paths.stdoutLog, name: 'kafka-local' });
  const { exited, stop } = jvmProcess;

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
    pid: jvmProcess.pid,
    startMs: 0,
    exited,
    stop,
  };
  try {
    await waitForReady(broker, {
      deadline: started + timeoutMs,
      hasExited: jvmProcess.hasExited,
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
