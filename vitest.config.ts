import { defineConfig } from 'vitest/config';

/**
 * Two groups, one after the other: everything else first, then the Apache Flink tests. A Flink
 * cluster is a JobManager and TaskManagers (~1 GB, busy JVMs); beside the browser and timing
 * tests on two cores, it starved them (a 375 px layout still 804 px wide after 5 s), and they
 * starved it. In sequence, each has the machine to itself.
 */
const shared = {
  environment: 'node' as const,
  // Two cores: files run in parallel, each with its own temp dir, so keep the pool small.
  maxWorkers: 2,
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    // CI also writes a JSON report; .ci/run turns it into its closing "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.tmp/vitest-results.json' },
    projects: [
      {
        test: {
          ...shared,
          name: 'main',
          include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
          // Benchmarks run with `npm run bench` (vitest.bench.config.ts), never as tests.
          exclude: ['tests/bench/**', 'tests/flink/**', 'node_modules/**'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'flink',
          include: ['tests/flink/**/*.test.ts'],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
