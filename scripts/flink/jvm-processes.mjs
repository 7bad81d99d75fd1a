/**
 * Flink's JVMs, started the way Flink's own bin/ scripts start them (flink-dist's scripts are not
 * on Maven Central): memory flags from BashJavaUtils, Java 17's module flags, one log file per JVM.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireJava } from '../jvm/java.mjs';
import { spawnWatched } from '../jvm/watched-process.mjs';
import { run } from '../kafka/support.mjs';
import { FlinkLocalError } from './versions.mjs';

const JOB_MANAGER_MAIN = 'org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint';
const TASK_MANAGER_MAIN = 'org.apache.flink.runtime.taskexecutor.TaskManagerRunner';
const BASH_JAVA_UTILS = 'org.apache.flink.runtime.util.bash.BashJavaUtils';

/** What Flink's scripts pass on Java 17 (its env.java.opts.all default), for Kryo, Pekko, … */
const MODULE_FLAGS = [
  ...[
    'java.base/sun.net.util',
    'java.rmi/sun.rmi.registry',
    'jdk.compiler/com.sun.tools.javac.api',
    'jdk.compiler/com.sun.tools.javac.file',
    'jdk.compiler/com.sun.tools.javac.parser',
    'jdk.compiler/com.sun.tools.javac.tree',
    'jdk.compiler/com.sun.tools.javac.util',
    'java.security.jgss/sun.security.krb5',
  ].map((pkg) => `--add-exports=${pkg}=ALL-UNNAMED`),
  ...[
    'java.lang',
    'java.net',
    'java.io',
    'java.nio',
    'sun.nio.ch',
    'java.lang.reflect',
    'java.text',
    'java.time',
    'java.util',
    'java.util.concurrent',
    'java.util.concurrent.atomic',
    'java.util.concurrent.locks',
  ].map((pkg) => `--add-opens=java.base/${pkg}=ALL-UNNAMED`),
];

export function flinkJava() {
  return requireJava({ minMajor: 17, who: 'Flink 2.x', ErrorType: FlinkLocalError });
}

/**
 * BashJavaUtils' answer for the config in `confDir`: the JVM memory flags (-Xmx, -Xms,
 * -XX:MaxDirectMemorySize, -XX:MaxMetaspaceSize) and the `-D key=value` options the entry point
 * needs (a TaskManager without them exits: "taskmanager.cpu.cores not set").
 * @param {'jobmanager' | 'taskmanager'} kind
 */
export async function resourceParams(kind, { java, classpath, confDir }) {
  const command = kind === 'jobmanager' ? 'GET_JM_RESOURCE_PARAMS' : 'GET_TM_RESOURCE_PARAMS';
  const result = await run(
    java,
    ['-cp', classpath, BASH_JAVA_UTILS, command, '--configDir', confDir],
    { timeoutMs: 60_000 },
  );
  const prefix = 'BASH_JAVA_UTILS_EXEC_RESULT:';
  const lines = result.stdout
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length).trim());
  if (result.code !== 0 || lines.length < 2) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-10).join('\n');
    throw new FlinkLocalError(
      `Flink's BashJavaUtils ${command} failed (exit ${result.code}) for ${confDir}:\n${output}`,
    );
  }
  const words = (line) => line.split(/\s+/).filter(Boolean);
  return { jvmArgs: words(lines[0]), dynamic: words(lines[1]) };
}

/**
 * Starts the JobManager (or a TaskManager) of the cluster in `paths`; its log is
 * log/<name>.log, its stdout and stderr log/<name>.out.
 * @param {{ kind: 'jobmanager' | 'taskmanager', name: string, java: string, classpath: string,
 *   paths: ReturnType<import('./config.mjs').clusterPaths>, params: { jvmArgs: string[],
 *   dynamic: string[] }, options?: Record<string, string | number> }} spec
 */
export function startFlinkJvm({ kind, name, java, classpath, paths, params, options = {} }) {
  const logFile = join(paths.logDir, `${name}.log`);
  const outFile = join(paths.logDir, `${name}.out`);
  const dynamic = Object.entries(options).flatMap(([key, value]) => ['-D', `${key}=${value}`]);
  const args = [
    ...params.jvmArgs,
    ...MODULE_FLAGS,
    '-XX:+IgnoreUnrecognizedVMOptions',
    `-Dlog.file=${logFile}`,
    `-Dlog4j.configurationFile=file:${paths.log4j}`,
    '-cp',
    classpath,
    kind === 'jobmanager' ? JOB_MANAGER_MAIN : TASK_MANAGER_MAIN,
    '--configDir',
    paths.confDir,
    ...params.dynamic,
    ...dynamic,
  ];
  const jvm = spawnWatched(java, args, {
    logFile: outFile,
    pidFile: join(paths.logDir, `${name}.pid`),
    name: `flink-${name}`,
  });
  return { name, kind, logFile, outFile, ...jvm };
}

/** Resident memory of a process in bytes (VmRSS of /proc/PID/status), or null. */
export function rssBytes(pid) {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}
