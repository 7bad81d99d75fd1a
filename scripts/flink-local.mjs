#!/usr/bin/env node
/**
 * `npm run flink:local -- <command>`: a local Apache Flink session cluster on 127.0.0.1 (one
 * JobManager, N TaskManagers, each a JVM) for development. See docs/flink.md.
 *
 *   fetch                                   download the cluster's lib/ (Maven Central, cached)
 *   start [--task-managers N] [--slots S] [--parallelism P] [--data-dir DIR]
 *   add-task-manager --data-dir DIR         one more TaskManager for that running cluster
 */
import { parseArgs } from 'node:util';
import { mib, seconds } from './kafka/support.mjs';
import {
  FLINK_VERSION,
  FlinkLocalError,
  fetchFlink,
  joinTaskManager,
  startFlinkCluster,
} from './flink/cluster.mjs';

const USAGE = `Usage: node scripts/flink-local.mjs <command> [options]

Commands:
  fetch                           download the cluster's jars (flink/cluster/pom.xml) only
  start [options]                 run a Flink ${FLINK_VERSION} session cluster in the foreground
                                  until Ctrl-C (TaskManagers stop first, then the JobManager)
    --task-managers N             TaskManagers to start (default 1)
    --slots S                     task slots per TaskManager (default 2)
    --parallelism P               parallelism.default (default: S)
    --data-dir DIR                config, logs, checkpoints and savepoints; kept (default: a new
                                  temp dir, also kept)
  add-task-manager --data-dir DIR start one more TaskManager for the cluster that \`start\` runs
                                  with that data dir; stays in the foreground until Ctrl-C, and
                                  stops by itself when that \`start\` ends

Jars are cached in ~/.cache/streampulse/flink/${FLINK_VERSION}/lib (STREAMPULSE_FLINK_CACHE
overrides ~/.cache/streampulse/flink).`;

/** A usage mistake: exit 2 with the message and the usage. */
class UsageError extends Error {}

const log = (line) => console.log(line);

function parse(args, options) {
  try {
    return parseArgs({ args, options, strict: true }).values;
  } catch (error) {
    throw new UsageError(error.message);
  }
}

function count(values, name, fallback) {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new UsageError(`--${name} must be a whole number of at least 1 (got "${raw}").`);
  }
  return Number(raw);
}

async function main(argv) {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'fetch') {
    parse(rest, {});
    const fetched = await fetchFlink({ log });
    if (!fetched.downloaded) {
      console.log(
        `Flink ${fetched.version}: cached in ${fetched.libDir} (${fetched.jars} jars, ${mib(fetched.bytes)}).`,
      );
    }
    return 0;
  }
  if (command === 'start') {
    const values = parse(rest, {
      'task-managers': { type: 'string' },
      slots: { type: 'string' },
      parallelism: { type: 'string' },
      'data-dir': { type: 'string' },
    });
    const slots = count(values, 'slots', 2);
    return start({
      taskManagers: count(values, 'task-managers', 1),
      slots,
      parallelism: count(values, 'parallelism', slots),
      dataDir: values['data-dir'],
    });
  }
  if (command === 'add-task-manager') {
    const values = parse(rest, { 'data-dir': { type: 'string' } });
    if (!values['data-dir']) throw new UsageError('add-task-manager needs --data-dir DIR.');
    return addTaskManager(values['data-dir']);
  }
  throw new UsageError(`Unknown command "${command}".`);
}

/** Ctrl-C, SIGTERM and SIGHUP call `onSignal`; a second one within 2 s is ignored (npm and the
 * terminal both forward Ctrl-C). */
function onStopSignal(onSignal) {
  let last = 0;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (Date.now() - last < 2_000) return;
      last = Date.now();
      onSignal(signal);
    });
  }
}

