/**
 * The local HTTP API, bound to 127.0.0.1: every ROUTES call (the same handler table as IPC), the
 * SSE stream, /metrics, the OpenAPI description, /docs and the dashboard's files. Host-checked
 * against DNS rebinding; mutating routes need the launch token and a same-origin (or no) Origin.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { ApiHandlers } from '../../shared/api-contract';
import type { Logger } from '../logger';
import { expectedErrorResponse, HttpError } from './api-errors';
import { ApiEndpoint } from './api-endpoint';
import type { ExportService } from '../export/export-service';
import { ExportEndpoint, exportHeaders } from './export-endpoint';
import { streamChunks } from './stream-response';
import { renderDocsPage } from './docs-page';
import { isAllowedHost } from './host-check';
import { buildOpenApi } from './openapi';
import { ApiLatency, DASHBOARD_ROUTE, routeOf, UNMATCHED_ROUTE } from './api-metrics';
import { exposition, PROMETHEUS_CONTENT_TYPE } from './prometheus';
import { checkNoTokenInQuery, corsHeaders, ownOrigins, SECURITY_HEADERS } from './request-security';
import { Router, splitTarget, type Endpoint } from './router';
import { SseHub } from './sse-stream';
import { serveDashboard } from './static-files';

export interface HttpServerOptions {
  readonly host?: string;
  /** Preferred port; if taken, the next free one (up to +50). 0: any free port. */
  readonly port: number;
  readonly handlers: ApiHandlers;
  /** The per-launch bearer token for mutating routes (see launch-token.ts). */
  readonly token: string;
  /** The built dashboard (index.html + assets), or null (the server then says how to build it). */
  readonly staticRoot: string | null;
  /** The SSE payload, computed once per tick for all clients; every intervalMs (>= 1000). */
  readonly stream: { snapshot: () => Promise<unknown> | unknown; intervalMs?: number };
  /**
   * This server's metrics registry (prom-client), exposed at /metrics with the process's metrics
   * (see prometheus.ts); the server adds its API latency histogram to it.
   */
  readonly metrics: Registry;
  /** Metrics kept in worker threads, as registries read at each scrape (see pipeline-metrics.ts). */
  readonly workerMetrics?: () => Promise<readonly Registry[]>;
  readonly logger: Logger;
  readonly version: string;
  /** The cache clock (tests). */
  readonly now?: () => number;
  /** false: no read cache (benchmarks). Default true. */
  readonly cache?: boolean;
  /** Exports (GET /api/export/...); absent: those answer 503. */
  readonly exports?: ExportService;
  /** The token file's path as /docs shows it; default `<data-dir>/api-token`. */
  readonly tokenFile?: string;
}

/** One request being answered: what the answer and the log line need. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly id: string;
  readonly started: number;
  readonly path: string;
  cors: Record<string, string>;
  /** The route template, for the latency histogram (see api-metrics.ts). */
  route: string;
}

export class HttpServer {
  private readonly options: HttpServerOptions;
  private readonly router: Router;
  private readonly api: ApiEndpoint;
  private readonly exports: ExportEndpoint;
  private readonly hub: SseHub;
  private readonly latency: ApiLatency;
  private server: Server | null = null;
  private boundPort = 0;
  private origins: ReadonlySet<string> = new Set();
  private openApiJson: Buffer | null = null;
  private docsHtml: Buffer | null = null;

  constructor(options: HttpServerOptions) {
    this.options = options;
    this.router = new Router();
    this.api = new ApiEndpoint({
      handlers: options.handlers,
      token: options.token,
      cache: options.cache ?? true,
      now: options.now,
    });
    this.exports = new ExportEndpoint(options.exports, options.token);
    this.hub = new SseHub({ ...options.stream, logger: options.logger });
    this.latency = new ApiLatency(options.metrics);
  }

  get port(): number {
    return this.boundPort;
  }

  /** Open /api/stream connections. */
  get streamClients(): number {
    return this.hub.clientCount;
  }

