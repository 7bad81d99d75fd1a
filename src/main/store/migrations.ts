/**
 * Schema migrations: `sql/NNN_name.sql`, applied in numeric order, each in its own transaction
 * and recorded in `schema_migrations`. Files must not contain BEGIN/COMMIT themselves.
 *
 * Several processes may start against one database at once (two engines on one server), so the
 * whole run holds a session advisory lock on one connection: the second waits, then finds the
 * versions applied and skips them.
 */
import fs from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { Logger } from '../logger';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly file: string;
}

/** A migration that failed (and was rolled back): names the file and Postgres's message. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/** Any 64-bit key works; this one is "SPMIGRAT" in ASCII, recognisable in pg_locks. */
const MIGRATION_LOCK_KEY = '6003383280409395540';
const FILE_PATTERN = /^(\d+)_([A-Za-z0-9_-]+)\.sql$/;

/**
 * The project's `sql/` directory: walks up from this module until a folder holds
 * `sql/001_init.sql`, so it works from the sources (src/main/store) and from the bundle
 * (out/main, out/main/chunks). A packaged app must ship sql/ and pass its location instead.
 */
export function defaultSqlDir(from: string = import.meta.url): string {
  const start = dirname(from.startsWith('file:') ? fileURLToPath(from) : from);
  for (let dir = start; ; dir = dirname(dir)) {
    if (fs.existsSync(join(dir, 'sql', '001_init.sql'))) return join(dir, 'sql');
    if (dirname(dir) === dir) break;
  }
  throw new Error(`cannot find the sql/ directory (with 001_init.sql) above ${start}`);
}

/** The migration files of `sqlDir`, by version; two files with one version are an error. */
export function listMigrations(sqlDir: string): Migration[] {
  const migrations = new Map<number, Migration>();
  for (const entry of fs.readdirSync(sqlDir)) {
    const match = FILE_PATTERN.exec(entry);
    if (!match) continue;
    const version = Number(match[1]);
    const other = migrations.get(version);
    if (other) {
      throw new MigrationError(
        `two migrations have version ${version}: ${other.file} and ${entry}`,
      );
    }
    migrations.set(version, { version, name: match[2] ?? '', file: join(sqlDir, entry) });
  }
  return [...migrations.values()].sort((a, b) => a.version - b.version);
}

/** Applies the pending migrations of `sqlDir`; returns the versions this call applied. */
export async function runMigrations(
  pool: pg.Pool,
  sqlDir: string,
  logger: Logger,
): Promise<number[]> {
  const migrations = listMigrations(sqlDir);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await applyPending(client, migrations, logger);
    } finally {
      await client
        .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
        .catch((error: Error) => {
          broken = error;
        });
    }
  } catch (error) {
    // The connection may be dead or mid-transaction: never hand it back to the pool.
    broken = error as Error;
    throw error;
  } finally {
    client.release(broken);
  }
}

async function applyPending(
  client: pg.PoolClient,
  migrations: readonly Migration[],
  logger: Logger,
): Promise<number[]> {
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer     PRIMARY KEY,
    name       text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
  const applied = new Set(rows.map((row) => row.version));
  const known = new Set(migrations.map((m) => m.version));
  const unknown = [...applied].filter((version) => !known.has(version));
  if (unknown.length > 0) {
    logger.warn('the database has migrations this StreamPulse does not know (a newer version?)', {
      versions: unknown.sort((a, b) => a - b),
    });
  }
  const done: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    await apply(client, migration);
    logger.info('applied migration', { version: migration.version, name: migration.name });
    done.push(migration.version);
  }
  return done;
}

async function apply(client: pg.PoolClient, migration: Migration): Promise<void> {
  const sql = fs.readFileSync(migration.file, 'utf8');
  await client.query('BEGIN');
  try {
    // No parameters: the simple query protocol, which runs a file of several statements.
    await client.query(sql);
    await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
      migration.version,
      migration.name,
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const pgError = error as { message?: string; position?: string };
    const where = pgError.position ? ` (at character ${pgError.position})` : '';
    throw new MigrationError(
      `migration ${migration.file} failed and was rolled back: ${pgError.message ?? String(error)}${where}`,
    );
  }
}
