import { EventEmitter } from 'node:events';
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../logger';
import { startTestServer, type TestServer } from '../../../tests/support/http-test-support';
import { SseHub } from './sse-stream';

/** Just enough of a ServerResponse for the hub. */
class FakeResponse extends EventEmitter {
  status = 0;
  headers: Record<string, string> = {};
  readonly writes: string[] = [];
  ended = false;
  writableNeedDrain = false;
  socket = null;
  writeHead(status: number, headers: Record<string, string>): this {
    this.status = status;
    this.headers = headers;
    return this;
  }
  write(chunk: string): boolean {
    this.writes.push(chunk);
    return true;
  }
  end(): this {
    this.ended = true;
    this.emit('close');
    return this;
  }
  snapshots(): string[] {
    return this.writes.filter((w) => w.startsWith('event: snapshot'));
  }
}

function hub(intervalMs?: number) {
  let n = 0;
  const snapshot = vi.fn(() => ({ n: ++n }));
  return { hub: new SseHub({ snapshot, intervalMs, logger: silentLogger }), snapshot };
}

const add = (h: SseHub): FakeResponse => {
  const res = new FakeResponse();
  h.add(res as unknown as ServerResponse, { 'X-Test': '1' });
  return res;
};

describe('SseHub (fake timers)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends retry and a snapshot at once, then one per interval, shared by all clients', async () => {
    vi.useFakeTimers();
    const { hub: h, snapshot } = hub(1000);
    const a = add(h);
    await vi.advanceTimersByTimeAsync(0);
    expect(a.status).toBe(200);
    expect(a.headers['Content-Type']).toMatch(/^text\/event-stream/);
    expect(a.headers['X-Test']).toBe('1');
    expect(a.writes).toEqual(['retry: 2000\n\n', 'event: snapshot\ndata: {"n":1}\n\n']);
    const b = add(h); // joins between ticks: gets the latest snapshot, no new computation
    expect(b.snapshots()).toEqual(['event: snapshot\ndata: {"n":1}\n\n']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(snapshot).toHaveBeenCalledTimes(2);
    expect(a.snapshots()).toHaveLength(2);
    expect(b.snapshots()).toEqual(a.snapshots());
    await vi.advanceTimersByTimeAsync(14_000);
    expect(a.writes).toContain(': keepalive\n\n');
    expect(snapshot).toHaveBeenCalledTimes(16);
    h.close();
  });

  it('never ticks more often than once a second', async () => {
    vi.useFakeTimers();
    const { hub: h, snapshot } = hub(10);
    add(h);
    await vi.advanceTimersByTimeAsync(999);
    expect(snapshot).toHaveBeenCalledTimes(1);
    h.close();
  });

  it('stops its timers when the last client leaves, and restarts fresh', async () => {
    vi.useFakeTimers();
    const { hub: h, snapshot } = hub();
    const a = add(h);
    const b = add(h);
    await vi.advanceTimersByTimeAsync(0);
    a.emit('close');
    await vi.advanceTimersByTimeAsync(1000);
    expect(snapshot).toHaveBeenCalledTimes(2);
    b.emit('close');
    expect(h.clientCount).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(snapshot).toHaveBeenCalledTimes(2);
    expect(vi.getTimerCount()).toBe(0);
    const c = add(h);
    await vi.advanceTimersByTimeAsync(0);
    expect(c.snapshots()).toEqual(['event: snapshot\ndata: {"n":3}\n\n']);
    h.close();
  });

  it('skips a client that cannot keep up, and close() ends every stream', async () => {
    vi.useFakeTimers();
    const { hub: h } = hub();
    const slow = add(h);
    const fast = add(h);
    await vi.advanceTimersByTimeAsync(0);
    slow.writableNeedDrain = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(slow.snapshots()).toHaveLength(1);
    expect(fast.snapshots()).toHaveLength(2);
    h.close();
    expect([slow.ended, fast.ended]).toEqual([true, true]);
    expect(vi.getTimerCount()).toBe(0);
    const late = add(h);
    expect(late.status).toBe(503);
  });
});

/** Reads SSE events from a live response, one promise per awaited event. */
class EventReader {
  private buffer = '';
  private readonly events: string[] = [];
  private waiting: ((event: string) => void) | null = null;
  ended: Promise<void>;

  constructor(readonly res: IncomingMessage) {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        this.events.push(this.buffer.slice(0, end));
        this.buffer = this.buffer.slice(end + 2);
      }
      this.flush();
    });
    this.ended = new Promise((resolve) => res.on('end', resolve));
  }

  next(): Promise<string> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.flush();
    });
  }

  private flush(): void {
    const event = this.waiting && this.events.shift();
    if (event === undefined || event === null || !this.waiting) return;
    const resolve = this.waiting;
    this.waiting = null;
    resolve(event);
  }
}

function connect(port: number): Promise<EventReader> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/api/stream',
      agent: false,
      headers: { Host: `localhost:${port}`, Origin: `http://localhost:${port}` },
    });
    req.on('response', (res) => resolve(new EventReader(res)));
    req.on('error', reject);
    req.end();
  });
}

describe('GET /api/stream (real server)', () => {
  let t: TestServer | null = null;
  afterEach(async () => {
    await t?.server.stop();
  });

  it('streams a snapshot at once and another after the interval; stop() ends it', async () => {
    let n = 0;
    t = await startTestServer({ stream: { snapshot: async () => ({ n: ++n }), intervalMs: 1000 } });
    const reader = await connect(t.port);
    expect(reader.res.statusCode).toBe(200);
    expect(reader.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(reader.res.headers['access-control-allow-origin']).toBe(`http://localhost:${t.port}`);
    expect(await reader.next()).toBe('retry: 2000');
    const began = performance.now();
    expect(await reader.next()).toBe('event: snapshot\ndata: {"n":1}');
    expect(performance.now() - began).toBeLessThan(500);
    expect(await reader.next()).toBe('event: snapshot\ndata: {"n":2}');
    expect(performance.now() - began).toBeGreaterThan(900);
    await t.server.stop();
    await reader.ended;
    t = null;
  });

  it('forgets a client that disconnects', async () => {
    const snapshot = vi.fn(() => ({}));
    t = await startTestServer({ stream: { snapshot } });
    const reader = await connect(t.port);
    await reader.next();
    await reader.next();
    expect(t.server.streamClients).toBe(1);
    reader.res.destroy();
    await expect.poll(() => t?.server.streamClients).toBe(0);
    expect(snapshot).toHaveBeenCalledTimes(1);
  });

  it('refuses a foreign Host', async () => {
    t = await startTestServer();
    const port = t.port;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port,
        path: '/api/stream',
        agent: false,
        headers: { Host: 'evil.example' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});
