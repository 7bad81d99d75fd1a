/**
 * Connecting to a PostgreSQL by URL, local or remote (Neon, RDS, Supabase, any TLS Postgres):
 * the pool's configuration, errors explained for people, a connection test for the settings
 * page, and connecting with retries while a server wakes up.
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
import type { ConnectionProblem, ConnectionTestResult } from '../../shared/settings';

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

/** The problems worth retrying: the server may be starting, waking or restarting. */
export const TRANSIENT_PROBLEMS: ReadonlySet<ConnectionProblem> = new Set([
  'refused',
  'timeout',
  'unreachable',
]);

/** Neon's small tiers allow few connections, and the engine keeps its own pool. */
export const DEFAULT_POOL_MAX = 5;
export const CONNECTION_TIMEOUT_MS = 10_000;
/** The first connection to a database answers within this, however its attempts go. */
export const FIRST_CONNECT_DEADLINE_MS = 30_000;
export const IDLE_TIMEOUT_MS = 30_000;
export const KEEPALIVE_INITIAL_DELAY_MS = 10_000;
export const APPLICATION_NAME = 'streampulse';

/** Could not reach, log into or use the server; `problem` says which, the message what to do. */
export class DatabaseConnectionError extends Error {
  override readonly name = 'DatabaseConnectionError';
  readonly problem: ConnectionProblem;

  constructor(message: string, problem: ConnectionProblem = 'other', options?: ErrorOptions) {
    super(message, options);
    this.problem = problem;
  }
}

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
 * `host:port (database "db", user "u")`, for messages: everything that says where, nothing
 * secret. Takes a pg config, or a pool's `options`.
 */
export function describePostgresTarget(where: PostgresTarget): string {
  const host = where.host ?? 'localhost';
  const endpoint = `${host.includes(':') ? `[${host}]` : host}:${where.port ?? 5432}`;
  const details = [
    where.database ? `database "${where.database}"` : '',
    where.user ? `user "${where.user}"` : '',
  ].filter(Boolean);
  return details.length > 0 ? `${endpoint} (${details.join(', ')})` : endpoint;
}

/** What explainPostgresError needs to say where: a pg config or a pool's options will do. */
export type PostgresTarget = Pick<
  pg.ClientConfig,
  'host' | 'port' | 'database' | 'user' | 'password' | 'ssl' | 'connectionTimeoutMillis'
>;

export interface ExplainedError {
  readonly problem: ConnectionProblem;
  readonly message: string;
}

/**
 * What went wrong connecting to or using the server at `where`, as a ConnectionProblem and a
 * message that says what to do. Never contains `where.password`.
 */
export function explainPostgresError(error: unknown, where: PostgresTarget): ExplainedError {
  const password = typeof where.password === 'string' ? where.password : undefined;
  if (error instanceof DatabaseConnectionError) {
    return { problem: error.problem, message: redact(error.message, password) };
  }
  const target = describePostgresTarget(where);
  const [problem, what] = classify(error, where);
  const prefix = CONNECT_PHASE.has(problem)
    ? `cannot connect to PostgreSQL at ${target}`
    : `PostgreSQL at ${target}`;
  return { problem, message: redact(`${prefix}: ${what}`, password) };
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

export interface BackoffOptions {
  /** Tries in all, the first included; at least 1. */
  readonly attempts: number;
  /** The wait after the first failure; each next one doubles. */
  readonly initialDelayMs: number;
  /** No wait is longer than this. */
  readonly maxDelayMs: number;
}

export interface RetryInfo {
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  readonly attempts: number;
  /** The wait before the next attempt. */
  readonly delayMs: number;
  readonly problem: ConnectionProblem;
  readonly message: string;
}

export interface RetryOptions extends BackoffOptions {
  /**
   * All attempts together fail within this (default FIRST_CONNECT_DEADLINE_MS): no retry starts
   * that could not finish, its connect timeout included, before it. A host that accepts TCP and
   * never answers otherwise costs every attempt's full timeout.
   */
  readonly deadlineMs?: number;
  /** The clock for the deadline; default Date.now. Tests inject their own. */
  readonly now?: () => number;
  /** Waits `ms`; default a timer. Tests inject their own. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called after each transient failure that will be retried, before the wait. */
  readonly onRetry?: (retry: RetryInfo) => void;
}

/**
 * The waits between attempts: attempts - 1 of them, initialDelayMs doubling up to maxDelayMs.
 * E.g. 5 attempts from 200 ms up to 2 s: [200, 400, 800, 1600]. No jitter: a handful of
 * processes per database, not a fleet.
 */
export function backoffDelays(options: BackoffOptions): number[] {
  const { attempts, initialDelayMs, maxDelayMs } = options;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new RangeError(`attempts must be an integer >= 1, got ${attempts}`);
  }
  if (!(initialDelayMs >= 0) || !(maxDelayMs >= 0)) {
    throw new RangeError('initialDelayMs and maxDelayMs must be >= 0');
  }
  return Array.from({ length: attempts - 1 }, (_, i) =>
    Math.min(maxDelayMs, initialDelayMs * 2 ** i),
  );
}

