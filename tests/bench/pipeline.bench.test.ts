/**
 * Pipeline benchmarks: the engine alone, the cost of a checkpoint, a bounded run (generate, then
 * consume) and the live pipeline in `serve` at full load (generator and engine in two workers),
 * with the main thread's event-loop delay. Targets: >= 1,000,000 events/s end to end; main-thread
 * loop delay p99 <= 20 ms.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'vitest';
import { decodeRecords, type DecodedRecord } from '../../src/main/events/decode-records';
import { DownloadEventCodec } from '../../src/main/events/download-event-codec';
import { EventBatchEncoder } from '../../src/main/events/event-batch-encoder';
import { engineConfig, type EngineConfig } from '../../src/main/engine/engine-config';
import type { PartitionSnapshot } from '../../src/main/engine/partition-state';
import { DEFAULT_GROUP_ID, EngineRunner } from '../../src/main/runtime/engine-runner';
import { WindowEngine, type EngineOutput } from '../../src/main/engine/window-engine';
import { DownloadEventGenerator } from '../../src/main/generator/download-event-generator';
import { EventProducer } from '../../src/main/generator/event-producer';
import { EmbeddedEventLog } from '../../src/main/log/embedded-event-log';
import type { LogRecord } from '../../src/main/log/event-log';
import { silentLogger } from '../../src/main/logger';
import { CheckpointStore } from '../../src/main/store/checkpoint-store';
import { openDatabase } from '../../src/main/store/database';
import { BenchReport, bestOf, until } from './bench-report';

const T0 = Date.UTC(2026, 10, 24);
const EVENTS = 1_000_000;

function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sp-bench-'));
  chmodSync(dir, 0o755); // the embedded database runs as the postgres user when we are root
  return dir;
}

it('pipeline: engine, checkpoint, bounded run, live serve', async () => {
  const report = new BenchReport('pipeline');
  const config = engineConfig();
  const codec = new DownloadEventCodec();

  // The engine phase keeps a million decoded events alive: it runs in its own function, so they
  // are garbage before the later phases (which would otherwise pay for the bigger heap in GC).
  const checkpointInput = await engineFigures(report, config, codec);

  // A checkpoint: one minute's final rows of 3 partitions and the engine state, in one transaction.
  const dataDir = workDir();
  const database = await openDatabase({ kind: 'embedded', dataDir, logger: silentLogger });
  try {
    const { output, snapshots } = checkpointInput;
    const store = new CheckpointStore(database.pool, 'bench');
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const began = performance.now();
      await store.commit({
        rows: output.rows,
        alerts: [],
        lateEvents: [],
        deadLetters: [],
        snapshots,
      });
      times.push(performance.now() - began);
    }
    times.sort((a, b) => a - b);
    const rows = output.rows.content.length + output.rows.region.length + output.rows.device.length;
    report.add(`checkpoint (${rows} window rows + state), median`, times[15]!, 'ms');

    // A bounded run, in this thread: generate 1M into the log, then consume them into Postgres.
    const log = await EmbeddedEventLog.open({ dir: join(dataDir, 'log') });
    const producer = new EventProducer({
      generator: new DownloadEventGenerator({ seed: 7 }),
      log,
      ratePerSecond: 1000,
      startAt: T0,
    });
    let began = performance.now();
    await producer.produceVirtual(EVENTS, T0, 1000);
    const generateMs = performance.now() - began;
    const runner = new EngineRunner({
      log,
      checkpoints: new CheckpointStore(database.pool, DEFAULT_GROUP_ID),
      config,
      logger: silentLogger,
      now: () => 0,
    });
    await runner.start();
    began = performance.now();
    await runner.drain();
    await runner.flush();
    const consumeMs = performance.now() - began;
    await log.close();
    report.add('bounded run: generate + append', (EVENTS / generateMs) * 1000, 'events/s');
    report.add(
      'bounded run: read + decode + engine + Postgres',
      (EVENTS / consumeMs) * 1000,
      'events/s',
    );
    report.add(
      'bounded run end to end (one thread, sequential)',
      (EVENTS / (generateMs + consumeMs)) * 1000,
      'events/s',
    );
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  // The live pipeline: `serve` asked for 5M events/s, generator and engine in their workers.
  const live = await measureServe(12_000);
  report.add('serve at full load: produced (generator worker)', live.produced, 'events/s');
  report.add(
    'serve at full load: consumed (engine worker, end to end)',
    live.consumed,
    'events/s',
    'target >= 1,000,000',
  );
  report.add(
    'serve at full load: main-thread event-loop delay p99',
    live.loopDelayP99Ms,
    'ms',
    'target <= 20',
  );
  report.add('serve at full load: main-thread event-loop delay max', live.loopDelayMaxMs, 'ms');
  report.write();
});

/** The engine alone and with decoding; returns one minute of 3 partitions' output for the checkpoint figure. */
async function engineFigures(
  report: BenchReport,
  config: EngineConfig,
  codec: DownloadEventCodec,
): Promise<{ output: EngineOutput; snapshots: PartitionSnapshot[] }> {
  // 1M events of 1000/s (17 windows), as log records.
  const generator = new DownloadEventGenerator({ seed: 42 });
  const encoder = new EventBatchEncoder(codec, EVENTS);
  generator.generate(EVENTS, T0, 1, encoder.add);
  const batch = encoder.finish();
  const records: LogRecord[] = [];
  for (let i = 0, start = 0; i < batch.count; i++) {
    const end = batch.valueEnds[i]!;
    records.push({
      offset: i,
      timestamp: batch.timestamps[i]!,
      key: batch.keys[i]!,
      value: batch.values.subarray(start, end),
    });
    start = end;
  }
  // With decoding first, while no decoded events are held (they would slow GC).
  const decodeAggregateMs = await bestOf(3, () => {
    const engine = new WindowEngine(config, [0]);
    for (let i = 0; i < records.length; i += 2000) {
      engine.process(0, decodeRecords(codec, 0, records.slice(i, i + 2000)).decoded, i + 2000, 0);
      engine.advance(0);
    }
    engine.flush();
  });
  report.add('engine with decode', (EVENTS / decodeAggregateMs) * 1000, 'events/s');
  const decoded: DecodedRecord[] = decodeRecords(codec, 0, records).decoded;
  const aggregateMs = await bestOf(3, () => {
    const engine = new WindowEngine(config, [0]);
    for (let i = 0; i < decoded.length; i += 2000) {
      engine.process(0, decoded.slice(i, i + 2000), i + 2000, 0);
      engine.advance(0);
    }
    engine.flush();
  });
  report.add(
    'engine only: windows + aggregates + alerts',
    (EVENTS / aggregateMs) * 1000,
    'events/s',
  );

  const engine = new WindowEngine(config, [0, 1, 2]);
  for (let p = 0; p < 3; p++)
    engine.process(p, decoded.slice(p * 20_000, p * 20_000 + 60_000), 60_000, 0);
  return { output: engine.flush(), snapshots: engine.snapshot() };
}

