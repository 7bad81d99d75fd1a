import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_NAMES, ROUTES } from '../../shared/api-contract';
import { curlExample } from './docs-page';
import { send, startTestServer, type TestServer } from '../../../tests/support/http-test-support';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ tokenFile: '/home/me/.config/StreamPulse/api-token' });
});
afterAll(async () => {
  await t.server.stop();
});

interface Operation {
  operationId: string;
  summary: string;
  parameters?: Array<{
    name: string;
    in: string;
    required: boolean;
    schema: Record<string, unknown>;
  }>;
  requestBody?: { content: { 'application/json': { schema: Record<string, unknown> } } };
  security?: unknown[];
  responses: Record<string, unknown>;
}
interface OpenApi {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
}

describe('GET /api/openapi.json', () => {
  it('describes every route from ROUTES, plus the stream and metrics', async () => {
    const res = await send(t.port, '/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.json<OpenApi>();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('9.9.9-test');
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas).toHaveProperty('ApiErrorBody');
    for (const name of API_NAMES) {
      const spec = ROUTES[name];
      const op = doc.paths[spec.path]?.[spec.method.toLowerCase()];
      expect(op, name).toBeDefined();
      expect(op?.summary).toBe(spec.summary);
      expect(op?.security !== undefined, name).toBe(spec.mutating);
      for (const status of ['200', '400', '403', '404', '405', '500']) {
        expect(op?.responses, `${name} ${status}`).toHaveProperty(status);
      }
      if (spec.mutating) expect(op?.responses).toHaveProperty('401');
      if (spec.method !== 'GET') expect(op?.responses).toHaveProperty('413');
    }
    expect(doc.paths['/api/stream']?.get).toBeDefined();
    expect(doc.paths['/metrics']?.get).toBeDefined();
    expect(doc.paths['/health']?.get).toBeDefined();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const doc = (await send(t.port, '/api/openapi.json')).json<Record<string, unknown>>();
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors, JSON.stringify(result.errors, null, 1)).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('gives every operation a schema for its answer and for its errors, which resolve', async () => {
    const doc = (await send(t.port, '/api/openapi.json')).json<OpenApi>();
    const schemas = doc.components.schemas;
    const resolve = (ref: string) => schemas[ref.replace('#/components/schemas/', '')];
    let operations = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        operations++;
        const responses = op.responses as Record<
          string,
          { content?: Record<string, { schema?: { $ref?: string; type?: string } }> }
        >;
        for (const [status, response] of Object.entries(responses)) {
          const contents = Object.values(response.content ?? {});
          expect(contents.length, `${method} ${path} ${status}`).toBeGreaterThan(0);
          for (const { schema } of contents) {
            expect(schema, `${method} ${path} ${status}`).toBeDefined();
            if (schema?.$ref) expect(resolve(schema.$ref), schema.$ref).toBeDefined();
          }
        }
      }
    }
    expect(operations).toBe(API_NAMES.length + 5); // + export, stream, metrics, openapi, docs
    // Each call's answer: the envelope around the result's own schema, not an untyped `data`.
    for (const name of API_NAMES) {
      const spec = ROUTES[name];
      const op = doc.paths[spec.path]![spec.method.toLowerCase()]!;
      const ok = op.responses['200'] as {
        content: { 'application/json': { schema: { $ref: string } } };
      };
      const envelope = resolve(ok.content['application/json'].schema.$ref) as {
        required: string[];
        properties: { data: { $ref?: string; type?: string; items?: { $ref?: string } } };
      };
      expect(envelope.required, name).toEqual(['data', 'count']);
      const data = envelope.properties.data;
      const ref = data.$ref ?? data.items?.$ref;
      expect(ref, `${name}: data refers to a named result schema`).toBeDefined();
      expect(resolve(ref!), name).toMatchObject({ type: 'object' });
    }
    expect(schemas.ApiErrorBody).toMatchObject({ required: ['error', 'detail'] });
  });

  it('describes the exports: the dataset in the path, the range and format, the token, the file types', async () => {
    const doc = (await send(t.port, '/api/openapi.json')).json<OpenApi>();
    const op = doc.paths['/api/export/{dataset}']?.get as Operation & {
      parameters: Array<{
        name: string;
        in: string;
        required: boolean;
        schema: { enum?: string[] };
      }>;
      responses: Record<string, { content?: Record<string, unknown> }>;
    };
    expect(op.security).toEqual([{ bearerAuth: [] }]);
    expect(op.parameters.map((p) => [p.name, p.in, p.required])).toEqual([
      ['dataset', 'path', true],
      ['from', 'query', true],
      ['to', 'query', true],
      ['format', 'query', false],
    ]);
    expect(op.parameters[0]!.schema.enum).toContain('region_health');
    expect(Object.keys(op.responses['200']!.content!)).toEqual([
      'text/csv',
      'application/x-ndjson',
    ]);
    for (const status of ['400', '401', '429']) expect(op.responses).toHaveProperty(status);
  });

  it('gives parameters their types, ranges, enums and defaults', async () => {
    const doc = (await send(t.port, '/api/openapi.json')).json<OpenApi>();
    const trending = doc.paths['/api/stats/trending']?.get?.parameters;
    expect(trending).toContainEqual({
      name: 'limit',
      in: 'query',
      required: false,
      schema: {
        type: 'integer',
        minimum: 1,
        maximum: 100,
        default: 5,
        description: 'How many titles',
      },
    });
    const alerts = doc.paths['/api/stats/alerts']?.get?.parameters;
    expect(alerts?.find((p) => p.name === 'status')?.schema).toMatchObject({
      type: 'string',
      enum: ['all', 'open', 'resolved'],
      default: 'all',
    });
    const ack = doc.paths['/api/alerts/ack']?.post?.requestBody?.content['application/json'].schema;
    expect(ack).toMatchObject({ type: 'object', required: ['id'], additionalProperties: false });
    const replay = doc.paths['/api/replay']?.post?.requestBody?.content['application/json'].schema;
    expect(replay).toMatchObject({ properties: { from: { type: 'string', format: 'date-time' } } });
  });
});

