/**
 * PostgreSQL URLs, one set of rules for the whole app: take the password out (it goes to the
 * secret store, never to the settings file or the renderer) and put it back (to connect), mask it
 * (for logs and messages), and parse a URL into what a connection is made from. The settings' check
 * and the connection both parse with `parsePostgresUrl`. Pure: runs in the main process and the
 * dashboard.
 */

/**
 * Takes the password out of a PostgreSQL URL (from `USER:PASSWORD@` or a `password=` parameter),
 * leaving the rest of the text as it was. The password is percent-decoded; null when there is none.
 */
export function splitPasswordFromUrl(url: string): { url: string; password: string | null } {
  let password: string | null = null;
  let rest = url;
  const userinfo = /^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i.exec(rest);
  if (userinfo) {
    const [whole, scheme = '', info = ''] = userinfo;
    const colon = info.indexOf(':');
    if (colon >= 0) {
      const user = info.slice(0, colon);
      const encoded = info.slice(colon + 1);
      if (encoded !== '') password = decodePart(encoded);
      rest = `${scheme}${user === '' ? '' : `${user}@`}${rest.slice(whole.length)}`;
    }
  }
  const queryStart = rest.indexOf('?');
  if (queryStart >= 0) {
    const hashStart = rest.indexOf('#', queryStart);
    const end = hashStart >= 0 ? hashStart : rest.length;
    const params = rest.slice(queryStart + 1, end).split('&');
    const kept = params.filter((param) => {
      if (!/^password=/i.test(param)) return true;
      const value = decodePart(param.slice('password='.length));
      if (password === null && value !== '') password = value;
      return false;
    });
    if (kept.length !== params.length) {
      const query = kept.filter((p) => p !== '').join('&');
      rest = `${rest.slice(0, queryStart)}${query ? `?${query}` : ''}${rest.slice(end)}`;
    }
  }
  return { url: rest, password };
}

/** The URL with `password` as its user's password (replacing any in it); the URL as is for null. */
export function urlWithPassword(url: string, password: string | null | undefined): string {
  const { url: bare } = splitPasswordFromUrl(url);
  if (password === null || password === undefined || password === '') return bare;
  const match = /^([a-z][a-z0-9+.-]*:\/\/)(?:([^@/?#]*)@)?/i.exec(bare);
  if (!match) return bare;
  const [whole, scheme = '', user = ''] = match;
  return `${scheme}${user}:${encodeURIComponent(password)}@${bare.slice(whole.length)}`;
}

function decodePart(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
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

export const POSTGRES_URL_SHAPE = 'postgres://USER:PASSWORD@HOST:PORT/DATABASE';
/** URL parameters StreamPulse acts on; any other is refused. */
export const POSTGRES_URL_PARAMETERS: readonly string[] = [
  'sslmode',
  'sslrootcert',
  'channel_binding',
  'application_name',
  'options',
  'connect_timeout',
  'password',
  'gssencmode',
];

/** A URL we cannot use; the message says why and never contains the password. */
export class PostgresUrlError extends Error {
  override readonly name = 'PostgresUrlError';
}

export interface ParsedPostgresUrl {
  readonly host: string;
  readonly port: number;
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly database: string | undefined;
  /** The known parameters, each once. */
  readonly params: ReadonlyMap<string, string>;
}

/**
 * Only postgres:// URLs (pg reads any other string as a database *name*, which would then show up,
 * password and all, in error messages), one host, no #fragment, known parameters each once,
 * percent-escapes that decode. Throws PostgresUrlError.
 */
export function parsePostgresUrl(text: string): ParsedPostgresUrl {
  const trimmed = text.trim();
  const shape = `the database URL must look like ${POSTGRES_URL_SHAPE}`;
  if (!/^postgres(ql)?:\/\//i.test(trimmed)) {
    throw new PostgresUrlError(`${shape}, got "${maskPassword(trimmed)}"`);
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    // new URL's message quotes the input, password and all: never pass it on.
    throw new PostgresUrlError(
      `${shape} (one host, percent-encoded special characters), got an invalid URL`,
    );
  }
  if (url.hash) throw new PostgresUrlError(`${shape}, without a #fragment`);
  if (url.port !== '' && !(Number(url.port) > 0)) throw new PostgresUrlError(`${shape}: bad port`);
  const params = new Map<string, string>();
  for (const [key, value] of url.searchParams) {
    if (!POSTGRES_URL_PARAMETERS.includes(key)) throw new PostgresUrlError(unknownParameter(key));
    if (params.has(key)) throw new PostgresUrlError(`the database URL has "${key}" twice`);
    params.set(key, value);
  }
  const database = decoded(url.pathname.replace(/^\//, ''), 'database name') || undefined;
  if (database?.includes('/')) {
    throw new PostgresUrlError(
      `the database name in the URL may not contain "/": ${POSTGRES_URL_SHAPE}`,
    );
  }
  return {
    host: decoded(url.hostname.replace(/^\[(.*)\]$/, '$1'), 'host') || 'localhost',
    port: url.port === '' ? 5432 : Number(url.port),
    user: decoded(url.username, 'user name') || undefined,
    password: params.get('password') || decoded(url.password, 'password') || undefined,
    database,
    params,
  };
}

function decoded(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new PostgresUrlError(
      `the ${what} in the database URL has a bad %-escape (write % as %25)`,
    );
  }
}

function unknownParameter(key: string): string {
  switch (key) {
    case 'ssl':
      return `the database URL has ssl=…: use sslmode=require (TLS) or sslmode=verify-full (TLS, verified) instead`;
    case 'sslcert':
    case 'sslkey':
    case 'sslpassword':
      return `client certificates (${key}) are not supported; use a password`;
    default:
      return (
        `the database URL has a parameter StreamPulse does not support: "${key}". ` +
        `Supported: ${POSTGRES_URL_PARAMETERS.join(', ')}`
      );
  }
}
