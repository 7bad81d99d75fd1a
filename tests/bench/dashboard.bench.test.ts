/**
 * The dashboard's cost per live update, with an hour of history on screen, in Debian's Chromium:
 * main-thread time (scripting + style + layout) per one-second update from Chrome's performance
 * metrics, and the JS heap over a long run (10 minutes by default; BENCH_DASHBOARD_MINUTES to
 * change). Target: <= 16 ms an update; memory flat.
 */
import { it } from 'vitest';
import { launchChromium, startHeadlessApp } from '../support/headless-app';
import { BenchReport } from './bench-report';

const MINUTES = Number(process.env.BENCH_DASHBOARD_MINUTES ?? 10);
const UPDATES = 30;

it(
  'dashboard: cost of a live update, memory over time',
  async () => {
    const report = new BenchReport('dashboard');
    const app = await startHeadlessApp(['--rate', '200']);
    const browser = await launchChromium();
    try {
      const api = async (path: string, init?: RequestInit): Promise<unknown> =>
        ((await (await fetch(`${app.url}${path}`, init)).json()) as { data: unknown }).data;
      const { readFileSync } = await import('node:fs');
      const token = readFileSync(`${app.dataDir}/api-token`, 'utf8').trim();
      // An hour of history before the live data, so the time series has 60 points on screen.
      await api('api/control/history', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ hours: 1 }),
      });
      for (;;) {
        const status = (await api('api/pipeline/status')) as { history: { state: string } };
        if (status.history.state === 'done') break;
        if (status.history.state === 'failed') throw new Error('history failed');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }

      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(app.url);
      await page.locator('.recharts-line').first().waitFor({ timeout: 20_000 });
      await new Promise((resolve) => setTimeout(resolve, 5000)); // settle after the first load
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const metrics = async (): Promise<Record<string, number>> =>
        Object.fromEntries(
          (await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]),
        );

      const before = await metrics();
      await new Promise((resolve) => setTimeout(resolve, UPDATES * 1000));
      const after = await metrics();
      const per = (name: string): number => ((after[name]! - before[name]!) * 1000) / UPDATES;
      const scripting = per('ScriptDuration');
      const rendering = per('RecalcStyleDuration') + per('LayoutDuration');
      const series = (await api('api/stats/timeseries?minutes=60')) as unknown[];
      report.add('points in the time series on screen', series.length, 'minutes');
      report.add('per update: scripting', scripting, 'ms');
      report.add('per update: style + layout', rendering, 'ms');
      report.add(
        'per update: scripting + style + layout',
        scripting + rendering,
        'ms',
        'target <= 16',
      );
      report.add('per update: all main-thread tasks', per('TaskDuration'), 'ms');

      // Memory: the JS heap after a GC at the start and at the end of a long run.
      const heap = async (): Promise<number> => {
        await cdp.send('HeapProfiler.collectGarbage');
        return (await metrics()).JSHeapUsedSize! / 1e6;
      };
      const first = await heap();
      const samples: number[] = [first];
      for (let minute = 1; minute <= MINUTES; minute++) {
        await new Promise((resolve) => setTimeout(resolve, 60_000));
        samples.push(await heap());
      }
      report.add('JS heap at start (after GC)', first, 'MB');
      report.add(`JS heap after ${MINUTES} min of updates (after GC)`, samples.at(-1)!, 'MB');
      report.add('heap growth over the run', samples.at(-1)! / first, 'ratio', 'flat: ~1.0');
      report.add('largest heap sample', Math.max(...samples), 'MB');
      // Every minute's sample: a plateau and a slow leak look alike from two ends.
      samples.forEach((mb, minute) => report.add(`JS heap at minute ${minute}`, mb, 'MB'));
    } finally {
      await browser.close();
      await app.stop();
    }
    report.write();
  },
  60_000 + MINUTES * 70_000,
);
