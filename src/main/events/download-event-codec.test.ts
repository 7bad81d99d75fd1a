import { describe, expect, it } from 'vitest';
import { DownloadEventGenerator } from '../generator/download-event-generator';
import { eventToJson, type DownloadEvent } from './download-event';
import { DownloadEventWriter } from './download-event-writer';
import { DownloadEventCodec } from './download-event-codec';
import { DEAD_LETTER_RAW_MAX, EventDecodeError } from './event-decode-error';
import { EventBatchEncoder } from './event-batch-encoder';

const codec = new DownloadEventCodec();
const events = new DownloadEventGenerator({
  seed: 11,
  late: { fraction: 0.1, delayMs: 5000 },
}).take(2000, Date.UTC(2026, 10, 24), 10);

describe('DownloadEventCodec', () => {
  it('round-trips every field', () => {
    for (const event of events) expect(codec.decode(codec.encode(event))).toEqual(event);
  });

  it('is at most 30% of the JSON size', () => {
    const avro = events.reduce((sum, e) => sum + codec.encode(e).length, 0);
    const json = events.reduce(
      (sum, e) => sum + Buffer.byteLength(JSON.stringify(eventToJson(e))),
      0,
    );
    expect(avro / json).toBeLessThan(0.3);
  });

  it('decodes in place from a packed batch', () => {
    const encoder = new EventBatchEncoder(codec, 16);
    events.forEach(encoder.add);
    const batch = encoder.finish();
    expect(batch.count).toBe(events.length);
    expect(batch.keys).toEqual(events.map((e) => e.region));
    let start = 0;
    for (let i = 0; i < batch.count; i++) {
      const end = batch.valueEnds[i]!;
      expect(codec.decode(batch.values, start, end)).toEqual(events[i]);
      expect(batch.timestamps[i]).toBe(events[i]!.eventTime);
      start = end;
    }
  });

  it('turns truncated bytes into an EventDecodeError carrying partition and offset', () => {
    const bytes = codec.encode(events[0]!);
    for (const cut of [1, 10, bytes.length - 1]) {
      const error = catchError(() =>
        codec.decode(bytes.subarray(0, cut), 0, cut, { partition: 2, offset: 41 }),
      );
      expect(error).toBeInstanceOf(EventDecodeError);
      expect(error).toMatchObject({ partition: 2, offset: 41 });
      expect((error as EventDecodeError).raw).toEqual(bytes.subarray(0, cut));
      expect((error as Error).message).toMatch(/partition 2, offset 41/);
    }
  });

  it('names an empty value as a tombstone, not as a truncated record', () => {
    const error = catchError(() =>
      codec.decode(Buffer.alloc(0), 0, 0, { partition: 1, offset: 7 }),
    );
    expect(error).toBeInstanceOf(EventDecodeError);
    expect((error as Error).message).toBe(
      'undecodable event at partition 1, offset 7: empty value (a tombstone, or a record written without a value) (0 bytes)',
    );
  });

  it('keeps a bounded prefix of a huge bad record, and its whole length', () => {
    const huge = Buffer.alloc(5 * 1024 * 1024, 0xff);
    const error = catchError(() => codec.decode(huge, 0, huge.length, { partition: 0, offset: 3 }));
    expect(error).toBeInstanceOf(EventDecodeError);
    const { raw, rawLength, message } = error as EventDecodeError;
    expect(raw.length).toBe(DEAD_LETTER_RAW_MAX);
    expect(raw).toEqual(huge.subarray(0, DEAD_LETTER_RAW_MAX));
    expect(raw.buffer).not.toBe(huge.buffer); // a copy: the batch's buffer can be freed
    expect(rawLength).toBe(huge.length);
    expect(message).toMatch(/\(5242880 bytes; the first 4096 kept\)$/);
  });

  it('rejects a record followed by trailing garbage, and garbage itself', () => {
    const bytes = Buffer.concat([codec.encode(events[0]!), Buffer.from([1, 2, 3])]);
    expect(() => codec.decode(bytes)).toThrow(/3 trailing bytes/);
    const garbage = Buffer.from('this is not an avro record at all, not even close', 'utf8');
    expect(() => codec.decode(garbage)).toThrow(EventDecodeError);
  });

  it('rejects an out-of-range enum index without crashing', () => {
    const bytes = codec.encode(events[0]!);
    // Find the status enum: re-encode with each status and see which byte changes.
    const other = codec.encode({
      ...events[0]!,
      status: events[0]!.status === 'FAILED' ? 'SLOW' : 'FAILED',
    });
    const index = [...bytes].findIndex((b, i) => b !== other[i]);
    const broken = Buffer.from(bytes);
    broken[index] = 0x7e; // zig-zag 63: no such symbol
    expect(() => codec.decode(broken)).toThrow(EventDecodeError);
  });

  it('survives random corruption: every outcome is an event or an EventDecodeError', () => {
    const bytes = codec.encode(events[1]!);
    for (let i = 0; i < 2000; i++) {
      const mutated = Buffer.from(bytes);
      mutated[(i * 7919) % mutated.length] = (i * 31) & 0xff;
      try {
        codec.decode(mutated);
      } catch (err) {
        expect(err).toBeInstanceOf(EventDecodeError);
      }
    }
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('DownloadEventWriter (the fast encoder)', () => {
  const writer = new DownloadEventWriter();
  const encodeFast = (event: DownloadEvent): Buffer => {
    const buf = Buffer.alloc(4096);
    return buf.subarray(0, writer.write(event, buf, 0));
  };

  it('writes the same bytes as avsc for every generated event', () => {
    const many = new DownloadEventGenerator({
      seed: 12,
      outcomeMix: { failed: 0.3, slow: 0.2 },
    }).take(20_000, 0, 997);
    for (const event of many) {
      const fast = encodeFast(event);
      if (!fast.equals(codec.encode(event))) expect(fast).toEqual(codec.encode(event));
    }
  });

  it('writes the same bytes as avsc at the edges: unicode, empty strings, extreme numbers', () => {
    const base = events[0]!;
    const edges: DownloadEvent[] = [
      { ...base, userId: '', errorCode: '' },
      { ...base, content: { ...base.content, title: 'Amélie — 東京物語 🎬' } },
      { ...base, eventTime: 0, durationMs: 0, bytesDownloaded: 0, speedMbps: 0 },
      { ...base, eventTime: -1, durationMs: 63, bytesDownloaded: 64, speedMbps: -1.5 },
      { ...base, eventTime: 2 ** 52, bytesDownloaded: -(2 ** 52) },
      { ...base, durationMs: 2 ** 29, bytesDownloaded: -(2 ** 29), eventTime: 2 ** 29 - 1 },
      { ...base, content: { ...base.content, title: 'x'.repeat(300) } },
    ];
    for (const event of edges) expect(encodeFast(event)).toEqual(codec.encode(event));
  });

  it('asks for a bigger buffer instead of writing past the end', () => {
    const small = Buffer.alloc(20);
    const result = writer.write(events[0]!, small, 0);
    expect(result).toBeLessThan(0);
    expect(small.equals(Buffer.alloc(20))).toBe(true);
  });

  it('rejects values the schema cannot hold', () => {
    const buf = Buffer.alloc(4096);
    expect(() => writer.write({ ...events[0]!, status: 'LOST' as never }, buf, 0)).toThrow(
      /status/,
    );
    expect(() => writer.write({ ...events[0]!, durationMs: 1.5 }, buf, 0)).toThrow(/safe integer/);
    expect(() => writer.write({ ...events[0]!, eventId: Buffer.alloc(4) }, buf, 0)).toThrow(
      /16 bytes/,
    );
  });
});
