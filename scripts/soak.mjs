#!/usr/bin/env node
/**
 * `npm run soak -- --minutes 30 [--rate 100000]`: builds, then runs the soak benchmark alone
 * (tests/bench/soak.bench.test.ts). Its figures go to .tmp/bench/soak.json, its curve to
 * .tmp/bench/soak.svg.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
let values;
try {
  ({ values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '30' },
      rate: { type: 'string', default: '100000' },
    },
    strict: true,
  }));
} catch (error) {
  console.error(`npm run soak: ${error.message}\nUsage: npm run soak -- [--minutes M] [--rate R]`);
  process.exit(2);
}
for (const [name, value] of Object.entries(values)) {
  if (!(Number(value) > 0)) {
    console.error(`npm run soak: --${name} must be a number > 0, got "${value}"`);
    process.exit(2);
  }
}
const run = (args, env = {}) =>
  spawnSync(process.execPath, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  }).status ?? 1;
let status = run([join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);
if (status === 0) {
  status = run(
    [
      join(root, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--config',
      'vitest.bench.config.ts',
      'tests/bench/soak.bench.test.ts',
    ],
    { STREAMPULSE_SOAK_MINUTES: values.minutes, STREAMPULSE_SOAK_RATE: values.rate },
  );
}
process.exit(status);
