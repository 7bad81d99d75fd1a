/**
 * The KafkaEventLog against real brokers (3.9 and 4.x): the same records and partitions as the
 * embedded log, 200k events through the engine giving the same tables as the embedded run, the
 * SASL_SSL listener with right and wrong passwords, and a topic that does not match the settings.
 */
import { runEngineToEnd } from '../support/engine-run';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadEventGenerator } from '../../src/main/generator/download-event-generator';
import { EventProducer } from '../../src/main/generator/event-producer';
import { EmbeddedEventLog } from '../../src/main/log/embedded-event-log';
import type { EventLog, PackedRecords } from '../../src/main/log/event-log';
import { KafkaEventLog, KafkaTopicMismatchError } from '../../src/main/log/kafka-event-log';
import {
  DEFAULT_KAFKA_TOPIC,
  KafkaConnectionError,
  type KafkaConnection,
} from '../../src/main/log/kafka-settings';
import { partitionerFor } from '../../src/main/log/partitioner';
import { silentLogger } from '../../src/main/logger';
import { openDatabase } from '../../src/main/store/database';
import { readTables, type Tables } from '../support/database-tables';
import {
  KAFKA_TEST_VERSIONS,
  recentEventTime,
  startKafkaBroker,
  type KafkaBroker,
} from '../support/kafka-broker';

const T0 = recentEventTime();
const EVENTS = 200_000;

function topicSettings(topic: string, partitions = 3) {
  return {
    ...DEFAULT_KAFKA_TOPIC,
    topic,
    partitions,
    partitioner: 'region' as const,
    groupId: `engine-${topic}`,
  };
}

