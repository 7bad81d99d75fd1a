/**
 * A data dir's cluster: its layout (conf/, log/, checkpoints/, savepoints/, …), the Flink config
 * (conf/config.yaml) and log4j config written on every start, and cluster.json, which tells
 * `add-task-manager` (another process) where the running cluster's REST API is.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readJson } from '../kafka/support.mjs';
import { FLINK_VERSION, FlinkLocalError } from './versions.mjs';

export const STATE_FILE = 'cluster.json';

/** Where everything of the cluster in `dataDir` lives. */
export function clusterPaths(dataDir) {
  const dir = resolve(dataDir);
  return {
    dataDir: dir,
    confDir: join(dir, 'conf'),
    config: join(dir, 'conf', 'config.yaml'),
    log4j: join(dir, 'conf', 'log4j.properties'),
    logDir: join(dir, 'log'),
    checkpointDir: join(dir, 'checkpoints'),
    savepointDir: join(dir, 'savepoints'),
    tmpDir: join(dir, 'tmp'),
    state: join(dir, STATE_FILE),
  };
}

/** Writes conf/ and cluster.json for a cluster whose JobManager listens on `ports`. */
export function writeClusterConfig(paths, { ports, slots, parallelism, ownerPid }) {
  for (const dir of [paths.confDir, paths.logDir, paths.checkpointDir, paths.savepointDir]) {
    mkdirSync(dir, { recursive: true });
  }
  mkdirSync(paths.tmpDir, { recursive: true });
  // Flat keys (Flink 2's config.yaml reads them like nested ones), one per line, so a reader can
  // grep them. Values are the proof of concept's (/work/shared/reference/flink-poc).
  const settings = [
    ['# Written by scripts/flink-local.mjs on every start; edits are overwritten.'],
    ['jobmanager.rpc.address', '127.0.0.1'],
    ['jobmanager.rpc.port', ports.rpc],
    ['jobmanager.bind-host', '127.0.0.1'],
    ['jobmanager.memory.process.size', '1024m'],
    ['blob.server.port', ports.blob],
    ['rest.address', '127.0.0.1'],
    ['rest.bind-address', '127.0.0.1'],
    ['rest.port', ports.rest],
    ['taskmanager.host', '127.0.0.1'],
    ['taskmanager.bind-host', '127.0.0.1'],
    ['taskmanager.numberOfTaskSlots', slots],
    ['taskmanager.memory.process.size', '1280m'],
    ['parallelism.default', parallelism],
    // A killed TaskManager is noticed after 10 s instead of the default 50 s.
    ['heartbeat.interval', 2000],
    ['heartbeat.timeout', 10000],
    // A TaskManager that started before the JobManager listens retries after 1 s, not 10 s.
    ['cluster.registration.error-delay', 1000],
    ['execution.checkpointing.interval', '10s'],
    ['execution.checkpointing.mode', 'EXACTLY_ONCE'],
    ['execution.checkpointing.dir', `file://${paths.checkpointDir}`],
    ['execution.checkpointing.savepoint-dir', `file://${paths.savepointDir}`],
    ['execution.checkpointing.externalized-checkpoint-retention', 'RETAIN_ON_CANCELLATION'],
    ['state.backend.type', 'hashmap'],
    ['restart-strategy.type', 'fixed-delay'],
    ['restart-strategy.fixed-delay.attempts', 100],
    ['restart-strategy.fixed-delay.delay', '2s'],
    // Uploaded jars, blobs and spill files stay in the data dir, not in /tmp at large.
    ['web.upload.dir', paths.tmpDir],
    ['io.tmp.dirs', paths.tmpDir],
    ['blob.storage.directory', paths.tmpDir],
  ];
  writeFileSync(
    paths.config,
    settings.map(([key, value]) => (value === undefined ? key : `${key}: ${value}`)).join('\n') +
      '\n',
  );
  writeFileSync(paths.log4j, LOG4J);
  const state = { version: FLINK_VERSION, ports, slots, parallelism, ownerPid };
  writeFileSync(paths.state, JSON.stringify(state, null, 2));
  return state;
}

/** cluster.json of a data dir a `start` wrote, or a message saying there is none. */
export function readClusterState(dataDir) {
  const paths = clusterPaths(dataDir);
  const state = readJson(paths.state);
  if (!state?.ports?.rest) {
    throw new FlinkLocalError(
      `${paths.dataDir} holds no local Flink cluster (no ${STATE_FILE}); ` +
        `start one with: node scripts/flink-local.mjs start --data-dir ${paths.dataDir}`,
    );
  }
  return { paths, state, restUrl: `http://127.0.0.1:${state.ports.rest}` };
}

/** Flink's own log4j2 layout (its conf/log4j.properties), one file per JVM via -Dlog.file. */
const LOG4J = `# Written by scripts/flink-local.mjs. Each JVM logs to the file -Dlog.file names.
monitorInterval = 0
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
appender.main.name = MainAppender
appender.main.type = File
appender.main.append = true
appender.main.fileName = \${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
logger.pekko.name = org.apache.pekko
logger.pekko.level = INFO
logger.zookeeper.name = org.apache.zookeeper
logger.zookeeper.level = WARN
logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
logger.netty.level = OFF
`;