export function isTransientProblem(problem: ConnectionProblem): boolean {
  return TRANSIENT_PROBLEMS.has(problem);
}

/**
 * A client from `pool`, retrying transient problems (refused, timeout, unreachable: a server
 * starting, restarting, or a Neon compute waking from zero) with exponential backoff. Anything
 * else (wrong password, missing database, TLS) fails at once. Failures are
 * DatabaseConnectionErrors with the explained message.
 */
export async function connectWithRetry(
  pool: pg.Pool,
  options: RetryOptions,
): Promise<pg.PoolClient> {
  const delays = backoffDelays(options);
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const deadline = now() + (options.deadlineMs ?? FIRST_CONNECT_DEADLINE_MS);
  const where = pool.options as PostgresTarget;
  const attemptMs = where.connectionTimeoutMillis ?? CONNECTION_TIMEOUT_MS;
  const began = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await pool.connect();
    } catch (error) {
      const { problem, message } = explainPostgresError(error, where);
      const delayMs = delays[attempt - 1];
      const pastDeadline = delayMs !== undefined && now() + delayMs + attemptMs > deadline;
      if (!isTransientProblem(problem) || delayMs === undefined || pastDeadline) {
        const tries =
          attempt > 1
            ? ` (${attempt} attempts in ${Math.round((now() - began) / 1000)} s, each given ` +
              `${attemptMs / 1000} s)`
            : '';
        throw new DatabaseConnectionError(`${message}${tries}`, problem, { cause: error });
      }
      options.onRetry?.({ attempt, attempts: options.attempts, delayMs, problem, message });
      await sleep(delayMs);
    }
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------

/** Problems that mean we never got a working session. */
const CONNECT_PHASE: ReadonlySet<ConnectionProblem> = new Set([
  'dns',
  'unreachable',
  'refused',
  'timeout',
  'tls-required',
  'tls',
  'authentication',
  'authorization',
  'database-missing',
]);

/** Node's codes for a certificate that does not chain to a CA we trust. */
const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
]);
const HOST_MISMATCH = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);
const UNREACHABLE_CODES = new Set([
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
]);

interface ErrorFields {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly hostname?: unknown;
  readonly reason?: unknown;
  readonly severity?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
}

