import { afterEach, describe, expect, it } from 'vitest';
import type { DownloadEvent } from '../events/download-event';
import { DownloadEventCodec } from '../events/download-event-codec';
import { EventBatchEncoder } from '../events/event-batch-encoder';
import { DownloadEventGenerator } from '../generator/download-event-generator';
import { EmbeddedEventLog } from '../log/embedded-event-log';
import { makeTempDirs } from '../../../tests/support/log-test-helpers';
import type { LogEvent } from './event-rows';
import { readLogEvents, type EventTimeRange, type UndecodableNote } from './log-event-reader';

const dirs = makeTempDirs();
const logs: EmbeddedEventLog[] = [];
afterEach(async () => {
  for (const log of logs.splice(0)) await log.close();
  dirs.cleanup();
});

const codec = new DownloadEventCodec();
const T0 = Date.UTC(2026, 10, 24, 10);
const HORIZON = 65_000;

async function logWith(events: readonly DownloadEvent[]): Promise<EmbeddedEventLog> {
  const log = await EmbeddedEventLog.open({ dir: dirs.make(), partitions: 3 });
  logs.push(log);
  const encoder = new EventBatchEncoder(codec, events.length);
  events.forEach(encoder.add);
  await log.append(encoder.finish());
  return log;
}

async function read(
  log: EmbeddedEventLog,
  range: EventTimeRange,
  onUndecodable?: (note: UndecodableNote) => void,
): Promise<LogEvent[]> {
  const [starts, ends] = [await log.offsetsForTimestamp(range.from), await log.endOffsets()];
  const out: LogEvent[] = [];
  for await (const batch of readLogEvents(log, codec, {
    starts: new Map(starts.map((p) => [p.partition, p.offset])),
    ends: new Map(ends.map((p) => [p.partition, p.offset])),
    range,
    ...(onUndecodable ? { onUndecodable } : {}),
  }))
    out.push(...batch);
  return out;
}

/** Every event of the log, read start to end: the reference an export is checked against. */
async function everything(log: EmbeddedEventLog): Promise<LogEvent[]> {
  const out: LogEvent[] = [];
  for (const { partition, offset: end } of await log.endOffsets()) {
    for (let offset = 0; offset < end;) {
      const fetched = await log.read(partition, offset);
      for (const r of fetched.records)
        out.push({ partition, offset: r.offset, event: codec.decode(r.value) });
      offset = fetched.nextOffset;
    }
  }
  return out;
}

const key = (e: LogEvent) => `${e.partition}:${e.offset}`;

describe('readLogEvents over an event-time range', () => {
  it('returns exactly the events in [from, to), late ones included, in offset order', async () => {
    // 20 minutes at 20 events/s; 10% delivered 30 s late (within the horizon).
    const events = new DownloadEventGenerator({
      seed: 4,
      late: { fraction: 0.1, delayMs: 30_000 },
    }).take(24_000, T0, 50);
    const log = await logWith(events);
    const range = {
      from: T0 + 5 * 60_000,
      to: T0 + 9 * 60_000,
      horizonMs: HORIZON,
      maxFutureMs: 300_000,
    };
    const got = await read(log, range);
    const expected = (await everything(log)).filter(
      (e) => e.event.eventTime >= range.from && e.event.eventTime < range.to,
    );
    expect(got.length).toBeGreaterThan(4000);
    expect(got.map(key)).toEqual(expected.map(key));
    expect(got.map((e) => e.event)).toEqual(expected.map((e) => e.event));
  });

  it('stops a partition once its newest event passes the end by the horizon: later stragglers are left out', async () => {
    const gen = new DownloadEventGenerator({ seed: 9 });
    const onTime = gen.take(600, T0, 1000); // 10 minutes, one a second
    // An event of the range arriving after the horizon has passed: too late for the windows too.
    const straggler = { ...gen.take(1, T0 + 60_000, 1)[0]!, region: onTime[0]!.region };
    const log = await logWith([...onTime, straggler]);
    const got = await read(log, {
      from: T0,
      to: T0 + 2 * 60_000,
      horizonMs: HORIZON,
      maxFutureMs: 300_000,
    });
    expect(got).toHaveLength(120);
    expect(got.some((e) => e.event.eventId.equals(straggler.eventId))).toBe(false);
    // It reads little past the range: nothing of the log's last minutes came through the filter.
    expect(Math.max(...got.map((e) => e.event.eventTime))).toBeLessThan(T0 + 2 * 60_000);
  });

  it('does not let one event from a clock far ahead end the read early', async () => {
    const gen = new DownloadEventGenerator({ seed: 10 });
    const before = gen.take(60, T0, 1000);
    const region = before[0]!.region;
    const sameRegion = (e: DownloadEvent) => ({ ...e, region });
    const future = sameRegion(gen.take(1, T0 + 86_400_000, 1)[0]!);
    const after = gen.take(60, T0 + 60_000, 1000).map(sameRegion);
    const log = await logWith([...before.map(sameRegion), future, ...after]);
    const got = await read(log, {
      from: T0,
      to: T0 + 120_000,
      horizonMs: HORIZON,
      maxFutureMs: 300_000,
    });
    expect(got).toHaveLength(120);
  });

  it('reports undecodable records and goes on', async () => {
    const log = await EmbeddedEventLog.open({ dir: dirs.make(), partitions: 1 });
    logs.push(log);
    const [good] = new DownloadEventGenerator({ seed: 1 }).take(1, T0, 1);
    const bad = Buffer.from('not avro at all');
    const encoded = codec.encode(good!);
    await log.append({
      count: 2,
      keys: ['x', 'x'],
      timestamps: [T0, T0 + 1],
      values: Buffer.concat([bad, encoded]),
      valueEnds: [bad.length, bad.length + encoded.length],
    });
    const notes: UndecodableNote[] = [];
    const got = await read(
      log,
      { from: T0, to: T0 + 1000, horizonMs: HORIZON, maxFutureMs: 300_000 },
      (n) => notes.push(n),
    );
    expect(notes).toMatchObject([{ partition: 0, offset: 0, count: 1 }]);
    expect(got.map(key)).toEqual(['0:1']);
  });
});
