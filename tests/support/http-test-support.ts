/**
 * Test support for the HTTP server: a real server on port 0 with fake handlers, a log that keeps
 * its lines, a settable cache clock, and raw requests (so Host and Origin can be forged).
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createLogger } from '../../src/main/logger';
import { createFakeApi, type FakeApi } from '../../src/main/api/fake-handlers';
import { HttpServer, type HttpServerOptions } from '../../src/main/api/http-server';
import { Gauge, Registry } from 'prom-client';

export const TEST_TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvw';

export interface TestServer {
  readonly server: HttpServer;
  readonly api: FakeApi;
  readonly port: number;
  readonly clock: { now: number };
  /** Every log line, parsed. */
  readonly logs: Array<Record<string, unknown>>;
}

export async function startTestServer(
  overrides: Partial<HttpServerOptions> = {},
): Promise<TestServer> {
  const api = createFakeApi();
  const clock = { now: 1_000_000 };
  const logs: Array<Record<string, unknown>> = [];
  const server = new HttpServer({
    port: 0,
    handlers: api.handlers,
    token: TEST_TOKEN,
    staticRoot: null,
    stream: { snapshot: () => ({ ok: true }) },
    metrics: upMetrics(),
    logger: createLogger({
      level: 'debug',
      write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
    }),
    version: '9.9.9-test',
    now: () => clock.now,
    ...overrides,
  });
  await server.start();
  return { server, api, port: server.port, clock, logs };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The body parsed as JSON (throws if it is not). */
  json<T = Record<string, unknown>>(): T;
}

export interface RawRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON with Content-Type: application/json. */
  readonly body?: unknown;
  /** Send `Authorization: Bearer TEST_TOKEN`. */
  readonly auth?: boolean;
}

/** One request on its own connection, with `Host: 127.0.0.1:<port>` unless overridden. */
export function send(port: number, path: string, options: RawRequest = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { Host: `127.0.0.1:${port}` };
  let payload: string | undefined;
  if (typeof options.body === 'string') payload = options.body;
  else if (options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
  if (options.auth) headers.Authorization = `Bearer ${TEST_TOKEN}`;
  Object.assign(headers, options.headers);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: <T>() => JSON.parse(text) as T,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A registry with one gauge, `up 1`: the app's own metrics in the server tests. */
function upMetrics(): Registry {
  const registry = new Registry();
  new Gauge({ name: 'up', help: 'Up', registers: [registry] }).set(1);
  return registry;
}
