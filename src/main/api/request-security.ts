/**
 * The API's defences, all for a server bound to loopback that browsers can reach:
 * - the Host allow-list (host-check.ts) against DNS rebinding;
 * - Origin: a mutating request from a page of another origin is refused, whatever it carries;
 * - CORS only for our own origins, never `*`, so foreign pages cannot read answers;
 * - the per-launch bearer token on mutating routes, compared in constant time, never in URLs.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from './api-errors';

/** On every answer. The CSP suits the dashboard (no inline script) and the /docs page. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

/** The origins a page served by us has: the three loopback names with our port. */
export function ownOrigins(port: number): ReadonlySet<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`]);
}

/** The CORS headers for a request's Origin: present only for our own origins. */
export function corsHeaders(
  origin: string | undefined,
  own: ReadonlySet<string>,
): Record<string, string> {
  if (!origin || !own.has(origin)) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers':
      'X-Request-Id, X-Process-Time, X-Cache, Content-Disposition, X-Total-Estimate, X-Total-Exact',
  };
}

/** A mutating request from a foreign page: 403. No Origin (curl, the CLI) is fine. */
export function checkMutatingOrigin(origin: string | undefined, own: ReadonlySet<string>): void {
  if (origin !== undefined && !own.has(origin)) {
    throw new HttpError(403, {
      error: 'forbidden',
      detail: 'cross-origin requests cannot change state',
    });
  }
}

/** `?token=` or `?access_token=`: refused outright, so a token never lands in logs or history. */
export function checkNoTokenInQuery(query: URLSearchParams): void {
  if (query.has('token') || query.has('access_token')) {
    throw new HttpError(400, {
      error: 'invalid parameter',
      detail: 'tokens are not accepted in URLs: send Authorization: Bearer <token>',
      field: query.has('token') ? 'token' : 'access_token',
    });
  }
}

/**
 * Checks `Authorization: Bearer <token>`. Both sides are hashed to 32 bytes first, so
 * timingSafeEqual always compares equal lengths and the time taken says nothing about the
 * token's length or content.
 */
export class BearerAuth {
  private readonly expected: Buffer;

  constructor(token: string) {
    if (token.length < 16) throw new Error('the API token must be at least 16 characters');
    this.expected = digest(token);
  }

  matches(authorization: string | undefined): boolean {
    const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
    const given = digest(match?.[1] ?? '');
    // Always compare, even when the header was absent, so every refusal costs the same.
    return timingSafeEqual(given, this.expected) && match !== null;
  }

  check(headers: IncomingHttpHeaders): void {
    if (!this.matches(headers.authorization)) {
      throw new HttpError(
        401,
        {
          error: 'unauthorized',
          detail: headers.authorization
            ? 'wrong token'
            : 'this route needs Authorization: Bearer <token> (see the api-token file)',
        },
        { 'WWW-Authenticate': 'Bearer realm="streampulse"' },
      );
    }
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
