/**
 * A real local Flink session cluster for tests (one JobManager, N TaskManagers, free ports on
 * 127.0.0.1). The logic lives in scripts/flink/cluster.mjs, shared with `npm run flink:local`.
 *
 *   const cluster = await startFlinkCluster({ taskManagers: 1 });
 *   const overview = await flinkRest(cluster, '/overview');
 *   …
 *   await cluster.destroy();
 *
 * The first start downloads the cluster's jars with Maven (~84 MiB, cached in
 * ~/.cache/streampulse/flink): give the hook that starts it a few minutes.
 */
import {
  FLINK_VERSION,
  startFlinkCluster as startCluster,
  type RunningFlinkCluster,
  type TaskManagerInfo,
} from '../../scripts/flink/cluster.mjs';

export { FLINK_VERSION };
export type { RunningFlinkCluster, TaskManagerInfo };

export function startFlinkCluster(
  options: { taskManagers?: number; slots?: number; dataDir?: string; timeoutMs?: number } = {},
): Promise<RunningFlinkCluster> {
  return startCluster(options);
}

/** GET a path of the JobManager's REST API as JSON (fails on a non-2xx answer). */
export async function flinkRest<T = Record<string, unknown>>(
  cluster: Pick<RunningFlinkCluster, 'restUrl'>,
  path: string,
): Promise<T> {
  const response = await fetch(`${cluster.restUrl}${path}`, {
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** Whether a process exists (signal 0). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
