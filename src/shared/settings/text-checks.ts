/**
 * The rules for settings whose text has a form of its own (a broker's host:port, a Kafka topic, PEM
 * certificates, a PostgreSQL URL): each says why a text is wrong, or null. The schema
 * (catalogue.ts) runs them; the CLI and the connection tests may too. Pure.
 */
import { parsePostgresUrl, PostgresUrlError } from '../postgres-url';

/** Characters of PEM text (a CA certificate, or a short chain). */
export const PEM_MAX_CHARS = 64 * 1024;
export const URL_MAX_CHARS = 2048;

export const POSTGRES_SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;

/** Why `broker` is not a well-formed `host:port`, or null. */
export function brokerProblem(broker: string): string | null {
  const example = 'e.g. broker1.example.com:9092';
  if (broker === '') return `an empty broker: write host:port, ${example}`;
  if (/\s/.test(broker)) return `"${broker}" contains spaces: write host:port, ${example}`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(broker)) {
    return `"${broker}": leave out the scheme (${broker.slice(0, broker.indexOf('://') + 3)}), write host:port, ${example}`;
  }
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]/]+):([^:]*)$/.exec(broker);
  if (!match) {
    return /:/.test(broker)
      ? `"${broker}" is not host:port (${example}; an IPv6 address goes in brackets: [::1]:9092)`
      : `"${broker}" has no port: write host:port, ${example}`;
  }
  const [, host = '', port = ''] = match;
  if (!host.startsWith('[') && !/^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/.test(host)) {
    return `"${host}" in "${broker}" is not a host name: use letters, digits, dots and dashes`;
  }
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    return `the port of "${broker}" must be a number from 1 to 65535`;
  }
  return null;
}

/** Kafka's rule for topic names, or null. */
export function kafkaTopicProblem(topic: string): string | null {
  if (topic === '.' || topic === '..') return `cannot be "${topic}"`;
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(topic)) {
    return 'use 1-249 letters, digits, dots, underscores and dashes (Kafka topic names)';
  }
  return null;
}

/** Why `text` is not one or more PEM certificates, or null. */
export function pemProblem(text: string): string | null {
  const max = PEM_MAX_CHARS;
  if (text.length > max) {
    return `is too large (${Math.ceil(text.length / 1024)} KB; at most ${max / 1024} KB): paste only the CA certificate`;
  }
  if (/PRIVATE KEY-----/.test(text)) {
    return 'is a private key: paste the CA certificate (-----BEGIN CERTIFICATE-----), never a private key';
  }
  const expected =
    'must be a PEM certificate: the text from "-----BEGIN CERTIFICATE-----" to "-----END CERTIFICATE-----"';
  const blocks = text.match(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g);
  if (!blocks) return expected;
  const outside = blocks.reduce((rest, block) => rest.replace(block, ''), text);
  if (outside.trim() !== '') return `${expected}, and nothing else`;
  for (const block of blocks) {
    const body = block.slice(27, -25).replace(/\s+/g, '');
    if (body === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
      return `${expected}; the lines between them are not base64: copy the whole file unchanged`;
    }
  }
  return null;
}

/** Why `url` is not a usable PostgreSQL URL, or null. A password in it is fine here. */
export function postgresUrlProblem(url: string): string | null {
  const form = 'postgres://USER@HOST:PORT/DATABASE';
  if (url.length > URL_MAX_CHARS) {
    return `is too long (at most ${URL_MAX_CHARS} characters)`;
  }
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    return `must start with postgres:// or postgresql://, as in ${form}`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `is not a valid URL: write ${form}, with special characters in the user name or password percent-encoded (@ as %40), and a port from 1 to 65535`;
  }
  if (parsed.hostname === '') return `needs a host: ${form}`;
  if (parsed.hash !== '') return `must not contain "#": percent-encode it (%23)`;
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode !== null && !(POSTGRES_SSL_MODES as readonly string[]).includes(sslmode)) {
    return `sslmode must be one of ${POSTGRES_SSL_MODES.join(', ')}, got "${sslmode}"`;
  }
  // The rest of the rules are the connection's own (unknown or repeated parameters, bad
  // %-escapes): refused when saved, not first when connecting.
  try {
    parsePostgresUrl(url);
  } catch (error) {
    if (error instanceof PostgresUrlError) return error.message.replace(/^the database URL /, '');
    throw error;
  }
  return null;
}

/** A Flink JobManager's REST address: http(s)://host:port, without credentials or a query. */
export function flinkRestUrlProblem(url: string): string | null {
  if (url === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `must be an http:// or https:// URL, e.g. http://127.0.0.1:8081, got "${url.slice(0, 80)}"`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return `must start with http:// or https://, got "${parsed.protocol}"`;
  if (parsed.username || parsed.password)
    return 'must not contain a user or password (the Flink REST API has none)';
  if (parsed.search || parsed.hash) return 'must not have a query (?…) or fragment (#…)';
  return null;
}
