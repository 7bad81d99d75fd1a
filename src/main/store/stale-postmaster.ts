/**
 * Recovery from a crash of StreamPulse, before the embedded server starts.
 *
 * A StreamPulse killed with SIGKILL (or a crash of Electron) leaves its postgres child running
 * as an orphan that still holds `postmaster.pid`, the port and the data; a machine crash leaves
 * `postmaster.pid` naming a pid that is dead or now belongs to someone else. Postgres refuses to
 * start over a live lock and may be fooled by a recycled pid, so we settle it first — without
 * ever deleting data: a live orphan of this cluster is shut down (SIGINT: fast shutdown, which
 * is clean), a stale lock file is removed.
 *
 * Limits, accepted for a desktop app: off Linux we cannot read another process's command line,
 * so a live pid is taken to be our postgres; and liveness checks race with pid reuse.
 */
import fs from 'node:fs';
import type { Logger } from '../logger';
import { isProcessAlive, procStat } from '../process-liveness';
import { readServerInfo, type EmbeddedPostgresPaths } from './embedded-postgres-files';

/** The cluster is in use by another running StreamPulse (or something else): we must not take it. */
export class EmbeddedPostgresBusyError extends Error {
  override readonly name = 'EmbeddedPostgresBusyError';
}

export interface StaleRecoveryOptions {
  readonly paths: EmbeddedPostgresPaths;
  readonly logger: Logger;
  /** How long a fast shutdown of the orphan may take before it is killed. */
  readonly shutdownTimeoutMs?: number;
}

export async function recoverStalePostmaster(options: StaleRecoveryOptions): Promise<void> {
  const { paths, logger } = options;
  const pid = readPostmasterPid(paths.postmasterPidFile);
  if (pid === null) return;
  if (pid === undefined || !isProcessAlive(pid) || !isPostgresFor(pid, paths.cluster)) {
    fs.rmSync(paths.postmasterPidFile, { force: true });
    logger.warn('removed a stale postmaster.pid left by a crash', {
      file: paths.postmasterPidFile,
      pid,
    });
    return;
  }
  const owner = liveOwner(pid, paths);
  if (owner !== undefined) {
    throw new EmbeddedPostgresBusyError(
      `the embedded database in ${paths.root} is in use by another StreamPulse (process ${owner}, ` +
        `postgres pid ${pid}). Stop that one first, or use a different --data-dir.`,
    );
  }
  logger.warn('stopping the orphaned embedded PostgreSQL left by a crashed StreamPulse', { pid });
  await stopProcess(pid, options.shutdownTimeoutMs ?? 20_000, logger);
  // A fast shutdown removes postmaster.pid itself; after SIGKILL we remove it.
  fs.rmSync(paths.postmasterPidFile, { force: true });
}

/**
 * The pid on the first line of postmaster.pid: null if there is no file, undefined if it is
 * unreadable or garbage (postgres would refuse such a file too).
 */
function readPostmasterPid(file: string): number | null | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const pid = Number((text.split('\n')[0] ?? '').trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Whether `pid` is a postgres serving `cluster`: on Linux its command line must mention postgres
 * and, if it has a `-D` argument, name this cluster (the system's own PostgreSQL, or another
 * StreamPulse's, is never touched). Elsewhere a live pid is assumed to be ours.
 */
export function isPostgresFor(pid: number, cluster: string): boolean {
  let cmdline: string;
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch (error) {
    // No /proc (macOS, Windows), or not allowed to look (hidepid): assume it is ours. On Linux,
    // ENOENT means it has just exited. (Postgres's own shared-memory interlock is the backstop.)
    return process.platform !== 'linux' || (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
  const args = cmdline.split('\0').filter((arg) => arg !== '');
  if (!args.some((arg) => arg.includes('postgres'))) return false;
  const dataDirIndex = args.indexOf('-D');
  const dataDir = dataDirIndex >= 0 ? args[dataDirIndex + 1] : undefined;
  return dataDir === undefined || samePath(dataDir, cluster);
}

/**
 * The pid of a live StreamPulse other than us that owns the postgres `pid`, per server.json.
 * On Linux the postmaster's parent must still be that process (an orphan is re-parented); a
 * postgres started by this very process and forgotten (as a crashed parent would) is an orphan.
 */
function liveOwner(pid: number, paths: EmbeddedPostgresPaths): number | undefined {
  const info = readServerInfo(paths);
  if (!info || info.pid !== pid || info.ownerPid === 0 || info.ownerPid === process.pid) {
    return undefined;
  }
  const parent = procStat(pid)?.ppid;
  if (parent !== undefined) return parent === info.ownerPid ? info.ownerPid : undefined;
  return isProcessAlive(info.ownerPid) ? info.ownerPid : undefined;
}

/** SIGINT (postgres's fast shutdown), then SIGKILL if it outlives the timeout. */
export async function stopProcess(pid: number, timeoutMs: number, logger: Logger): Promise<void> {
  signal(pid, 'SIGINT');
  if (await waitForExit(pid, timeoutMs)) return;
  logger.warn('PostgreSQL did not shut down in time: killing it', { pid, timeoutMs });
  signal(pid, 'SIGKILL');
  if (await waitForExit(pid, 5_000)) return;
  throw new Error(`could not stop PostgreSQL (pid ${pid}); stop it by hand and try again`);
}

/** Polls until `pid` is gone; false if it is still alive after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function samePath(a: string, b: string): boolean {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return a === b;
  }
}
