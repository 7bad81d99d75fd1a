/**
 * `npm run soak -- --minutes 30` (and part of `npm run bench`): serve at 100,000 events/s with 10%
 * of the events 90 s late, for STREAMPULSE_SOAK_MINUTES (default 30). Targets: serve's RSS <= 250
 * MB and flat (growth after the 2-minute warm-up <= 5%), lag bounded, the tables exact.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { BenchReport } from './bench-report';
import { runSoak } from './soak';
import { soakPlot } from './soak-plot';

const minutes = Number(process.env.STREAMPULSE_SOAK_MINUTES ?? 30);
const rate = Number(process.env.STREAMPULSE_SOAK_RATE ?? 100_000);

it(
  `soak: serve at ${rate.toLocaleString('en-US')} events/s for ${minutes} minutes`,
  async () => {
    const result = await runSoak({
      minutes,
      ratePerSecond: rate,
      onSample: (s) =>
        console.log(
          `${s.atS.toFixed(0).padStart(5)} s  serve RSS ${s.serveRssMb.toFixed(0)} MB  postgres PSS ${s.postgresPssMb.toFixed(0)} MB  ` +
            `lag ${s.lag}  loop p99 ${s.loopDelayP99Ms.toFixed(1)} ms  consumed ${s.consumed}`,
        ),
    });
    const report = new BenchReport('soak');
    report.add('soak: minutes', minutes, 'min');
    report.add('soak: consumed', result.consumedPerSecond, 'events/s', `asked ${rate}`);
    report.add('soak: serve RSS peak', result.serveRssPeakMb, 'MB', 'target <= 250');
    report.add(
      'soak: serve RSS growth after warm-up',
      result.serveRssGrowthPct,
      '%',
      'target <= 5',
    );
    report.add('soak: postgres PSS peak', result.postgresPssPeakMb, 'MB');
    report.add('soak: postgres PSS growth after warm-up', result.postgresPssGrowthPct, '%');
    report.add('soak: main-thread event-loop delay p99, worst', result.loopDelayP99MaxMs, 'ms');
    report.add('soak: lag, worst sample', result.lagMax, 'events');
    report.add('soak: events recounted from the log', result.recount.events, 'events');
    report.add('soak: windows recounted', result.recount.windows, 'windows');
    report.add('soak: recount mismatches', result.recount.mismatches.length, '(window, region)');
    report.write();
    const dir = join(process.cwd(), '.tmp', 'bench');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'soak-samples.json'), JSON.stringify(result.samples, null, 1));
    writeFileSync(join(dir, 'soak.svg'), soakPlot(result.samples));
    expect(result.stopExitCode).toBe(0);
    expect(result.recount.mismatches).toEqual([]);
  },
  (minutes + 15) * 60_000,
);
