/**
 * One TaskManager joining a running cluster: its own free RPC and data ports, a resource id
 * (tm-1, tm-2, …) the JobManager lists it by, and a wait until it is listed.
 */
import { readdirSync } from 'node:fs';
import { freePorts, processAlive } from '../kafka/support.mjs';
import { readClusterState } from './config.mjs';
import { fetchFlink } from './fetch.mjs';
import { flinkJava, resourceParams, startFlinkJvm } from './jvm-processes.mjs';
import { getJson, logTail, pollUntil, slotsSettled, taskManagerIds } from './readiness.mjs';
import { FlinkLocalError } from './versions.mjs';

/**
 * The next free resource id: one past the highest tm-K the JobManager lists or that has a log in
 * the data dir (a TaskManager started by another process, or killed earlier, keeps its number).
 */
export async function nextTaskManagerId(restUrl, paths, taken = []) {
  const listed = await taskManagerIds(restUrl).catch(() => []);
  const logged = readdirSync(paths.logDir).map((file) => file.replace(/\.(log|out|pid)$/, ''));
  const numbers = [...listed, ...logged, ...taken]
    .map((id) => /^(?:taskmanager-)?tm-(\d+)$/.exec(id)?.[1])
    .filter(Boolean)
    .map(Number);
  return `tm-${Math.max(0, ...numbers) + 1}`;
}

/**
 * Starts TaskManager `id` (ports chosen now, so several can run side by side) and resolves once
 * the JobManager at `restUrl` lists it and counts its slots; on failure the JVM is stopped and the error says why.
 * @returns {Promise<ReturnType<typeof startFlinkJvm> & { id: string }>}
 */
export async function launchTaskManager(
  id,
  { java, classpath, paths, params, restUrl, slots, deadline, watch = [], signal },
) {
  const [rpcPort, dataPort] = await freePorts(2);
  const jvm = startFlinkJvm({
    kind: 'taskmanager',
    name: `taskmanager-${id}`,
    java,
    classpath,
    paths,
    params,
    options: {
      'taskmanager.resource-id': id,
      'taskmanager.rpc.port': rpcPort,
      'taskmanager.data.port': dataPort,
    },
  });
  try {
    const listedWithSlots = async () =>
      (await taskManagerIds(restUrl)).includes(id) ? slotsSettled(restUrl, slots, 1) : undefined;
    await pollUntil(listedWithSlots, {
      what: `TaskManager ${id} to register with its ${slots} slots`,
      deadline,
      jvms: [jvm, ...watch],
      signal,
    });
  } catch (error) {
    await jvm.stop({ timeoutMs: 5_000 });
    throw error;
  }
  return Object.assign(jvm, { id });
}

/**
 * One more TaskManager for the cluster another process started in `dataDir` (the CLI's
 * add-task-manager). Resolves once the JobManager lists it.
 */
export async function joinTaskManager({ dataDir, timeoutMs = 60_000, log = () => {}, signal }) {
  const { paths, state, restUrl } = readClusterState(dataDir);
  await getJson(restUrl, '/overview').catch((error) => {
    throw new FlinkLocalError(
      `The cluster of ${paths.dataDir} does not answer on ${restUrl} (${error?.cause?.code ?? error.message}); is its start still running?`,
    );
  });
  const started = Date.now();
  const { classpath } = await fetchFlink({ log });
  const java = await flinkJava();
  const params = await resourceParams('taskmanager', { java, classpath, confDir: paths.confDir });
  const id = await nextTaskManagerId(restUrl, paths);
  const tm = await launchTaskManager(id, {
    slots: state.slots,
    java,
    classpath,
    paths,
    params,
    restUrl,
    deadline: started + timeoutMs,
    signal,
  });
  return {
    id,
    pid: tm.jvmPid() ?? tm.pid,
    logFile: tm.logFile,
    ownerPid: state.ownerPid,
    ownerAlive: () => processAlive(state.ownerPid),
    startMs: Date.now() - started,
    exited: tm.exited,
    stop: tm.stop,
    logTail: () => logTail(tm),
  };
}
