/**
 * Which database StreamPulse uses and how to reach it, in one shape: built once from the settings
 * (runtime/runtime-config.ts `databaseTargetOf`) or a command's flags, and passed unchanged to the
 * pipeline, `openDatabase`, and the CLI commands. Plain data (a worker thread can receive it).
 * A URL target may hold a password: never log one; `describeDatabaseTarget` masks it.
 */
import { maskPassword } from '../../shared/postgres-url';

export type DatabaseTarget =
  | {
      readonly kind: 'embedded';
      /** The data dir: the server's files are under it. */
      readonly dataDir: string;
      /** Preferred port, default 54329; the next free one if taken. */
      readonly port?: number;
      /** Connections in the pool (the settings' "Pool size"); default DEFAULT_POOL_MAX. */
      readonly poolMax?: number;
    }
  | {
      readonly kind: 'url';
      /** postgres://USER[:PASSWORD]@HOST:PORT/DATABASE[?sslmode=…] (see shared/postgres-url.ts). */
      readonly url: string;
      /** From the secret store: replaces a password in the URL. */
      readonly password?: string | null;
      /** PEM text of the server's CA. */
      readonly ca?: string | null;
      /** Connections in the pool (the settings' "Pool size"); default DEFAULT_POOL_MAX. */
      readonly poolMax?: number;
    };

/** For humans and logs: never contains a password. */
export function describeDatabaseTarget(target: DatabaseTarget): string {
  return target.kind === 'url'
    ? `PostgreSQL at ${maskPassword(target.url)}`
    : 'embedded PostgreSQL';
}

/**
 * Whether two targets are the same server reached the same way, so that only the pool size can
 * differ: such a change resizes the open pool instead of switching databases.
 */
export function sameServer(a: DatabaseTarget, b: DatabaseTarget): boolean {
  if (a.kind === 'embedded' || b.kind === 'embedded')
    return a.kind === 'embedded' && b.kind === 'embedded' && a.dataDir === b.dataDir;
  return (
    a.url === b.url &&
    (a.password ?? null) === (b.password ?? null) &&
    (a.ca ?? null) === (b.ca ?? null)
  );
}
