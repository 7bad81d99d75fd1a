/**
 * openDatabase end to end: the embedded database across a restart, a PostgreSQL by URL (the
 * machine's own on 127.0.0.1:5432, in a database made for the test; skipped if there is none),
 * and the errors a wrong URL gives.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { CONNECTION_TIMEOUT_MS, DatabaseConnectionError, openDatabase } from './database';
import {
  collectingLogger,
  freePort,
  makeTempDirs,
  withClient,
} from '../../../tests/support/store-test-helpers';

const TABLES = [
  'content_stats',
  'region_health',
  'device_stats',
  'alerts',
  'checkpoints',
  'dead_letters',
  'late_events',
  'drills',
  'drill_incidents',
  'schema_migrations',
];

const temp = makeTempDirs();
afterAll(() => temp.cleanup());

describe('openDatabase: embedded', () => {
  it('starts, migrates, and after a restart has the same data and migrates nothing', async () => {
    const dataDir = temp.make();
    const port = await freePort();
    const first = await openDatabase({
      kind: 'embedded',
      dataDir,
      port,
      logger: collectingLogger(),
    });
    let appliedAt: unknown;
    try {
      expect(first.describe()).toBe(`embedded PostgreSQL 18 on 127.0.0.1:${port}`);
      expect(await missingTables(first.pool)).toEqual([]);
      const versions = await first.pool.query<{ version: number; applied_at: Date }>(
        'SELECT version, applied_at FROM schema_migrations ORDER BY version',
      );
      expect(versions.rows.map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6]);
      appliedAt = versions.rows.map((r) => r.applied_at.toISOString());
      await first.pool.query(
        `INSERT INTO checkpoints (group_id, source_partition, next_offset, state)
         VALUES ('engine', 0, 1234, '{"open": []}')`,
      );
    } finally {
      await first.close();
    }
    await first.close(); // idempotent

    const logger = collectingLogger();
    const second = await openDatabase({ kind: 'embedded', dataDir, port, logger });
    try {
      const row = await second.pool.query(
        "SELECT next_offset FROM checkpoints WHERE group_id = 'engine'",
      );
      expect(row.rows).toEqual([{ next_offset: '1234' }]);
      const versions = await second.pool.query<{ applied_at: Date }>(
        'SELECT applied_at FROM schema_migrations ORDER BY version',
      );
      expect(versions.rows.map((r) => r.applied_at.toISOString())).toEqual(appliedAt);
      expect(logger.entries.filter((e) => e.msg === 'applied migration')).toEqual([]);
    } finally {
      await second.close();
    }
  });
});

const SYSTEM_PG =
  process.env.STREAMPULSE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const systemPgAvailable = await withClient(SYSTEM_PG, async () => true).catch(() => false);

describe.skipIf(!systemPgAvailable)('openDatabase: by URL (the machine PostgreSQL)', () => {
  it('applies the migrations to a fresh database and masks the password when describing it', async () => {
    const name = `streampulse_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    await withClient(SYSTEM_PG, (client) => client.query(`CREATE DATABASE ${name}`));
    try {
      const target = new URL(SYSTEM_PG);
      target.pathname = `/${name}`;
      target.password = 'not-checked-by-trust-auth';
      const db = await openDatabase({
        kind: 'url',
        url: target.toString(),
        logger: collectingLogger(),
      });
      try {
        expect(db.url).toBe(target.toString());
        expect(db.describe()).toContain(`/${name}`);
        expect(db.describe()).not.toContain('not-checked-by-trust-auth');
        expect(await missingTables(db.pool)).toEqual([]);
        const versions = await db.pool.query('SELECT version FROM schema_migrations ORDER BY 1');
        expect(versions.rows).toEqual([
          { version: 1 },
          { version: 2 },
          { version: 3 },
          { version: 4 },
          { version: 5 },
          { version: 6 },
        ]);
      } finally {
        await db.close();
      }
    } finally {
      await withClient(SYSTEM_PG, (client) => client.query(`DROP DATABASE ${name} WITH (FORCE)`));
    }
  });
});

describe('openDatabase: errors', () => {
  it('an unreachable server gives an error naming host and port, well within the timeout', async () => {
    const port = await freePort(); // nothing listens there now
    const started = Date.now();
    const error = await openDatabase({
      kind: 'url',
      url: `postgres://streampulse:s3cret-pw@127.0.0.1:${port}/analytics`,
      logger: collectingLogger(),
    }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(CONNECTION_TIMEOUT_MS);
    expect(error).toBeInstanceOf(DatabaseConnectionError);
    const message = (error as Error).message;
    expect(message).toContain(`127.0.0.1:${port}`);
    expect(message).toContain('database "analytics"');
    expect(message).toMatch(/ECONNREFUSED/);
    expect(message).toMatch(/--database-url or DATABASE_URL/);
    expect(message).not.toContain('s3cret-pw');
  });

  it('refuses a string that is not a postgres:// URL, without echoing its password', async () => {
    const error = await openDatabase({
      kind: 'url',
      url: 'host=db.example password=hunter22 dbname=x',
      logger: collectingLogger(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseConnectionError);
    expect((error as Error).message).toMatch(/must look like postgres:\/\//);
    expect((error as Error).message).not.toContain('hunter22');
  });
});

describe('openDatabase: pool size', () => {
  it('honours the pool size for the embedded database, and resizes it while open', async () => {
    const db = await openDatabase({
      kind: 'embedded',
      dataDir: temp.make(),
      poolMax: 3,
      logger: collectingLogger(),
    });
    try {
      // Six slow queries at once: three connections open, three queries wait for one.
      const slow = (n: number) =>
        Array.from({ length: n }, () => db.pool.query('SELECT pg_sleep(1)'));
      let running = slow(6);
      await expect.poll(() => db.pool.totalCount).toBe(3);
      expect(db.pool.waitingCount).toBe(3);
      await Promise.all(running);
      db.resize(5);
      running = slow(6);
      await expect.poll(() => db.pool.totalCount).toBe(5);
      expect(db.pool.waitingCount).toBe(1);
      await Promise.all(running);
      // A worker's pool on the same database is built from `connection`: it carries the size.
      expect(db.connection.poolMax).toBe(5);
    } finally {
      await db.close();
    }
  });
});

async function missingTables(pool: {
  query: (sql: string, values: unknown[]) => Promise<{ rows: { name: string }[] }>;
}): Promise<string[]> {
  const { rows } = await pool.query(
    'SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NULL',
    [TABLES],
  );
  return rows.map((r) => r.name);
}
