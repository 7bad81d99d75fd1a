/**
 * The JobManager's REST API as the start-up sees it (GET /overview, GET /taskmanagers), polling
 * until a condition holds; and, when a JVM dies instead, the lines of its logs that say why.
 */
import { readFileSync } from 'node:fs';
import { delay } from '../kafka/support.mjs';
import { FlinkLocalError } from './versions.mjs';

/** GET `restUrl + path` as JSON; throws on a refused connection or a non-2xx answer. */
export async function getJson(restUrl, path, timeoutMs = 2_000) {
  const response = await fetch(`${restUrl}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return response.json();
}

/** Resource ids of the TaskManagers the JobManager lists. */
export async function taskManagerIds(restUrl) {
  const body = await getJson(restUrl, '/taskmanagers');
  return body.taskmanagers.map((tm) => tm.id);
}

/**
 * True once /overview counts `slots` slots for each TaskManager it lists: a TaskManager is listed
 * on registration, a moment before its slot report arrives.
 */
export async function slotsSettled(restUrl, slots, taskManagers) {
  const overview = await getJson(restUrl, '/overview');
  const settled =
    overview.taskmanagers >= taskManagers &&
    overview['slots-total'] === overview.taskmanagers * slots;
  return settled ? overview : undefined;
}

/**
 * Polls `check` (an async function returning a value, or undefined to poll again) every 200 ms
 * until it returns a value. Fails fast when one of `jvms` exits (with its log tail), when
 * `signal` aborts, or past `deadline`.
 */
export async function pollUntil(check, { what, deadline, jvms, signal }) {
  let lastError = 'no answer yet';
  for (;;) {
    if (signal?.aborted) throw new FlinkLocalError(`Interrupted while waiting for ${what}.`);
    const dead = jvms.find((jvm) => jvm.hasExited());
    if (dead) {
      const code = await dead.exited;
      throw new FlinkLocalError(
        `The ${dead.name} JVM exited (code ${code}) while waiting for ${what}.\n${logTail(dead)}`,
      );
    }
    if (Date.now() > deadline) {
      throw new FlinkLocalError(`Timed out waiting for ${what} (${lastError}).`);
    }
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error?.cause?.code ?? error?.message ?? String(error);
    }
    await delay(200);
  }
}

/** The last errors of a Flink JVM's log and the last lines of its stdout/stderr. */
export function logTail(jvm) {
  const tail = (file, lines) => {
    try {
      return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  const errors = tail(jvm.logFile, 400)
    .split('\n')
    .filter((line) => /\b(ERROR|FATAL)\b|Exception|Caused by/.test(line))
    .slice(-8)
    .join('\n');
  const out = tail(jvm.outFile, 15);
  const last = errors ? '' : tail(jvm.logFile, 10);
  return [
    errors && `Last errors in ${jvm.logFile}:\n${errors}`,
    last && `Last lines of ${jvm.logFile}:\n${last}`,
    out && `Last lines of ${jvm.outFile}:\n${out}`,
    `(full log: ${jvm.logFile})`,
  ]
    .filter(Boolean)
    .join('\n');
}
