import { expect, it } from 'vitest';
import { formatDelay } from './drill-format';

it('formats delays for the drills panel', () => {
  expect([0, 1550, 3000, 65_000, 180_000, 3_600_000, 5_460_000].map(formatDelay)).toEqual([
    '0s',
    '1.6s',
    '3s',
    '1m 5s',
    '3m',
    '1h',
    '1h 31m',
  ]);
});