  /**
   * Forgets every cached read. Successful mutating HTTP requests do this themselves; call it when
   * state changes another way (the app window's IPC calls, a finished replay).
   */
  clearReadCache(): void {
    this.api.clearCache();
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}/`;
  }

  async start(): Promise<void> {
    const host = this.options.host ?? '127.0.0.1';
    const first = this.options.port;
    for (let port = first; ; port++) {
      try {
        this.server = await listen(host, port, (req, res) => void this.handle(req, res));
        this.boundPort = (this.server.address() as AddressInfo).port;
        this.origins = ownOrigins(this.boundPort);
        return;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EADDRINUSE' || first === 0 || port - first >= 50) {
          throw new Error(`cannot listen on ${host}:${port}: ${(err as Error).message}`, {
            cause: err,
          });
        }
      }
    }
  }

  /** Ends the SSE streams and closes every connection, idle or not. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.hub.close();
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { path, query } = splitTarget(req.url ?? '/');
    const x: Exchange = {
      req,
      res,
      id: randomUUID(),
      started: performance.now(),
      path,
      cors: {},
      route: UNMATCHED_ROUTE,
    };
    try {
      if (!isAllowedHost(req.headers.host, this.boundPort)) {
        throw new HttpError(403, { error: 'forbidden', detail: 'unexpected Host header' });
      }
      checkNoTokenInQuery(query);
      x.cors = corsHeaders(req.headers.origin, this.origins);
      const method = req.method ?? 'GET';
      if (method === 'OPTIONS') return this.preflight(x);
      const match = this.router.match(method, path);
      if (match.kind === 'found') {
        x.route = routeOf(match.endpoint, path);
        return await this.serve(x, match.endpoint, query, match.pathParams);
      }
      if (match.kind === 'wrong-method') return this.methodNotAllowed(x, match.allow);
      if (path.startsWith('/api/') || path === '/api') {
        throw new HttpError(404, { error: 'not found', detail: `no route ${path}` });
      }
      if (method !== 'GET' && method !== 'HEAD') return this.methodNotAllowed(x, 'GET, HEAD');
      x.route = DASHBOARD_ROUTE;
      const file = await serveDashboard(this.options.staticRoot, path, this.options.token);
      if (!file) throw new HttpError(404, { error: 'not found', detail: path });
      this.send(x, 200, file.body, {
        'Content-Type': file.contentType,
        'Cache-Control': file.cache,
      });
    } catch (err) {
      this.fail(x, err);
    }
  }

  private async serve(
    x: Exchange,
    endpoint: Endpoint,
    query: URLSearchParams,
    pathParams: Readonly<Record<string, string>>,
  ): Promise<void> {
    switch (endpoint.kind) {
      case 'api': {
        const answer = await this.api.answer(
          x.req,
          endpoint.name,
          endpoint.spec,
          query,
          this.origins,
          pathParams,
        );
        return this.sendJson(x, 200, answer.body, answer.cache ? { 'X-Cache': answer.cache } : {});
      }
      case 'export':
        return this.serveExport(x, endpoint.dataset, query);
      case 'stream':
        if (x.req.method === 'HEAD') {
          return this.send(x, 200, '', { 'Content-Type': 'text/event-stream; charset=utf-8' });
        }
        this.log(x, 200);
        return this.hub.add(x.res, this.baseHeaders(x));
      case 'metrics': {
        const workers = (await this.options.workerMetrics?.()) ?? [];
        const text = await exposition([this.options.metrics, ...workers]);
        return this.send(x, 200, text, { 'Content-Type': PROMETHEUS_CONTENT_TYPE });
      }
      case 'openapi':
        this.openApiJson ??= Buffer.from(JSON.stringify(buildOpenApi(this.options.version)));
        return this.sendJson(x, 200, this.openApiJson);
      case 'docs':
        this.docsHtml ??= Buffer.from(
          renderDocsPage({
            version: this.options.version,
            baseUrl: `http://127.0.0.1:${this.boundPort}`,
            tokenFile: this.options.tokenFile ?? '<data-dir>/api-token',
          }),
        );
        return this.send(x, 200, this.docsHtml, { 'Content-Type': 'text/html; charset=utf-8' });
    }
  }

  /**
   * An export: prepared (all checks, the cursor or the log opened) before the status line, then
   * streamed with backpressure. A failure after the first byte cuts the connection, so the
   * client sees an incomplete download rather than a file that looks whole.
   */
  private async serveExport(x: Exchange, dataset: string, query: URLSearchParams): Promise<void> {
    const prepared = await this.exports.prepare(x.req, dataset, query, this.origins);
    try {
      x.res.writeHead(200, { ...this.baseHeaders(x), ...exportHeaders(prepared) });
      if (x.req.method === 'HEAD') {
        x.res.end();
        return this.log(x, 200);
      }
      const outcome = await streamChunks(x.res, prepared.chunks);
      this.observe(x, 200);
      this.options.logger.info('export', {
        requestId: x.id,
        path: x.path,
        complete: outcome.complete,
        bytes: outcome.bytes,
        ms: Math.round(performance.now() - x.started),
      });
    } finally {
      await prepared.close();
    }
  }

  /** CORS preflight: answered for our own origins only. */
  private preflight(x: Exchange): void {
    if (!x.cors['Access-Control-Allow-Origin']) {
      throw new HttpError(403, { error: 'forbidden', detail: 'cross-origin requests are refused' });
    }
    const allowed =
      this.router.allowed(x.path) ?? (x.path.startsWith('/api/') ? null : ['GET', 'HEAD']);
    if (!allowed) throw new HttpError(404, { error: 'not found', detail: `no route ${x.path}` });
    this.send(x, 204, '', {
      'Access-Control-Allow-Methods': allowed.join(', '),
      'Access-Control-Allow-Headers': 'Authorization, Content-Type',
      'Access-Control-Max-Age': '600',
    });
  }

  private methodNotAllowed(x: Exchange, allow: string): void {
    const detail = `${x.req.method ?? ''} is not supported here; use ${allow}`;
    this.sendJson(x, 405, JSON.stringify({ error: 'method not allowed', detail }), {
      Allow: allow,
    });
  }

  private fail(x: Exchange, err: unknown): void {
    if (x.res.headersSent) {
      this.options.logger.error('request failed after the answer began', {
        requestId: x.id,
        error: err,
      });
      x.res.destroy();
      return;
    }
    const expected = expectedErrorResponse(err);
    if (expected) {
      const headers = err instanceof HttpError ? err.headers : {};
      return this.sendJson(x, expected.status, JSON.stringify(expected.body), headers);
    }
    const body = { error: 'internal error', detail: 'see the server log', requestId: x.id };
    this.sendJson(x, 500, JSON.stringify(body), {}, err);
  }

  private baseHeaders(x: Exchange): Record<string, string> {
    return {
      ...SECURITY_HEADERS,
      ...x.cors,
      Vary: 'Origin',
      'Cache-Control': 'no-store',
      'X-Request-Id': x.id,
      'X-Process-Time': `${(performance.now() - x.started).toFixed(3)}ms`,
    };
  }

  private sendJson(
    x: Exchange,
    status: number,
    body: string | Buffer,
    headers: Readonly<Record<string, string>> = {},
    error?: unknown,
  ): void {
    const json = { 'Content-Type': 'application/json; charset=utf-8' };
    this.send(x, status, body, { ...json, ...headers }, error);
  }

  private send(
    x: Exchange,
    status: number,
    body: string | Buffer,
    headers: Readonly<Record<string, string>>,
    error?: unknown,
  ): void {
    x.res.writeHead(status, {
      ...this.baseHeaders(x),
      'Content-Length': String(Buffer.byteLength(body)),
      ...headers,
    });
    x.res.end(body);
    this.log(x, status, error);
  }

  private observe(x: Exchange, status: number): void {
    const seconds = (performance.now() - x.started) / 1000;
    this.latency.observe(x.route, x.req.method ?? 'GET', status, seconds);
  }

  private log(x: Exchange, status: number, error?: unknown): void {
    this.observe(x, status);
    const fields = {
      requestId: x.id,
      method: x.req.method,
      path: x.path,
      status,
      ms: Math.round((performance.now() - x.started) * 1000) / 1000,
    };
    if (status >= 500) this.options.logger.error('request failed', { ...fields, error });
    else this.options.logger.debug('request', fields);
  }
}

function listen(
  host: string,
  port: number,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(handler);
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
