import { describe, expect, it } from 'vitest';
import { backoffDelay, backoffDelays } from './backoff';

describe('backoff', () => {
  it('doubles from the first wait up to the maximum', () => {
    const options = { initialDelayMs: 1000, maxDelayMs: 30_000 };
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelay(a, options))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
    expect(backoffDelays({ attempts: 5, initialDelayMs: 200, maxDelayMs: 2000 })).toEqual([
      200, 400, 800, 1600,
    ]);
    expect(backoffDelays({ attempts: 1, initialDelayMs: 200, maxDelayMs: 2000 })).toEqual([]);
  });

  it('refuses attempts that are not a whole number from 1', () => {
    expect(() => backoffDelays({ attempts: 0, initialDelayMs: 1, maxDelayMs: 1 })).toThrow(
      /attempts must be an integer >= 1/,
    );
  });
});
