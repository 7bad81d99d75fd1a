/**
 * The 24-hour drill: scenarios/day-of-incidents.yaml (86.4M events at 1,000 per virtual second,
 * 22 incidents) in virtual time through the built CLI. Reports wall time, events/s, peak RSS and
 * the scorecard; checks every event is accounted for in the tables.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { tablesOf } from '../support/database-tables';
import { BenchReport } from './bench-report';
import { measured } from './measured-process';

const SCENARIO = fileURLToPath(new URL('../../scenarios/day-of-incidents.yaml', import.meta.url));
const EVENTS = 86_400_000;

interface Report {
  ruleSets: Array<{
    detected: number;
    missed: number;
    falseAlerts: number;
    unresolved: number;
    precision: number | null;
    recall: number | null;
    meanDelayMs: number | null;
    verdict: string;
  }>;
}

it('drill: 24 hours at 1,000 events per virtual second (86.4M events)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sp-bench-drill-'));
  chmodSync(dataDir, 0o755);
  const report = new BenchReport('drill-24h');
  try {
    const run = await measured([
      'drill',
      SCENARIO,
      '--seed',
      '1',
      '--start',
      '2026-12-01T00:00:00Z',
      '--json',
      '--data-dir',
      dataDir,
    ]);
    expect(run.code).toBe(0);
    const card = (JSON.parse(run.stdout) as Report).ruleSets[0]!;
    report.add('24 h drill: wall time', run.ms / 1000, 's');
    report.add('24 h drill: events/s', (EVENTS / run.ms) * 1000, 'events/s');
    report.add('24 h drill: peak RSS', run.peakRssMb, 'MB');
    report.add('scorecard: detected', card.detected, 'incidents');
    report.add('scorecard: missed', card.missed, 'incidents');
    report.add('scorecard: false alerts', card.falseAlerts, 'alerts');
    report.add('scorecard: mean delay', (card.meanDelayMs ?? 0) / 1000, 's');
    const tables = await tablesOf(dataDir);
    const counted = [...tables.region.values()].reduce((sum, row) => sum + row.total, 0);
    expect(counted + tables.lateEvents).toBe(EVENTS);
  } finally {
    report.write();
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 3_600_000);
