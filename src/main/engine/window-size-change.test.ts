/**
 * Changing the window size while windows are open (the setting applies at the next start): the
 * open windows finish at the size they began with, the new size starts after them, and no window
 * of one size overlaps one of the other. Alert streaks carry across the change.
 */
import { expect, it } from 'vitest';
import type { AlertRule } from './alert-rules';
import { engineConfig } from './engine-config';
import { eventAt, records } from '../../../tests/support/engine-test-events';
import { WindowEngine } from './window-engine';
import type { WindowRows } from './window-rows';

const S = 1000;
const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
const errors: AlertRule = {
  id: 'errors',
  type: 'HIGH_ERROR_RATE',
  metric: 'errorRate',
  direction: 'above',
  threshold: 0.1,
  consecutiveWindows: 3,
  minEvents: 2,
};
const base = { outOfOrdernessMs: 0, allowedLatenessMs: 30 * S, alertRules: [errors] };

/** Two events a second from `from` to `to` (exclusive): a failure, a success. */
function failingEvery(from: number, to: number) {
  const events = [];
  for (let t = from; t < to; t += 1000) {
    events.push(eventAt(t, { region: 'EU-London', status: 'FAILED' }));
    events.push(eventAt(t, { region: 'EU-London' }));
  }
  return events;
}

function regionWindows(rows: WindowRows): Array<[number, number, number]> {
  return rows.region.map((r) => [(r.windowStart - T0) / S, (r.windowEnd - T0) / S, r.total]);
}

it('finishes the open 60 s window at 60 s after a change to 10 s, then cuts 10 s windows', () => {
  const before = new WindowEngine(engineConfig({ ...base, windowSizeMs: 60 * S }), [0]);
  const first = failingEvery(T0, T0 + 50 * S);
  before.process(0, records(first), first.length, 0);
  const out1 = before.advance(0);
  expect(out1.rows.region).toEqual([]); // the minute is open

  // Restarted with 10 s windows from that checkpoint.
  const after = new WindowEngine(
    engineConfig({ ...base, windowSizeMs: 10 * S }),
    [0],
    before.snapshot(),
  );
  const second = failingEvery(T0 + 50 * S, T0 + 100 * S);
  after.process(0, records(second, first.length), first.length + second.length, 0);
  const out2 = after.advance(0);
  const flushed = after.flush();
  const windows = [...regionWindows(out2.rows), ...regionWindows(flushed.rows)];
  expect(windows).toEqual([
    [0, 60, 120], // the first minute whole: its 100 events before the restart and 20 after
    [60, 70, 20],
    [70, 80, 20],
    [80, 90, 20],
    [90, 100, 20],
  ]);
  // Every event once, in windows that tile the time without overlapping.
  expect(windows.reduce((sum, [, , n]) => sum + n, 0)).toBe(first.length + second.length);
  for (let i = 1; i < windows.length; i++) expect(windows[i]![0]).toBe(windows[i - 1]![1]);

  // The error rate is 50% throughout: the 60 s window and the next two 10 s ones are three
  // consecutive breaching windows, so the alert opens at the end of the second 10 s one.
  const alerts = [...out2.alerts, ...flushed.alerts];
  expect(alerts[0]).toMatchObject({ episodeStart: T0, createdAt: T0 + 80 * S });

  // The change is recorded with the checkpoint: a replay of the first minute cuts it at 60 s.
  expect(after.snapshot()[0]!.windowSizes).toEqual([
    { from: null, sizeMs: 60 * S },
    { from: T0 + 60 * S, sizeMs: 10 * S },
  ]);
  const replay = new WindowEngine(engineConfig({ ...base, windowSizeMs: 10 * S }), [0], [], 0, {
    floor: T0,
    schedule: after.schedule,
  });
  const all = [...first, ...second];
  replay.process(0, records(all), all.length, 0);
  expect([...regionWindows(replay.advance(0).rows), ...regionWindows(replay.flush().rows)]).toEqual(
    windows,
  );
});

it('cuts a 40 s window short at the next whole minute on a change to 60 s', () => {
  const before = new WindowEngine(engineConfig({ ...base, windowSizeMs: 40 * S }), [0]);
  const first = failingEvery(T0, T0 + 30 * S);
  before.process(0, records(first), first.length, 0);
  const after = new WindowEngine(
    engineConfig({ ...base, windowSizeMs: 60 * S }),
    [0],
    before.snapshot(),
  );
  expect(after.snapshot()[0]!.windowSizes).toEqual([
    { from: null, sizeMs: 40 * S },
    { from: T0 + 60 * S, sizeMs: 60 * S },
  ]);
  const second = failingEvery(T0 + 30 * S, T0 + 150 * S);
  after.process(0, records(second, first.length), first.length + second.length, 0);
  const windows = [...regionWindows(after.advance(0).rows), ...regionWindows(after.flush().rows)];
  expect(windows).toEqual([
    [0, 40, 80],
    [40, 60, 40],
    [60, 120, 120],
    [120, 180, 60],
  ]);
});
