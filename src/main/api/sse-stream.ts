/**
 * GET /api/stream: Server-Sent Events. Each client gets `retry: 2000`, a snapshot at once, then
 * one every `intervalMs` (at least 1 s) and a `: keepalive` comment every 15 s. Snapshots are
 * computed once per tick and the same frame goes to every client; the timers run only while
 * someone listens. A client that cannot keep up skips frames rather than buffering them.
 */
import type { ServerResponse } from 'node:http';
import type { Logger } from '../logger';

export interface SseHubOptions {
  readonly snapshot: () => Promise<unknown> | unknown;
  readonly intervalMs?: number;
  readonly keepaliveMs?: number;
  readonly logger: Logger;
}

export const MIN_SSE_INTERVAL_MS = 1000;

export class SseHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly intervalMs: number;
  private readonly keepaliveMs: number;
  private latest: string | null = null;
  private computing: Promise<void> | null = null;
  private tickTimer: NodeJS.Timeout | null = null;
  private keepaliveTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: SseHubOptions) {
    this.intervalMs = Math.max(MIN_SSE_INTERVAL_MS, options.intervalMs ?? MIN_SSE_INTERVAL_MS);
    this.keepaliveMs = options.keepaliveMs ?? 15_000;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Takes over `res` (headers already decided by the caller) until the client goes. */
  add(res: ServerResponse, headers: Readonly<Record<string, string>>): void {
    if (this.closed) {
      res.writeHead(503, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('stopping\n');
      return;
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    res.write('retry: 2000\n\n');
    this.clients.add(res);
    res.on('close', () => this.remove(res));
    if (this.clients.size === 1) {
      this.startTimers();
      void this.tick(); // the first listener: compute a fresh snapshot, sent to everyone
    } else if (this.latest !== null) {
      res.write(this.latest);
    }
    // else: the first snapshot is being computed and will reach this client too.
  }

  /** Ends every stream and stops the timers; later connections get a 503. */
  close(): void {
    this.closed = true;
    this.stopTimers();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private remove(res: ServerResponse): void {
    this.clients.delete(res);
    if (this.clients.size === 0) {
      this.stopTimers();
      this.latest = null; // stale by the time someone comes back
    }
  }

  private startTimers(): void {
    this.tickTimer = setInterval(() => void this.tick(), this.intervalMs);
    this.keepaliveTimer = setInterval(() => this.broadcast(': keepalive\n\n'), this.keepaliveMs);
    this.tickTimer.unref();
    this.keepaliveTimer.unref();
  }

  private stopTimers(): void {
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    this.tickTimer = this.keepaliveTimer = null;
  }

  /** One snapshot for everyone; a tick while the last one is still computing is skipped. */
  private tick(): Promise<void> {
    if (this.computing) return this.computing;
    this.computing = (async () => {
      try {
        const data = JSON.stringify(await this.options.snapshot()) ?? 'null';
        if (this.clients.size === 0) return;
        this.latest = `event: snapshot\ndata: ${data}\n\n`;
        this.broadcast(this.latest);
      } catch (err) {
        this.options.logger.warn('stream snapshot failed', { error: err });
      } finally {
        this.computing = null;
      }
    })();
    return this.computing;
  }

  private broadcast(frame: string): void {
    for (const res of this.clients) {
      if (!res.writableNeedDrain) res.write(frame);
    }
  }
}
