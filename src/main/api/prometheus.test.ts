import { afterEach, describe, expect, it } from 'vitest';
import { send, startTestServer, type TestServer } from '../../../tests/support/http-test-support';

const running: TestServer[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) await t.server.stop();
});

async function start(): Promise<TestServer> {
  const t = await startTestServer();
  running.push(t);
  return t;
}

async function scrape(t: TestServer): Promise<string> {
  const res = await send(t.port, '/metrics');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  return res.text;
}

/** The value of one sample line, e.g. `name{a="b"} 3`, or undefined if absent. */
function sample(text: string, line: string): number | undefined {
  const escaped = line.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
  const match = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}

describe('/metrics', () => {
  it("includes the process's and Node's metrics under their usual names", async () => {
    const t = await start();
    // prom-client counts CPU time since the registry was made, and the kernel accounts it in
    // ticks: a scrape right away may read 0 (a clean-clone CI run did). Use 20 ms of it first.
    const before = process.cpuUsage().user;
    while (process.cpuUsage().user - before < 20_000) Math.sqrt(Math.random());
    const text = await scrape(t);
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'process_start_time_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_gc_duration_seconds',
    ]) {
      expect(text).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    }
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    // The server's own registry is exposed beside them.
    expect(sample(text, 'up')).toBe(1);
  });

  it('has a histogram of API latency per route template, method and status class', async () => {
    const t = await start();
    for (let i = 0; i < 3; i++)
      expect((await send(t.port, '/api/stats/trending')).status).toBe(200);
    expect((await send(t.port, '/api/drills/42')).status).toBe(200);
    expect((await send(t.port, '/api/nothing')).status).toBe(404);
    const text = await scrape(t);
    expect(text).toContain('# TYPE streampulse_http_request_duration_seconds histogram');
    const trending = 'route="/api/stats/trending",method="GET",status_class="2xx"';
    expect(sample(text, `streampulse_http_request_duration_seconds_count{${trending}}`)).toBe(3);
    expect(
      sample(text, `streampulse_http_request_duration_seconds_bucket{le="+Inf",${trending}}`),
    ).toBe(3);
    expect(
      sample(text, `streampulse_http_request_duration_seconds_bucket{le="10",${trending}}`),
    ).toBe(3);
    expect(
      sample(text, `streampulse_http_request_duration_seconds_sum{${trending}}`),
    ).toBeGreaterThan(0);
    // A path parameter is counted under its template, not the value asked for.
    const drill = 'route="/api/drills/{id}",method="GET",status_class="2xx"';
    expect(sample(text, `streampulse_http_request_duration_seconds_count{${drill}}`)).toBe(1);
    const unmatched = 'route="(unmatched)",method="GET",status_class="4xx"';
    expect(sample(text, `streampulse_http_request_duration_seconds_count{${unmatched}}`)).toBe(1);
  });

  it('keeps each server its own registry', async () => {
    const a = await start();
    const b = await start();
    await send(a.port, '/api/stats/trending');
    await send(a.port, '/api/stats/trending');
    await send(b.port, '/api/stats/trending');
    const series =
      'streampulse_http_request_duration_seconds_count{route="/api/stats/trending",method="GET",status_class="2xx"}';
    expect(sample(await scrape(a), series)).toBe(2);
    expect(sample(await scrape(b), series)).toBe(1);
  });
});
