import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { expectApiBody } from '../../../tests/support/api-result';
import { useTempDirs } from '../../../tests/support/temp-dir';
import { API_NAMES, ROUTES } from '../../shared/api-contract';
import type { ParamsSchema } from '../../shared/api/params';
import { FAKE_RESULTS } from './fake-handlers';
import { HttpServer } from './http-server';
import {
  send,
  startTestServer,
  TEST_TOKEN,
  type TestServer,
} from '../../../tests/support/http-test-support';

const tempDir = useTempDirs();
const running: TestServer[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) await t.server.stop();
});

async function start(...args: Parameters<typeof startTestServer>): Promise<TestServer> {
  const t = await startTestServer(...args);
  running.push(t);
  return t;
}

/** A valid value for each required parameter (the first of its range). */
function requiredParams(schema: ParamsSchema): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(schema)) {
    if (p.optional || p.default !== undefined) continue;
    if (p.type === 'integer' || p.type === 'number') params[name] = p.min;
    else if (p.type === 'enum') params[name] = p.values[0];
    else if (p.type === 'date-time') params[name] = '2026-11-24T12:00:00Z';
    else if (p.type === 'boolean') params[name] = true;
    else if (p.type === 'object') params[name] = {};
    else params[name] = 'x';
  }
  return params;
}

function defaults(schema: ParamsSchema): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([, p]) => p.default !== undefined)
      .map(([name, p]) => [name, p.default]),
  );
}

describe('HttpServer: every route of the contract', () => {
  it.each(API_NAMES)('%s answers 200 {data, count} with the validated params', async (name) => {
    const t = await start();
    const spec = ROUTES[name];
    // Path parameters (`/api/drills/{id}`) go in the path; the others in the body (not GET).
    const required = requiredParams(spec.params);
    const path = spec.path.replace(/\{(\w+)\}/g, (_m, p: string) => String(required[p]));
    const inBody = Object.fromEntries(
      Object.entries(required).filter(([p]) => !spec.path.includes(`{${p}}`)),
    );
    const body = spec.method === 'GET' ? undefined : inBody;
    const res = await send(t.port, path, { method: spec.method, body, auth: spec.mutating });
    expect(res.status, res.text).toBe(200);
    const expected = FAKE_RESULTS[name];
    const count = Array.isArray(expected) ? expected.length : 1;
    expect(res.json()).toEqual({ data: expected, count });
    expectApiBody(name, res.json());
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['x-process-time']).toMatch(/^\d+\.\d{3}ms$/);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-cache']).toBe(spec.cacheable ? 'MISS' : undefined);
    expect(t.api.calls).toEqual([
      { name, params: { ...defaults(spec.params), ...requiredParams(spec.params) } },
    ]);
  });

  it('takes parameters from the path: /api/drills/{id}, literal paths first, checked as query values', async () => {
    const t = await start();
    expect((await send(t.port, '/api/drills/42')).status).toBe(200);
    expect((await send(t.port, '/api/drills/scenarios')).status).toBe(200);
    const stop = await send(t.port, '/api/drills/7/stop', { method: 'POST', body: {}, auth: true });
    expect(stop.status, stop.text).toBe(200);
    const bad = await send(t.port, '/api/drills/abc');
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'id' });
    expect((await send(t.port, '/api/drills/%7Bid%7D')).status).toBe(400);
    expect((await send(t.port, '/api/drills/1/2')).status).toBe(404);
    const twice = await send(t.port, '/api/drills/7/stop', {
      method: 'POST',
      body: { id: 8 },
      auth: true,
    });
    expect(twice.status).toBe(400);
    expect(t.api.calls.map((c) => [c.name, c.params])).toEqual([
      ['drills:get', { id: 42 }],
      ['drills:scenarios', {}],
      ['drills:stop', { id: 7 }],
    ]);
  });

  it('coerces query strings and applies defaults', async () => {
    const t = await start();
    await send(t.port, '/api/stats/trending?minutes=30');
    await send(t.port, '/api/stats/alerts?status=open&limit=3');
    await send(t.port, '/api/stats/timeseries?bucket=15m');
    expect(t.api.calls.map((c) => c.params)).toEqual([
      { minutes: 30, limit: 5 },
      { limit: 3, status: 'open' },
      { minutes: 60, bucket: '15m' },
    ]);
  });

  it('passes JSON bodies through to mutating handlers', async () => {
    const t = await start();
    const inject = { region: 'EU-London', failed: 0.5, durationSeconds: 60 };
    const res = await send(t.port, '/api/control/injections', {
      method: 'POST',
      body: inject,
      auth: true,
    });
    expect(res.status).toBe(200);
    await send(t.port, '/api/control/rate', {
      method: 'PUT',
      body: { ratePerSecond: 2.5 },
      auth: true,
    });
    expect(t.api.calls.map((c) => c.params)).toEqual([inject, { ratePerSecond: 2.5 }]);
  });

  it('maps NotFoundError to 404, ConflictError to 409, errors with a field to 400', async () => {
    const t = await start();
    t.api.replace('alerts:ack', async () => {
      throw Object.assign(new Error('alert 7 does not exist'), { name: 'NotFoundError' });
    });
    t.api.replace('replay:start', async () => {
      throw Object.assign(new Error('a replay is running'), { name: 'ConflictError' });
    });
    t.api.replace('control:setRate', async () => {
      throw Object.assign(new Error('too fast'), { name: 'WorkerError', field: 'ratePerSecond' });
    });
    const ack = await send(t.port, '/api/alerts/ack', {
      method: 'POST',
      body: { id: 7 },
      auth: true,
    });
    expect(ack.status).toBe(404);
    expect(ack.json()).toEqual({ error: 'not found', detail: 'alert 7 does not exist' });
    const replay = await send(t.port, '/api/replay', {
      method: 'POST',
      body: { from: '2026-11-24T12:00:00Z' },
      auth: true,
    });
    expect(replay.status).toBe(409);
    const rate = await send(t.port, '/api/control/rate', {
      method: 'PUT',
      body: { ratePerSecond: 5 },
      auth: true,
    });
    expect(rate.status).toBe(400);
    expect(rate.json()).toMatchObject({ field: 'ratePerSecond', detail: 'too fast' });
  });
});