async function start(options) {
  const starting = new AbortController();
  let stopRequested = null;
  onStopSignal((signal) => {
    stopRequested ??= signal;
    starting.abort(); // while starting: startFlinkCluster stops what it started and rejects
  });
  console.log(`Starting Apache Flink ${FLINK_VERSION}…`);
  const cluster = await startFlinkCluster({ ...options, log, signal: starting.signal });
  const tms = cluster.taskManagers.length;
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  console.log(
    `Flink ${FLINK_VERSION} is ready: JobManager REST ${cluster.restUrl} ` +
      `(${plural(tms, 'TaskManager')}, ${plural(tms * cluster.slots, 'slot')}) in ` +
      `${seconds(cluster.startMs)}; data in ${cluster.dataDir}`,
  );
  console.log(`JobManager REST ${cluster.restUrl}`);
  console.log(`  JobManager   pid ${cluster.jobManager.pid}, log ${cluster.jobManager.logFile}`);
  for (const tm of cluster.taskManagers) {
    console.log(`  TaskManager  ${tm.id}: pid ${tm.pid}, log ${tm.logFile}`);
  }
  console.log(`  checkpoints  file://${cluster.checkpointDir}`);
  console.log(`  savepoints   file://${cluster.savepointDir}`);
  console.log(
    `  more TaskManagers: node scripts/flink-local.mjs add-task-manager --data-dir ${cluster.dataDir}`,
  );
  console.log('Ctrl-C stops it.');

  const stopped = new Promise((resolveStop) => {
    onStopSignal(resolveStop);
    if (stopRequested) resolveStop(stopRequested);
  });
  const outcome = await Promise.race([
    stopped.then((signal) => ({ signal })),
    cluster.unexpectedExit.then((exit) => ({ exit })),
  ]);
  if (outcome.exit) {
    console.error(
      `The ${outcome.exit.name} JVM exited on its own (code ${outcome.exit.code}); stopping the cluster.\n${outcome.exit.tail}`,
    );
    await cluster.stop();
    return 1;
  }
  const since = Date.now();
  console.log(`\n${outcome.signal}: stopping the TaskManagers, then the JobManager…`);
  await cluster.stop();
  console.log(`Stopped in ${seconds(Date.now() - since)}; data kept in ${cluster.dataDir}.`);
  return 0;
}

async function addTaskManager(dataDir) {
  const starting = new AbortController();
  let stopRequested = null;
  onStopSignal((signal) => {
    stopRequested ??= signal;
    starting.abort();
  });
  const tm = await joinTaskManager({ dataDir, log, signal: starting.signal });
  console.log(
    `TaskManager ${tm.id} is ready (pid ${tm.pid}) in ${seconds(tm.startMs)}; log ${tm.logFile}`,
  );
  console.log("Ctrl-C stops it; so does the end of the cluster's start.");
  // The start that owns the cluster may end first: then this TaskManager has nothing to serve.
  const ownerGone = new Promise((resolveGone) => {
    const timer = setInterval(() => {
      if (!tm.ownerAlive()) {
        clearInterval(timer);
        resolveGone("the cluster's start ended");
      }
    }, 1_000);
  });
  const stopped = new Promise((resolveStop) => {
    onStopSignal(resolveStop);
    if (stopRequested) resolveStop(stopRequested);
  });
  const outcome = await Promise.race([
    stopped.then((reason) => ({ reason })),
    ownerGone.then((reason) => ({ reason })),
    tm.exited.then((code) => ({ code })),
  ]);
  if (outcome.code !== undefined) {
    console.error(
      `TaskManager ${tm.id} exited on its own (code ${outcome.code}).\n${tm.logTail()}`,
    );
    return 1;
  }
  console.log(`${outcome.reason}: stopping TaskManager ${tm.id}…`);
  await tm.stop({ timeoutMs: 30_000 });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exit(code);
  },
  (error) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(error instanceof FlinkLocalError ? error.message : (error?.stack ?? error));
    process.exit(1);
  },
);
