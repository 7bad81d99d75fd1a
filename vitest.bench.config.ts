import { defineConfig } from 'vitest/config';

/** `npm run bench`: the benchmarks, one file at a time so they do not compete for the two cores. */
export default defineConfig({
  test: {
    include: ['tests/bench/**/*.bench.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 600_000,
    reporters: ['default'],
  },
});
