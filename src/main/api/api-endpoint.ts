/**
 * One API call over HTTP: parameters from the query (GET) or the JSON body (others), the
 * mutating routes' Origin and token checks, the read cache, and the `{data, count}` envelope.
 * Errors are thrown (HttpError, ValidationError, the handler's) for the server to map.
 */
import type { IncomingMessage } from 'node:http';
import type { ApiHandlers, ApiName, RouteSpec } from '../../shared/api-contract';
import { paramsObject, validateParams } from '../../shared/api/params';
import { HttpError } from './api-errors';
import { cacheKey, ReadCache } from './read-cache';
import { readJsonBody } from './request-body';
import { BearerAuth, checkMutatingOrigin } from './request-security';
import { queryParams } from './router';

export interface ApiEndpointOptions {
  readonly handlers: ApiHandlers;
  readonly token: string;
  /** false: no read cache (benchmarks, debugging). */
  readonly cache: boolean;
  readonly now?: () => number;
}

export interface ApiAnswer {
  /** The serialized `{data, count}`. */
  readonly body: Buffer;
  readonly cache?: 'HIT' | 'MISS';
}

type AnyHandler = (params: Record<string, unknown>) => Promise<unknown>;

export class ApiEndpoint {
  private readonly auth: BearerAuth;
  private readonly cache: ReadCache<Buffer> | null;

  constructor(private readonly options: ApiEndpointOptions) {
    this.auth = new BearerAuth(options.token);
    this.cache = options.cache ? new ReadCache<Buffer>({ now: options.now }) : null;
  }

  async answer(
    req: IncomingMessage,
    name: ApiName,
    spec: RouteSpec,
    query: URLSearchParams,
    ownOrigins: ReadonlySet<string>,
    pathParams: Readonly<Record<string, string>> = {},
  ): Promise<ApiAnswer> {
    if (spec.method === 'GET') {
      const params = validateParams(
        spec.paramsSchema,
        { ...queryParams(query), ...pathParams },
        'query',
      );
      if (!spec.cacheable || !this.cache) return { body: await this.call(name, params) };
      const { value, hit } = this.cache.get(cacheKey(name, params), () => this.call(name, params));
      return { body: await value, cache: hit ? 'HIT' : 'MISS' };
    }
    if (spec.mutating) {
      checkMutatingOrigin(req.headers.origin, ownOrigins);
      this.auth.check(req.headers);
    }
    const [inQuery] = query.keys();
    if (inQuery !== undefined) {
      throw new HttpError(400, {
        error: 'invalid parameter',
        detail: `${inQuery}: the parameters of ${spec.method} ${spec.path} go in a JSON body, not the URL`,
        field: inQuery,
      });
    }
    const params = bodyParams(spec, await readJsonBody(req, spec.maxBodyBytes), pathParams);
    const body = await this.call(name, params);
    if (spec.mutating) this.cache?.clear();
    return { body };
  }

  /** Forgets every cached read (after a change made elsewhere, e.g. over IPC). */
  clearCache(): void {
    this.cache?.clear();
  }

  private async call(name: ApiName, params: Record<string, unknown>): Promise<Buffer> {
    // validateParams checked `params` against ROUTES[name].paramsSchema, whose output is ApiParams<name>.
    const handler = this.options.handlers[name] as AnyHandler;
    const data = await handler.call(this.options.handlers, params);
    const count = Array.isArray(data) ? data.length : data === null || data === undefined ? 0 : 1;
    return Buffer.from(JSON.stringify({ data: data ?? null, count }));
  }
}

/**
 * A body's parameters, with those of the path (`/api/drills/{id}/stop`): the path's are text and
 * checked as a query's, the body's as JSON; a body may not give a path parameter again.
 */
function bodyParams(
  spec: RouteSpec,
  body: unknown,
  pathParams: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const names = Object.keys(pathParams);
  if (names.length === 0) return validateParams(spec.paramsSchema, body, 'body');
  const shape = spec.paramsSchema.shape;
  const inPath = paramsObject(Object.fromEntries(names.map((n) => [n, shape[n]!])));
  const inBody = paramsObject(
    Object.fromEntries(Object.entries(shape).filter(([n]) => !names.includes(n))),
  );
  return {
    ...validateParams(inBody, body, 'body'),
    ...validateParams(inPath, pathParams, 'query'),
  };
}
