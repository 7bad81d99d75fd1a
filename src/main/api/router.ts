/**
 * The route table: every ROUTES entry at its method and path, plus the server's own endpoints
 * (stream, OpenAPI, docs, metrics). Answers a match, a 405 with the methods the path has, or a
 * 404. HEAD is answered as GET. `/api/export/{dataset}` matches any one segment: the dataset is a
 * parameter, so an unknown one is a 400 naming it, like any other bad parameter.
 */
import { API_NAMES, ROUTES, type ApiName, type RouteSpec } from '../../shared/api-contract';
import { EXPORT_PATH_PREFIX } from '../../shared/export-contract';
import { HttpError } from './api-errors';

export type Endpoint =
  | { readonly kind: 'api'; readonly name: ApiName; readonly spec: RouteSpec }
  | { readonly kind: 'export'; readonly dataset: string }
  | { readonly kind: 'stream' | 'openapi' | 'docs' | 'metrics' };

export type RouteMatch =
  | { readonly kind: 'found'; readonly endpoint: Endpoint }
  | { readonly kind: 'wrong-method'; readonly allow: string }
  | { readonly kind: 'none' };

/** The server's own endpoints, all GET. */
export const BUILTIN_PATHS = {
  '/api/stream': 'stream',
  '/api/openapi.json': 'openapi',
  '/docs': 'docs',
  '/metrics': 'metrics',
} as const;

export class Router {
  private readonly byPath = new Map<string, Map<string, Endpoint>>();

  constructor() {
    for (const name of API_NAMES) {
      const spec = ROUTES[name];
      this.add(spec.method, spec.path, { kind: 'api', name, spec });
    }
    for (const [path, kind] of Object.entries(BUILTIN_PATHS)) this.add('GET', path, { kind });
  }

  match(method: string, path: string): RouteMatch {
    const dataset = exportDataset(path);
    if (dataset !== null) {
      if (method === 'GET' || method === 'HEAD')
        return { kind: 'found', endpoint: { kind: 'export', dataset } };
      return { kind: 'wrong-method', allow: 'GET, HEAD' };
    }
    const methods = this.byPath.get(path);
    if (!methods) return { kind: 'none' };
    const endpoint = methods.get(method === 'HEAD' ? 'GET' : method);
    if (endpoint) return { kind: 'found', endpoint };
    return { kind: 'wrong-method', allow: (this.allowed(path) ?? []).join(', ') };
  }

  /** The methods a path answers (with HEAD for GET), or null for an unknown path. */
  allowed(path: string): string[] | null {
    if (exportDataset(path) !== null) return ['GET', 'HEAD'];
    const methods = this.byPath.get(path);
    if (!methods) return null;
    const list = [...methods.keys()];
    return list.includes('GET') ? [...list, 'HEAD'] : list;
  }

  private add(method: string, path: string, endpoint: Endpoint): void {
    const methods = this.byPath.get(path) ?? new Map<string, Endpoint>();
    if (methods.has(method)) throw new Error(`two routes for ${method} ${path}`);
    methods.set(method, endpoint);
    this.byPath.set(path, methods);
  }
}

/** The `{dataset}` of `/api/export/{dataset}`, or null for any other path. */
function exportDataset(path: string): string | null {
  if (!path.startsWith(EXPORT_PATH_PREFIX)) return null;
  const rest = path.slice(EXPORT_PATH_PREFIX.length);
  if (rest === '' || rest.includes('/')) return null;
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest; // malformed escapes: an unknown dataset, answered as such (400)
  }
}

/** A request target split into its path and query, without the cost of a full URL parse. */
export function splitTarget(target: string): { path: string; query: URLSearchParams } {
  const q = target.indexOf('?');
  if (q < 0) return { path: target, query: new URLSearchParams() };
  return { path: target.slice(0, q), query: new URLSearchParams(target.slice(q + 1)) };
}

/** The query as raw parameters; a parameter given twice is a 400 naming it. */
export function queryParams(query: URLSearchParams): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of query) {
    if (Object.hasOwn(params, name)) {
      throw new HttpError(400, {
        error: 'invalid parameter',
        detail: `${name}: is given more than once`,
        field: name,
      });
    }
    params[name] = value;
  }
  return params;
}
