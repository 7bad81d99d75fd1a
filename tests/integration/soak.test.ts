/**
 * The soak's short version, in the suite: `serve` under steady load with late deliveries for a
 * minute and a half, stopped with SIGTERM, its memory sampled from outside and its tables recounted
 * from the log. The 30-minute, 100,000 events/s soak is `npm run soak` (docs/BENCHMARKS.md).
 */
import { expect, it } from 'vitest';
import { runSoak } from '../bench/soak';

it('serve holds its memory and counts every event exactly under a steady load with late events', async () => {
  const result = await runSoak({
    minutes: 1.5,
    ratePerSecond: 20_000,
    lateFraction: 0.1,
    lateByMs: 30_000,
    windowMs: 10_000,
    allowedLatenessMs: 10_000,
    sampleEveryMs: 5_000,
    warmupMs: 30_000,
  });
  expect(result.stopExitCode).toBe(0);
  // Every consumed event is in the window tables or among the late events, window by window.
  expect(result.recount.mismatches).toEqual([]);
  expect(result.recount.windows).toBeGreaterThanOrEqual(4);
  expect(result.recount.events).toBeGreaterThan(500_000);
  // The target of the full soak, with the suite's other files competing for the two cores.
  expect(result.serveRssPeakMb).toBeLessThanOrEqual(250);
  // The engine keeps up: what the generator wrote is read within a few seconds.
  expect(result.lagMax).toBeLessThan(20_000 * 10);
}, 180_000);
