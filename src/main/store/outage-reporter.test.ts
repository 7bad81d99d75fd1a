import { describe, expect, it } from 'vitest';
import { OutageReporter } from './outage-reporter';

describe('OutageReporter', () => {
  it('says a 20 s outage in two lines: when it starts, with the cause, and when it ends', () => {
    const reporter = new OutageReporter();
    const cause = 'cannot connect to PostgreSQL at db:5432: connection refused';
    const lines = [];
    for (let t = 0; t < 20_000; t += 1000) lines.push(reporter.failed(t, cause));
    lines.push(reporter.succeeded(20_500, 12_345));
    const said = lines.filter((l) => l !== null);
    expect(said).toEqual([
      {
        level: 'warn',
        msg: 'database unreachable; the engine retries every second and the events wait in the log',
        fields: { cause },
      },
      {
        level: 'info',
        msg: 'database reachable again after 21 s; the engine catches up on 12,345 events',
        fields: { downForMs: 20_500, backlog: 12_345, lastCause: cause },
      },
    ]);
  });

  it('reminds every 30 s while the database stays down, and says nothing when all is well', () => {
    const reporter = new OutageReporter();
    expect(reporter.succeeded(0, 0)).toBeNull();
    const said = [];
    for (let t = 0; t <= 95_000; t += 1000) {
      const line = reporter.failed(t, 'timeout');
      if (line) said.push(line.msg);
    }
    expect(said).toEqual([
      'database unreachable; the engine retries every second and the events wait in the log',
      'database still unreachable after 30 s',
      'database still unreachable after 60 s',
      'database still unreachable after 90 s',
    ]);
    expect(reporter.downSinceMs()).toBe(0);
    expect(reporter.succeeded(200_000, 5)?.msg).toMatch(/after 3 min 20 s/);
    expect(reporter.downSinceMs()).toBeNull();
  });
});