describe('GET /docs', () => {
  it('is one self-contained page listing every route, with curl examples', async () => {
    const res = await send(t.port, '/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.text;
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!127\.0\.0\.1)/);
    for (const name of API_NAMES) {
      const spec = ROUTES[name];
      expect(html).toContain(`<code>${spec.path}</code>`);
      expect(html).toContain(`id="${name}"`);
      for (const param of Object.keys(spec.params)) expect(html).toContain(`<code>${param}</code>`);
    }
    expect(html).toContain(
      'curl -X POST -H &#34;Authorization: Bearer $(cat /home/me/.config/StreamPulse/api-token)&#34;',
    );
    expect(html).toContain('Needs the token');
  });

  it('builds curl examples with the token for mutating routes only', () => {
    const options = {
      version: 'x',
      baseUrl: 'http://127.0.0.1:8080',
      tokenFile: '<data-dir>/api-token',
    };
    expect(curlExample(ROUTES['stats:trending'], options)).toBe(
      "curl 'http://127.0.0.1:8080/api/stats/trending?minutes=5&limit=5'",
    );
    expect(curlExample(ROUTES['control:setRate'], options)).toBe(
      `curl -X PUT -H "Authorization: Bearer $(cat "<data-dir>/api-token")" -H 'Content-Type: application/json' -d '{"ratePerSecond":0.1}' 'http://127.0.0.1:8080/api/control/rate'`,
    );
    expect(curlExample(ROUTES['pipeline:pause'], options)).toBe(
      `curl -X POST -H "Authorization: Bearer $(cat "<data-dir>/api-token")" 'http://127.0.0.1:8080/api/pipeline/pause'`,
    );
  });
});
