/**
 * `streampulse run`'s memory does not grow with what arrives: a log where most events are late
 * (a second run over the same minutes) runs under a 128 MB heap. When every late event was held to
 * the end of the run, these 300,000 of them took it past that limit (a V8 heap out-of-memory);
 * 6M events under 256 MB is in the benchmarks (docs/BENCHMARKS.md).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { tablesOf } from '../support/database-tables';
import { runCliInProcess } from '../support/run-cli-in-process';
import { useTempDirs } from '../support/temp-dir';

const tempDir = useTempDirs();
const BIN = fileURLToPath(new URL('../../bin/streampulse.mjs', import.meta.url));
const START = '2026-11-24T10:00:00Z';

function runUnderHeapLimit(args: readonly string[], heapMb: number) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

it('runs a log of 300,000 late events under a 128 MB heap, counting every one', async () => {
  const dataDir = tempDir();
  // prettier-ignore
  const generated = await runCliInProcess([
    'generate', '--events', '400000', '--start', START, '--data-dir', dataDir,
  ]);
  expect(generated.code).toBe(0);
  // The same minutes again: all but the last minutes' events are past their windows' lateness.
  // prettier-ignore
  const run = await runUnderHeapLimit([
    'run', '--events', '400000', '--seed', '2', '--start', START, '--data-dir', dataDir,
  ], 128);
  expect(run.stderr).not.toMatch(/heap out of memory/);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toMatch(
    /400,000 events \(seed 2\): 100,000 counted in windows of 60 s, 300,000 late, 0 too far in the future, 0 dead letters/,
  );
  const tables = await tablesOf(dataDir);
  expect(tables.lateEvents).toBe(300_000);
  expect([...tables.region.values()].reduce((sum, row) => sum + row.total, 0)).toBe(500_000);
}, 120_000);
