import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  send,
  startTestServer,
  TEST_TOKEN,
  type TestServer,
} from '../../../tests/support/http-test-support';

let t: TestServer;
let own: string;
beforeAll(async () => {
  t = await startTestServer();
  own = `http://127.0.0.1:${t.port}`;
});
afterAll(async () => {
  await t.server.stop();
});

const pause = (options: Parameters<typeof send>[2] = {}) =>
  send(t.port, '/api/pipeline/pause', { method: 'POST', ...options });

describe('Host allow-list', () => {
  it('refuses a foreign Host (DNS rebinding) with 403, on every kind of path', async () => {
    for (const host of ['evil.example', `evil.example:${t.port}`, '127.0.0.1:1', 'localhost']) {
      for (const path of ['/health', '/api/stream', '/', '/docs', '/metrics']) {
        const res = await send(t.port, path, { headers: { Host: host } });
        expect(res.status, `${host} ${path}`).toBe(403);
      }
    }
    for (const host of [`localhost:${t.port}`, `127.0.0.1:${t.port}`, `[::1]:${t.port}`]) {
      expect((await send(t.port, '/health', { headers: { Host: host } })).status).toBe(200);
    }
  });

  it('refuses a request without Host (HTTP/1.0) with 403', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(t.port, '127.0.0.1', () => socket.end('GET /health HTTP/1.0\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 403 /);
  });
});

describe('the launch token', () => {
  it('is needed by mutating routes: missing or wrong → 401 with WWW-Authenticate', async () => {
    const missing = await pause();
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
    for (const authorization of [
      `Bearer ${TEST_TOKEN}x`,
      `Bearer ${TEST_TOKEN.slice(0, -1)}`,
      'Bearer ',
      `Basic ${TEST_TOKEN}`,
      TEST_TOKEN,
    ]) {
      const res = await pause({ headers: { Authorization: authorization } });
      expect(res.status, authorization).toBe(401);
    }
    expect(t.api.count('pipeline:pause')).toBe(0);
    expect((await pause({ auth: true })).status).toBe(200);
    expect((await pause({ headers: { Authorization: `bearer ${TEST_TOKEN}` } })).status).toBe(200);
  });

  it('is not needed by reads', async () => {
    expect((await send(t.port, '/api/stats/trending')).status).toBe(200);
  });

  it('is never accepted in the URL, even with a correct header → 400', async () => {
    for (const path of [
      `/api/pipeline/pause?token=${TEST_TOKEN}`,
      `/api/pipeline/pause?access_token=${TEST_TOKEN}`,
    ]) {
      const res = await send(t.port, path, { method: 'POST', auth: true });
      expect(res.status).toBe(400);
      expect(res.json().detail).toMatch(/tokens are not accepted in URLs/);
    }
    expect((await send(t.port, '/api/stats/trending?token=x')).status).toBe(400);
    expect((await send(t.port, '/?access_token=x')).status).toBe(400);
  });
});

describe('Origin and CORS', () => {
  it('refuses a cross-origin mutating request with 403, even with the token', async () => {
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${t.port + 1}`]) {
      const res = await pause({ auth: true, headers: { Origin: origin } });
      expect(res.status, origin).toBe(403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('accepts our own origins (and no Origin) on mutating requests', async () => {
    for (const origin of [own, `http://localhost:${t.port}`, `http://[::1]:${t.port}`]) {
      const res = await pause({ auth: true, headers: { Origin: origin } });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe(origin);
    }
  });

  it('sends CORS headers to own origins only, never *', async () => {
    const mine = await send(t.port, '/api/stats/regions', { headers: { Origin: own } });
    expect(mine.headers['access-control-allow-origin']).toBe(own);
    expect(mine.headers.vary).toMatch(/Origin/);
    const foreign = await send(t.port, '/api/stats/regions', {
      headers: { Origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(200); // readable by curl, not by a foreign page
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const none = await send(t.port, '/api/stats/regions');
    expect(none.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a preflight for own origins only', async () => {
    const preflight = (origin: string, path = '/api/control/rate') =>
      send(t.port, path, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'PUT',
          'Access-Control-Request-Headers': 'authorization, content-type',
        },
      });
    const ok = await preflight(own);
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(own);
    expect(ok.headers['access-control-allow-methods']).toBe('PUT');
    expect(ok.headers['access-control-allow-headers']).toBe('Authorization, Content-Type');
    const foreign = await preflight('http://evil.example');
    expect(foreign.status).toBe(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    expect((await send(t.port, '/api/control/rate', { method: 'OPTIONS' })).status).toBe(403);
    expect((await preflight(own, '/api/nothing')).status).toBe(404);
  });
});

describe('unexpected errors', () => {
  it('answer 500 with a requestId, never the message or a stack; the log has both', async () => {
    t.api.replace('stats:timeseries', async () => {
      throw new Error('secret detail');
    });
    const res = await send(t.port, '/api/stats/timeseries');
    expect(res.status).toBe(500);
    expect(res.text).not.toContain('secret detail');
    expect(res.text).not.toMatch(/at .*\.ts|stack/);
    const body = res.json();
    expect(body).toEqual({
      error: 'internal error',
      detail: 'see the server log',
      requestId: res.headers['x-request-id'],
    });
    const logged = t.logs.find((l) => l.requestId === body.requestId && l.level === 'error');
    expect(logged).toMatchObject({
      msg: 'request failed',
      status: 500,
      path: '/api/stats/timeseries',
    });
    expect(JSON.stringify(logged)).toContain('secret detail');
  });
});

describe('security headers', () => {
  it('are on every answer, errors included', async () => {
    for (const path of ['/health', '/api/nothing', '/docs', '/api/openapi.json', '/metrics']) {
      const res = await send(t.port, path);
      expect(res.headers['x-content-type-options'], path).toBe('nosniff');
      expect(res.headers['referrer-policy'], path).toBe('no-referrer');
      expect(res.headers['x-frame-options'], path).toBe('DENY');
      expect(res.headers['content-security-policy'], path).toMatch(/frame-ancestors 'none'/);
    }
    const forbidden = await send(t.port, '/health', { headers: { Host: 'evil.example' } });
    expect(forbidden.headers['x-content-type-options']).toBe('nosniff');
  });
});