interface ServeFigures {
  produced: number;
  consumed: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

async function measureServe(measureMs: number): Promise<ServeFigures> {
  const bin = fileURLToPath(new URL('../../bin/streampulse.mjs', import.meta.url));
  const dataDir = workDir();
  const child = spawn(
    process.execPath,
    [
      bin,
      'serve',
      '--port',
      '0',
      '--rate',
      '5000000',
      '--status-every',
      '0',
      '--data-dir',
      dataDir,
    ],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  try {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const url = await until(() => /dashboard at (\S+)/.exec(stdout)?.[1], 30_000);
    type Status = {
      data: {
        generator: { produced: number } | null;
        engine: { consumed: number } | null;
        mainThreadLoopDelay: { p99Ms: number; maxMs: number };
      };
    };
    const read = async (): Promise<Status['data']> =>
      ((await (await fetch(`${url}api/pipeline/status`)).json()) as Status).data;
    await until(async () => ((await read()).engine?.consumed ?? 0) > 0 || undefined, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 2000)); // warm-up
    const first = await read();
    const began = performance.now();
    await new Promise((resolve) => setTimeout(resolve, measureMs));
    const second = await read();
    const seconds = (performance.now() - began) / 1000;
    return {
      produced: (second.generator!.produced - first.generator!.produced) / seconds,
      consumed: (second.engine!.consumed - first.engine!.consumed) / seconds,
      loopDelayP99Ms: second.mainThreadLoopDelay.p99Ms,
      loopDelayMaxMs: second.mainThreadLoopDelay.maxMs,
    };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}
