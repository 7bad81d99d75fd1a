/**
 * /metrics of the built headless app, as Prometheus scrapes it: the process's and Node's metrics,
 * the API latency histogram after some API calls, and the checkpoint duration histogram after
 * the engine (in its worker thread) has committed checkpoints. Needs `npm run build` first.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startHeadlessApp, type HeadlessApp } from '../support/headless-app';

const apps: HeadlessApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
});

function sample(text: string, series: string): number | undefined {
  const escaped = series.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
  const match = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}

describe('GET /metrics of streampulse serve', () => {
  it('shows process and Node metrics, API latency and checkpoint duration histograms', async () => {
    const app = await startHeadlessApp(['--rate', '200']);
    apps.push(app);
    for (let i = 0; i < 3; i++) {
      expect((await fetch(`${app.url}api/pipeline/status`)).status).toBe(200);
    }
    const checkpoint = 'streampulse_checkpoint_commit_duration_seconds';
    const text = await vi.waitFor(
      async () => {
        const text = await (await fetch(`${app.url}metrics`)).text();
        if (!((sample(text, `${checkpoint}_count`) ?? 0) >= 2))
          throw new Error('no checkpoint yet');
        return text;
      },
      { timeout: 30_000, interval: 200 },
    );
    for (const name of [
      'process_cpu_user_seconds_total',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(sample(text, name), name).toBeGreaterThan(0);
    }
    // The checkpoints the engine worker committed, each in a bucket.
    const count = sample(text, `${checkpoint}_count`)!;
    expect(sample(text, `${checkpoint}_bucket{le="+Inf"}`)).toBe(count);
    expect(sample(text, `${checkpoint}_sum`)).toBeGreaterThan(0);
    expect(sample(text, 'streampulse_checkpoints_total')).toBeGreaterThanOrEqual(count);
    // The API calls above, under their route template.
    const status = 'route="/api/pipeline/status",method="GET",status_class="2xx"';
    expect(
      sample(text, `streampulse_http_request_duration_seconds_count{${status}}`),
    ).toBeGreaterThanOrEqual(3);
    expect(
      sample(text, `streampulse_http_request_duration_seconds_bucket{le="+Inf",${status}}`),
    ).toBeGreaterThanOrEqual(3);
  });
});
