import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    // Benchmarks run with `npm run bench` (vitest.bench.config.ts), never as tests.
    exclude: ['tests/bench/**', 'node_modules/**'],
    environment: 'node',
    // Two cores: files run in parallel, each with its own temp dir, so keep the pool small.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // CI also writes a JSON report; .ci/run turns it into its closing "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.tmp/vitest-results.json' },
  },
});
