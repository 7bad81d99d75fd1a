/**
 * Ctrl-C (or SIGTERM) during the bounded commands: `generate` and `run` stop at the next batch
 * and exit 130 saying what remains; the same `run` then finishes, and its tables hold every event
 * exactly once. (`drill`: tests/integration/drill.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { EXIT_INTERRUPTED } from '../../src/main/cli/interrupt';
import { tablesOf } from '../support/database-tables';
import { runCliInProcess } from '../support/run-cli-in-process';
import { useTempDirs } from '../support/temp-dir';

const tempDir = useTempDirs();
const START = '2026-11-24T10:00:00Z';

describe('Ctrl-C in bounded commands', () => {
  it('generate stops at the next batch and keeps what it appended', async () => {
    const dataDir = tempDir();
    // prettier-ignore
    const args = ['generate', '--events', '200000', '--seed', '3', '--start', START, '--data-dir', dataDir];
    const result = await runCliInProcess(args, { stop: Promise.resolve() });
    expect(result.code, result.stderr).toBe(EXIT_INTERRUPTED);
    expect(result.stderr).toMatch(
      /^streampulse generate: interrupted after 10,000 of 200,000 events; they stay in the log\n$/,
    );
    const exported = await runCliInProcess(['events', 'export', '--data-dir', dataDir]);
    expect(exported.stdout.trim().split('\n')).toHaveLength(10_000);
  });

  it('run stops at the next batch; the same command then finishes it, every event counted once', async () => {
    const dataDir = tempDir();
    // prettier-ignore
    const args = ['run', '--events', '100000', '--seed', '5', '--start', START, '--virtual-rate', '200', '--data-dir', dataDir];
    const stopped = await runCliInProcess(args, { stop: Promise.resolve() });
    expect(stopped.code, stopped.stderr).toBe(EXIT_INTERRUPTED);
    expect(stopped.stderr).toMatch(
      /streampulse run: interrupted; run the same command again to finish this run \(nothing is lost or counted twice\)/,
    );
    expect(stopped.stdout).toBe('');

    const finished = await runCliInProcess(args);
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stdout).toMatch(/100,000 events \(seed 5\): 100,000 counted in windows/);
    const tables = await tablesOf(dataDir);
    expect([...tables.region.values()].reduce((sum, row) => sum + row.total, 0)).toBe(100_000);
  });
});
