import { describe, expect, it } from 'vitest';
import { RatePacer } from './rate-pacer';

/** Ticks the pacer every `stepMs` for `durationMs` and counts what it released. */
function run(pacer: RatePacer, from: number, durationMs: number, stepMs: number): number {
  let total = 0;
  for (let t = from + stepMs; t <= from + durationMs; t += stepMs) total += pacer.take(t).count;
  return total;
}

describe('RatePacer', () => {
  it('is exact over time at 0.1 events/s', () => {
    const pacer = new RatePacer(0.1, 0);
    expect(run(pacer, 0, 3_600_000 - 1, 100)).toBe(360);
  });

  it('is exact over time at a million events/s, released in batches', () => {
    const pacer = new RatePacer(1_000_000, 0);
    expect(run(pacer, 0, 10_000, 50) + pacer.take(10_000).count).toBe(10_000_001);
  });

  it('applies a rate change from then on', () => {
    const pacer = new RatePacer(100, 0);
    const first = run(pacer, 0, 10_000, 100);
    pacer.setRate(1000, 10_000);
    const second = run(pacer, 10_000, 10_000, 100);
    expect(first).toBeGreaterThanOrEqual(1000);
    expect(first).toBeLessThanOrEqual(1001);
    expect(Math.abs(second - 10_000)).toBeLessThanOrEqual(2);
  });

  it('does not wait for an old due time after lowering a tiny rate to a higher one', () => {
    const pacer = new RatePacer(0.1, 0);
    pacer.take(0);
    pacer.setRate(10, 100);
    expect(pacer.take(300).count).toBeGreaterThanOrEqual(2);
  });

  it('drops backlog beyond a second instead of bursting after a stall', () => {
    const pacer = new RatePacer(1000, 0);
    expect(pacer.take(60_000).count).toBeLessThanOrEqual(1001);
  });

  it('skips a paused stretch entirely', () => {
    const pacer = new RatePacer(1000, 0);
    pacer.skipTo(60_000);
    expect(pacer.take(60_000).count).toBe(1);
  });

  it('rejects rates out of range', () => {
    expect(() => new RatePacer(0.01, 0)).toThrow(/rate/);
    expect(() => new RatePacer(Number.NaN, 0)).toThrow(/rate/);
    expect(() => new RatePacer(100, 0).setRate(-5, 0)).toThrow(/rate/);
  });
});
