/**
 * A JVM run under a small sh watchdog: the wrapper forwards SIGTERM/SIGINT to the JVM and stops it
 * when its stdin (a pipe from this Node process) closes, so a killed CLI or test worker leaves no
 * JVM behind. Shared by the local Kafka broker and the local Flink cluster.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';

const WATCHDOG = `
exec 3<&0
"$@" 3<&- </dev/null &
jvm=$!
if [ -n "$WATCHED_PID_FILE" ]; then echo "$jvm" > "$WATCHED_PID_FILE"; fi
trap 'kill -TERM "$jvm" 2>/dev/null' TERM INT HUP
( while read -r _; do :; done <&3; kill -TERM "$jvm" 2>/dev/null ) &
watchdog=$!
exec 3<&-
status=0
while kill -0 "$jvm" 2>/dev/null; do wait "$jvm"; status=$?; done
kill "$watchdog" 2>/dev/null
exit "$status"
`;

const running = new Set();
let exitHookInstalled = false;

/**
 * @typedef {object} WatchedProcess
 * @property {number} pid the sh wrapper's pid (its process group holds the JVM too)
 * @property {() => number | undefined} jvmPid the JVM's own pid, once the wrapper has written it
 * @property {Promise<number | null>} exited resolves with the exit code (-1 for a signal)
 * @property {() => boolean} hasExited
 * @property {(options?: { timeoutMs?: number }) => Promise<void>} stop SIGTERM, SIGKILL of the
 *   group past the timeout
 */

/**
 * Starts `command args` (a JVM) under the watchdog, its stdout and stderr appended to `logFile`.
 * With `pidFile`, the wrapper writes the JVM's pid there (see jvmPid()).
 * @returns {WatchedProcess}
 */
export function spawnWatched(command, args, { logFile, pidFile, name = 'jvm', env }) {
  if (pidFile) rmSync(pidFile, { force: true }); // a previous run's pid is not this JVM's
  const out = openSync(logFile, 'a');
  const child = spawn('sh', ['-c', WATCHDOG, name, command, ...args], {
    stdio: ['pipe', out, out],
    detached: true,
    env: { ...(env ?? process.env), WATCHED_PID_FILE: pidFile ?? '' },
  });
  closeSync(out);
  let exitCode;
  const exited = new Promise((resolveExit) => {
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? -1 : null);
      running.delete(child);
      resolveExit(exitCode);
    });
    child.once('error', () => {
      exitCode = -1;
      running.delete(child);
      resolveExit(-1);
    });
  });
  running.add(child);
  installExitHook();

  let jvm;
  const jvmPid = () => {
    if (jvm === undefined && pidFile) {
      try {
        jvm = Number(readFileSync(pidFile, 'utf8').trim()) || undefined;
      } catch {
        // not written yet
      }
    }
    return jvm;
  };
  const stop = async ({ timeoutMs = 60_000 } = {}) => {
    if (exitCode !== undefined) return;
    child.kill('SIGTERM');
    // Past the timeout, SIGKILL the process group: the sh wrapper and the JVM.
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
    child.stdin?.destroy();
  };
  return { pid: child.pid, jvmPid, exited, hasExited: () => exitCode !== undefined, stop };
}

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    // The process group: the sh wrapper and the JVM both get SIGTERM (the JVM's shutdown hook).
    for (const child of running) killGroup(child, 'SIGTERM');
  });
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
