/**
 * Connecting to a PostgreSQL by URL, local or remote (Neon, RDS, Supabase, any TLS Postgres):
 * the pool's configuration and a connection test for the settings page. Errors explained for
 * people: postgres-errors.ts; connecting with retries: postgres-retry.ts; the URL's rules:
 * shared/postgres-url.ts.
 *
 * TLS follows libpq's sslmode, which we read ourselves: node-postgres's own reading differs
 * (pg-connection-string 2.x treats sslmode=require as verify-full, and cannot fall back from TLS
 * to plain text as `prefer` would). We support:
 *
 *   disable      no TLS.
 *   require      TLS; the certificate is not checked, unless a CA is given: then its chain is
 *                verified against that CA, but not the host name (libpq does the same).
 *   verify-ca    TLS; the chain is verified against the given CA (required), not the host name.
 *   verify-full  TLS; chain and host name verified, against the given CA or the system's CAs.
 *   (absent)     verify-full when a CA is given, else disable (libpq's default, prefer, is not
 *                supported: a server that requires TLS says so, and the error says what to set).
 *
 * prefer, allow and node-postgres's own no-verify are refused with a message saying what to use
 * instead, as is any URL parameter we do not understand (libpq refuses those too), so that a
 * typo never silently turns verification off. sslrootcert=FILE reads a CA from a file and
 * sslrootcert=system means the system's CAs (verify-full only, as in libpq 16+).
 *
 * Messages never contain the password: we build them from the host, port, database and user,
 * and remove the password from any server text we quote.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import {
  parsePostgresUrl,
  PostgresUrlError,
  type ParsedPostgresUrl,
} from '../../shared/postgres-url';
import type { ConnectionTestResult } from '../../shared/settings';
import {
  CONNECTION_TIMEOUT_MS,
  DatabaseConnectionError,
  describePostgresTarget,
  explainPostgresError,
  redact,
  tlsDescription,
} from './postgres-errors';

/** What a PostgreSQL connection is made from: the URL, and the secret and CA kept apart from it. */
export interface PostgresConnectionInput {
  /** postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=...]. */
  readonly url: string;
  /** From the secret store: replaces a password in the URL. Empty or null: the URL's. */
  readonly password?: string | null;
  /** PEM text of the CA that signed the server's certificate; null: the URL's sslrootcert. */
  readonly ca?: string | null;
  /** Connections in the pool; default DEFAULT_POOL_MAX. */
  readonly poolMax?: number;
}

export type SslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

/** Neon's small tiers allow few connections, and the engine keeps its own pool. */
export const DEFAULT_POOL_MAX = 5;
export const IDLE_TIMEOUT_MS = 30_000;
export const KEEPALIVE_INITIAL_DELAY_MS = 10_000;
export const APPLICATION_NAME = 'streampulse';

const SSL_MODES: readonly string[] = ['disable', 'require', 'verify-ca', 'verify-full'];
const CHANNEL_BINDINGS: readonly string[] = ['disable', 'prefer', 'require'];

/**
 * The pg.Pool configuration for `input`: host, port, user, password, database and `ssl` set
 * explicitly (never `connectionString`, so neither pg's sslmode reading nor PGSSLMODE applies).
 * Throws DatabaseConnectionError (problem 'invalid') for a URL or CA we cannot use.
 */
export function postgresPoolConfig(input: PostgresConnectionInput): pg.PoolConfig {
  let url: ParsedPostgresUrl;
  try {
    url = parsePostgresUrl(input.url);
  } catch (error) {
    if (error instanceof PostgresUrlError) throw invalid(error.message);
    throw error;
  }
  const { host, port, user, database, params } = url;
  const password = input.password || url.password;

  const ca = caCertificate(input.ca, params.get('sslrootcert'));
  const sslmode = sslMode(params.get('sslmode'), ca);
  const config: pg.PoolConfig = {
    host,
    port,
    user,
    password,
    database,
    ssl: sslOptions(sslmode, ca),
    max: poolMax(input.poolMax),
    connectionTimeoutMillis: connectTimeout(params.get('connect_timeout')),
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_INITIAL_DELAY_MS,
    application_name: params.get('application_name') || APPLICATION_NAME,
  };
  const options = params.get('options');
  if (options) config.options = options;
  const channelBinding = params.get('channel_binding');
  if (channelBinding !== undefined) {
    if (!CHANNEL_BINDINGS.includes(channelBinding)) {
      throw invalid(`channel_binding must be one of ${CHANNEL_BINDINGS.join(', ')}`);
    }
    if (channelBinding === 'require' && sslmode === 'disable') {
      throw invalid('channel_binding=require needs TLS: use sslmode=require or stricter');
    }
    // pg uses SCRAM-SHA-256-PLUS whenever the server offers it (over TLS).
    config.enableChannelBinding = channelBinding !== 'disable';
  }
  const gssencmode = params.get('gssencmode');
  if (gssencmode !== undefined && gssencmode !== 'disable' && gssencmode !== 'prefer') {
    throw invalid(`gssencmode=${gssencmode} is not supported (no GSSAPI encryption): remove it`);
  }
  return config;
}

/**
 * Connects one client with `config`, asks the server's version and whether this role may create
 * tables in schema public (the migrations do), and closes it. Never throws.
 */
