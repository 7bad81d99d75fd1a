import { describe, expect, it } from 'vitest';
import { engineConfig } from './engine-config';
import { eventAt, records } from '../../../tests/support/engine-test-events';
import { DownloadEventGenerator } from '../generator/download-event-generator';
import { WindowEngine, type EngineOutput } from './window-engine';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
const config = engineConfig({ outOfOrdernessMs: 5000, allowedLatenessMs: 30_000, alertRules: [] });

describe('WindowEngine', () => {
  it('emits a window only when the watermark (newest event - out-of-orderness) passes its end', () => {
    const engine = new WindowEngine(config, [0]);
    engine.process(
      0,
      records([eventAt(T0 + 1000), eventAt(T0 + 30_000), eventAt(T0 + 64_000)]),
      3,
      0,
    );
    // Watermark 64 s - 5 s = 59 s: the first window is not final yet.
    expect(engine.advance(0).rows.content).toHaveLength(0);
    engine.process(0, records([eventAt(T0 + 65_000)], 3), 4, 0);
    const output = engine.advance(0);
    expect(output.watermark).toBe(T0 + 60_000);
    expect(output.windowsClosed).toBe(1);
    expect(output.rows.region).toEqual([
      expect.objectContaining({
        windowStart: T0,
        windowEnd: T0 + MIN,
        partition: 0,
        total: 2,
        successful: 2,
      }),
    ]);
  });

  it('keeps an event 30 days ahead aside: it moves no watermark, so later events are not late', () => {
    // The real clock stands at T0 + 2 min for this engine; its bound is 5 min ahead of it.
    const engine = new WindowEngine(config, [0], [], 0, { wallClock: () => T0 + 2 * MIN });
    const DAY = 24 * 60 * MIN;
    engine.process(0, records([eventAt(T0 + 1000), eventAt(T0 + 30 * DAY)]), 2, 0);
    engine.process(0, records([eventAt(T0 + 30_000), eventAt(T0 + 70_000)], 2), 4, 0);
    const output = engine.advance(0);
    // The watermark follows the real events (70 s - 5 s), not the one 30 days ahead.
    expect(output.watermark).toBe(T0 + 65_000);
    expect(output.rows.region.map((r) => [r.windowStart, r.total])).toEqual([[T0, 2]]);
    expect(output.lateEvents).toEqual([
      expect.objectContaining({ offset: 1, eventTime: T0 + 30 * DAY, reason: 'future' }),
    ]);
    expect(engine.stats(0)).toMatchObject({ lateEvents: 0, futureEvents: 1 });
    // Within the bound it is an ordinary event.
    engine.process(0, records([eventAt(T0 + 6 * MIN)], 4), 5, 0);
    expect(engine.stats(0).futureEvents).toBe(1);
    expect(engine.advance(0).watermark).toBe(T0 + 6 * MIN - 5000);
  });

  it('takes an event from a clock far in the past as late, or as a window of its own: no state stays', () => {
    const engine = new WindowEngine(config, [0], [], 0, { wallClock: () => T0 + 2 * MIN });
    const EPOCH = 0; // 1970: a clock reset to zero
    // First in its partition: a window of its own, final and gone as soon as today's events come.
    engine.process(0, records([eventAt(EPOCH + 1000), eventAt(T0 + 1000)]), 2, 0);
    const first = engine.advance(0);
    expect(first.rows.region.map((r) => [r.windowStart, r.total])).toEqual([[EPOCH, 1]]);
    expect(engine.snapshot()[0]!.windows.map((w) => w.start)).toEqual([T0]);
    // After them: late, kept aside, and the watermark does not go back.
    engine.process(0, records([eventAt(EPOCH + 2000), eventAt(T0 + 70_000)], 2), 4, 0);
    const second = engine.advance(0);
    expect(second.watermark).toBe(T0 + 65_000);
    expect(second.lateEvents).toEqual([
      expect.objectContaining({ eventTime: EPOCH + 2000, windowStart: EPOCH }),
    ]);
    expect(second.rows.region.map((r) => [r.windowStart, r.total])).toEqual([[T0, 1]]);
  });

  it('keeps the future count in its checkpoint', () => {
    const engine = new WindowEngine(config, [0], [], 0, { wallClock: () => T0 });
    engine.process(0, records([eventAt(T0), eventAt(T0 + 365 * 24 * 60 * MIN)]), 2, 0);
    const snapshots = JSON.parse(JSON.stringify(engine.snapshot()));
    const restored = new WindowEngine(config, [0], snapshots, 0, { wallClock: () => T0 });
    expect(restored.stats(0).futureEvents).toBe(1);
  });

  it('counts an out-of-order event within the bound in its own window', () => {
    const engine = new WindowEngine(config, [0]);
    engine.process(
      0,
      records([eventAt(T0 + 62_000), eventAt(T0 + 58_000), eventAt(T0 + 70_000)]),
      3,
      0,
    );
    const rows = engine.advance(0).rows.region;
    expect(rows.map((r) => [r.windowStart, r.total])).toEqual([[T0, 1]]);
  });

  it('holds the overall watermark at the slowest active partition, ignoring idle ones', () => {
    const engine = new WindowEngine(
      engineConfig({ ...config, idleTimeoutMs: 10_000 }),
      [0, 1, 2],
      [],
      0,
    );
    engine.process(0, records([eventAt(T0 + 130_000)]), 1, 1000);
    engine.process(1, records([eventAt(T0 + 70_000)]), 1, 1000);
    // Partition 2 has not spoken yet: it holds the watermark until the idle timeout.
    expect(engine.advance(1000).watermark).toBe(-Infinity);
    // Past the timeout partition 2 is idle; partition 1 (spoke at 1 s) holds it at 65 s.
    expect(engine.advance(10_500).watermark).toBe(T0 + 65_000);
    // Later partition 1 is idle too: partition 0, still active, sets it alone.
    engine.process(0, records([eventAt(T0 + 131_000)], 1), 2, 21_000);
    expect(engine.advance(21_000).watermark).toBe(T0 + 126_000);
  });

  it('judges lateness as the watermark moves within a batch, not only between batches', () => {
    const engine = new WindowEngine(config, [0]);
    // One batch: time runs to 100 s, then an event for the first window arrives (95 s watermark:
    // past 60 s + 30 s of lateness), then one for [60 s, 120 s), which is still open.
    const batch = [
      eventAt(T0 + 1000),
      eventAt(T0 + 100_000),
      eventAt(T0 + 2000),
      eventAt(T0 + 61_000),
    ];
    engine.process(0, records(batch), 4, 0);
    const output = engine.advance(0);
    expect(output.lateEvents.map((e) => e.offset)).toEqual([2]);
    expect(output.rows.region).toEqual([expect.objectContaining({ windowStart: T0, total: 1 })]);
    // The first window was emitted and, past its lateness, evicted; the second is emitted at the end.
    expect(engine.flush().rows.region.map((r) => [r.windowStart, r.total])).toEqual([
      [T0 + 60_000, 2],
    ]);
  });

  it('never moves the watermark back, even when an idle partition returns with old events', () => {
    const engine = new WindowEngine(
      engineConfig({ ...config, idleTimeoutMs: 10_000 }),
      [0, 1],
      [],
      0,
    );
    engine.process(0, records([eventAt(T0 + 100_000)]), 1, 20_000);
    // Partition 1 never spoke and is idle by now: partition 0 alone sets the watermark.
    expect(engine.advance(20_000).watermark).toBe(T0 + 95_000);
    engine.process(1, records([eventAt(T0 + 10_000)]), 1, 20_000);
    expect(engine.advance(20_000).watermark).toBe(T0 + 95_000);
  });

  it('updates a final window with a late event within the allowed lateness (a late firing)', () => {
    const engine = new WindowEngine(config, [0]);
    engine.process(0, records([eventAt(T0 + 1000), eventAt(T0 + 70_000)]), 2, 0);
    expect(engine.advance(0).rows.region[0]).toMatchObject({ windowStart: T0, total: 1 });
    // Watermark 65 s; the window ended at 60 s; lateness 30 s: still accepted.
    engine.process(0, records([eventAt(T0 + 2000, { status: 'FAILED' })], 2), 3, 0);
    const output = engine.advance(0);
    expect(output.rows.region).toEqual([
      expect.objectContaining({ windowStart: T0, total: 2, failed: 1 }),
    ]);
    expect(output.lateEvents).toHaveLength(0);
    expect(output.windowsClosed).toBe(0);
  });

  it('counts and keeps an event later than the allowed lateness, without touching the window', () => {
    const engine = new WindowEngine(config, [0]);
    engine.process(0, records([eventAt(T0 + 1000), eventAt(T0 + 100_000)]), 2, 0);
    engine.advance(0); // watermark 95 s: window [0, 60 s) is past 60 + 30 = 90 s
    engine.process(0, records([eventAt(T0 + 5000, { region: 'EU-Paris' })], 2), 3, 0);
    const output = engine.advance(0);
    expect(output.rows.region).toHaveLength(0);
    expect(output.lateEvents).toEqual([
      expect.objectContaining({
        partition: 0,
        offset: 2,
        eventTime: T0 + 5000,
        windowStart: T0,
        region: 'EU-Paris',
      }),
    ]);
    expect(engine.stats(0).lateEvents).toBe(1);
  });

  it('aggregates content, region and device per window with rates, averages and p95', () => {
    const engine = new WindowEngine(config, [0]);
    const events = [
      eventAt(T0 + 1, { speedMbps: 10, durationMs: 100 }),
      eventAt(T0 + 2, { speedMbps: 20, durationMs: 300, status: 'SLOW' }),
      eventAt(T0 + 3, { speedMbps: 30, durationMs: 500, status: 'FAILED' }),
      eventAt(T0 + 4, { speedMbps: 40, durationMs: 700 }),
    ];
    engine.process(0, records(events), 4, 0);
    const { rows } = engine.flush();
    expect(rows.content).toEqual([
      expect.objectContaining({
        downloads: 4,
        successful: 2,
        slow: 1,
        failed: 1,
        contentId: events[0]!.content.contentId,
      }),
    ]);
    const region = rows.region[0]!;
    expect(region).toMatchObject({ total: 4, successRate: 0.5, errorRate: 0.25, avgSpeedMbps: 25 });
    expect(region.p95SpeedMbps).toBeGreaterThan(39.5);
    expect(region.p95SpeedMbps).toBeLessThan(40.5);
    expect(rows.device[0]).toMatchObject({
      downloads: 4,
      successRate: 0.5,
      avgSpeedMbps: 25,
      avgDurationMs: 400,
    });
  });

  it('resumes from a snapshot exactly where an uninterrupted engine would be', () => {
    const events = Array.from({ length: 3000 }, (_, i) =>
      eventAt(T0 + i * 97 - (i % 7 === 0 ? 4000 : 0), {
        status: i % 9 === 0 ? 'FAILED' : 'SUCCESS',
      }),
    );
    const uninterrupted = new WindowEngine(config, [0]);
    const all = collect(uninterrupted, events, 0, events.length);

    const first = new WindowEngine(config, [0]);
    const before = collect(first, events, 0, 1234);
    const restored = new WindowEngine(config, [0], JSON.parse(JSON.stringify(first.snapshot())));
    expect(restored.nextOffset(0)).toBe(1234);
    const after = collect(restored, events, 1234, events.length);
    expect(latestRows([...before, ...after])).toEqual(latestRows(all));
  });

  it('keeps windows updatable after end of input, so a later run completes them instead of overwriting', () => {
    const engine = new WindowEngine(config, [0]);
    engine.process(0, records([eventAt(T0 + 1000), eventAt(T0 + 2000)]), 2, 0);
    expect(engine.flush().rows.region[0]).toMatchObject({ total: 2 });
    engine.process(0, records([eventAt(T0 + 3000)], 2), 3, 0);
    expect(engine.flush().rows.region[0]).toMatchObject({ windowStart: T0, total: 3 });
  });
});

