/**
 * A local Apache Flink session cluster on 127.0.0.1 (one JobManager, N TaskManagers, each its own
 * JVM), for development and tests. Shared by `scripts/flink-local.mjs` (the CLI) and
 * `tests/support/flink-cluster.ts` (the test fixture); see docs/flink.md.
 *
 * The pieces: versions.mjs (version, errors), fetch.mjs (lib/ from Maven Central, cached),
 * config.mjs (data dir layout, config.yaml), jvm-processes.mjs (the JVMs), task-manager.mjs (one
 * TaskManager joining), readiness.mjs (REST polling, log tails). Importers use this module.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../kafka/support.mjs';
import { clusterPaths, writeClusterConfig } from './config.mjs';
import { fetchFlink } from './fetch.mjs';
import { flinkJava, resourceParams, rssBytes, startFlinkJvm } from './jvm-processes.mjs';
import { getJson, logTail, pollUntil, slotsSettled } from './readiness.mjs';
import { launchTaskManager, nextTaskManagerId } from './task-manager.mjs';
import { FLINK_VERSION, FlinkLocalError } from './versions.mjs';

export { FLINK_VERSION, FlinkLocalError } from './versions.mjs';
export { fetchFlink, flinkCacheRoot } from './fetch.mjs';
export { readClusterState } from './config.mjs';
export { logTail } from './readiness.mjs';
export { rssBytes } from './jvm-processes.mjs';
export { joinTaskManager } from './task-manager.mjs';

function positiveInt(name, value) {
  if (!Number.isInteger(value) || value < 1) {
    throw new FlinkLocalError(`${name} must be a whole number of at least 1 (got ${value}).`);
  }
  return value;
}

/** Starts JobManager and TaskManagers; resolves once the JobManager lists every TaskManager. */
export async function startFlinkCluster({
  taskManagers = 1,
  slots = 2,
  parallelism = slots,
  dataDir,
  timeoutMs = 120_000,
  log = () => {},
  signal,
} = {}) {
  positiveInt('taskManagers', taskManagers);
  positiveInt('slots', slots);
  positiveInt('parallelism', parallelism);
  const fetched = await fetchFlink({ log });
  const java = await flinkJava();
  // Start-up time, like the Kafka broker's: from config to ready, without the first fetch.
  const started = Date.now();
  const ownDir = dataDir === undefined;
  const paths = clusterPaths(dataDir ?? mkdtempSync(join(tmpdir(), 'streampulse-flink-')));
  const [rpc, rest, blob] = await freePorts(3);
  writeClusterConfig(paths, {
    ports: { rpc, rest, blob },
    slots,
    parallelism,
    ownerPid: process.pid,
  });
  const ctx = { java, classpath: fetched.classpath, paths, signal };
  const [jmParams, tmParams] = await Promise.all([
    resourceParams('jobmanager', { ...ctx, confDir: paths.confDir }),
    resourceParams('taskmanager', { ...ctx, confDir: paths.confDir }),
  ]);
  const restUrl = `http://127.0.0.1:${rest}`;
  const deadline = started + timeoutMs;
  const jobManager = startFlinkJvm({
    kind: 'jobmanager',
    name: 'jobmanager',
    ...ctx,
    params: jmParams,
  });
  const tms = [];
  try {
    // TaskManagers start alongside the JobManager (their JVMs warm up while it does; they retry
    // registering until its ResourceManager answers), which saves seconds on two cores.
    const tmCtx = { ...ctx, params: tmParams, restUrl, slots, deadline, watch: [jobManager] };
    for (let k = 1; k <= taskManagers; k++) {
      tms.push(launchTaskManager(`tm-${k}`, tmCtx));
    }
    await pollUntil(() => getJson(restUrl, '/overview'), {
      what: `the JobManager's REST API on ${restUrl}`,
      deadline,
      jvms: [jobManager],
      signal,
    });
    // Settled one by one below, so a failure stops every JVM started so far.
    const results = await Promise.allSettled(tms);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    tms.splice(0, tms.length, ...results.map((result) => result.value));
    await pollUntil(() => slotsSettled(restUrl, slots, taskManagers), {
      what: `${taskManagers} TaskManager(s) with ${slots} slots each in /overview`,
      deadline,
      jvms: [jobManager],
      signal,
    });
  } catch (error) {
    const running = (await Promise.allSettled(tms)).flatMap((r) =>
      r.status === 'fulfilled' ? [r.value] : [],
    );
    await Promise.all(running.map((tm) => tm.stop({ timeoutMs: 5_000 })));
    await jobManager.stop({ timeoutMs: 5_000 });
    if (ownDir) rmSync(paths.dataDir, { recursive: true, force: true });
    throw error;
  }
  return clusterHandle({
    ...ctx,
    restUrl,
    ownDir,
    jobManager,
    tms,
    tmParams,
    startMs: Date.now() - started,
    slots,
    parallelism,
  });
}

