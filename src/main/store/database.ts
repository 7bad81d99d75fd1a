/**
 * Opening StreamPulse's database: the embedded PostgreSQL of the data dir, or any PostgreSQL by
 * URL (`--database-url`, DATABASE_URL). Either way the caller gets a migrated database behind a
 * small pool, and errors that say where we tried to connect — never with the password.
 */
import pg from 'pg';
import type { Logger } from '../logger';
import { EMBEDDED_HOST } from './embedded-postgres-files';
import { EmbeddedPostgresServer } from './embedded-postgres-server';
import { defaultSqlDir, runMigrations } from './migrations';

interface CommonOptions {
  readonly logger: Logger;
  /** Where the migrations are; default: the project's sql/ (see defaultSqlDir). */
  readonly sqlDir?: string;
}

export type DatabaseOptions =
  | (CommonOptions & {
      readonly kind: 'embedded';
      readonly dataDir: string;
      /** Preferred port, default 54329; the next free one if taken. */
      readonly port?: number;
    })
  | (CommonOptions & { readonly kind: 'url'; readonly url: string });

export interface Database {
  readonly pool: pg.Pool;
  /** The connection URL, password included (for `streampulse db url`; never log it). */
  readonly url: string;
  /** For humans and logs: "embedded PostgreSQL 18 on 127.0.0.1:54329", or the masked URL. */
  describe(): string;
  /** Ends the pool, then stops the embedded server if there is one. Idempotent. */
  close(): Promise<void>;
}

/** Could not reach or log into the server: says where, and what to try. */
export class DatabaseConnectionError extends Error {
  override readonly name = 'DatabaseConnectionError';
}

export const POOL_MAX = 8;
export const CONNECTION_TIMEOUT_MS = 10_000;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const { logger } = options;
  const sqlDir = options.sqlDir ?? defaultSqlDir();
  let server: EmbeddedPostgresServer | undefined;
  let url: string;
  let description: string;
  let hint: string;
  if (options.kind === 'embedded') {
    server = new EmbeddedPostgresServer({ dataDir: options.dataDir, port: options.port, logger });
    await server.start();
    url = server.connectionUrl;
    description = `embedded PostgreSQL ${server.version ?? ''} on ${EMBEDDED_HOST}:${server.port}`;
    hint =
      'the embedded server started but refuses connections; rerun with debug logging to see its log';
  } else {
    url = checkedUrl(options.url);
    description = `PostgreSQL at ${maskPassword(url)}`;
    hint =
      'check that the server is running and reachable from here, and the URL ' +
      '(--database-url or DATABASE_URL): postgres://USER:PASSWORD@HOST:PORT/DATABASE';
  }

  const pool = createPool(url, logger);
  try {
    await checkConnection(pool, url, hint);
    await runMigrations(pool, sqlDir, logger);
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
    describe: () => description,
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

/** The URL with its password (in the user part or a `password=` parameter) replaced by ***. */
export function maskPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.toString();
  } catch {
    return url
      .replace(/(password\s*=\s*)[^\s&]+/gi, '$1***')
      .replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
  }
}

/**
 * Only postgres:// URLs: pg reads any other string as a database *name*, which would then show
 * up, password and all, in error messages.
 */
function checkedUrl(url: string): string {
  if (!/^postgres(ql)?:\/\//i.test(url.trim())) {
    throw new DatabaseConnectionError(
      `the database URL must look like postgres://USER:PASSWORD@HOST:PORT/DATABASE, got "${maskPassword(url)}"`,
    );
  }
  return url.trim();
}

function createPool(url: string, logger: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_MAX,
    connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    application_name: 'streampulse',
  });
  // An idle client losing its connection (server restart) emits 'error' on the pool; without a
  // listener that would crash the process. The pool drops that client and opens a new one.
  pool.on('error', (error) => logger.warn('database connection lost', { error }));
  return pool;
}

async function checkConnection(pool: pg.Pool, url: string, hint: string): Promise<void> {
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    const target = new pg.Client({ connectionString: url });
    const where = `${target.host}:${target.port}`;
    const database = target.database ? ` (database "${target.database}")` : '';
    const reason = redact(error instanceof Error ? error.message : String(error), target.password);
    throw new DatabaseConnectionError(
      `cannot connect to PostgreSQL at ${where}${database}: ${reason || 'no reason given'}. ${capitalize(hint)}.`,
      { cause: error },
    );
  }
}

/** Belt and braces: pg's messages do not contain the password, and must not start to. */
function redact(message: string, password: string | undefined): string {
  return password && password.length >= 4 ? message.split(password).join('***') : message;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