/** Generates the seed's events into `log`, runs the engine over it into a fresh database: its tables. */
async function runPipeline(log: EventLog): Promise<Tables> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sp-kafka-db-'));
  chmodSync(dataDir, 0o755);
  const database = await openDatabase({ kind: 'embedded', dataDir, port: 0, logger: silentLogger });
  try {
    const generator = new DownloadEventGenerator({ seed: 7 });
    await new EventProducer({ generator, log, ratePerSecond: 500, startAt: T0 }).produceVirtual(
      EVENTS,
      T0,
      500,
    );
    const runner = await runEngineToEnd(database.pool, log, { groupId: `engine-${log.topic}` });
    expect(runner.stats().consumed).toBe(EVENTS);
    return await readTables(database.url);
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe.each(KAFKA_TEST_VERSIONS)('KafkaEventLog on Apache Kafka %s', (version) => {
  let broker: KafkaBroker;
  const plaintext = (): KafkaConnection => ({ brokers: [broker.plaintext] });

  beforeAll(async () => {
    broker = await startKafkaBroker({ version });
  }, 300_000);
  afterAll(async () => {
    await broker?.destroy();
  });

  it('puts each region on the same partition as the embedded log, and reads back every record', async () => {
    const kafka = await KafkaEventLog.open(plaintext(), topicSettings('roundtrip'));
    const dir = mkdtempSync(join(tmpdir(), 'sp-kafka-log-'));
    const embedded = await EmbeddedEventLog.open({ dir });
    try {
      for (const log of [kafka, embedded]) {
        await new EventProducer({
          generator: new DownloadEventGenerator({ seed: 1 }),
          log,
          ratePerSecond: 100,
          startAt: T0,
        }).produceVirtual(3000, T0, 100);
      }
      expect(await kafka.endOffsets()).toEqual(await embedded.endOffsets());
      for (let partition = 0; partition < 3; partition++) {
        const fromKafka = await kafka.read(partition, 0, { maxRecords: 5000 });
        const fromEmbedded = await embedded.read(partition, 0, { maxRecords: 5000 });
        expect(fromKafka.records.map((r) => [r.offset, r.key, r.timestamp])).toEqual(
          fromEmbedded.records.map((r) => [r.offset, r.key, r.timestamp]),
        );
        expect(
          fromKafka.records.every((r, i) => r.value.equals(fromEmbedded.records[i]!.value)),
        ).toBe(true);
        // Reading again from the middle seeks back.
        const again = await kafka.read(partition, 10, { maxRecords: 3 });
        expect(again.records.map((r) => r.offset)).toEqual([10, 11, 12]);
      }
      const middle = await kafka.offsetsForTimestamp(T0 + 15_000);
      expect(middle).toEqual(await embedded.offsetsForTimestamp(T0 + 15_000));
      expect(await kafka.offsetsForTimestamp(T0 + 10 * 86_400_000)).toEqual(
        await kafka.endOffsets(),
      );
    } finally {
      await kafka.close();
      await embedded.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('sends a large append in several requests a partition, and reports and keeps it whole', async () => {
    const log = await KafkaEventLog.open(plaintext(), topicSettings('large-append'));
    const partitionOf = (key: string) => partitionerFor('region')(key, 3);
    const [big, small] = [partitionOf('eu-west'), partitionOf('us-east')];
    expect(big).not.toBe(small);
    // 9,000 records of 300 bytes on one partition (three requests: 4,000 a request, 512 KiB)
    // and 10 on another; twice.
    const sent: Buffer[] = [];
    const packed = (tag: number): PackedRecords => {
      const keys = [...Array<string>(9000).fill('eu-west'), ...Array<string>(10).fill('us-east')];
      const values = keys.map((_, i) => Buffer.alloc(300, `${tag}:${i};`));
      sent.push(...values.slice(0, 9000));
      return {
        count: keys.length,
        keys,
        timestamps: keys.map((_, i) => T0 + i),
        values: Buffer.concat(values),
        valueEnds: keys.map((_, i) => (i + 1) * 300),
      };
    };
    try {
      for (const round of [0, 1]) {
        const ranges = await log.append(packed(round));
        expect(ranges).toEqual(
          [
            { partition: big, baseOffset: round * 9000, count: 9000 },
            { partition: small, baseOffset: round * 10, count: 10 },
          ].sort((a, b) => a.partition - b.partition),
        );
      }
      const read: Buffer[] = [];
      for (let offset = 0; offset < 18_000;) {
        const fetched = await log.read(big, offset, { maxRecords: 5000 });
        read.push(...fetched.records.map((r) => r.value));
        offset = fetched.nextOffset;
      }
      expect(read).toHaveLength(18_000);
      expect(read.findIndex((value, i) => !value.equals(sent[i]!))).toBe(-1);
    } finally {
      await log.close();
    }
  }, 120_000);

  it('gives, for 200k events, the same tables as the embedded log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-kafka-emb-'));
    const embedded = await EmbeddedEventLog.open({ dir });
    const kafka = await KafkaEventLog.open(plaintext(), topicSettings('equality'));
    try {
      const fromEmbedded = await runPipeline(embedded);
      const fromKafka = await runPipeline(kafka);
      expect([...fromKafka.content.values()].reduce((s, r) => s + r.total, 0)).toBe(EVENTS);
      expect([...fromKafka.content.entries()].sort()).toEqual(
        [...fromEmbedded.content.entries()].sort(),
      );
      expect([...fromKafka.region.entries()].sort()).toEqual(
        [...fromEmbedded.region.entries()].sort(),
      );
      expect([...fromKafka.device.entries()].sort()).toEqual(
        [...fromEmbedded.device.entries()].sort(),
      );
      expect(fromKafka.alerts).toEqual(fromEmbedded.alerts);
      // The engine also committed its offsets to the Kafka group, for lag.
      expect(await kafka.fetchCommittedOffsets('engine-equality')).toEqual(
        await kafka.endOffsets(),
      );
    } finally {
      await kafka.close();
      await embedded.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('connects over SASL_SSL with the right SCRAM password, and says so for a wrong one', async () => {
    const sasl = (password: string): KafkaConnection => ({
      brokers: [broker.saslSsl],
      tls: { ca: broker.caPem },
      sasl: { mechanism: 'scram-sha-256', username: broker.scram.username, password },
    });
    const log = await KafkaEventLog.open(sasl(broker.scram.password), topicSettings('secure'));
    expect(log.partitionCount).toBe(3);
    await log.close();
    const refused = await KafkaEventLog.open(sasl('wrong password'), topicSettings('secure')).catch(
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(KafkaConnectionError);
    expect(refused).toMatchObject({ kind: 'authentication' });
    expect((refused as Error).message).toMatch(/authentication failed for user "streampulse"/);
    expect((refused as Error).message).not.toContain(broker.scram.password);
  }, 120_000);

  it('reports a topic that does not match the settings, without changing it', async () => {
    const first = await KafkaEventLog.open(plaintext(), topicSettings('mismatch'));
    await first.close();
    const mismatch = await KafkaEventLog.open(plaintext(), topicSettings('mismatch', 6)).catch(
      (err: unknown) => err,
    );
    expect(mismatch).toBeInstanceOf(KafkaTopicMismatchError);
    expect((mismatch as Error).message).toMatch(/has 3 partitions, the settings say 6/);
    const again = await KafkaEventLog.open(plaintext(), topicSettings('mismatch'));
    expect((await again.endOffsets()).length).toBe(3);
    await again.close();
  }, 120_000);

  it('says which broker it cannot reach', async () => {
    const unreachable = await KafkaEventLog.open(
      { brokers: ['127.0.0.1:1'] },
      topicSettings('nowhere'),
    ).catch((err: unknown) => err);
    expect(unreachable).toMatchObject({ kind: 'unreachable' });
    expect((unreachable as Error).message).toMatch(/cannot reach 127\.0\.0\.1:1/);
  }, 120_000);
});