export async function testPostgresConnection(
  config: pg.ClientConfig,
  options: { readonly now?: () => number } = {},
): Promise<ConnectionTestResult> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const elapsed = (): number => Math.max(0, Math.round(now() - started));
  const password = typeof config.password === 'string' ? config.password : undefined;
  const client = new pg.Client(config);
  // A connection lost after connecting emits 'error'; unheard, it would end the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{
      version: string;
      user: string;
      database: string;
      can_create: boolean | null;
    }>(
      `SELECT current_setting('server_version') AS version, version() AS full_version,
              current_user AS user, current_database() AS database,
              (SELECT has_schema_privilege(current_user, oid, 'CREATE')
                 FROM pg_namespace WHERE nspname = 'public') AS can_create`,
    );
    const row = rows[0];
    if (!row) throw new Error('the server answered SELECT version() with no row');
    const where = describePostgresTarget({ ...config, user: row.user, database: row.database });
    if (row.can_create !== true) {
      const why =
        row.can_create === null
          ? `database "${row.database}" has no schema public`
          : `role "${row.user}" may not create tables in schema public`;
      return {
        ok: false,
        problem: 'permissions',
        message: redact(
          `connected to PostgreSQL ${row.version} at ${where}, but ${why}, which StreamPulse ` +
            `needs for its tables: use the database's owner role, or have the owner run ` +
            `GRANT CREATE ON SCHEMA public TO "${row.user}"`,
          password,
        ),
        elapsedMs: elapsed(),
      };
    }
    return {
      ok: true,
      problem: null,
      message: redact(
        `connected to PostgreSQL ${row.version} at ${where} ${tlsDescription(config.ssl)}`,
        password,
      ),
      elapsedMs: elapsed(),
    };
  } catch (error) {
    const { problem, message } = explainPostgresError(error, config);
    return { ok: false, problem, message, elapsedMs: elapsed() };
  } finally {
    await client.end().catch(() => undefined);
  }
}

function invalid(message: string): DatabaseConnectionError {
  return new DatabaseConnectionError(message, 'invalid');
}

function sslMode(value: string | undefined, ca: CaSource): SslMode {
  if (value === undefined || value === '') return ca.kind === 'none' ? 'disable' : 'verify-full';
  if (value === 'prefer' || value === 'allow' || value === 'no-verify') {
    throw invalid(
      `sslmode=${value} is not supported: use sslmode=require (TLS without checking the ` +
        'certificate), verify-full (TLS, verified), or disable (no TLS)',
    );
  }
  if (!SSL_MODES.includes(value)) {
    throw invalid(`sslmode must be one of ${SSL_MODES.join(', ')}; got "${value}"`);
  }
  const mode = value as SslMode;
  if (mode === 'disable' && ca.kind !== 'none') {
    throw invalid(
      'a CA certificate is set but the URL says sslmode=disable: remove one or the other',
    );
  }
  if (mode === 'verify-ca' && ca.kind !== 'pem') {
    throw invalid(
      "sslmode=verify-ca needs the server's CA certificate (the CA setting, or sslrootcert=FILE): " +
        'or use sslmode=verify-full to verify against the system CAs',
    );
  }
  if (ca.kind === 'system' && mode !== 'verify-full') {
    throw invalid('sslrootcert=system needs sslmode=verify-full');
  }
  return mode;
}

type CaSource =
  | { readonly kind: 'none' }
  | { readonly kind: 'system' }
  | { readonly kind: 'pem'; readonly pem: string };

function caCertificate(
  given: string | null | undefined,
  sslrootcert: string | undefined,
): CaSource {
  let pem = given?.trim() ? given : undefined;
  if (!pem && sslrootcert) {
    if (sslrootcert === 'system') return { kind: 'system' };
    try {
      pem = fs.readFileSync(sslrootcert, 'utf8');
    } catch (error) {
      throw invalid(
        `cannot read the CA certificate file sslrootcert=${sslrootcert}: ${(error as Error).message}`,
      );
    }
  }
  if (!pem) return { kind: 'none' };
  try {
    new X509Certificate(pem);
  } catch {
    throw invalid('the CA certificate is not a PEM certificate (-----BEGIN CERTIFICATE----- …)');
  }
  return { kind: 'pem', pem };
}

function sslOptions(mode: SslMode, ca: CaSource): pg.ClientConfig['ssl'] {
  const pem = ca.kind === 'pem' ? ca.pem : undefined;
  switch (mode) {
    case 'disable':
      return false;
    case 'require':
      // libpq: with a root certificate, require verifies the chain like verify-ca.
      return pem
        ? { ca: pem, rejectUnauthorized: true, checkServerIdentity: () => undefined }
        : { rejectUnauthorized: false };
    case 'verify-ca':
      return { ca: pem, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return pem ? { ca: pem, rejectUnauthorized: true } : { rejectUnauthorized: true };
  }
}

function poolMax(value: number | undefined): number {
  if (value === undefined) return DEFAULT_POOL_MAX;
  if (!Number.isInteger(value) || value < 1) {
    throw invalid(`the pool size must be a whole number >= 1, got ${value}`);
  }
  return value;
}

function connectTimeout(value: string | undefined): number {
  if (value === undefined || value === '') return CONNECTION_TIMEOUT_MS;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw invalid(`connect_timeout must be a whole number of seconds >= 1, got "${value}"`);
  }
  return seconds * 1000;
}
