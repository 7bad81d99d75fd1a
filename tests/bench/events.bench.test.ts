/**
 * Foundation benchmarks: generate + encode + append into the embedded log, decode, and the size
 * of an event in Avro against JSON. Targets on the 2-core machine: >= 1,000,000 events/s
 * generate+encode+append, >= 2,000,000 events/s decode, Avro <= 30% of JSON's bytes.
 */
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { DownloadEventCodec } from '../../src/main/events/download-event-codec';
import { eventToJson } from '../../src/main/events/download-event';
import { EventBatchEncoder } from '../../src/main/events/event-batch-encoder';
import { DownloadEventGenerator } from '../../src/main/generator/download-event-generator';
import { EventProducer } from '../../src/main/generator/event-producer';
import { EmbeddedEventLog } from '../../src/main/log/embedded-event-log';
import type { PackedRecords } from '../../src/main/log/event-log';
import { BenchReport, bestOf } from './bench-report';

const EVENTS = 2_000_000;
const BATCH = 10_000;
const T0 = Date.UTC(2026, 10, 24);

it('events: generate, encode, append, decode, size', async () => {
  const report = new BenchReport('events');
  const codec = new DownloadEventCodec();
  const generator = new DownloadEventGenerator({ seed: 42 });

  // Generation alone, then with encoding, to show where the time goes.
  const generateMs = await bestOf(3, () => {
    for (let done = 0; done < EVENTS; done += BATCH)
      generator.generate(BATCH, T0 + done, 1, () => {});
  });
  report.add('generate only', (EVENTS / generateMs) * 1000, 'events/s');

  const encoder = new EventBatchEncoder(codec, BATCH);
  let batches: PackedRecords[] = [];
  const encodeMs = await bestOf(3, () => {
    batches = [];
    for (let done = 0; done < EVENTS; done += BATCH) {
      generator.generate(BATCH, T0 + done, 1, encoder.add);
      batches.push(encoder.finish());
    }
  });
  report.add('generate + encode', (EVENTS / encodeMs) * 1000, 'events/s');

  // The whole producer path into a real embedded log on disk.
  let appendMs = Infinity;
  for (let run = 0; run < 3; run++) {
    const dir = mkdtempSync(join(tmpdir(), 'sp-bench-'));
    const log = await EmbeddedEventLog.open({ dir });
    const producer = new EventProducer({ generator, log, ratePerSecond: 1000, startAt: T0, codec });
    const began = performance.now();
    await producer.produceVirtual(EVENTS, T0, 1000);
    await log.close();
    appendMs = Math.min(appendMs, performance.now() - began);
    rmSync(dir, { recursive: true, force: true });
  }
  report.add(
    'generate + encode + append (embedded log)',
    (EVENTS / appendMs) * 1000,
    'events/s',
    'target >= 1,000,000',
  );

  // Baseline: writing the same encoded bytes to a file with no log at all.
  const rawDir = mkdtempSync(join(tmpdir(), 'sp-bench-'));
  const rawMs = await bestOf(3, () => {
    const fd = openSync(join(rawDir, 'raw.bin'), 'w');
    for (const batch of batches) writeSync(fd, batch.values);
    closeSync(fd);
  });
  rmSync(rawDir, { recursive: true, force: true });
  report.add('append share of the pipeline time', (appendMs - encodeMs) / appendMs, 'fraction');
  report.add('raw file write of the same bytes', (EVENTS / rawMs) * 1000, 'events/s', 'baseline');

  // Decode in place from the packed batches.
  let decoded = 0;
  const decodeMs = await bestOf(3, () => {
    decoded = 0;
    for (const batch of batches) {
      let start = 0;
      for (let i = 0; i < batch.count; i++) {
        const end = batch.valueEnds[i]!;
        codec.decode(batch.values, start, end);
        start = end;
        decoded++;
      }
    }
  });
  report.add(
    'decode (Avro, in place)',
    (decoded / decodeMs) * 1000,
    'events/s',
    'target >= 2,000,000',
  );

  // The same events as JSON: size, and JSON.parse speed as a baseline for decode.
  const sample = generator.take(100_000, T0, 1);
  const json = sample.map((e) => JSON.stringify(eventToJson(e)));
  const jsonBytes = json.reduce((sum, line) => sum + Buffer.byteLength(line), 0) / sample.length;
  const avroBytes = batches.reduce((sum, b) => sum + b.values.length, 0) / EVENTS;
  const parseMs = await bestOf(3, () => {
    for (const line of json) JSON.parse(line);
  });
  report.add(
    'JSON.parse of the same events',
    (sample.length / parseMs) * 1000,
    'events/s',
    'baseline',
  );
  report.add(
    'Avro decode / JSON.parse',
    decodeMs > 0 ? decoded / decodeMs / (sample.length / parseMs) : 0,
    'ratio',
  );
  report.add('bytes per event, Avro', avroBytes, 'bytes');
  report.add('bytes per event, JSON', jsonBytes, 'bytes');
  report.add('Avro / JSON bytes', avroBytes / jsonBytes, 'ratio', 'target <= 0.30');
  report.write();
});
