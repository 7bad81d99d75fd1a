import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../tests/support/temp-dir';
import { silentLogger } from '../logger';
import { HttpServer } from './http-server';

const tempDir = useTempDirs();
const servers: HttpServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});

async function startServer(staticRoot: string | null = null): Promise<HttpServer> {
  const server = new HttpServer({
    port: 0,
    staticRoot,
    status: () => ({ produced: 7 }),
    logger: silentLogger,
  });
  servers.push(server);
  await server.start();
  return server;
}

/** A raw request, so the Host header can be anything (fetch would not let us). */
function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method, headers: { Host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('HttpServer', () => {
  it('answers /health and /api/status as JSON', async () => {
    const server = await startServer();
    expect(JSON.parse((await get(server.port, '/health')).body)).toEqual({ status: 'ok' });
    const status = await get(server.port, '/api/status');
    expect(status.status).toBe(200);
    expect(JSON.parse(status.body)).toEqual({ data: { produced: 7 } });
    expect(status.headers['content-type']).toMatch(/application\/json/);
  });

  it('refuses a foreign Host header (DNS rebinding) with 403', async () => {
    const server = await startServer();
    expect((await get(server.port, '/health', { Host: 'evil.example' })).status).toBe(403);
    expect(
      (await get(server.port, '/health', { Host: `evil.example:${server.port}` })).status,
    ).toBe(403);
    expect((await get(server.port, '/health', { Host: `localhost:${server.port}` })).status).toBe(
      200,
    );
  });

  it('answers 405 to other methods and 404 to unknown API paths', async () => {
    const server = await startServer();
    const post = await get(server.port, '/api/status', {}, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect((await get(server.port, '/api/nothing')).status).toBe(404);
  });

  it('serves the dashboard files and nothing outside their folder', async () => {
    const root = join(tempDir(), 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<h1>dash</h1>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(root, '..', 'secret.txt'), 'secret');
    const server = await startServer(`${root}/`);
    const index = await get(server.port, '/');
    expect(index.body).toBe('<h1>dash</h1>');
    expect(index.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect((await get(server.port, '/assets/app.js')).headers['content-type']).toMatch(
      /javascript/,
    );
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const res = await get(server.port, path);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toBe('secret');
    }
  });

  it('moves to the next port when the preferred one is taken', async () => {
    const first = await startServer();
    const second = new HttpServer({
      port: first.port,
      staticRoot: null,
      status: () => ({}),
      logger: silentLogger,
    });
    servers.push(second);
    await second.start();
    expect(second.port).toBeGreaterThan(first.port);
  });
});