function clusterHandle({
  java,
  classpath,
  paths,
  restUrl,
  ownDir,
  jobManager,
  tms,
  tmParams,
  startMs,
  slots,
  parallelism,
}) {
  const expected = new Set(); // JVMs this process stopped or killed on purpose
  let onUnexpected;
  const unexpectedExit = new Promise((resolveExit) => (onUnexpected = resolveExit));
  const watch = (jvm) =>
    jvm.exited.then((code) => {
      if (!expected.has(jvm)) onUnexpected({ name: jvm.name, code, tail: logTail(jvm) });
    });
  const describe = (tm) => ({ id: tm.id, pid: tm.jvmPid() ?? tm.pid, logFile: tm.logFile });
  [jobManager, ...tms].forEach(watch);

  const cluster = {
    version: FLINK_VERSION,
    restUrl,
    dataDir: paths.dataDir,
    checkpointDir: paths.checkpointDir,
    savepointDir: paths.savepointDir,
    logDir: paths.logDir,
    slots,
    parallelism,
    startMs,
    jobManager: { pid: jobManager.jvmPid() ?? jobManager.pid, logFile: jobManager.logFile },
    get taskManagers() {
      return tms.map(describe);
    },
    /** Resolves when a JVM exits that stop() or killTaskManager() did not end. */
    unexpectedExit,
    rss() {
      return {
        jobManager: rssBytes(cluster.jobManager.pid),
        taskManagers: Object.fromEntries(tms.map((tm) => [tm.id, rssBytes(describe(tm).pid)])),
      };
    },
    async addTaskManager({ timeoutMs = 60_000 } = {}) {
      const id = await nextTaskManagerId(
        restUrl,
        paths,
        tms.map((tm) => tm.id),
      );
      const tm = await launchTaskManager(id, {
        java,
        classpath,
        paths,
        params: tmParams,
        restUrl,
        slots,
        deadline: Date.now() + timeoutMs,
        watch: [jobManager],
      });
      tms.push(tm);
      watch(tm);
      return describe(tm);
    },
    async killTaskManager(id, signal = 'SIGKILL') {
      const tm = tms.find((candidate) => candidate.id === id);
      if (!tm) throw new FlinkLocalError(`No TaskManager ${id} of this cluster is running.`);
      expected.add(tm);
      process.kill(describe(tm).pid, signal); // the JVM itself, as a crash would; its sh wrapper follows
      await tm.exited;
      tms.splice(tms.indexOf(tm), 1);
    },
    /** TaskManagers first (so none outlives the JobManager and retries it), then the JobManager. */
    async stop() {
      const stopping = tms.splice(0);
      stopping.forEach((tm) => expected.add(tm));
      expected.add(jobManager);
      await Promise.all(stopping.map((tm) => tm.stop({ timeoutMs: 30_000 })));
      await jobManager.stop({ timeoutMs: 30_000 });
    },
    async destroy() {
      await cluster.stop();
      if (ownDir) rmSync(paths.dataDir, { recursive: true, force: true });
    },
  };
  return cluster;
}
