/**
 * GET /api/openapi.json: an OpenAPI 3.1 document generated from the endpoint table and its zod
 * schemas (src/shared/api/), so it cannot drift from what the server validates and answers.
 * GET parameters are query parameters, `{name}` path segments path parameters, the others a JSON
 * body; every answer has its schema: the result in the `{data, count}` envelope, or the error.
 */
import { z } from 'zod';
import { API_NAMES, ROUTES, type ApiName } from '../../shared/api-contract';
import { alertViewSchema } from '../../shared/api/alerts';
import {
  controlsSchema,
  historyStatusSchema,
  injectionViewSchema,
} from '../../shared/api/controls';
import {
  drillAlertSchema,
  drillIncidentSchema,
  drillSummarySchema,
  drillViewSchema,
  scenarioViewSchema,
} from '../../shared/api/drills';
import { apiErrorBodySchema } from '../../shared/api/errors';
import {
  databaseStatusSchema,
  healthSchema,
  pipelineStatusSchema,
  replayStatusSchema,
} from '../../shared/api/pipeline';
import { connectionTestResultSchema, settingsViewSchema } from '../../shared/api/settings';
import {
  deviceStatsSchema,
  realtimeStatsSchema,
  regionHealthSchema,
  timeseriesPointSchema,
  trendingItemSchema,
} from '../../shared/api/stats';
import { secretsUpdateSchema, settingsSchema } from '../../shared/settings/schema';
import { exportPaths } from './openapi-exports';
import {
  componentRef,
  errorRef,
  isRequired,
  parameterObjects,
  paramJsonSchema,
  withoutIds,
  type Json,
} from './openapi-parts';

/** Schemas named in the document: results and parts of results, the error, the settings. */
const NAMED_SCHEMAS: Record<string, z.ZodType> = {
  RealtimeStats: realtimeStatsSchema,
  TrendingItem: trendingItemSchema,
  RegionHealth: regionHealthSchema,
  TimeseriesPoint: timeseriesPointSchema,
  DeviceStats: deviceStatsSchema,
  AlertView: alertViewSchema,
  InjectionView: injectionViewSchema,
  Controls: controlsSchema,
  HistoryStatus: historyStatusSchema,
  ReplayStatus: replayStatusSchema,
  DatabaseStatus: databaseStatusSchema,
  PipelineStatus: pipelineStatusSchema,
  Health: healthSchema,
  DrillSummary: drillSummarySchema,
  DrillIncident: drillIncidentSchema,
  DrillAlert: drillAlertSchema,
  DrillView: drillViewSchema,
  ScenarioView: scenarioViewSchema,
  Settings: settingsSchema,
  SecretsUpdate: secretsUpdateSchema,
  SettingsView: settingsViewSchema,
  ConnectionTestResult: connectionTestResultSchema,
  ApiErrorBody: apiErrorBodySchema,
};

/** `stats:trending` → `statsTrending`. */
export function operationId(name: ApiName): string {
  return name.replace(/:(\w)/g, (_m, c: string) => c.toUpperCase());
}

/** `statsTrending` → `StatsTrendingResponse`: the component of a call's 200 answer. */
function responseId(name: ApiName): string {
  const id = operationId(name);
  return `${id[0]!.toUpperCase()}${id.slice(1)}Response`;
}

/** The `{data, count}` envelope around a result. */
function envelope(result: z.ZodType): z.ZodType {
  return z.object({
    data: result,
    count: z.int().min(0).meta({ description: 'Array length, or 1 for an object' }),
  });
}

/**
 * Every named schema and every call's answer as components: zod turns a registry into JSON
 * Schemas that refer to each other's components instead of repeating them.
 */
function components(): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(NAMED_SCHEMAS)) registry.add(schema, { id });
  for (const name of API_NAMES)
    registry.add(envelope(ROUTES[name].result), { id: responseId(name) });
  // As input: what a client sends and reads alike (the settings' text fields are trimmed by a
  // transform, which has no JSON Schema; their input is described instead).
  const { schemas } = z.toJSONSchema(registry, {
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Json> };
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => [id, withoutIds(schema)]),
  );
}

function operation(name: ApiName): Json {
  const spec = ROUTES[name];
  const shape = spec.paramsSchema.shape;
  // `{id}` in the path: a path parameter; the others go in the query (GET) or the body.
  const inPath = new Set([...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!));
  const isGet = spec.method === 'GET';
  const parameters = parameterObjects(
    z.strictObject(
      Object.fromEntries(Object.entries(shape).filter(([p]) => isGet || inPath.has(p))),
    ),
    (p) => (inPath.has(p) ? 'path' : 'query'),
  );
  const inBody = Object.entries(shape).filter(([p]) => !inPath.has(p));
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
      content: { 'application/json': { schema: componentRef(responseId(name)) } },
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
    responses['413'] = errorRef(`The body is over ${(spec.maxBodyBytes ?? 16 * 1024) / 1024} KiB`);
    responses['415'] = errorRef('The body is not application/json');
  }
  return {
    operationId: operationId(name),
    summary: spec.summary,
    tags: [name.includes(':') ? name.split(':')[0] : name],
    ...(parameters.length ? { parameters } : {}),
    ...(!isGet && (inBody.length > 0 || inPath.size === 0)
      ? {
          requestBody: {
            required: inBody.some(([p, schema]) => isRequired(schema, p)),
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: Object.fromEntries(
                    inBody.map(([p, schema]) => [p, paramJsonSchema(schema, p)]),
                  ),
                  required: inBody.filter(([p, schema]) => isRequired(schema, p)).map(([p]) => p),
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

/** A GET of the server's own that answers text (or HTML, or this document). */
function ownGet(
  operationIdText: string,
  summary: string,
  type: string,
  schema: Json,
): Record<string, Json> {
  return {
    get: {
      operationId: operationIdText,
      summary,
      tags: [operationIdText],
      responses: {
        '200': { description: summary, content: { [type]: { schema } } },
        '403': errorRef('Foreign Host header'),
      },
    },
  };
}

export function buildOpenApi(version: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const name of API_NAMES) {
    const spec = ROUTES[name];
    (paths[spec.path] ??= {})[spec.method.toLowerCase()] = operation(name);
  }
  Object.assign(paths, exportPaths());
  paths['/api/stream'] = ownGet(
    'stream',
    'Server-Sent Events: an `event: snapshot` at once, then every second',
    'text/event-stream',
    { type: 'string' },
  );
  paths['/metrics'] = ownGet(
    'metrics',
    'Prometheus metrics (text exposition format 0.0.4)',
    'text/plain',
    { type: 'string' },
  );
  paths['/api/openapi.json'] = ownGet('openapi', 'This document', 'application/json', {
    type: 'object',
  });
  paths['/docs'] = ownGet('docs', 'The API described for people', 'text/html', {
    type: 'string',
  });
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
      schemas: components(),
    },
  };
}
