/**
 * Through the local Apache Kafka broker (4.1.1), side by side in one run on the same broker and
 * record size: StreamPulse's producer (generate + encode + produce, idempotent, acks=all) with
 * each compression codec (events/s, CPU and bytes on the broker's disk per event) and its engine's
 * consumption (read + decode + windows + Postgres), against Kafka's own kafka-producer-perf-test
 * (acks=all, idempotent; no compression and lz4) and kafka-consumer-perf-test; then `serve` on
 * Kafka at full load (generator and engine in their workers, as the app runs): end to end, with
 * the main thread's event-loop delay; then `serve` asked for 100,000 events/s, to see that the
 * engine keeps up. Targets (issue 13): >= 400,000 events/s end to end, >= 1.0 of the Java tools'
 * rates, main-thread p99 <= 20 ms. CPU per event (this process, `serve`, the broker's JVM from
 * /proc) tells where the time goes.
 *
 * The `serve` part runs the built CLI: `npm run bench` builds first; alone, run
 * `npx electron-vite build` before
 * `npx vitest run --config vitest.bench.config.ts tests/bench/kafka.bench.test.ts`.
 */
import { runEngineToEnd } from '../support/engine-run';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'vitest';
import { fetchKafka } from '../../scripts/kafka/broker.mjs';
import { DownloadEventGenerator } from '../../src/main/generator/download-event-generator';
import { EventProducer } from '../../src/main/generator/event-producer';
import type { AppendedRange, EventLog, PackedRecords } from '../../src/main/log/event-log';
import { KafkaEventLog } from '../../src/main/log/kafka-event-log';
import {
  DEFAULT_KAFKA_COMPRESSION,
  DEFAULT_KAFKA_TOPIC,
  KAFKA_COMPRESSIONS,
  type KafkaCompression,
} from '../../src/main/log/kafka-settings';
import { silentLogger } from '../../src/main/logger';
import { openDatabase } from '../../src/main/store/database';
import { recentEventTime, startKafkaBroker, type KafkaBroker } from '../support/kafka-broker';
import { BenchReport, until } from './bench-report';

const EVENTS = 300_000;
const VERSION = '4.1.1';
const T0 = recentEventTime();
const rate = (events: number, ms: number): number => (events / ms) * 1000;

