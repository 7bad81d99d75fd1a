/**
 * A replay's alert rules primed from the tables: an open episode's tracker starts at its first
 * window, and the other rules' trackers see every row before the replay's start.
 */
import { expect, it } from 'vitest';
import type { AlertRule } from './alert-rules';
import type { AlertRecord } from './alert-tracker';
import { engineConfig } from './engine-config';
import { records, windowOfEvents } from '../../../tests/support/engine-test-events';
import { WindowEngine } from './window-engine';
import type { RegionHealthRow } from './window-rows';

const S = 1000;
const W = 10 * S;
const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
const rule = (id: string, metric: AlertRule['metric']): AlertRule => ({
  id,
  type: id.toUpperCase(),
  metric,
  direction: 'above',
  threshold: 0.1,
  consecutiveWindows: 3,
  minEvents: 10,
});
const rules = [rule('errors', 'errorRate'), rule('slow', 'slowRate')];

/** A region row of window `i` with the given failed and slow shares of 100 events. */
function row(i: number, failed: number, slow: number): RegionHealthRow {
  const total = 100;
  return {
    windowStart: T0 + i * W,
    windowEnd: T0 + (i + 1) * W,
    partition: 0,
    region: 'EU-London',
    total,
    successful: total - failed - slow,
    failed,
    slow,
    successRate: (total - failed - slow) / total,
    errorRate: failed / total,
    avgSpeedMbps: 10,
    p95SpeedMbps: 20,
    speedSumMbps: 1000,
  };
}

it("starts an open episode's rule at its first window, and every other rule at the first row", () => {
  // Window 2: slow downloads only; from window 3 on, errors too. The error alert is open at the
  // replay's start, window 4 (its episode from window 3, as far as these rows are concerned).
  const open: AlertRecord = {
    ruleId: 'errors',
    type: 'ERRORS',
    severity: 'WARNING',
    message: 'errors',
    region: 'EU-London',
    metricValue: 0.2,
    thresholdValue: 0.1,
    episodeStart: T0 + 3 * W,
    createdAt: T0 + 4 * W,
    resolvedAt: null,
  };
  const engine = new WindowEngine(
    engineConfig({ windowSizeMs: W, outOfOrdernessMs: 0, allowedLatenessMs: 0, alertRules: rules }),
    [0],
    [],
    0,
    { floor: T0 + 4 * W },
  );
  engine.primeAlerts({
    regionRows: [row(2, 0, 20), row(3, 20, 20)],
    openAlerts: [{ partition: 0, alert: open }],
  });
  // Window 4: errors and slow downloads still. The slow streak (windows 2, 3, 4) completes here,
  // from window 2; the error episode goes on as the same alert.
  const all = [
    ...windowOfEvents(T0 + 4 * W, W, 'EU-London', 100, 20, 'FAILED'),
    ...windowOfEvents(T0 + 4 * W, W, 'EU-London', 20, 20, 'SLOW'),
  ];
  engine.process(0, records(all), all.length, 0);
  const alerts = engine.flush().alerts;
  expect(alerts).toEqual([
    expect.objectContaining({ ruleId: 'slow', episodeStart: T0 + 2 * W, createdAt: T0 + 5 * W }),
  ]);
});