type Row = {
  windowStart: number;
  partition: number;
  region: string;
  total: number;
  failed: number;
};

/** Feeds events [from, to) in batches of 100, advancing after each; returns every region row emitted. */
function collect(
  engine: WindowEngine,
  events: ReturnType<typeof eventAt>[],
  from: number,
  to: number,
): Row[] {
  const emitted: Row[] = [];
  for (let i = from; i < to; i += 100) {
    const end = Math.min(to, i + 100);
    engine.process(0, records(events.slice(i, end), i), end, 0);
    emitted.push(...engine.advance(0).rows.region);
  }
  if (to === events.length) emitted.push(...engine.flush().rows.region);
  return emitted;
}

/** The rows a store would hold after upserting them in order. */
function latestRows(rows: Row[]): Row[] {
  const byKey = new Map<string, Row>();
  for (const row of rows) byKey.set(`${row.windowStart}|${row.partition}|${row.region}`, row);
  return [...byKey.values()].sort((a, b) => a.windowStart - b.windowStart);
}

describe('WindowEngine results do not depend on how partitions interleave', () => {
  it('gives the same rows, late events and alerts for any read batch size', () => {
    const generator = new DownloadEventGenerator({
      seed: 'interleave',
      late: { fraction: 0.03, delayMs: 14_000 },
      outcomeMix: { failed: 0.1, slow: 0.02 },
    });
    const events = generator.take(30_000, T0, 10);
    const byPartition = [0, 1, 2].map((p) =>
      events.filter((e) => ['US', 'EU', 'ASIA'].indexOf(e.region.split('-')[0]!) === p),
    );
    const small = engineConfig({ windowSizeMs: 10_000, allowedLatenessMs: 5000 });

    const runWith = (batch: number): string => {
      const engine = new WindowEngine(small, [0, 1, 2]);
      const offsets = [0, 0, 0];
      const outputs: EngineOutput[] = [];
      while (offsets.some((o, p) => o < byPartition[p]!.length)) {
        for (let p = 0; p < 3; p++) {
          const slice = byPartition[p]!.slice(offsets[p], offsets[p]! + batch);
          engine.process(p, records(slice, offsets[p]), offsets[p]! + slice.length, 0);
          offsets[p] = offsets[p]! + slice.length;
        }
        outputs.push(engine.advance(0));
      }
      outputs.push(engine.flush());
      const rows = new Map<string, unknown>();
      for (const o of outputs)
        for (const r of o.rows.region)
          rows.set(`${r.windowStart}|${r.region}`, [r.total, r.failed]);
      const late = outputs
        .flatMap((o) => o.lateEvents.map((e) => `${e.partition}:${e.offset}`))
        .sort();
      // As the store keeps them: the latest state of each episode (order across partitions is free).
      const episodes = new Map<string, string>();
      for (const a of outputs.flatMap((o) => o.alerts)) {
        episodes.set(
          `${a.region}|${a.episodeStart}`,
          `${a.severity}|${a.resolvedAt}|${a.metricValue}`,
        );
      }
      const alerts = [...episodes.entries()].sort();
      return JSON.stringify({ rows: [...rows.entries()].sort(), late, alerts });
    };

    const reference = runWith(50);
    expect(JSON.parse(reference).late.length).toBeGreaterThan(0);
    expect(JSON.parse(reference).alerts.length).toBeGreaterThan(0);
    for (const batch of [7, 333, 5000]) {
      const other = JSON.parse(runWith(batch));
      const ref = JSON.parse(reference);
      expect(other.late, `late ${batch}`).toEqual(ref.late);
      expect(other.alerts, `alerts ${batch}`).toEqual(ref.alerts);
      expect(other.rows, `rows ${batch}`).toEqual(ref.rows);
    }
  });
});
