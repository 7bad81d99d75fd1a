/**
 * Through the local Apache Kafka broker (4.1.1), side by side in one run on the same broker and
 * record size: StreamPulse's producer (generate + encode + produce, idempotent, acks=all) and its
 * engine's consumption (read + decode + windows + Postgres), against Kafka's own
 * kafka-producer-perf-test (acks=all, idempotent) and kafka-consumer-perf-test.
 * Targets: >= 200,000 events/s end to end, and >= 50% of the Java tools' rate.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { runKafkaClass } from '../../scripts/kafka/broker.mjs';
import { engineConfig } from '../../src/main/engine/engine-config';
import { DEFAULT_GROUP_ID, EngineRunner } from '../../src/main/engine/engine-runner';
import { DownloadEventGenerator } from '../../src/main/generator/download-event-generator';
import { EventProducer } from '../../src/main/generator/event-producer';
import { KafkaEventLog } from '../../src/main/log/kafka-event-log';
import { DEFAULT_KAFKA_TOPIC } from '../../src/main/log/kafka-settings';
import { silentLogger } from '../../src/main/logger';
import { CheckpointStore } from '../../src/main/store/checkpoint-store';
import { openDatabase } from '../../src/main/store/database';
import { startKafkaBroker } from '../support/kafka-broker';
import { BenchReport } from './bench-report';

const EVENTS = 300_000;
const VERSION = '4.1.1';
const T0 = Date.UTC(2026, 10, 24, 5);

it('kafka: StreamPulse through the broker against the Java perf tools', async () => {
  const report = new BenchReport('kafka');
  const broker = await startKafkaBroker({ version: VERSION });
  const dataDir = mkdtempSync(join(tmpdir(), 'sp-kbench-'));
  chmodSync(dataDir, 0o755);
  const database = await openDatabase({ kind: 'embedded', dataDir, port: 0, logger: silentLogger });
  try {
    // StreamPulse: produce, then consume through the engine into Postgres.
    const log = await KafkaEventLog.open(
      { brokers: [broker.plaintext] },
      { ...DEFAULT_KAFKA_TOPIC, topic: 'bench', partitioner: 'region' },
    );
    let began = performance.now();
    const producer = new EventProducer({
      generator: new DownloadEventGenerator({ seed: 1 }),
      log,
      ratePerSecond: 1000,
      startAt: T0,
    });
    await producer.produceVirtual(EVENTS, T0, 1000);
    const produceMs = performance.now() - began;
    const recordBytes = producer.stats().bytes / EVENTS;
    const runner = new EngineRunner({
      log,
      checkpoints: new CheckpointStore(database.pool, DEFAULT_GROUP_ID),
      config: engineConfig(),
      logger: silentLogger,
      now: () => 0,
    });
    await runner.start();
    began = performance.now();
    await runner.drain();
    await runner.flush();
    const consumeMs = performance.now() - began;
    await log.close();

    // Kafka's own tools, same broker, same record size and count, into a topic of the same shape.
    await (
      await KafkaEventLog.open(
        { brokers: [broker.plaintext] },
        { ...DEFAULT_KAFKA_TOPIC, topic: 'perf', partitioner: 'region' },
        { consume: false },
      )
    ).close();
    const size = String(Math.round(recordBytes));
    const lines: string[] = [];
    const capture = (line: string): void => void lines.push(line);
    began = performance.now();
    await runKafkaClass({
      version: VERSION,
      mainClass: 'org.apache.kafka.tools.ProducerPerformance',
      args: [
        '--topic',
        'perf',
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
      ],
      log: capture,
    });
    const javaProduceMs = performance.now() - began;
    began = performance.now();
    await runKafkaClass({
      version: VERSION,
      mainClass: 'org.apache.kafka.tools.consumer.ConsumerPerformance',
      args: [
        '--topic',
        'perf',
        '--messages',
        String(EVENTS),
        '--bootstrap-server',
        broker.plaintext,
      ],
      log: capture,
    });
    const javaConsumeMs = performance.now() - began;
    const producerLine = lines.find((l) => /records sent/.test(l) && /records\/sec/.test(l));
    const javaProducerRate = producerLine
      ? Number(/([\d.]+) records\/sec/.exec(producerLine)![1])
      : (EVENTS / javaProduceMs) * 1000;

    const rate = (ms: number): number => (EVENTS / ms) * 1000;
    report.add('record size (Avro event)', recordBytes, 'bytes');
    report.add(
      'StreamPulse produce (generate + encode + send, acks=all, idempotent)',
      rate(produceMs),
      'events/s',
    );
    report.add(
      'StreamPulse consume (read + decode + engine + Postgres)',
      rate(consumeMs),
      'events/s',
    );
    report.add(
      'StreamPulse end to end (produce then consume)',
      rate(produceMs + consumeMs),
      'events/s',
      'target >= 200,000',
    );
    report.add(
      'kafka-producer-perf-test (acks=all, idempotent)',
      javaProducerRate,
      'records/s',
      'its own figure',
    );
    report.add(
      'kafka-producer-perf-test, whole process',
      rate(javaProduceMs),
      'records/s',
      'incl. JVM start',
    );
    report.add(
      'kafka-consumer-perf-test, whole process',
      rate(javaConsumeMs),
      'records/s',
      'incl. JVM start',
    );
    report.add(
      'produce: StreamPulse / Java tool',
      rate(produceMs) / javaProducerRate,
      'ratio',
      'target >= 0.5',
    );
    report.add(
      'consume: StreamPulse / Java tool (whole process)',
      rate(consumeMs) / rate(javaConsumeMs),
      'ratio',
      'target >= 0.5',
    );
  } finally {
    await database.close();
    await broker.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
  report.write();
}, 600_000);