describe('HttpServer: read cache', () => {
  it('serves a HIT within 2 s of the clock, a MISS after, and clears on mutation', async () => {
    const t = await start();
    const get = () => send(t.port, '/api/stats/trending?minutes=5');
    expect((await get()).headers['x-cache']).toBe('MISS');
    const hit = await get();
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.json()).toEqual({ data: FAKE_RESULTS['stats:trending'], count: 5 });
    // Same params in another order, or given by default: the same entry.
    expect((await send(t.port, '/api/stats/trending?limit=5')).headers['x-cache']).toBe('HIT');
    expect((await send(t.port, '/api/stats/trending?limit=6')).headers['x-cache']).toBe('MISS');
    expect(t.api.count('stats:trending')).toBe(2);

    t.clock.now += 1999;
    expect((await get()).headers['x-cache']).toBe('HIT');
    t.clock.now += 1;
    expect((await get()).headers['x-cache']).toBe('MISS');
    expect(t.api.count('stats:trending')).toBe(3);

    expect((await send(t.port, '/api/pipeline/pause', { method: 'POST', auth: true })).status).toBe(
      200,
    );
    expect((await get()).headers['x-cache']).toBe('MISS');
    expect(t.api.count('stats:trending')).toBe(4);
    t.server.clearReadCache(); // a change made over IPC
    expect((await get()).headers['x-cache']).toBe('MISS');
  });

  it('shares one handler call between concurrent identical reads', async () => {
    const t = await start();
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    t.api.replace('stats:regions', async () => {
      await gate;
      return FAKE_RESULTS['stats:regions'];
    });
    const pending = [1, 2, 3].map(() => send(t.port, '/api/stats/regions'));
    await expect.poll(() => t.api.count('stats:regions')).toBe(1);
    release();
    const answers = await Promise.all(pending);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(t.api.count('stats:regions')).toBe(1);
  });

  it('does not cache uncacheable routes, failures, or anything when disabled', async () => {
    const t = await start();
    await send(t.port, '/api/control');
    await send(t.port, '/api/control');
    expect(t.api.count('control:get')).toBe(2);
    let fail = true;
    t.api.replace('stats:devices', async () => {
      if (fail) throw Object.assign(new Error('db down'), { name: 'NotFoundError' });
      return FAKE_RESULTS['stats:devices'];
    });
    expect((await send(t.port, '/api/stats/devices')).status).toBe(404);
    fail = false;
    expect((await send(t.port, '/api/stats/devices')).status).toBe(200);

    const off = await start({ cache: false });
    await send(off.port, '/api/stats/trending');
    const second = await send(off.port, '/api/stats/trending');
    expect(second.headers['x-cache']).toBeUndefined();
    expect(off.api.count('stats:trending')).toBe(2);
  });
});

