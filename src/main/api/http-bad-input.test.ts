/**
 * The bad-input table: for every route with parameters, each parameter out of range, of the wrong
 * type, missing; an unknown parameter; then malformed, oversized and mistyped bodies. Each gets its
 * 4xx naming the field, and the server still answers afterwards.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_NAMES, ROUTES, type ApiName } from '../../shared/api-contract';
import type { ParamSchema, ParamsSchema } from '../../shared/api/params';
import {
  send,
  startTestServer,
  TEST_TOKEN,
  type TestServer,
} from '../../../tests/support/http-test-support';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.server.stop();
});

function valid(param: ParamSchema): unknown {
  if (param.type === 'integer' || param.type === 'number') return param.min;
  if (param.type === 'enum') return param.values[0];
  if (param.type === 'date-time') return '2026-11-24T12:00:00Z';
  if (param.type === 'boolean') return true;
  if (param.type === 'object') return {};
  return 'x';
}

function validParams(schema: ParamsSchema): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schema).map(([name, p]) => [name, valid(p)]));
}

/** Bad values for a parameter: [label, value as JSON, value as query string]. */
function badValues(param: ParamSchema): Array<[string, unknown, string]> {
  switch (param.type) {
    case 'integer':
    case 'number': {
      const list: Array<[string, unknown, string]> = [
        ['below range', param.min - 1, String(param.min - 1)],
        ['above range', param.max + 1, String(param.max + 1)],
        ['wrong type', String(param.min), 'abc'],
        ['not finite', null, 'Infinity'],
      ];
      if (param.type === 'integer') list.push(['fractional', param.min + 0.5, `${param.min}.5`]);
      return list;
    }
    case 'enum':
      return [
        ['not in the enum', 'nope', 'nope'],
        ['wrong type', 5, '5'],
      ];
    case 'date-time':
      return [
        ['not a date', 'yesterday', 'yesterday'],
        ['wrong type', 12, '12'],
      ];
    case 'string':
      return [['too long', 'x'.repeat(param.maxLength + 1), 'x'.repeat(param.maxLength + 1)]];
    case 'boolean':
      return [['wrong type', 'yes', 'yes']];
    case 'object':
      return [['not an object', 'yes', 'yes']];
  }
}

interface Case {
  readonly label: string;
  readonly name: ApiName;
  readonly field: string;
  readonly params: Record<string, unknown>;
  readonly query?: string;
}

const cases: Case[] = [];
for (const name of API_NAMES) {
  const spec = ROUTES[name];
  const entries = Object.entries(spec.params);
  if (!entries.length) continue;
  const base = validParams(spec.params);
  for (const [field, param] of entries) {
    for (const [label, json, query] of badValues(param)) {
      const asText = spec.method === 'GET' || spec.path.includes(`{${field}}`);
      const bad = { ...base, [field]: asText ? query : json };
      cases.push({ label: `${field} ${label}`, name, field, params: bad });
    }
    // A path without its parameter is another path (a 404), not a missing parameter.
    if (!param.optional && param.default === undefined && !spec.path.includes(`{${field}}`)) {
      const rest = { ...base };
      delete rest[field];
      cases.push({ label: `${field} missing`, name, field, params: rest });
    }
  }
  cases.push({ label: 'unknown parameter', name, field: 'bogus', params: { ...base, bogus: 1 } });
}

function call(c: Case) {
  const spec = ROUTES[c.name];
  // Path parameters (`/api/drills/{id}`) go in the path, the rest in the query or body.
  const path = spec.path.replace(/\{(\w+)\}/g, (_m, p: string) =>
    encodeURIComponent(String(c.params[p])),
  );
  const rest = Object.entries(c.params).filter(([k]) => !spec.path.includes(`{${k}}`));
  if (spec.method === 'GET') {
    const query = new URLSearchParams(rest.map(([k, v]): [string, string] => [k, String(v)]));
    return send(t.port, `${path}?${query.toString()}`);
  }
  return send(t.port, path, { method: spec.method, body: Object.fromEntries(rest), auth: true });
}

describe('bad input', () => {
  it.each(cases.map((c) => [`${c.name}: ${c.label}`, c] as const))('%s → 400', async (_l, c) => {
    const res = await call(c);
    expect(res.status, res.text).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ error: 'invalid parameter', field: c.field });
    expect(body.detail).toMatch(new RegExp(`^${c.field}: `));
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    send(t.port, '/api/alerts/ack', {
      method: 'POST',
      body,
      auth: true,
      headers: { 'Content-Type': 'application/json', ...headers },
    });

  it('malformed JSON → 400 naming body', async () => {
    const res = await post('{"id": 1');
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'malformed JSON', field: 'body' });
  });

  it('a JSON body that is not an object → 400 naming body', async () => {
    for (const body of ['[1]', '"id"', '12', 'null']) {
      const res = await post(body);
      expect(res.status, body).toBe(400);
      expect(res.json()).toMatchObject({ field: 'body' });
    }
  });

  it('a body without Content-Type: application/json → 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', '']) {
      const res = await post('{"id":1}', { 'Content-Type': type });
      expect(res.status, type).toBe(415);
    }
    expect(
      (await post('{"id":1}', { 'Content-Type': 'application/json; charset=utf-8' })).status,
    ).toBe(200);
  });

  it('an empty body is {} (and then a missing required parameter)', async () => {
    const res = await send(t.port, '/api/alerts/ack', { method: 'POST', auth: true });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ field: 'id' });
    const pause = await send(t.port, '/api/pipeline/pause', { method: 'POST', auth: true });
    expect(pause.status).toBe(200);
  });

  it('a body over 16 KiB → 413, declared or streamed', async () => {
    const big = JSON.stringify({ id: 1, pad: 'x'.repeat(17 * 1024) });
    const declared = await post(big);
    expect(declared.status).toBe(413);
    // Chunked, with no Content-Length: refused while reading, before the end arrives.
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port: t.port,
        path: '/api/alerts/ack',
        method: 'POST',
        agent: false,
        headers: {
          Host: `127.0.0.1:${t.port}`,
          'Content-Type': 'application/json',
          Authorization: `Bearer ${TEST_TOKEN}`,
          'Transfer-Encoding': 'chunked',
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.write(`{"pad":"${'x'.repeat(20 * 1024)}`); // never ended: the server must not wait
    });
    expect(streamed).toBe(413);
  });

  it('parameters of a mutating route in the URL, or a query parameter twice → 400', async () => {
    const res = await send(t.port, '/api/alerts/ack?id=1', { method: 'POST', auth: true });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ field: 'id' });
    const twice = await send(t.port, '/api/stats/trending?limit=1&limit=2');
    expect(twice.status).toBe(400);
    expect(twice.json()).toMatchObject({ field: 'limit' });
  });

  it('still answers /health after the whole table', async () => {
    expect(cases.length).toBeGreaterThan(40);
    const res = await send(t.port, '/health');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ data: { status: 'ok' } });
    // No handler ever saw a bad parameter.
    for (const c of t.api.calls) expect(c.params).not.toHaveProperty('bogus');
  });
});
