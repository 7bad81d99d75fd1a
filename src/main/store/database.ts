/**
 * Opening StreamPulse's database: the embedded PostgreSQL of the data dir, or any PostgreSQL by
 * URL (`--database-url`, DATABASE_URL). Either way the caller gets a migrated database behind a
 * small pool, and errors that say where we tried to connect — never with the password.
 */
import pg from 'pg';
import type { ConnectionProblem } from '../../shared/settings';
import { maskPassword, urlWithPassword } from '../../shared/postgres-url';
import type { Logger } from '../logger';
import type { DatabaseTarget } from './database-target';
import { EMBEDDED_HOST } from './embedded-postgres-files';
import { EmbeddedPostgresServer } from './embedded-postgres-server';
import { defaultSqlDir, MigrationError, runMigrations } from './migrations';
import { postgresPoolConfig, type PostgresConnectionInput } from './postgres-connection';
import {
  CONNECTION_TIMEOUT_MS,
  DatabaseConnectionError,
  explainPostgresError,
} from './postgres-errors';
import { connectWithRetry, type RetryOptions } from './postgres-retry';

export { CONNECTION_TIMEOUT_MS, DatabaseConnectionError };

interface CommonOptions {
  readonly logger: Logger;
  /** Where the migrations are; default: the project's sql/ (see defaultSqlDir). */
  readonly sqlDir?: string;
  /** Connecting: how often and how long to retry transient problems; default DEFAULT_RETRY. */
  readonly retry?: Partial<RetryOptions>;
}

/** Which database (embedded or by URL, with its pool size), and how to open it. */
export type DatabaseOptions = DatabaseTarget & CommonOptions;

export interface Database {
  readonly pool: pg.Pool;
  /** The connection URL, password included (for `streampulse db url`; never log it). */
  readonly url: string;
  /**
   * What another pool on this database is made from (a worker's:
   * `new pg.Pool(postgresPoolConfig({ ...db.connection, poolMax: 2 }))`). Plain data, so it can
   * go to a worker thread; holds the password: never log it.
   */
  readonly connection: PostgresConnectionInput;
  /** For humans and logs: "embedded PostgreSQL 18 on 127.0.0.1:54329", or the masked URL. */
  describe(): string;
  /**
   * Sets the pool's size while it runs (the settings' "Pool size"): at most that many connections
   * from the next checkout on; past a smaller size, idle ones close after the idle timeout.
   */
  resize(poolMax: number): void;
  /** Ends the pool, then stops the embedded server if there is one. Idempotent. */
  close(): Promise<void>;
}

/** 5 tries over about 3 s: a server restarting, or a Neon compute waking from zero. */
export const DEFAULT_RETRY: RetryOptions = { attempts: 5, initialDelayMs: 200, maxDelayMs: 2000 };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const { logger } = options;
  const sqlDir = options.sqlDir ?? defaultSqlDir();
  let server: EmbeddedPostgresServer | undefined;
  let connection: PostgresConnectionInput;
  let url: string;
  let description: string;
  let hint: string;
  if (options.kind === 'embedded') {
    server = new EmbeddedPostgresServer({ dataDir: options.dataDir, port: options.port, logger });
    await server.start();
    url = server.connectionUrl;
    connection = { url, poolMax: options.poolMax };
    description = `embedded PostgreSQL ${server.version ?? ''} on ${EMBEDDED_HOST}:${server.port}`;
    hint =
      'the embedded server started but refuses connections; rerun with debug logging to see its log';
  } else {
    connection = {
      url: options.url.trim(),
      password: options.password ?? null,
      ca: options.ca ?? null,
      poolMax: options.poolMax,
    };
    // A password from the secret store replaces one in the URL; without one the URL is as given.
    url = options.password ? urlWithPassword(connection.url, options.password) : connection.url;
    description = `PostgreSQL at ${maskPassword(url)}`;
    hint =
      'check that the server is running and reachable from here, and the URL ' +
      '(--database-url or DATABASE_URL): postgres://USER:PASSWORD@HOST:PORT/DATABASE';
  }

  let pool: pg.Pool;
  try {
    pool = createPool(postgresPoolConfig(connection), logger);
  } catch (error) {
    await server?.stop();
    throw error;
  }
  try {
    await checkConnection(pool, options.retry, hint, logger);
    await runMigrations(pool, sqlDir, logger).catch((error: unknown) => {
      throw explained(error, pool);
    });
  } catch (error) {
    await pool.end().catch(() => undefined);
    await server?.stop();
    throw error;
  }
  logger.info('database ready', { database: description });

  let closing: Promise<void> | undefined;
  return {
    pool,
    url,
    connection,
    describe: () => description,
    resize: (poolMax) => {
      // pg-pool reads `max` at each checkout; the configured value is validated the same way.
      pool.options.max = postgresPoolConfig({ ...connection, poolMax }).max!;
      (connection as { poolMax?: number }).poolMax = poolMax;
    },
    close: () =>
      (closing ??= (async () => {
        try {
          await pool.end();
        } finally {
          await server?.stop();
        }
      })()),
  };
}

function createPool(config: pg.PoolConfig, logger: Logger): pg.Pool {
  const pool = new pg.Pool(config);
  // An idle client losing its connection (server restart) emits 'error' on the pool; without a
  // listener that would crash the process. The pool drops that client and opens a new one. One
  // such error comes per idle client: the outage itself is said once, by the engine's reporter
  // (store/outage-reporter.ts) and the status, so these stay at debug.
  pool.on('error', (error) => logger.debug('database connection lost', { error }));
  return pool;
}

async function checkConnection(
  pool: pg.Pool,
  retry: Partial<RetryOptions> | undefined,
  hint: string,
  logger: Logger,
): Promise<void> {
  try {
    const client = await connectWithRetry(pool, {
      ...DEFAULT_RETRY,
      ...retry,
      onRetry: (info) => {
        logger.warn('database not reachable yet; retrying', {
          attempt: info.attempt,
          attempts: info.attempts,
          delayMs: info.delayMs,
          problem: info.problem,
          reason: info.message,
        });
        retry?.onRetry?.(info);
      },
    });
    client.release();
  } catch (error) {
    if (!(error instanceof DatabaseConnectionError)) throw error;
    // Where to look, when the explanation cannot be more precise than "not reachable".
    if (!UNSPECIFIC_PROBLEMS.has(error.problem)) throw error;
    const stop = /[.?!]$/.test(error.message) ? '' : '.';
    throw new DatabaseConnectionError(
      `${error.message}${stop} ${capitalize(hint)}.`,
      error.problem,
      { cause: error.cause },
    );
  }
}

/**
 * An error of a migration run that is about the connection or the role, not a migration file
 * (the connection lost; a role without CREATE on schema public: 42501), as an explained
 * DatabaseConnectionError. Other MigrationErrors (a bad file) and our own bugs stay as they are.
 */
function explained(error: unknown, pool: pg.Pool): unknown {
  const pgError = error instanceof MigrationError ? error.cause : error;
  const code = (pgError as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return error;
  if (error instanceof MigrationError && code !== '42501') return error;
  const { problem, message } = explainPostgresError(pgError, pool.options);
  return new DatabaseConnectionError(message, problem, { cause: error });
}

const UNSPECIFIC_PROBLEMS: ReadonlySet<ConnectionProblem> = new Set([
  'dns',
  'refused',
  'timeout',
  'unreachable',
  'other',
]);

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