function classify(error: unknown, where: PostgresTarget): [ConnectionProblem, string] {
  const fields: ErrorFields = typeof error === 'object' && error !== null ? error : {};
  const text = messageOf(error);
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  const host = where.host ?? 'localhost';
  const seconds = `${(where.connectionTimeoutMillis ?? CONNECTION_TIMEOUT_MS) / 1000} s`;

  // The server's own errors, by SQLSTATE.
  if (code && (error instanceof pg.DatabaseError || typeof fields.severity === 'string')) {
    return classifyServerError(code, text, where);
  }
  // Proxies (Neon's) answer some of these without a SQLSTATE we can rely on.
  if (/connection is insecure|SSL (connection )?(is )?required|requires? (SSL|TLS)/i.test(text)) {
    return ['tls-required', tlsRequiredMessage(text)];
  }
  if (/timeout expired|connection timeout|timeout exceeded when trying to connect/i.test(text)) {
    return [
      'timeout',
      `no answer within ${seconds}. Check the host and port, and that no firewall drops the ` +
        'connection; a server that is starting (or a Neon compute waking up) may just need ' +
        'another try',
    ];
  }
  if (/does not support SSL connections/i.test(text)) {
    return [
      'tls',
      'the server does not support TLS (SSL), but the URL asks for it. Use sslmode=disable ' +
        'only on a network you trust, or enable ssl on the server',
    ];
  }
  if (/error establishing an SSL connection/i.test(text)) {
    return [
      'tls',
      `the TLS handshake failed (${text}): check sslmode and that HOST:PORT is PostgreSQL`,
    ];
  }
  if (/SASL: .*password must be/i.test(text)) {
    return [
      'authentication',
      'the server asks for a password and none was given: put it in the URL or the password setting',
    ];
  }

  const nodeCode = code ?? nestedCode(fields);
  if (nodeCode) {
    if (DNS_CODES.has(nodeCode)) {
      const name = typeof fields.hostname === 'string' ? fields.hostname : host;
      return nodeCode === 'EAI_AGAIN'
        ? [
            'dns',
            `cannot look up host "${name}" right now (${nodeCode}): check the network and DNS`,
          ]
        : ['dns', `no such host "${name}" (${nodeCode}): check the host name in the URL`];
    }
    if (nodeCode === 'ECONNREFUSED') {
      return [
        'refused',
        `connection refused (${nodeCode}): is PostgreSQL running there and listening on that ` +
          'port (listen_addresses, the port in the URL)?',
      ];
    }
    if (nodeCode === 'ETIMEDOUT') {
      return [
        'timeout',
        `the connection timed out (${nodeCode}): check the host and port, and that no firewall ` +
          'drops the connection',
      ];
    }
    if (UNREACHABLE_CODES.has(nodeCode)) {
      return [
        'unreachable',
        `the network connection failed (${nodeCode}): check the network, VPN or firewall; ` +
          'trying again may help',
      ];
    }
    const tls = classifyTls(nodeCode, fields, host);
    if (tls) return ['tls', tls];
  }
  if (/Connection terminated unexpectedly/i.test(text)) {
    return [
      'unreachable',
      'the server closed the connection while connecting: it may be restarting, or HOST:PORT ' +
        'may not be PostgreSQL (try again; check the port)',
    ];
  }
  if (/certificate|self[- ]signed|\bSSL\b|\bTLS\b/i.test(text)) {
    return ['tls', `TLS failed: ${text}. Check sslmode and the CA certificate`];
  }
  if (/password authentication failed/i.test(text)) {
    return ['authentication', authenticationMessage(where)];
  }
  return ['other', text || 'no reason given'];
}

