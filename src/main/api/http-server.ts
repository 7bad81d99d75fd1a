/**
 * The local HTTP port: the dashboard's files, `/health` and `/api/status`. Bound to 127.0.0.1,
 * Host-checked, read-only. (The full stats API, with its handler table, comes with the API issue.)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger';
import { isAllowedHost } from './host-check';
import { readStaticFile } from './static-files';

export interface HttpServerOptions {
  readonly host?: string;
  /** Preferred port; if taken, the next free one is used. 0: any free port. */
  readonly port: number;
  /** The built dashboard, or null if there is none (the server then says how to build it). */
  readonly staticRoot: string | null;
  readonly status: () => unknown;
  readonly logger: Logger;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
};

export class HttpServer {
  private readonly options: HttpServerOptions;
  private server: Server | null = null;
  private boundPort = 0;

  constructor(options: HttpServerOptions) {
    this.options = options;
  }

  get port(): number {
    return this.boundPort;
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

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (!isAllowedHost(req.headers.host, this.boundPort)) {
        return send(res, 403, { error: 'forbidden', detail: 'unexpected Host header' });
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        return send(res, 405, {
          error: 'method not allowed',
          detail: `${req.method} is not supported`,
        });
      }
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path === '/health') return send(res, 200, { status: 'ok' });
      if (path === '/api/status') return send(res, 200, { data: this.options.status() });
      if (path.startsWith('/api/')) return send(res, 404, { error: 'not found', detail: path });
      await this.serveStatic(path, res);
    } catch (err) {
      this.options.logger.error('request failed', { url: req.url, error: err });
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
    }
  }

  private async serveStatic(path: string, res: ServerResponse): Promise<void> {
    const root = this.options.staticRoot;
    if (!root) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      res.end('StreamPulse is running. The dashboard is not built: run `npm run build`.\n');
      return;
    }
    const file = await readStaticFile(root, path);
    if (!file) return send(res, 404, { error: 'not found', detail: path });
    res.writeHead(200, {
      'Content-Type': file.contentType,
      'Cache-Control': 'no-cache',
      ...SECURITY_HEADERS,
    });
    res.end(file.body);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...SECURITY_HEADERS,
  });
  res.end(json);
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
