/**
 * Schema migrations: `sql/NNN_name.sql`, applied in numeric order, each in its own transaction
 * and recorded in `schema_migrations`. Files must not contain BEGIN/COMMIT themselves.
 *
 * Several processes may start against one database at once (two engines on one server), so each
 * of the run's transactions first takes a transaction-level advisory lock: the second process
 * waits, then finds the versions applied and skips them. Transaction-level, not session-level
 * (pg_advisory_lock): through a transaction pooler (PgBouncer in transaction mode, Neon's pooled
 * endpoints) consecutive statements of one client may run on different server connections, so a
 * session lock could be taken on one and never released on another. For the same reason a
 * migration file must not change session state (SET without LOCAL, LISTEN, temp tables, named
 * prepared statements).
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
 * (out/main, out/main/chunks), also in the packaged app, whose asar archive holds sql/ beside
 * out/ (electron-builder.yml's `files`; Electron's fs reads inside the archive).
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
    const applied = await appliedVersions(client);
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
      if (!(await apply(client, migration))) continue; // another process applied it meanwhile
      logger.info('applied migration', { version: migration.version, name: migration.name });
      done.push(migration.version);
    }
    return done;
  } catch (error) {
    // The connection may be dead or mid-transaction: never hand it back to the pool.
    broken = error as Error;
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Creates schema_migrations if missing and reads it, under the lock (one transaction). */
async function appliedVersions(client: pg.PoolClient): Promise<Set<number>> {
  return inLockedTransaction(client, async () => {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer     PRIMARY KEY,
      name       text        NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM schema_migrations',
    );
    return new Set(rows.map((row) => row.version));
  });
}

/**
 * Applies one migration in its own transaction, unless it was applied since we looked (checked
 * under the lock, in a statement after taking it, so it sees what the lock's last holder
 * committed). Returns whether it applied it.
 */
async function apply(client: pg.PoolClient, migration: Migration): Promise<boolean> {
  const sql = fs.readFileSync(migration.file, 'utf8');
  return inLockedTransaction(client, async () => {
    const found = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [
      migration.version,
    ]);
    if (found.rowCount) return false;
    try {
      // No parameters: the simple query protocol, which runs a file of several statements.
      await client.query(sql);
    } catch (error) {
      const pgError = error as { message?: string; position?: string };
      const where = pgError.position ? ` (at character ${pgError.position})` : '';
      throw new MigrationError(
        `migration ${migration.file} failed and was rolled back: ${pgError.message ?? String(error)}${where}`,
        { cause: error },
      );
    }
    await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
      migration.version,
      migration.name,
    ]);
    return true;
  });
}

/** BEGIN, the migration lock (released at COMMIT or ROLLBACK), `work`, COMMIT. */
async function inLockedTransaction<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
