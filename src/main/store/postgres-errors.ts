/**
 * What went wrong with a PostgreSQL connection, said for people: the driver's and the server's
 * errors classified into a ConnectionProblem with a message that says what to do, and that never
 * contains the password (we build messages from the host, port, database and user, and remove the
 * password from any server text we quote).
 */
import pg from 'pg';
import type { ConnectionProblem } from '../../shared/settings';

/** A connection attempt's own timeout (pg's connectionTimeoutMillis), unless the URL says. */
export const CONNECTION_TIMEOUT_MS = 10_000;

/** Could not reach, log into or use the server; `problem` says which, the message what to do. */
export class DatabaseConnectionError extends Error {
  override readonly name = 'DatabaseConnectionError';
  readonly problem: ConnectionProblem;

  constructor(message: string, problem: ConnectionProblem = 'other', options?: ErrorOptions) {
    super(message, options);
    this.problem = problem;
  }
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
export function redact(message: string, password: string | undefined): string {
  if (!password || password.length < 4) return message;
  let out = message;
  for (const form of new Set([password, encodeURIComponent(password)])) {
    out = out.split(form).join('***');
  }
  return out;
}

export function tlsDescription(ssl: pg.ClientConfig['ssl']): string {
  if (!ssl) return 'without TLS';
  if (ssl === true) return 'over TLS (certificate verified)';
  if (ssl.rejectUnauthorized === false) return 'over TLS (certificate not verified)';
  if (ssl.checkServerIdentity) return 'over TLS (certificate verified, host name not checked)';
  return 'over TLS (certificate and host name verified)';
}
