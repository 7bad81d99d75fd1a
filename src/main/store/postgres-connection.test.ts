/**
 * The pure parts of postgres-connection.ts: reading URLs into pool configurations (sslmode as
 * libpq means it), explaining errors (as pg and Node raise them), the backoff schedule. Real
 * servers: tests/integration/remote-postgres.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POOL_MAX, postgresPoolConfig } from './postgres-connection';
import {
  DatabaseConnectionError,
  describePostgresTarget,
  explainPostgresError,
  type PostgresTarget,
} from './postgres-errors';
import {
  backoffDelays,
  connectWithRetry,
  FIRST_CONNECT_DEADLINE_MS,
  isTransientProblem,
  type RetryOptions,
} from './postgres-retry';

// Any well-formed certificate will do: only parsed (self-signed, expired, its key thrown away).
const PEM = `-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUWRgXidAKfpr99db2X9Ik1mCZVWowCgYIKoZIzj0EAwIw
IzEhMB8GA1UEAwwYU3RyZWFtUHVsc2UgdW5pdC10ZXN0IENBMB4XDTI2MTEyNTAw
MzE0M1oXDTI2MTEyNjAwMzE0M1owIzEhMB8GA1UEAwwYU3RyZWFtUHVsc2UgdW5p
dC10ZXN0IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE+Rswx3P90ngx7d40
WsGHCjHbfOOHsou4ewgiU/wZzsJtxprnNmmQHkuUsLZtcuu+SasAuAA4Fn4sElIJ
Atg4GKNTMFEwHQYDVR0OBBYEFHeh6qEgrEbfJCTmPVNY8M0i39XKMB8GA1UdIwQY
MBaAFHeh6qEgrEbfJCTmPVNY8M0i39XKMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZI
zj0EAwIDSAAwRQIgH6bxwXRbYmUhYHKxTII/Tu45NOco0ePN1+jbn4awKOYCIQC1
0Vt0rb5SlRnVMplIqsSB8xyVwi+g++1LZPvIV0KkFA==
-----END CERTIFICATE-----`;

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-pgconn-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

function invalidMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DatabaseConnectionError);
    expect((error as DatabaseConnectionError).problem).toBe('invalid');
    return (error as Error).message;
  }
  throw new Error('expected postgresPoolConfig to refuse it');
}

describe('postgresPoolConfig', () => {
  it('reads host, port, user, password and database, with the pool defaults', () => {
    const config = postgresPoolConfig({
      url: 'postgres://neondb_owner:p%40ss%2Fw%3Ard@ep-cool-1.eu-central-1.aws.neon.tech/neondb?sslmode=require',
    });
    expect(config).toMatchObject({
      host: 'ep-cool-1.eu-central-1.aws.neon.tech',
      port: 5432,
      user: 'neondb_owner',
      password: 'p@ss/w:rd',
      database: 'neondb',
      max: DEFAULT_POOL_MAX,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: 'streampulse',
    });
    expect(DEFAULT_POOL_MAX).toBe(5);
    expect(config).not.toHaveProperty('connectionString');
  });

  it('takes the password from the secret store over the URL, and the pool size given', () => {
    const url = 'postgresql://u:in-url@db.example:6543/sp?password=in-param';
    expect(postgresPoolConfig({ url, password: 'from-store', poolMax: 2 })).toMatchObject({
      password: 'from-store',
      port: 6543,
      max: 2,
    });
    expect(postgresPoolConfig({ url }).password).toBe('in-param');
    expect(postgresPoolConfig({ url: 'postgres://u:in-url@h/db', password: '' }).password).toBe(
      'in-url',
    );
    expect(postgresPoolConfig({ url: 'postgres://u@h/db', password: null }).password).toBe(
      undefined,
    );
  });

  it('reads IPv6 hosts, and defaults a missing host to localhost', () => {
    expect(postgresPoolConfig({ url: 'postgres://u@[::1]:5433/db' })).toMatchObject({
      host: '::1',
      port: 5433,
    });
    expect(postgresPoolConfig({ url: 'postgres:///db' }).host).toBe('localhost');
  });

  describe('sslmode, as libpq', () => {
    it('none, or disable: no TLS (explicitly, so PGSSLMODE cannot turn it on)', () => {
      expect(postgresPoolConfig({ url: 'postgres://u@h/db' }).ssl).toBe(false);
      expect(postgresPoolConfig({ url: 'postgres://u@h/db?sslmode=disable' }).ssl).toBe(false);
    });

    it('require: TLS without verification, unless a CA is given (then the chain, as verify-ca)', () => {
      expect(postgresPoolConfig({ url: 'postgres://u@h/db?sslmode=require' }).ssl).toEqual({
        rejectUnauthorized: false,
      });
      const withCa = postgresPoolConfig({ url: 'postgres://u@h/db?sslmode=require', ca: PEM })
        .ssl as Exclude<pg.PoolConfig['ssl'], boolean | undefined>;
      expect(withCa).toMatchObject({ ca: PEM, rejectUnauthorized: true });
      expect(withCa.checkServerIdentity?.('h', {} as never)).toBeUndefined();
    });

    it('verify-ca: the chain against the CA, which it requires, not the host name', () => {
      const ssl = postgresPoolConfig({ url: 'postgres://u@h/db?sslmode=verify-ca', ca: PEM })
        .ssl as Exclude<pg.PoolConfig['ssl'], boolean | undefined>;
      expect(ssl).toMatchObject({ ca: PEM, rejectUnauthorized: true });
      expect(typeof ssl.checkServerIdentity).toBe('function');
      expect(
        invalidMessage(() => postgresPoolConfig({ url: 'postgres://u@h/db?sslmode=verify-ca' })),
      ).toMatch(/verify-ca needs the server's CA certificate/);
    });

    it('verify-full: chain and host name, against the CA or the system CAs', () => {
      const url = 'postgres://u@h/db?sslmode=verify-full';
      expect(postgresPoolConfig({ url, ca: PEM }).ssl).toEqual({
        ca: PEM,
        rejectUnauthorized: true,
      });
      expect(postgresPoolConfig({ url }).ssl).toEqual({ rejectUnauthorized: true });
      // A CA and no sslmode: verify-full.
      expect(postgresPoolConfig({ url: 'postgres://u@h/db', ca: PEM }).ssl).toEqual({
        ca: PEM,
        rejectUnauthorized: true,
      });
    });

    it('sslrootcert: a CA file, or system (verify-full only)', () => {
      const file = path.join(temp, 'root.crt');
      fs.writeFileSync(file, PEM);
      expect(
        postgresPoolConfig({ url: `postgres://u@h/db?sslmode=verify-ca&sslrootcert=${file}` }).ssl,
      ).toMatchObject({ ca: PEM });
      expect(postgresPoolConfig({ url: 'postgres://u@h/db?sslrootcert=system' }).ssl).toEqual({
        rejectUnauthorized: true,
      });
      expect(
        invalidMessage(() =>
          postgresPoolConfig({ url: 'postgres://u@h/db?sslmode=require&sslrootcert=system' }),
        ),
      ).toMatch(/sslrootcert=system needs sslmode=verify-full/);
      expect(
        invalidMessage(() =>
          postgresPoolConfig({ url: `postgres://u@h/db?sslrootcert=${temp}/missing.crt` }),
        ),
      ).toMatch(/cannot read the CA certificate file/);
    });

    it('refuses prefer, allow, no-verify and unknown modes, saying what to use', () => {
      for (const mode of ['prefer', 'allow', 'no-verify']) {
        expect(
          invalidMessage(() => postgresPoolConfig({ url: `postgres://u@h/db?sslmode=${mode}` })),
        ).toMatch(new RegExp(`sslmode=${mode} is not supported: use sslmode=require`));
      }
      expect(
        invalidMessage(() => postgresPoolConfig({ url: 'postgres://u@h/db?sslmode=verify' })),
      ).toMatch(/sslmode must be one of disable, require, verify-ca, verify-full/);
    });

    it('refuses a CA with sslmode=disable, and a CA that is not PEM', () => {
      expect(
        invalidMessage(() =>
          postgresPoolConfig({ url: 'postgres://u@h/db?sslmode=disable', ca: PEM }),
        ),
      ).toMatch(/CA certificate is set but the URL says sslmode=disable/);
      expect(
        invalidMessage(() =>
          postgresPoolConfig({ url: 'postgres://u@h/db?sslmode=require', ca: 'not a cert' }),
        ),
      ).toMatch(/not a PEM certificate/);
    });
  });

  it('passes channel_binding, options, application_name and connect_timeout on', () => {
    const config = postgresPoolConfig({
      url:
        'postgres://u@h/db?sslmode=require&channel_binding=require' +
        '&options=endpoint%3Dep-cool-1&application_name=mine&connect_timeout=3',
    });
    expect(config).toMatchObject({
      enableChannelBinding: true,
      options: 'endpoint=ep-cool-1',
      application_name: 'mine',
      connectionTimeoutMillis: 3000,
    });
    expect(
      postgresPoolConfig({ url: 'postgres://u@h/db?channel_binding=disable' }).enableChannelBinding,
    ).toBe(false);
    expect(
      invalidMessage(() =>
        postgresPoolConfig({ url: 'postgres://u@h/db?channel_binding=require' }),
      ),
    ).toMatch(/needs TLS/);
    expect(
      invalidMessage(() => postgresPoolConfig({ url: 'postgres://u@h/db?connect_timeout=0.5' })),
    ).toMatch(/connect_timeout/);
  });

  it('refuses parameters it does not know, ssl=true and client certificates', () => {
    expect(
      invalidMessage(() => postgresPoolConfig({ url: 'postgres://u@h/db?sslmod=require' })),
    ).toMatch(/does not support: "sslmod". Supported: sslmode,/);
    expect(invalidMessage(() => postgresPoolConfig({ url: 'postgres://u@h/db?ssl=true' }))).toMatch(
      /use sslmode=require/,
    );
    expect(
      invalidMessage(() => postgresPoolConfig({ url: 'postgres://u@h/db?sslcert=/c.pem' })),
    ).toMatch(/client certificates/);
  });

  it('refuses what is not a postgres:// URL, and a bad pool size, never echoing a password', () => {
    const notUrl = invalidMessage(() =>
      postgresPoolConfig({ url: 'host=db.example password=hunter22 dbname=x' }),
    );
    expect(notUrl).toMatch(/must look like postgres:\/\/USER:PASSWORD@HOST:PORT\/DATABASE/);
    expect(notUrl).not.toContain('hunter22');
    const broken = invalidMessage(() =>
      postgresPoolConfig({ url: 'postgres://u:hunter22@h:99999/db' }),
    );
    expect(broken).not.toContain('hunter22');
    const escape = invalidMessage(() => postgresPoolConfig({ url: 'postgres://u:hunt%zz@h/db' }));
    expect(escape).toMatch(/bad %-escape/);
    expect(escape).not.toContain('hunt');
    expect(
      invalidMessage(() => postgresPoolConfig({ url: 'postgres://u@h/db', poolMax: 0 })),
    ).toMatch(/pool size must be a whole number >= 1/);
  });
});

describe('explainPostgresError', () => {
  const where: PostgresTarget = {
    host: 'db.example',
    port: 5432,
    database: 'sp',
    user: 'app',
    password: 'hunter22-secret',
    connectionTimeoutMillis: 10_000,
  };

  function nodeError(code: string, message: string, extra: object = {}): Error {
    return Object.assign(new Error(message), { code, ...extra });
  }

  function serverError(code: string, message: string): pg.DatabaseError {
    const error = new pg.DatabaseError(message, message.length, 'error');
    error.code = code;
    error.severity = 'FATAL';
    return error;
  }

  const cases: Array<[string, unknown, string, RegExp]> = [
    [
      'ENOTFOUND',
      nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND db.example', { hostname: 'db.example' }),
      'dns',
      /no such host "db.example" \(ENOTFOUND\): check the host name/,
    ],
    ['EAI_AGAIN', nodeError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN db.example'), 'dns', /right now/],
    [
      'ECONNREFUSED',
      nodeError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:5432'),
      'refused',
      /connection refused \(ECONNREFUSED\)/,
    ],
    [
      'ECONNREFUSED on IPv4 and IPv6 (AggregateError)',
      Object.assign(new AggregateError([nodeError('ECONNREFUSED', 'x')], ''), {
        code: 'ECONNREFUSED',
      }),
      'refused',
      /ECONNREFUSED/,
    ],
    ['pg client timeout', new Error('timeout expired'), 'timeout', /no answer within 10 s/],
    [
      'pg pool timeout',
      new Error('Connection terminated due to connection timeout', {
        cause: new Error('Connection terminated unexpectedly'),
      }),
      'timeout',
      /no answer within 10 s/,
    ],
    ['ETIMEDOUT', nodeError('ETIMEDOUT', 'connect ETIMEDOUT'), 'timeout', /timed out/],
    ['ECONNRESET', nodeError('ECONNRESET', 'read ECONNRESET'), 'unreachable', /ECONNRESET/],
    [
      'connection ended while connecting',
      new Error('Connection terminated unexpectedly'),
      'unreachable',
      /closed the connection/,
    ],
    [
      'no pg_hba.conf entry, no encryption',
      serverError(
        '28000',
        'no pg_hba.conf entry for host "1.2.3.4", user "app", database "sp", no encryption',
      ),
      'tls-required',
      /requires an encrypted connection .*Add sslmode=require to the URL/,
    ],
    [
      'pg_hba.conf rejects, no encryption',
      serverError(
        '28000',
        'pg_hba.conf rejects connection for host "1.2.3.4", user "app", database "sp", no encryption',
      ),
      'tls-required',
      /sslmode=require/,
    ],
    [
      "Neon's proxy without TLS",
      serverError('08P01', 'connection is insecure (try using `sslmode=require`)'),
      'tls-required',
      /sslmode=require/,
    ],
    [
      'no pg_hba.conf entry, with TLS',
      serverError(
        '28000',
        'no pg_hba.conf entry for host "1.2.3.4", user "app", database "sp", SSL encryption',
      ),
      'authorization',
      /does not let this user in/,
    ],
    [
      'server without TLS',
      new Error('The server does not support SSL connections'),
      'tls',
      /does not support TLS/,
    ],
    [
      'self-signed',
      nodeError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'),
      'tls',
      /not signed by a CA we trust .*sslmode=require/,
    ],
    [
      'unknown CA',
      nodeError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'),
      'tls',
      /not signed by a CA we trust/,
    ],
    [
      'host name mismatch',
      nodeError(
        'ERR_TLS_CERT_ALTNAME_INVALID',
        "Hostname/IP does not match certificate's altnames",
        {
          reason: "Host: db.example. is not in the cert's altnames: DNS:other.example",
        },
      ),
      'tls',
      /not for "db.example" .*verify-ca/,
    ],
    ['expired', nodeError('CERT_HAS_EXPIRED', 'certificate has expired'), 'tls', /not valid now/],
    [
      'wrong password',
      serverError('28P01', 'password authentication failed for user "app"'),
      'authentication',
      /password authentication failed for user "app"/,
    ],
    [
      'no password',
      new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'),
      'authentication',
      /none was given/,
    ],
    [
      'missing database',
      serverError('3D000', 'database "sp" does not exist'),
      'database-missing',
      /database "sp" does not exist: create it/,
    ],
    [
      'no CREATE',
      serverError('42501', 'permission denied for schema public'),
      'permissions',
      /permission denied for schema public.*CREATE on schema public/,
    ],
    [
      'starting up',
      serverError('57P03', 'the database system is starting up'),
      'unreachable',
      /starting up.*try again/,
    ],
    [
      'too many connections',
      serverError('53300', 'too many connections for role "app"'),
      'other',
      /lower the pool size/,
    ],
    ['anything else', serverError('XX000', 'boom'), 'other', /boom \(SQLSTATE XX000\)/],
  ];

  it.each(cases)('%s', (_name, error, problem, message) => {
    const explained = explainPostgresError(error, where);
    expect(explained.problem).toBe(problem);
    expect(explained.message).toMatch(message);
    expect(explained.message).toContain('db.example:5432 (database "sp", user "app")');
    expect(explained.message).not.toContain('hunter22-secret');
  });

  it('never repeats the password, even when an error quotes it', () => {
    const quoted = serverError('XX000', 'role "app" with password hunter22-secret is odd');
    const encoded = new Error(`bad URL postgres://app:${encodeURIComponent('p@ss word!')}@h/db`);
    expect(explainPostgresError(quoted, where).message).not.toContain('hunter22-secret');
    expect(
      explainPostgresError(encoded, { ...where, password: 'p@ss word!' }).message,
    ).not.toContain(encodeURIComponent('p@ss word!'));
  });

  it('passes DatabaseConnectionErrors (from postgresPoolConfig) through', () => {
    const error = new DatabaseConnectionError('sslmode=prefer is not supported', 'invalid');
    expect(explainPostgresError(error, where)).toEqual({
      problem: 'invalid',
      message: 'sslmode=prefer is not supported',
    });
  });

  it('says which problems are worth retrying', () => {
    expect(
      (['refused', 'timeout', 'unreachable'] as const).every((p) => isTransientProblem(p)),
    ).toBe(true);
    for (const problem of [
      'dns',
      'tls',
      'tls-required',
      'authentication',
      'database-missing',
    ] as const) {
      expect(isTransientProblem(problem)).toBe(false);
    }
  });
});

describe('describePostgresTarget', () => {
  it('says where, without the password', () => {
    expect(
      describePostgresTarget({ host: '::1', port: 5433, user: 'u', password: 'secret-pw' }),
    ).toBe('[::1]:5433 (user "u")');
    expect(describePostgresTarget({})).toBe('localhost:5432');
  });
});

describe('backoffDelays', () => {
  it('doubles from the initial delay up to the cap, one wait fewer than attempts', () => {
    expect(backoffDelays({ attempts: 5, initialDelayMs: 200, maxDelayMs: 2000 })).toEqual([
      200, 400, 800, 1600,
    ]);
    expect(backoffDelays({ attempts: 7, initialDelayMs: 250, maxDelayMs: 1000 })).toEqual([
      250, 500, 1000, 1000, 1000, 1000,
    ]);
    expect(backoffDelays({ attempts: 1, initialDelayMs: 200, maxDelayMs: 2000 })).toEqual([]);
  });

  it('refuses nonsense', () => {
    expect(() => backoffDelays({ attempts: 0, initialDelayMs: 1, maxDelayMs: 1 })).toThrow(
      RangeError,
    );
    expect(() => backoffDelays({ attempts: 2.5, initialDelayMs: 1, maxDelayMs: 1 })).toThrow(
      RangeError,
    );
    expect(() => backoffDelays({ attempts: 2, initialDelayMs: -1, maxDelayMs: 1 })).toThrow(
      RangeError,
    );
  });
});

describe('connectWithRetry against a host that accepts TCP and never answers', () => {
  /** A pool whose every connect takes its whole connect timeout on a virtual clock, then fails. */
  function silentPool(clock: { now: number }, timeoutMs: number): pg.Pool {
    return {
      options: { host: 'db.example.com', port: 5433, connectionTimeoutMillis: timeoutMs },
      connect: async () => {
        clock.now += timeoutMs;
        throw new Error('timeout expired');
      },
    } as unknown as pg.Pool;
  }

  /** The default schedule (5 attempts, 200 ms doubling to 2 s), waiting on the virtual clock. */
  const retryOn = (clock: { now: number }): RetryOptions => ({
    attempts: 5,
    initialDelayMs: 200,
    maxDelayMs: 2000,
    now: () => clock.now,
    sleep: async (ms) => {
      clock.now += ms;
    },
  });

  it('gives up within the 30 s deadline, naming host, port, attempts and the timeout', async () => {
    const clock = { now: 0 };
    const error = await connectWithRetry(silentPool(clock, 10_000), retryOn(clock)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseConnectionError);
    expect((error as DatabaseConnectionError).problem).toBe('timeout');
    expect((error as Error).message).toContain('db.example.com:5433');
    expect((error as Error).message).toMatch(
      /no answer within 10 s\..* \(2 attempts in 20 s, each given 10 s\)$/,
    );
    // Five attempts of 10 s took 53 s before the deadline.
    expect(clock.now).toBeLessThanOrEqual(FIRST_CONNECT_DEADLINE_MS);
  });

  it('still retries a quick refusal as often as it is told, inside the deadline', async () => {
    const clock = { now: 0 };
    let tries = 0;
    const refusing = {
      options: { host: 'localhost', port: 1 },
      connect: async () => {
        tries++;
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
          code: 'ECONNREFUSED',
        });
      },
    } as unknown as pg.Pool;
    await expect(connectWithRetry(refusing, retryOn(clock))).rejects.toBeInstanceOf(
      DatabaseConnectionError,
    );
    expect(tries).toBe(5);
  });
});