it('kafka: StreamPulse through the broker against the Java perf tools', async () => {
  const report = new BenchReport('kafka');
  const loadBefore = loadavg()[0]!;
  const broker = await startKafkaBroker({ version: VERSION });
  const dataDir = mkdtempSync(join(tmpdir(), 'sp-kbench-'));
  chmodSync(dataDir, 0o755);
  const database = await openDatabase({ kind: 'embedded', dataDir, port: 0, logger: silentLogger });
  try {
    const topic = (name: string) => ({
      ...DEFAULT_KAFKA_TOPIC,
      topic: name,
      partitioner: 'region' as const,
    });

    // Generate + encode alone (a log that keeps nothing): the producer's own share.
    const generateMs = await produce(nullLog(), EVENTS).then((r) => r.ms);

    // StreamPulse: produce through a produce-only log (as the generator worker does) with each
    // codec, then consume the default codec's topic through the engine's log into Postgres.
    // Warm the client up first (its JIT and connections), so the first codec measured is not
    // the one that pays for it.
    const warmLog = await KafkaEventLog.open({ brokers: [broker.plaintext] }, topic('warm-up'), {
      consume: false,
    });
    await produce(warmLog, EVENTS / 3);
    await warmLog.close();
    const codecs: Array<{
      codec: KafkaCompression;
      rate: number;
      cpuUs: number;
      diskBytes: number;
    }> = [];
    for (const codec of KAFKA_COMPRESSIONS) {
      const codecLog = await KafkaEventLog.open(
        { brokers: [broker.plaintext] },
        { ...topic(`bench-${codec}`), compression: codec },
        { consume: false },
      );
      const run = await produce(codecLog, EVENTS);
      await codecLog.close();
      codecs.push({
        codec,
        rate: rate(EVENTS, run.ms),
        cpuUs: run.cpuUs,
        diskBytes: topicDiskBytes(broker, `bench-${codec}`) / EVENTS,
      });
    }
    const producerLog = await KafkaEventLog.open({ brokers: [broker.plaintext] }, topic('bench'), {
      consume: false,
    });
    const produced = await produce(producerLog, EVENTS);
    await producerLog.close();
    const recordBytes = produced.bytes / EVENTS;
    const log = await KafkaEventLog.open({ brokers: [broker.plaintext] }, topic('bench'));
    let began = performance.now();
    const consumeCpu = process.cpuUsage();
    const runner = await runEngineToEnd(database.pool, log);
    const consumeMs = performance.now() - began;
    const consumeCpuUs = cpuMicros(process.cpuUsage(consumeCpu)) / EVENTS;
    if (runner.stats().consumed !== EVENTS) throw new Error(`consumed ${runner.stats().consumed}`);
    // Reading alone (fetch + buffer, no decode or engine), from the start again, the partitions in
    // turn as the engine reads them (and as the Java consumer takes whatever a fetch brings).
    // Reading one partition to its end before the next paused the others' fetching at the
    // reader's 50,000 buffered, so each fetch carried one partition: ~25% slower.
    began = performance.now();
    let read = 0;
    const ends = await log.endOffsets();
    const next = ends.map(() => 0);
    while (ends.some((end, i) => next[i]! < end.offset)) {
      for (const [i, { partition, offset: end }] of ends.entries()) {
        if (next[i]! >= end) continue;
        const fetched = await log.read(partition, next[i]!, { maxRecords: 10_000 });
        read += fetched.records.length;
        next[i] = fetched.nextOffset;
      }
    }
    const readMs = performance.now() - began;
    if (read !== EVENTS) throw new Error(`read ${read}`);
    await log.close();

    // Kafka's own tools, same broker, same record size and count, into topics of the same shape.
    const size = String(Math.round(recordBytes));
    const javaProduce = async (compression: 'none' | 'lz4'): Promise<number> => {
      const run = await runJavaTool('org.apache.kafka.tools.ProducerPerformance', [
        '--topic',
        `perf-${compression}`,
        '--num-records',
        String(EVENTS),
        '--record-size',
        size,
        '--throughput',
        '-1',
        '--producer-props',
        `bootstrap.servers=${broker.plaintext}`,
        'acks=all',
        'enable.idempotence=true',
        `compression.type=${compression}`,
      ]);
      // Its last summary line: "300000 records sent, 412087.9 records/sec (38.12 MB/sec), …".
      const lines = run.stdout.split('\n').filter((l) => /records\/sec/.test(l));
      const figure = Number(/([\d.]+) records\/sec/.exec(lines.at(-1) ?? '')?.[1]);
      if (!(figure > 0)) throw new Error(`producer-perf-test said:\n${run.output}`);
      return figure;
    };
    for (const name of ['perf-none', 'perf-lz4'])
      await (
        await KafkaEventLog.open({ brokers: [broker.plaintext] }, topic(name), { consume: false })
      ).close();
    const javaProduceRate = await javaProduce('none');
    const javaProduceLz4Rate = await javaProduce('lz4');
    const javaConsumer = await runJavaTool('org.apache.kafka.tools.ConsumerPerformance', [
      '--topic',
      // lz4, as StreamPulse's read-only loop reads its default: like for like.
      'perf-lz4',
      '--messages',
      String(EVENTS),
      '--bootstrap-server',
      broker.plaintext,
      '--timeout',
      '30000',
      '--group',
      'perf-consumer',
    ]);
    const consumerFigures = parseConsumerPerf(javaConsumer.stdout);
    if (consumerFigures['data.consumed.in.nMsg'] !== EVENTS)
      throw new Error(`consumer-perf-test said:\n${javaConsumer.output}`);

    // The app as it runs: `serve` on Kafka, generator and engine in their workers, full load.
    const live = await measureServe(broker, 12_000, 5_000_000);
    // And asked for a rate it can sustain: does the engine keep up with what is produced?
    const atTarget = await measureServe(broker, 12_000, 100_000);
    const loadAfter = loadavg()[0]!;

    const produceRate = rate(EVENTS, produced.ms);
    const consumeRate = rate(EVENTS, consumeMs);
    const javaConsumeRate = consumerFigures['fetch.nMsg.sec']!;
    report.add('record size (Avro event)', recordBytes, 'bytes');
    report.add(
      'load average (1 min) before / after',
      loadBefore,
      '',
      `after ${loadAfter.toFixed(2)}`,
    );
    report.add('generate + encode only (no log)', rate(EVENTS, generateMs), 'events/s');
    for (const c of codecs) {
      report.add(
        `StreamPulse produce, compression ${c.codec}`,
        c.rate,
        'events/s',
        `${c.cpuUs.toFixed(2)} µs CPU, ${c.diskBytes.toFixed(1)} bytes on disk per event`,
      );
    }
    report.add(
      `StreamPulse produce (generate + encode + send, acks=all, idempotent, ${DEFAULT_KAFKA_COMPRESSION})`,
      produceRate,
      'events/s',
    );
    report.add('  its CPU per event (this process)', produced.cpuUs, 'µs');
    report.add(
      'StreamPulse read only (fetch + buffer, no decode)',
      rate(EVENTS, readMs),
      'events/s',
    );
    report.add('StreamPulse consume (read + decode + engine + Postgres)', consumeRate, 'events/s');
    report.add('  its CPU per event (this process, without Postgres)', consumeCpuUs, 'µs');
    report.add(
      'StreamPulse produce, then consume (sequential)',
      rate(EVENTS, produced.ms + consumeMs),
      'events/s',
    );
    report.add(
      'serve on Kafka at full load: produced (generator worker)',
      live.produced,
      'events/s',
    );
    report.add(
      'serve on Kafka at full load: consumed (end to end)',
      live.consumed,
      'events/s',
      'target >= 400,000',
    );
    report.add(
      '  main thread event-loop delay p99 / max',
      live.loopP99Ms,
      'ms',
      `max ${live.loopMaxMs.toFixed(1)} ms; target p99 <= 20`,
    );
    report.add('  CPU per event: serve (generator + engine + main)', live.serveCpuUs, 'µs');
    report.add('  CPU per event: the broker JVM', live.brokerCpuUs, 'µs');
    report.add('serve on Kafka asked for 100,000/s: produced', atTarget.produced, 'events/s');
    report.add(
      'serve on Kafka asked for 100,000/s: consumed (end to end)',
      atTarget.consumed,
      'events/s',
      'keeps up if equal to produced',
    );
    report.add(
      '  CPU per event: serve, the broker JVM',
      atTarget.serveCpuUs,
      'µs',
      `broker ${atTarget.brokerCpuUs.toFixed(2)} µs`,
    );
    report.add('kafka-producer-perf-test (acks=all, idempotent)', javaProduceRate, 'records/s');
    report.add(
      'kafka-producer-perf-test (acks=all, idempotent, lz4)',
      javaProduceLz4Rate,
      'records/s',
    );
    report.add(
      'kafka-consumer-perf-test on lz4, fetch.nMsg.sec (without group join)',
      javaConsumeRate,
      'records/s',
    );
    report.add(
      'kafka-consumer-perf-test, nMsg.sec (with group join)',
      consumerFigures['nMsg.sec']!,
      'records/s',
      `join ${consumerFigures['rebalance.time.ms']} ms`,
    );
    const ownNone = codecs.find((c) => c.codec === 'none')!.rate;
    const ownLz4 = codecs.find((c) => c.codec === 'lz4')!.rate;
    report.add(
      'produce, no compression: StreamPulse / Java tool',
      ownNone / javaProduceRate,
      'ratio',
      'target >= 1.0',
    );
    report.add(
      'produce, lz4: StreamPulse / Java tool',
      ownLz4 / javaProduceLz4Rate,
      'ratio',
      'target >= 1.0',
    );
    // Like for like: the Java tool fetches and hands over bytes, as the read-only figure does.
    report.add(
      'read only: StreamPulse / Java tool',
      rate(EVENTS, readMs) / javaConsumeRate,
      'ratio',
      'target >= 1.0',
    );
    report.add(
      'consume (+ decode, engine, Postgres): StreamPulse / Java tool (fetch only)',
      consumeRate / javaConsumeRate,
      'ratio',
    );
  } finally {
    await database.close();
    await broker.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
  report.write();
}, 600_000);

async function produce(
  log: EventLog,
  events: number,
): Promise<{ ms: number; bytes: number; cpuUs: number }> {
  const producer = new EventProducer({
    generator: new DownloadEventGenerator({ seed: 1 }),
    log,
    ratePerSecond: 1000,
    startAt: T0,
  });
  const began = performance.now();
  const cpu = process.cpuUsage();
  await producer.produceVirtual(events, T0, 1000);
  return {
    ms: performance.now() - began,
    bytes: producer.stats().bytes,
    cpuUs: cpuMicros(process.cpuUsage(cpu)) / events,
  };
}

const cpuMicros = (usage: NodeJS.CpuUsage): number => usage.user + usage.system;

/** CPU time (ms) used so far by a process (Linux /proc; 0 elsewhere). */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / 100) * 1000; // utime + stime, USER_HZ 100
  } catch {
    return 0;
  }
}