describe('HttpServer: other endpoints', () => {
  it('answers 404 for unknown API paths and 405 with Allow for a wrong method', async () => {
    const t = await start();
    const missing = await send(t.port, '/api/nothing');
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'not found' });
    const wrong = await send(t.port, '/api/stats/trending', { method: 'POST', auth: true });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET, HEAD');
    const injections = await send(t.port, '/api/control/injections', { method: 'GET' });
    expect(injections.status).toBe(405);
    expect(injections.headers.allow).toBe('POST, DELETE');
    expect((await send(t.port, '/', { method: 'POST' })).status).toBe(405);
  });

  it('serves /metrics as Prometheus text and HEAD without a body', async () => {
    const t = await start();
    const metrics = await send(t.port, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(metrics.text).toContain('up 1');
    const head = await send(t.port, '/health', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    const stream = await send(t.port, '/api/stream', { method: 'HEAD' });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
  });

  it('serves the dashboard with the token in index.html, and nothing outside its folder', async () => {
    const root = join(tempDir(), 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(
      join(root, 'index.html'),
      '<html><head><title>d</title></head><body></body></html>',
    );
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(root, '..', 'secret.txt'), 'secret');
    const t = await start({ staticRoot: `${root}/` });
    for (const path of ['/', '/index.html']) {
      const index = await send(t.port, path);
      expect(index.text).toBe(
        `<html><head><meta name="streampulse-token" content="${TEST_TOKEN}"><title>d</title></head><body></body></html>`,
      );
      expect(index.headers['cache-control']).toBe('no-store');
      expect(index.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(index.headers['x-frame-options']).toBe('DENY');
    }
    const asset = await send(t.port, '/assets/app.js');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('no-cache');
    expect(asset.text).not.toContain(TEST_TOKEN);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const res = await send(t.port, path);
      expect(res.status, path).toBe(404);
      expect(res.text).not.toBe('secret');
    }
  });

  it('says how to build the dashboard when there is none', async () => {
    const t = await start();
    const res = await send(t.port, '/');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/npm run build/);
  });

  it('no longer serves the interim /api/status', async () => {
    const t = await start();
    expect((await send(t.port, '/api/status')).status).toBe(404);
  });

  it('moves to the next port when the preferred one is taken', async () => {
    const first = await start();
    const second = await start({ port: first.port });
    expect(second.port).toBeGreaterThan(first.port);
  });

  it('stop() closes idle keep-alive and in-flight connections promptly', async () => {
    const t = await start();
    t.api.replace('stats:realtime', () => new Promise(() => {})); // never answers
    const agentless = new Promise<string>((resolve) => {
      const req = request({
        host: '127.0.0.1',
        port: t.port,
        path: '/api/stats/realtime',
        headers: { Host: `127.0.0.1:${t.port}` },
      });
      req.on('error', (err) => resolve(err.message));
      req.on('response', () => resolve('answered'));
      req.end();
    });
    await expect.poll(() => t.api.count('stats:realtime')).toBe(1);
    const began = performance.now();
    await t.server.stop();
    expect(performance.now() - began).toBeLessThan(1000);
    expect(await agentless).toMatch(/socket hang up|ECONNRESET/);
  });
});

describe('HttpServer construction', () => {
  it('refuses a short token', () => {
    expect(
      () =>
        new HttpServer({
          port: 0,
          handlers: {} as never,
          token: 'short',
          staticRoot: null,
          stream: { snapshot: () => null },
          metrics: new Registry(),
          logger: { debug() {}, info() {}, warn() {}, error() {} },
          version: 'x',
        }),
    ).toThrow(/token/);
  });

  it('logs each request at debug with method, path, status and ms', async () => {
    const t = await start();
    await send(t.port, '/health');
    const line = t.logs.find((l) => l.msg === 'request');
    expect(line).toMatchObject({ level: 'debug', method: 'GET', path: '/health', status: 200 });
    expect(typeof line?.ms).toBe('number');
    expect(typeof line?.requestId).toBe('string');
  });
});
