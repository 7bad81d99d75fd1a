/**
 * Remote PostgreSQL (Neon, RDS, any TLS Postgres) against a real server that behaves like one:
 * TLS with a test CA, password logins over TLS only (tests/support/tls-postgres.ts). Each way of
 * failing gets its ConnectionProblem and a message that says what to do, and no output ever
 * contains a password.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionTestResult } from '../../src/shared/settings';
import { openDatabase } from '../../src/main/store/database';
import { defaultSqlDir, listMigrations, runMigrations } from '../../src/main/store/migrations';
import {
  postgresPoolConfig,
  testPostgresConnection,
  type PostgresConnectionInput,
} from '../../src/main/store/postgres-connection';
import { DatabaseConnectionError } from '../../src/main/store/postgres-errors';
import {
  backoffDelays,
  connectWithRetry,
  type RetryInfo,
} from '../../src/main/store/postgres-retry';
import { collectingLogger, freePort, makeTempDirs } from '../support/store-test-helpers';
import { startTlsPostgres, type Pooler, type TlsPostgres } from '../support/tls-postgres';

const WRONG_PASSWORD = 'wr0ng-pa55word-9f3k';

let server: TlsPostgres;
const temp = makeTempDirs();

beforeAll(async () => {
  server = await startTlsPostgres();
});

afterAll(async () => {
  await server?.destroy();
  temp.cleanup();
});

/** Runs `sql` as the superuser, on `database` (default postgres), over TLS. */
async function asSuperuser<R extends pg.QueryResultRow>(
  sql: string,
  database = 'postgres',
): Promise<R[]> {
  const url = server.url({ role: server.superuser, sslmode: 'require', database });
  const client = new pg.Client(postgresPoolConfig({ url }));
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Fails if `value` (a message, a result, a log) contains any password, plain or URL-encoded. */
function expectNoSecret(value: unknown): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  for (const secret of [...server.secrets, WRONG_PASSWORD]) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encodeURIComponent(secret));
  }
}

async function connectionTest(
  input: PostgresConnectionInput,
  adjust: (config: pg.PoolConfig) => void = () => undefined,
): Promise<ConnectionTestResult> {
  const config = postgresPoolConfig(input);
  adjust(config);
  const result = await testPostgresConnection(config);
  expectNoSecret(result);
  expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
  return result;
}

/** openDatabase's rejection, checked to be an explained DatabaseConnectionError. */
async function openFails(
  options: Omit<Extract<Parameters<typeof openDatabase>[0], { kind: 'url' }>, 'kind' | 'logger'>,
): Promise<DatabaseConnectionError> {
  const logger = collectingLogger();
  const error = await openDatabase({ kind: 'url', logger, ...options }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DatabaseConnectionError);
  expectNoSecret((error as Error).message);
  expectNoSecret(logger.text());
  return error as DatabaseConnectionError;
}

describe('connecting with sslmode=require', () => {
  it('connects over TLS and names the server version and host', async () => {
    const result = await connectionTest({ url: server.url({ sslmode: 'require' }) });
    expect(result).toMatchObject({ ok: true, problem: null });
    expect(result.message).toContain('PostgreSQL 18');
    expect(result.message).toContain(`127.0.0.1:${server.port}`);
    expect(result.message).toContain('over TLS (certificate not verified)');
  });

  it('openDatabase migrates through it, with the password from the secret store', async () => {
    const logger = collectingLogger();
    const db = await openDatabase({
      kind: 'url',
      url: server.url({ sslmode: 'require', password: null }),
      password: server.app.password,
      logger,
    });
    try {
      const versions = await db.pool.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(versions.rows.map((r) => r.version)).toEqual(
        listMigrations(defaultSqlDir()).map((m) => m.version),
      );
      const ssl = await db.pool.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      expect(ssl.rows).toEqual([{ ssl: true }]);
      expect(db.pool.options.max).toBe(5);
      // For `streampulse db url` and workers: the password is put into the URL.
      expect(decodeURIComponent(new URL(db.url).password)).toBe(server.app.password);
      expectNoSecret(db.describe());
      expectNoSecret(logger.text());
    } finally {
      await db.close();
    }
  });
});