/** The broker's JVM: the java process whose command line names the broker's data dir. */
function brokerJvmPid(broker: KafkaBroker): number | null {
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args[0]!.endsWith('java') && args.some((a) => a.includes(broker.dataDir))) {
        return Number(entry);
      }
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

/** Bytes of a topic's segments on the broker's disk (all partitions). */
function topicDiskBytes(broker: KafkaBroker, topic: string): number {
  const logs = join(broker.dataDir, 'kraft-logs');
  let bytes = 0;
  for (const dir of readdirSync(logs).filter((d) => d.startsWith(`${topic}-`))) {
    for (const file of readdirSync(join(logs, dir)).filter((f) => f.endsWith('.log')))
      bytes += statSync(join(logs, dir, file)).size;
  }
  return bytes;
}

/** A log that only counts: generate + encode without a destination. */
function nullLog(): EventLog {
  return {
    topic: 'null',
    partitionCount: 3,
    partitioner: 'region',
    append: async (records: PackedRecords): Promise<readonly AppendedRange[]> => [
      { partition: 0, baseOffset: 0, count: records.count },
    ],
  } as unknown as EventLog;
}

/** Runs one of Kafka's tool classes (the cached jars), capturing its output. */
async function runJavaTool(
  mainClass: string,
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; output: string }> {
  const { classpath } = await fetchKafka(VERSION);
  const logConfig = join(tmpdir(), `sp-kbench-log4j2-${process.pid}.xml`);
  writeFileSync(
    logConfig,
    '<Configuration status="WARN"><Appenders><Console name="e" target="SYSTEM_ERR"><PatternLayout pattern="%p %m%n"/></Console></Appenders><Loggers><Root level="WARN"><AppenderRef ref="e"/></Root></Loggers></Configuration>\n',
  );
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const child = spawn(
    java,
    ['-Xmx512m', `-Dlog4j2.configurationFile=${logConfig}`, '-cp', classpath, mainClass, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  rmSync(logConfig, { force: true });
  return { code, stdout, output };
}

/**
 * kafka-consumer-perf-test's report: a header line of names and a line of values, e.g.
 * `start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
 * rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec`. Numbers only (times dropped).
 */
function parseConsumerPerf(stdout: string): Record<string, number> {
  const lines = stdout.split('\n').map((l) => l.trim());
  const header = lines.findIndex((l) => l.startsWith('start.time'));
  if (header < 0 || !lines[header + 1]) return {};
  const names = lines[header]!.split(',').map((s) => s.trim());
  const values = lines[header + 1]!.split(',').map((s) => s.trim());
  const figures: Record<string, number> = {};
  names.forEach((name, i) => {
    const value = Number(values[i]);
    if (Number.isFinite(value)) figures[name] = value;
  });
  return figures;
}

/** `serve --kafka-brokers` asked for `ratePerSecond`: produced and consumed per second over `measureMs`. */
async function measureServe(
  broker: KafkaBroker,
  measureMs: number,
  ratePerSecond: number,
): Promise<{
  produced: number;
  consumed: number;
  serveCpuUs: number;
  brokerCpuUs: number;
  loopP99Ms: number;
  loopMaxMs: number;
}> {
  const bin = fileURLToPath(new URL('../../bin/streampulse.mjs', import.meta.url));
  const dataDir = mkdtempSync(join(tmpdir(), 'sp-kbench-serve-'));
  chmodSync(dataDir, 0o755);
  const child = spawn(
    process.execPath,
    [
      bin,
      'serve',
      '--port',
      '0',
      '--rate',
      String(ratePerSecond),
      '--status-every',
      '0',
      '--kafka-brokers',
      broker.plaintext,
      '--kafka-topic',
      `serve-${ratePerSecond}`,
      '--data-dir',
      dataDir,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  try {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const url = await until(() => /dashboard at (\S+)/.exec(stdout)?.[1], 60_000);
    type Status = {
      data: {
        generator: { produced: number } | null;
        engine: { consumed: number } | null;
        mainThreadLoopDelay: { p99Ms: number; maxMs: number };
      };
    };
    const status = async (): Promise<Status['data']> =>
      ((await (await fetch(`${url}api/pipeline/status`)).json()) as Status).data;
    await until(async () => ((await status()).engine?.consumed ?? 0) > 0 || undefined, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 3000)); // warm-up
    const jvm = brokerJvmPid(broker);
    const first = await status();
    const began = performance.now();
    const serveCpu = processCpuMs(child.pid!);
    const brokerCpu = jvm ? processCpuMs(jvm) : 0;
    await new Promise((resolve) => setTimeout(resolve, measureMs));
    const second = await status();
    const seconds = (performance.now() - began) / 1000;
    const consumed = second.engine!.consumed - first.engine!.consumed;
    return {
      produced: (second.generator!.produced - first.generator!.produced) / seconds,
      consumed: consumed / seconds,
      serveCpuUs: ((processCpuMs(child.pid!) - serveCpu) * 1000) / consumed,
      brokerCpuUs: jvm ? ((processCpuMs(jvm) - brokerCpu) * 1000) / consumed : NaN,
      // Over the monitor's last complete 10 s interval, inside the measurement.
      loopP99Ms: second.mainThreadLoopDelay.p99Ms,
      loopMaxMs: second.mainThreadLoopDelay.maxMs,
    };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}
