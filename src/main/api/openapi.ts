/**
 * GET /api/openapi.json: an OpenAPI 3.1 description generated from ROUTES, so it cannot drift
 * from what the server does. GET parameters are query parameters; the others are a JSON body.
 */
import { API_NAMES, ROUTES, type ApiName } from '../../shared/api-contract';
import type { ParamSchema, ParamsSchema } from '../../shared/api-schema';
import { exportPaths } from './openapi-exports';

type Json = Record<string, unknown>;

/** A parameter's JSON Schema: type, range, enum, default, description. */
export function paramJsonSchema(param: ParamSchema): Json {
  const common = {
    ...(param.description ? { description: param.description } : {}),
    ...(param.default !== undefined ? { default: param.default } : {}),
  };
  switch (param.type) {
    case 'integer':
    case 'number':
      return { type: param.type, minimum: param.min, maximum: param.max, ...common };
    case 'enum':
      return { type: 'string', enum: [...param.values], ...common };
    case 'string':
      return {
        type: 'string',
        maxLength: param.maxLength,
        ...(param.pattern ? { pattern: param.pattern } : {}),
        ...common,
      };
    case 'date-time':
      return { type: 'string', format: 'date-time', ...common };
    case 'boolean':
      return { type: 'boolean', ...common };
    case 'object':
      return { type: 'object', ...common };
  }
}

export function isRequired(param: ParamsSchema[string]): boolean {
  return !param.optional && param.default === undefined;
}

/** `stats:trending` → `statsTrending`. */
export function operationId(name: ApiName): string {
  return name.replace(/:(\w)/g, (_m, c: string) => c.toUpperCase());
}

const errorRef = (description: string): Json => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiErrorBody' } } },
});

function operation(name: ApiName): Json {
  const spec = ROUTES[name];
  // `{id}` in the path: a path parameter; the others go in the query (GET) or the body.
  const inPath = new Set([...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!));
  const pathParameters = Object.entries(spec.params)
    .filter(([param]) => inPath.has(param))
    .map(([param, schema]) => ({
      name: param,
      in: 'path',
      required: true,
      schema: paramJsonSchema(schema),
    }));
  const entries = Object.entries(spec.params).filter(([param]) => !inPath.has(param));
  const isGet = spec.method === 'GET';
  const responses: Json = {
    '200': {
      description: 'The result, in the `{data, count}` envelope',
      headers: {
        'X-Request-Id': { schema: { type: 'string' } },
        'X-Process-Time': { schema: { type: 'string', examples: ['1.234ms'] } },
        ...(spec.cacheable
          ? { 'X-Cache': { schema: { type: 'string', enum: ['HIT', 'MISS'] } } }
          : {}),
      },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Envelope' } } },
    },
    '400': errorRef('A parameter is invalid (`field` names it)'),
    '403': errorRef('Foreign Host header, or a cross-origin mutating request'),
    '404': errorRef('Not found'),
    '405': errorRef('Method not allowed (see `Allow`)'),
    '500': errorRef('Internal error (see the server log for `requestId`)'),
  };
  if (spec.mutating) {
    responses['401'] = errorRef('Missing or wrong bearer token');
    responses['409'] = errorRef('Conflicts with the current state');
  }
  if (!isGet) {
    responses['413'] = errorRef('The body is over 16 KiB');
    responses['415'] = errorRef('The body is not application/json');
  }
  return {
    operationId: operationId(name),
    summary: spec.summary,
    tags: [name.includes(':') ? name.split(':')[0] : name],
    ...((isGet && entries.length) || pathParameters.length
      ? {
          parameters: [
            ...pathParameters,
            ...(isGet ? entries : []).map(([param, schema]) => ({
              name: param,
              in: 'query',
              required: isRequired(schema),
              schema: paramJsonSchema(schema),
            })),
          ],
        }
      : {}),
    ...(!isGet && (entries.length > 0 || pathParameters.length === 0)
      ? {
          requestBody: {
            required: entries.some(([, schema]) => isRequired(schema)),
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: Object.fromEntries(
                    entries.map(([param, schema]) => [param, paramJsonSchema(schema)]),
                  ),
                  required: entries.filter(([, schema]) => isRequired(schema)).map(([p]) => p),
                },
              },
            },
          },
        }
      : {}),
    ...(spec.mutating ? { security: [{ bearerAuth: [] }] } : {}),
    responses,
  };
}

export function buildOpenApi(version: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const name of API_NAMES) {
    const spec = ROUTES[name];
    (paths[spec.path] ??= {})[spec.method.toLowerCase()] = operation(name);
  }
  Object.assign(paths, exportPaths());
  paths['/api/stream'] = {
    get: {
      operationId: 'stream',
      summary: 'Server-Sent Events: an `event: snapshot` at once, then every second',
      tags: ['stream'],
      responses: {
        '200': {
          description: 'An event stream',
          content: { 'text/event-stream': { schema: { type: 'string' } } },
        },
        '403': errorRef('Foreign Host header'),
      },
    },
  };
  paths['/metrics'] = {
    get: {
      operationId: 'metrics',
      summary: 'Prometheus metrics (text exposition format 0.0.4)',
      tags: ['metrics'],
      responses: {
        '200': {
          description: 'Metrics',
          content: { 'text/plain': { schema: { type: 'string' } } },
        },
        '403': errorRef('Foreign Host header'),
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'StreamPulse API',
      version,
      description:
        'The local StreamPulse API, on 127.0.0.1 only. Mutating routes and exports need `Authorization: Bearer <token>` with the per-launch token from `<data-dir>/api-token`. Read answers of cacheable routes may be up to 2 s old.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Envelope: {
          type: 'object',
          required: ['data', 'count'],
          properties: {
            data: { description: 'The result: an object or an array' },
            count: { type: 'integer', minimum: 0, description: 'Array length, or 1 for an object' },
          },
        },
        ApiErrorBody: {
          type: 'object',
          required: ['error', 'detail'],
          properties: {
            error: { type: 'string' },
            detail: { type: 'string' },
            field: { type: 'string', description: 'The parameter at fault (400)' },
            requestId: { type: 'string', description: 'For a 500: find it in the server log' },
          },
        },
      },
    },
  };
}
