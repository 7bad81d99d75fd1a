/**
 * runMigrations against one embedded server; each test migrates its own fresh database from its
 * own temp sql/ dir.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedPostgresServer } from './embedded-postgres-server';
import { defaultSqlDir, listMigrations, MigrationError, runMigrations } from './migrations';
import {
  collectingLogger,
  makeTempDirs,
  withClient,
} from '../../../tests/support/store-test-helpers';

const temp = makeTempDirs();
let server: EmbeddedPostgresServer;
const pools: pg.Pool[] = [];
let databases = 0;

beforeAll(async () => {
  server = new EmbeddedPostgresServer({
    dataDir: temp.make(),
    logger: collectingLogger(),
    port: 0,
  });
  await server.start();
});

afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.end();
});

afterAll(async () => {
  await server?.stop();
  temp.cleanup();
});

/** A pool on a new, empty database (two pools on one database: pass the name back in). */
async function freshPool(name?: string): Promise<{ pool: pg.Pool; name: string }> {
  const database = name ?? `migrations_${++databases}`;
  if (!name) await withClient(server.connectionUrl, (c) => c.query(`CREATE DATABASE ${database}`));
  const url = new URL(server.connectionUrl);
  url.pathname = `/${database}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  // An idle client whose backend the test (or the server stopping) ends emits 'error' on the pool:
  // expected here, and unhandled it fails the whole run.
  pool.on('error', () => undefined);
  pools.push(pool);
  return { pool, name: database };
}

function sqlDir(files: Record<string, string>): string {
  const dir = temp.make();
  for (const [name, sql] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), sql);
  return dir;
}

async function appliedVersions(pool: pg.Pool): Promise<number[]> {
  const { rows } = await pool.query<{ version: number }>(
    'SELECT version FROM schema_migrations ORDER BY version',
  );
  return rows.map((r) => r.version);
}

describe('runMigrations', () => {
  it('applies files in numeric order, records them, and applies nothing the second time', async () => {
    const dir = sqlDir({
      '10_add_index.sql': 'CREATE INDEX items_note ON items (note);',
      '002_add_column.sql': 'ALTER TABLE items ADD COLUMN note text;',
      '001_create.sql':
        'CREATE TABLE items (id integer PRIMARY KEY);\nINSERT INTO items VALUES (1);',
      'README.md': 'not a migration',
    });
    const { pool } = await freshPool();
    const logger = collectingLogger();
    expect(await runMigrations(pool, dir, logger)).toEqual([1, 2, 10]);
    expect(await appliedVersions(pool)).toEqual([1, 2, 10]);
    const names = await pool.query('SELECT name FROM schema_migrations ORDER BY version');
    expect(names.rows).toEqual([{ name: 'create' }, { name: 'add_column' }, { name: 'add_index' }]);

    expect(await runMigrations(pool, dir, logger)).toEqual([]);
    expect(await appliedVersions(pool)).toEqual([1, 2, 10]);
  });

  it('rolls back a failing migration and names its file and the error', async () => {
    const files = {
      '001_ok.sql': 'CREATE TABLE kept (id integer);',
      '002_broken.sql': 'CREATE TABLE half_done (id integer);\nSELECT no_such_function();',
    };
    const dir = sqlDir(files);
    const { pool } = await freshPool();
    const error = await runMigrations(pool, dir, collectingLogger()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toContain(path.join(dir, '002_broken.sql'));
    expect((error as Error).message).toContain('function no_such_function() does not exist');
    expect(await appliedVersions(pool)).toEqual([1]);
    const tables = await pool.query(
      "SELECT to_regclass('kept')::text AS kept, to_regclass('half_done')::text AS half_done",
    );
    expect(tables.rows).toEqual([{ kept: 'kept', half_done: null }]);

    // Fixed, it applies on the next start.
    fs.writeFileSync(path.join(dir, '002_broken.sql'), 'CREATE TABLE half_done (id integer);');
    expect(await runMigrations(pool, dir, collectingLogger())).toEqual([2]);
  });

  it('serializes concurrent runs: each migration is applied once', async () => {
    // Not idempotent on purpose (a second CREATE TABLE would fail), and slow enough to overlap.
    const dir = sqlDir({
      '001_slow.sql': 'CREATE TABLE once (id integer);\nSELECT pg_sleep(0.3);',
      '002_next.sql': 'INSERT INTO once VALUES (2);',
    });
    const { pool: a, name } = await freshPool();
    const { pool: b } = await freshPool(name);
    const results = await Promise.all([
      runMigrations(a, dir, collectingLogger()),
      runMigrations(b, dir, collectingLogger()),
    ]);
    expect(results.flat().sort()).toEqual([1, 2]);
    expect(await appliedVersions(a)).toEqual([1, 2]);
    expect((await a.query('SELECT count(*)::int AS n FROM once')).rows).toEqual([{ n: 1 }]);
  });

  it('rejects two files with the same version', () => {
    const dir = sqlDir({ '001_a.sql': 'SELECT 1;', '1_b.sql': 'SELECT 2;' });
    expect(() => listMigrations(dir)).toThrow(/two migrations have version 1/);
  });
});

describe('defaultSqlDir', () => {
  const projectSql = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../sql');

  it("finds the project's sql/ from the sources and from the bundle's locations", () => {
    expect(defaultSqlDir()).toBe(projectSql);
    const project = path.dirname(projectSql);
    for (const built of ['out/main/cli.js', 'out/main/chunks/database-abc123.js']) {
      expect(defaultSqlDir(pathToFileURL(path.join(project, built)).href)).toBe(projectSql);
    }
    expect(listMigrations(projectSql).map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('says where it looked when there is no sql/', () => {
    expect(() => defaultSqlDir(pathToFileURL('/nowhere/at/all.js').href)).toThrow(
      /cannot find the sql\/ directory .*\/nowhere\/at/,
    );
  });
});
