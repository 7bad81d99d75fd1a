/**
 * The Flink engine against the built-in one, in one run on the same topic (issue #14): N events
 * generated once into Kafka, then windowed into a fresh embedded database by
 *
 *   1. the built-in engine (read + decode + windows + checkpoints into PostgreSQL, one thread);
 *   2. the Flink job, bounded, on 1 TaskManager at parallelism 1;
 *   3. the Flink job, bounded, on 2 TaskManagers at parallelism 3 (one per partition);
 *
 * each as events/s over the job's own running time (Flink's job duration, deploy included, and
 * without: from the first record to the end is not exposed, so both are given), the ratio
 * 2 TM / 1 TM, and the resident memory of each JVM. Then a live job (unbounded) against a
 * generator asked for 100,000 events/s: the source's records/s and the lag left after 60 s.
 * The live part runs the built workers: `npx electron-vite build` first (`npm run bench` does).
 *
 * `npx vitest run --config vitest.bench.config.ts tests/bench/flink.bench.test.ts` (the job's jar
 * must be built: `npm run flink:build`).
 */
import { it } from 'vitest';
import { FlinkEngine } from '../../src/main/flink/flink-engine';
import { FlinkRest } from '../../src/main/flink/flink-rest';
import type { FlinkJobStatus } from '../../src/shared/api/flink';
import { startFlinkCluster } from '../support/flink-cluster';
import {
  builtinOverTopic,
  flinkContext,
  kafkaLog,
  openEmbedded,
  RUN_CONFIG,
} from '../support/flink-runs';
import { produced, startPipeline } from '../support/running-pipeline';
import { recentEventTime, startKafkaBroker } from '../support/kafka-broker';
import { runCliInProcess } from '../support/run-cli-in-process';
import { BenchReport } from './bench-report';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const EVENTS = Number(process.env.FLINK_BENCH_EVENTS ?? 2_000_000);
const T0 = recentEventTime(12);
const mib = (bytes: number | null) => (bytes ?? 0) / 2 ** 20;

it('the Flink job against the built-in engine, 1 and 2 TaskManagers', async () => {
  const report = new BenchReport('flink');
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'sp-flink-bench-'));
    dirs.push(d);
    return d;
  };
  const [broker, cluster] = await Promise.all([
    startKafkaBroker({ version: '4.1.1' }),
    startFlinkCluster({ taskManagers: 1 }),
  ]);
  try {
    const topic = 'flink-bench';
    const log = kafkaLog(broker.plaintext, topic);
    const generated = await runCliInProcess([
      'generate',
      '--events',
      String(EVENTS),
      '--start',
      new Date(T0).toISOString(),
      '--virtual-rate',
      '2000',
      '--kafka-brokers',
      broker.plaintext,
      '--kafka-topic',
      topic,
      '--data-dir',
      dir(),
    ]);
    if (generated.code !== 0) throw new Error(generated.stderr);
    report.add('events in the topic', EVENTS, 'events');

    const builtinDb = await openEmbedded(dir());
    const began = performance.now();
    await builtinOverTopic(log, builtinDb);
    const builtinSeconds = (performance.now() - began) / 1000;
    await builtinDb.close();
    report.add(
      'built-in engine',
      EVENTS / builtinSeconds,
      'events/s',
      `${builtinSeconds.toFixed(1)} s`,
    );

    const rest = new FlinkRest(cluster.restUrl);
    const flinkRun = async (parallelism: number, label: string): Promise<number> => {
      const db = await openEmbedded(dir());
      try {
        const settings = { restUrl: cluster.restUrl, parallelism, checkpointIntervalMs: 10_000 };
        const engine = new FlinkEngine(flinkContext(log, db, settings), settings, {
          bounded: { startingOffsets: { 0: 0, 1: 0, 2: 0 } },
        });
        const submitted = performance.now();
        await engine.start();
        let peak = { jobManager: 0, taskManagers: 0 };
        const sample = setInterval(() => {
          const rss = cluster.rss();
          peak = {
            jobManager: Math.max(peak.jobManager, mib(rss.jobManager)),
            taskManagers: Math.max(
              peak.taskManagers,
              ...Object.values(rss.taskManagers).map((b) => mib(b)),
            ),
          };
        }, 250);
        const done: FlinkJobStatus = await engine
          .finished(600_000)
          .finally(() => clearInterval(sample));
        const wall = (performance.now() - submitted) / 1000;
        const job = await rest.job(done.jobId!);
        const duration = ((job as unknown as { duration: number }).duration ?? wall * 1000) / 1000;
        report.add(
          `${label}: events/s over the job's duration`,
          EVENTS / duration,
          'events/s',
          `${duration.toFixed(1)} s, deploy included`,
        );
        report.add(`${label}: submit to finished (wall)`, wall, 's');
        report.add(`${label}: JobManager RSS peak`, peak.jobManager, 'MiB');
        report.add(`${label}: TaskManager RSS peak (each)`, peak.taskManagers, 'MiB');
        return EVENTS / duration;
      } finally {
        await db.close();
      }
    };
    const one = await flinkRun(1, 'Flink, 1 TaskManager, parallelism 1');
    await cluster.addTaskManager();
    const two = await flinkRun(3, 'Flink, 2 TaskManagers, parallelism 3');
    report.add('Flink 2 TM / 1 TM', two / one, '×');
    report.add('Flink 1 TM / built-in', one / (EVENTS / builtinSeconds), '×');

    // Live: the generator asked for 100,000 events/s into Kafka, the job (2 TaskManagers,
    // parallelism 3) reading them. Lag = produced − read by the job's source, sampled each 10 s.
    const flink = { restUrl: cluster.restUrl, parallelism: 3, checkpointIntervalMs: 10_000 };
    const { pipeline, started } = startPipeline({
      dataDir: dir(),
      log: kafkaLog(broker.plaintext, 'flink-live'),
      engineKind: 'flink',
      flink,
      ratePerSecond: 100_000,
      engine: RUN_CONFIG,
    });
    try {
      await started;
      const read = () =>
        pipeline.status().flink?.operators.reduce((max, op) => Math.max(max, op.recordsOut), 0) ??
        0;
      const lags: number[] = [];
      const at = performance.now();
      const first = { produced: produced(pipeline.status()), read: read() };
      for (let i = 0; i < 6; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10_000));
        lags.push(produced(pipeline.status()) - read());
      }
      const seconds = (performance.now() - at) / 1000;
      const last = { produced: produced(pipeline.status()), read: read() };
      report.add(
        'live: generator events/s (asked 100,000)',
        (last.produced - first.produced) / seconds,
        'events/s',
      );
      report.add('live: Flink source events/s', (last.read - first.read) / seconds, 'events/s');
      report.add('live: lag after 10 s', lags[0]!, 'events');
      report.add(
        'live: lag after 60 s',
        lags[lags.length - 1]!,
        'events',
        `samples ${lags.join(', ')}`,
      );
      const rss = cluster.rss();
      report.add('live: JobManager RSS', mib(rss.jobManager), 'MiB');
      for (const [id, bytes] of Object.entries(rss.taskManagers))
        report.add(`live: TaskManager ${id} RSS`, mib(bytes), 'MiB');
    } finally {
      await pipeline.stop();
    }
    report.write();
  } finally {
    await cluster.destroy();
    await broker.destroy();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});
