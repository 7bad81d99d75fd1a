/** Types of ./cluster.mjs (the local Flink cluster), for the TypeScript test fixture. */

export declare const FLINK_VERSION: string;

export declare class FlinkLocalError extends Error {}

export declare function flinkCacheRoot(): string;

export interface FetchedFlink {
  version: string;
  /** The cluster's lib/ folder. */
  libDir: string;
  /** `<libDir>/*`, for `java -cp`. */
  classpath: string;
  /** false when it came from the cache. */
  downloaded: boolean;
  jars: number;
  bytes: number;
  ms: number;
}

export declare function fetchFlink(options?: {
  log?: (line: string) => void;
}): Promise<FetchedFlink>;

export interface TaskManagerInfo {
  /** Its resource id, as /taskmanagers lists it: 'tm-1', 'tm-2', … */
  id: string;
  /** The JVM's pid. */
  pid: number;
  logFile: string;
}

export interface UnexpectedExit {
  /** 'jobmanager' or 'taskmanager-tm-K'. */
  name: string;
  code: number | null;
  /** The last errors of its log, for a message. */
  tail: string;
}

export interface RunningFlinkCluster {
  version: string;
  /** 'http://127.0.0.1:port' */
  restUrl: string;
  dataDir: string;
  /** execution.checkpointing.dir (a path; the config has it as file://…). */
  checkpointDir: string;
  /** execution.checkpointing.savepoint-dir (a path). */
  savepointDir: string;
  logDir: string;
  slots: number;
  parallelism: number;
  /** Config written to every TaskManager registered with its slots, ms (no fetch). */
  startMs: number;
  jobManager: { pid: number; logFile: string };
  /** The TaskManagers running now (a fresh array on each read). */
  readonly taskManagers: TaskManagerInfo[];
  /** Resolves when a JVM exits that stop() or killTaskManager() did not end. */
  unexpectedExit: Promise<UnexpectedExit>;
  /** Resident memory in bytes (VmRSS), null when unreadable. */
  rss(): { jobManager: number | null; taskManagers: Record<string, number | null> };
  /** Starts one more TaskManager; resolves once the JobManager lists it with its slots. */
  addTaskManager(options?: { timeoutMs?: number }): Promise<TaskManagerInfo>;
  /** Sends `signal` (default SIGKILL) to the TaskManager's JVM and waits for it to exit. */
  killTaskManager(id: string, signal?: NodeJS.Signals): Promise<void>;
  /** TaskManagers first, then the JobManager; waits for every JVM to exit. Data is kept. */
  stop(): Promise<void>;
  /** Stops, and removes the data dir if startFlinkCluster made it. */
  destroy(): Promise<void>;
}

export declare function startFlinkCluster(options?: {
  taskManagers?: number;
  slots?: number;
  parallelism?: number;
  /** Kept after stop; default a new temp dir (removed by destroy()). */
  dataDir?: string;
  timeoutMs?: number;
  log?: (line: string) => void;
  /** Aborting it while the cluster starts stops its JVMs and rejects. */
  signal?: AbortSignal;
}): Promise<RunningFlinkCluster>;

/** Resident memory of a process in bytes (VmRSS), or null. */
export declare function rssBytes(pid: number): number | null;
