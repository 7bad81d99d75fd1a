/**
 * `run` on a log of mostly late events, under a 256 MB heap: three overlapping runs of 2M events
 * each (the second and third over minutes the first already passed). Reports each run's time,
 * events/s and peak RSS, and checks the tables account for all 6M events.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { tablesOf } from '../support/database-tables';
import { BenchReport } from './bench-report';
import { measured } from './measured-process';

const EVENTS = 2_000_000;
const HEAP_MB = 256;

/** Runs the command under the heap limit. */
const measuredUnderHeap = (args: readonly string[]) =>
  measured(args, [`--max-old-space-size=${HEAP_MB}`]);

it('run: 6M events, 2.64M of them late, under a 256 MB heap', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sp-bench-run-'));
  chmodSync(dataDir, 0o755);
  const report = new BenchReport('run-memory');
  try {
    const starts = ['2026-12-03T00:00:00Z', '2026-12-03T00:10:00Z', '2026-12-03T00:20:00Z'];
    let late = 0;
    for (const [i, start] of starts.entries()) {
      // prettier-ignore
      const run = await measuredUnderHeap([
        'run', '--events', String(EVENTS), '--seed', String(i + 1), '--start', start,
        '--data-dir', dataDir,
      ]);
      expect(run.code, run.stdout).toBe(0);
      late += Number(/([\d,]+) late/.exec(run.stdout)![1]!.replace(/,/g, ''));
      report.add(
        `run ${i + 1} of 3 (2M events, ${HEAP_MB} MB heap)`,
        (EVENTS / run.ms) * 1000,
        'events/s',
      );
      report.add(`run ${i + 1} of 3: peak RSS`, run.peakRssMb, 'MB');
    }
    const tables = await tablesOf(dataDir);
    const counted = [...tables.region.values()].reduce((sum, row) => sum + row.total, 0);
    expect(counted + tables.lateEvents).toBe(3 * EVENTS);
    expect(tables.lateEvents).toBe(late);
    report.add('late events of the 6M', late, 'events');
  } finally {
    report.write();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
