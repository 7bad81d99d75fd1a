/**
 * SSE freshness: from an event's generation to its effect in the live stream. In live mode an
 * event's time is when the generator produced it, so for each snapshot received, freshness is
 * (time received) − (newest event time the snapshot reflects). Target: p99 ≤ 1 s.
 */
import { it } from 'vitest';
import { startHeadlessApp } from '../support/headless-app';
import { BenchReport } from './bench-report';

const MEASURE_MS = 20_000;

it('sse freshness', async () => {
  const report = new BenchReport('sse-freshness');
  const app = await startHeadlessApp(['--rate', '500', '--window', '2s']);
  const delays: number[] = [];
  try {
    const controller = new AbortController();
    const response = await fetch(`${app.url}api/stream`, { signal: controller.signal });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const began = Date.now();
    let buffer = '';
    while (Date.now() - began < MEASURE_MS) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(message)?.[1];
        if (!data) continue;
        const newest = (
          JSON.parse(data) as { pipeline: { engine: { newestEventAt: string | null } | null } }
        ).pipeline.engine?.newestEventAt;
        // Skip the start-up snapshots, before the engine has seen its first events.
        if (newest && Date.now() - began > 3000) delays.push(Date.now() - Date.parse(newest));
      }
    }
    controller.abort();
  } finally {
    await app.stop();
  }
  delays.sort((a, b) => a - b);
  const at = (q: number): number =>
    delays[Math.min(delays.length - 1, Math.ceil(q * delays.length) - 1)]!;
  report.add('snapshots measured', delays.length, 'snapshots');
  report.add('freshness p50', at(0.5), 'ms');
  report.add('freshness p99', at(0.99), 'ms', 'target <= 1000');
  report.add('freshness max', delays.at(-1)!, 'ms');
  report.write();
});