describe('the ways it fails', () => {
  it('without TLS (sslmode=disable, or none) the server refuses: use sslmode=require', async () => {
    for (const sslmode of ['disable', undefined]) {
      const result = await connectionTest({ url: server.url({ sslmode }) });
      expect(result.problem).toBe('tls-required');
      expect(result.ok).toBe(false);
      expect(result.message).toMatch(/add sslmode=require/i);
    }
    // Not worth retrying: openDatabase fails at once, with the same explanation.
    const retries: RetryInfo[] = [];
    const error = await openFails({
      url: server.url({ sslmode: 'disable' }),
      retry: { onRetry: (info) => retries.push(info) },
    });
    expect(error.problem).toBe('tls-required');
    expect(error.message).toMatch(/sslmode=require/);
    expect(retries).toEqual([]);
  });

  it('a wrong password is an authentication problem, as is none at all', async () => {
    const wrong = await connectionTest({
      url: server.url({ sslmode: 'require' }),
      password: WRONG_PASSWORD,
    });
    expect(wrong.problem).toBe('authentication');
    expect(wrong.message).toContain('password authentication failed for user "app"');

    const none = await connectionTest({ url: server.url({ sslmode: 'require', password: null }) });
    expect(none.problem).toBe('authentication');
    expect(none.message).toContain('none was given');

    const error = await openFails({
      url: server.url({ sslmode: 'require', password: WRONG_PASSWORD }),
    });
    expect(error.problem).toBe('authentication');
  });

  it('a database that does not exist', async () => {
    const result = await connectionTest({
      url: server.url({ sslmode: 'require', database: 'no_such_db' }),
    });
    expect(result.problem).toBe('database-missing');
    expect(result.message).toContain('database "no_such_db" does not exist');
    expect(result.message).toContain('CREATE DATABASE');
  });

  it('nothing listening on the port is "refused"', async () => {
    const port = await freePort();
    const result = await connectionTest({ url: server.url({ sslmode: 'require', port }) });
    expect(result.problem).toBe('refused');
    expect(result.message).toContain(`127.0.0.1:${port}`);
    expect(result.message).toContain('ECONNREFUSED');
  });

  it('a host that does not resolve is "dns"', async () => {
    const result = await connectionTest({
      url: server.url({ sslmode: 'require', host: 'db.invalid' }),
    });
    expect(result.problem).toBe('dns');
    expect(result.message).toContain('"db.invalid"');
  });

  it('a server that never answers is "timeout"', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const result = await connectionTest(
        { url: server.url({ sslmode: 'require', port }) },
        (config) => {
          config.connectionTimeoutMillis = 300;
        },
      );
      expect(result.problem).toBe('timeout');
      expect(result.message).toContain('no answer within 0.3 s');
      expect(result.elapsedMs).toBeLessThan(5_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('verifying the server', () => {
  it('verify-full with the CA that signed the certificate', async () => {
    const result = await connectionTest({
      url: server.url({ sslmode: 'verify-full' }),
      ca: server.ca,
    });
    expect(result).toMatchObject({ ok: true, problem: null });
    expect(result.message).toContain('certificate and host name verified');
  });

  it('a CA given without sslmode means verify-full', async () => {
    const good = await connectionTest({ url: server.url(), ca: server.ca });
    expect(good.ok).toBe(true);
    expect(good.message).toContain('certificate and host name verified');
    const bad = await connectionTest({ url: server.url(), ca: server.otherCa });
    expect(bad.problem).toBe('tls');
  });

  it('verify-full with another CA, or the system CAs, is a TLS problem', async () => {
    const other = await connectionTest({
      url: server.url({ sslmode: 'verify-full' }),
      ca: server.otherCa,
    });
    expect(other.problem).toBe('tls');
    expect(other.message).toMatch(/not signed by a CA we trust/);
    expect(other.message).toContain('sslmode=require');

    const system = await connectionTest({ url: server.url({ sslmode: 'verify-full' }) });
    expect(system.problem).toBe('tls');
  });

  it('sslmode=require with a CA verifies the chain against it (as libpq does)', async () => {
    const result = await connectionTest({
      url: server.url({ sslmode: 'require' }),
      ca: server.otherCa,
    });
    expect(result.problem).toBe('tls');
  });

  it('verify-full checks the host name; verify-ca does not', async (context) => {
    const otherHost = server.otherHost;
    if (!otherHost) return context.skip('127.0.0.2 cannot be bound here');
    const full = await connectionTest({
      url: server.url({ sslmode: 'verify-full', host: otherHost }),
      ca: server.ca,
    });
    expect(full.problem).toBe('tls');
    expect(full.message).toContain(`not for "${otherHost}"`);

    const caOnly = await connectionTest({
      url: server.url({ sslmode: 'verify-ca', host: otherHost }),
      ca: server.ca,
    });
    expect(caOnly).toMatchObject({ ok: true, problem: null });
    expect(caOnly.message).toContain('host name not checked');
  });
});

describe('permissions', () => {
  it('a role that may not create tables in schema public', async () => {
    const url = server.url({ role: server.limited, sslmode: 'require' });
    const result = await connectionTest({ url });
    expect(result).toMatchObject({ ok: false, problem: 'permissions' });
    expect(result.message).toContain('PostgreSQL 18');
    expect(result.message).toContain('GRANT CREATE ON SCHEMA public TO "limited"');

    const error = await openFails({ url });
    expect(error.problem).toBe('permissions');
    expect(error.message).toMatch(/permission denied/);
  });
});

describe('connectWithRetry', () => {
  const pools: pg.Pool[] = [];
  afterAll(async () => {
    for (const pool of pools) await pool.end();
  });

  function poolFor(input: PostgresConnectionInput): pg.Pool {
    const pool = new pg.Pool(postgresPoolConfig(input));
    pool.on('error', () => undefined);
    pools.push(pool);
    return pool;
  }

  it('retries "refused" on the backoff schedule, then gives up with the explanation', async () => {
    const pool = poolFor({ url: server.url({ sslmode: 'require', port: await freePort() }) });
    const slept: number[] = [];
    const retries: RetryInfo[] = [];
    const options = { attempts: 4, initialDelayMs: 100, maxDelayMs: 250 };
    const error = await connectWithRetry(pool, {
      ...options,
      sleep: async (ms) => {
        slept.push(ms);
      },
      onRetry: (info) => retries.push(info),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseConnectionError);
    expect((error as DatabaseConnectionError).problem).toBe('refused');
    expect((error as Error).message).toMatch(/\(4 attempts in \d+ s, each given \d+ s\)/);
    expect(slept).toEqual(backoffDelays(options));
    expect(slept).toEqual([100, 200, 250]);
    expect(retries.map((r) => [r.attempt, r.problem])).toEqual([
      [1, 'refused'],
      [2, 'refused'],
      [3, 'refused'],
    ]);
    expectNoSecret((error as Error).message);
  });

  it('does not retry what waiting cannot fix', async () => {
    const pool = poolFor({ url: server.url({ sslmode: 'require' }), password: WRONG_PASSWORD });
    const slept: number[] = [];
    const error = await connectWithRetry(pool, {
      attempts: 5,
      initialDelayMs: 100,
      maxDelayMs: 1000,
      sleep: async (ms) => {
        slept.push(ms);
      },
    }).catch((e: unknown) => e);
    expect((error as DatabaseConnectionError).problem).toBe('authentication');
    expect((error as Error).message).not.toContain('attempts');
    expect(slept).toEqual([]);
    expectNoSecret((error as Error).message);
  });

  it('succeeds when the server comes up during the backoff', async () => {
    await server.stop();
    const pool = poolFor({ url: server.url({ sslmode: 'require' }) });
    const retries: RetryInfo[] = [];
    const slept: number[] = [];
    const client = await connectWithRetry(pool, {
      attempts: 3,
      initialDelayMs: 50,
      maxDelayMs: 50,
      // The "wait" is when the server (a Neon compute waking) comes up: no real sleeping.
      sleep: async (ms) => {
        slept.push(ms);
        await server.start();
      },
      onRetry: (info) => retries.push(info),
    });
    try {
      const { rows } = await client.query<{ ok: number }>('SELECT 1 AS ok');
      expect(rows).toEqual([{ ok: 1 }]);
    } finally {
      client.release();
    }
    expect(retries.map((r) => r.problem)).toEqual(['refused']);
    expect(slept).toEqual([50]);
    expectNoSecret(retries);
  });
});

describe("through a transaction pooler (PgBouncer in transaction mode, like Neon's -pooler hosts)", () => {
  let pooler: Pooler | null = null;
  beforeAll(async () => {
    pooler = await server.startPooler();
  });

  it('concurrent migration runs apply each migration once and leave no lock behind', async (context) => {
    if (!pooler) return context.skip('pgbouncer is not installed');
    await asSuperuser(`CREATE DATABASE pooled_concurrent OWNER ${server.app.user}`);
    // Not idempotent on purpose (a second CREATE TABLE would fail), and slow enough to overlap.
    const dir = temp.make();
    fs.writeFileSync(
      path.join(dir, '001_slow.sql'),
      'CREATE TABLE once (id integer);\nSELECT pg_sleep(0.3);',
    );
    fs.writeFileSync(path.join(dir, '002_next.sql'), 'INSERT INTO once VALUES (2);');
    const url = pooler.url({ sslmode: 'require', database: 'pooled_concurrent' });
    const pools = [1, 2].map(() => new pg.Pool(postgresPoolConfig({ url, poolMax: 2 })));
    try {
      const results = await Promise.all(
        pools.map((pool) => runMigrations(pool, dir, collectingLogger())),
      );
      expect(results.flat().sort()).toEqual([1, 2]);
      const rows = await pools[0]!.query('SELECT count(*)::int AS n FROM once');
      expect(rows.rows).toEqual([{ n: 1 }]);
      // A session-level advisory lock would stay behind on one of PgBouncer's server connections.
      const locks = await asSuperuser<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'",
      );
      expect(locks).toEqual([{ n: 0 }]);
    } finally {
      for (const pool of pools) await pool.end();
    }
  });

  it('openDatabase migrates through it', async (context) => {
    if (!pooler) return context.skip('pgbouncer is not installed');
    await asSuperuser(`CREATE DATABASE pooled_open OWNER ${server.app.user}`);
    const logger = collectingLogger();
    const db = await openDatabase({
      kind: 'url',
      url: pooler.url({ sslmode: 'require', database: 'pooled_open', password: null }),
      password: server.app.password,
      logger,
    });
    try {
      const versions = await db.pool.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(versions.rows.map((r) => r.version)).toEqual(
        listMigrations(defaultSqlDir()).map((m) => m.version),
      );
      expectNoSecret(logger.text());
    } finally {
      await db.close();
    }
  });
});
