/**
 * What /metrics on prom-client costs: the API latency histogram's observation, paid by every
 * request (against the ~20-70 µs a cached read takes on this machine, see http.bench.test.ts),
 * and a whole scrape of a server's registry with the process and Node metrics.
 */
import { Registry } from 'prom-client';
import { it } from 'vitest';
import { ApiLatency } from '../../src/main/api/api-metrics';
import { exposition } from '../../src/main/api/prometheus';
import { BenchReport, bestOf } from './bench-report';

const OBSERVATIONS = 1_000_000;
const ROUTES = ['/api/stats/trending', '/api/stats/realtime', '/api/drills/{id}', '/metrics'];

it('metrics: latency observation and a scrape', async () => {
  const report = new BenchReport('metrics');
  const registry = new Registry();
  const latency = new ApiLatency(registry);
  const observeMs = await bestOf(5, () => {
    for (let i = 0; i < OBSERVATIONS; i++) {
      latency.observe(ROUTES[i & 3]!, 'GET', 200, 0.0001 * (i & 63));
    }
  });
  report.add('API latency: one observation', (observeMs * 1e6) / OBSERVATIONS, 'ns');
  const scrapeMs = await bestOf(20, () => exposition([registry]));
  const text = await exposition([registry]);
  report.add('a /metrics scrape (process, Node, latency)', scrapeMs, 'ms');
  report.add('its size', text.length, 'bytes');
  report.write();
});
