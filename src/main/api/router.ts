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
  | {
      readonly kind: 'found';
      readonly endpoint: Endpoint;
      /** The values of the path's `{name}` segments, as written (validated with the query). */
      readonly pathParams: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'wrong-method'; readonly allow: string }
  | { readonly kind: 'none' };

/** The server's own endpoints, all GET. */
export const BUILTIN_PATHS = {
  '/api/stream': 'stream',
  '/api/openapi.json': 'openapi',
  '/docs': 'docs',
  '/metrics': 'metrics',
} as const;

/** A path with `{name}` segments, e.g. /api/drills/{id}. */
interface PathTemplate {
  readonly template: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

export class Router {
  private readonly byPath = new Map<string, Map<string, Endpoint>>();
  private readonly templates: PathTemplate[] = [];

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
        return { kind: 'found', endpoint: { kind: 'export', dataset }, pathParams: {} };
      return { kind: 'wrong-method', allow: 'GET, HEAD' };
    }
    const resolved = this.resolve(path);
    if (!resolved) return { kind: 'none' };
    const endpoint = resolved.methods.get(method === 'HEAD' ? 'GET' : method);
    if (endpoint) return { kind: 'found', endpoint, pathParams: resolved.pathParams };
    return { kind: 'wrong-method', allow: (this.allowed(path) ?? []).join(', ') };
  }

  /** The methods a path answers (with HEAD for GET), or null for an unknown path. */
  allowed(path: string): string[] | null {
    if (exportDataset(path) !== null) return ['GET', 'HEAD'];
    const methods = this.resolve(path)?.methods;
    if (!methods) return null;
    const list = [...methods.keys()];
    return list.includes('GET') ? [...list, 'HEAD'] : list;
  }

  /** A literal path first (so /api/drills/scenarios is not drill "scenarios"), then templates. */
  private resolve(
    path: string,
  ): { methods: Map<string, Endpoint>; pathParams: Record<string, string> } | null {
    const literal = path.includes('{') ? undefined : this.byPath.get(path);
    if (literal) return { methods: literal, pathParams: {} };
    for (const t of this.templates) {
      const m = t.pattern.exec(path);
      if (!m) continue;
      const pathParams = Object.fromEntries(
        t.names.map((name, i) => [name, decodeSegment(m[i + 1]!)]),
      );
      return { methods: this.byPath.get(t.template)!, pathParams };
    }
    return null;
  }

  private add(method: string, path: string, endpoint: Endpoint): void {
    if (path.includes('{') && !this.byPath.has(path)) {
      const names: string[] = [];
      const source = path
        .split('/')
        .map((segment) => {
          const m = /^\{([A-Za-z]+)\}$/.exec(segment);
          if (!m) return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
          names.push(m[1]!);
          return '([^/]+)';
        })
        .join('/');
      this.templates.push({ template: path, pattern: new RegExp(`^${source}$`), names });
    }
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

/** A path segment's value; a malformed escape stays as written (and fails validation). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