function classifyServerError(
  code: string,
  text: string,
  where: PostgresTarget,
): [ConnectionProblem, string] {
  // pg_hba.conf without a hostnossl line ("…, no encryption"); Neon's proxy ("connection is
  // insecure (try using `sslmode=require`)"); Azure ("SSL connection is required").
  if (
    (code === '28000' && /no encryption|SSL off/i.test(text)) ||
    /connection is insecure|SSL (connection )?(is )?required/i.test(text)
  ) {
    return ['tls-required', tlsRequiredMessage(text)];
  }
  switch (code) {
    case '28000':
      return [
        'authorization',
        `the server does not let this user in (${text}): check the user, the database and ` +
          'that the role may log in (pg_hba.conf, LOGIN)',
      ];
    case '28P01':
      return ['authentication', authenticationMessage(where)];
    case '3D000':
      return [
        'database-missing',
        `${text}: create it (CREATE DATABASE), or fix the database name at the end of the URL`,
      ];
    case '42501':
      return [
        'permissions',
        `permission denied (${text}): use the database's owner role, or grant this role ` +
          'CREATE on schema public',
      ];
    case '57P03':
      return ['unreachable', `the server is starting up or shutting down (${text}): try again`];
    case '57P01':
    case '57P02':
      return ['unreachable', `the server shut the connection down (${text}): try again`];
    case '53300':
      return [
        'other',
        `the server has no connections left (${text}): lower the pool size, or close other ` +
          'clients; pooled endpoints (PgBouncer, Neon "-pooler" hosts) allow more',
      ];
  }
  if (code.startsWith('08')) {
    return ['unreachable', `the connection failed (${text}, SQLSTATE ${code}): try again`];
  }
  if (/password authentication failed/i.test(text)) {
    return ['authentication', authenticationMessage(where)];
  }
  if (/endpoint ID is not specified/i.test(text)) {
    return [
      'invalid',
      `${text}: the server needs the endpoint's host name over TLS (SNI): connect by host ` +
        'name with sslmode=require, or add options=endpoint%3D<endpoint-id> to the URL',
    ];
  }
  return ['other', `${text} (SQLSTATE ${code})`];
}

function classifyTls(code: string, fields: ErrorFields, host: string): string | undefined {
  if (UNTRUSTED_CERTIFICATE.has(code)) {
    return (
      `the server's TLS certificate is not signed by a CA we trust (${code}): give the ` +
      "server's CA certificate (PEM) so it can be verified, or use sslmode=require to " +
      'encrypt without verifying the server'
    );
  }
  if (HOST_MISMATCH.has(code)) {
    const reason = typeof fields.reason === 'string' ? `: ${fields.reason}` : '';
    return (
      `the server's TLS certificate is not for "${host}" (${code}${reason}). Connect by a ` +
      'host name the certificate names, or use sslmode=verify-ca to check only the CA'
    );
  }
  if (EXPIRED.has(code)) {
    return `the server's TLS certificate is not valid now (${code}): renew it, or check the clock`;
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO') {
    return `the TLS handshake failed (${code}): check sslmode, and that HOST:PORT is PostgreSQL`;
  }
  return undefined;
}

function tlsRequiredMessage(text: string): string {
  return (
    `the server requires an encrypted connection (${text}). Add sslmode=require to the URL ` +
    "(or sslmode=verify-full with the server's CA certificate): postgres://USER@HOST/DB?sslmode=require"
  );
}

function authenticationMessage(where: PostgresTarget): string {
  const user = where.user ? ` for user "${where.user}"` : '';
  return (
    `password authentication failed${user}: check the user name and the password ` +
    '(special characters in a URL must be percent-encoded)'
  );
}

/** The code of a wrapped error: AggregateError (IPv4 and IPv6 tried), or `cause`. */
function nestedCode(fields: ErrorFields): string | undefined {
  const inner = [
    ...(Array.isArray(fields.errors) ? (fields.errors as unknown[]) : []),
    fields.cause,
  ];
  for (const error of inner) {
    if (typeof error === 'object' && error !== null) {
      const code = (error as ErrorFields).code;
      if (typeof code === 'string') return code;
    }
  }
  return undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    if (error.message) return error.message;
    const code = (error as ErrorFields).code;
    return typeof code === 'string' ? code : error.name;
  }
  return String(error);
}

/** Belt and braces: server texts do not contain the password, and must not start to. */
function redact(message: string, password: string | undefined): string {
  if (!password || password.length < 4) return message;
  let out = message;
  for (const form of new Set([password, encodeURIComponent(password)])) {
    out = out.split(form).join('***');
  }
  return out;
}

function tlsDescription(ssl: pg.ClientConfig['ssl']): string {
  if (!ssl) return 'without TLS';
  if (ssl === true) return 'over TLS (certificate verified)';
  if (ssl.rejectUnauthorized === false) return 'over TLS (certificate not verified)';
  if (ssl.checkServerIdentity) return 'over TLS (certificate verified, host name not checked)';
  return 'over TLS (certificate and host name verified)';
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
