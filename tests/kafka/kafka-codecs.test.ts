/**
 * Compression on a shared topic, checked with Kafka's own tools (3.9 and 4.x): batches other
 * producers wrote with gzip, snappy, lz4 and zstd are read among ours; what our producer writes
 * with each codec is read back by Kafka's console consumer; a batch whose compressed payload is
 * damaged on the broker's disk becomes one dead letter for its offsets, and the engine reads on.
 */
import {
  chmodSync,
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Consumer } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadEventGenerator } from '../../src/main/generator/download-event-generator';
import { EventProducer } from '../../src/main/generator/event-producer';
import type { PackedRecords } from '../../src/main/log/event-log';
import { KafkaEventLog } from '../../src/main/log/kafka-event-log';
import {
  DEFAULT_KAFKA_TOPIC,
  kafkaClientOptions,
  type KafkaCompression,
} from '../../src/main/log/kafka-settings';
import { silentLogger } from '../../src/main/logger';
import { openDatabase, type Database } from '../../src/main/store/database';
import { readTables } from '../support/database-tables';
import { runEngineToEnd } from '../support/engine-run';
import {
  KAFKA_TEST_VERSIONS,
  recentEventTime,
  startKafkaBroker,
  type KafkaBroker,
} from '../support/kafka-broker';
import { runKafkaTool } from '../support/kafka-tools';

const T0 = recentEventTime();
const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const;
/** Kafka's compression attribute bits per codec. */
const CODEC_BITS: Record<KafkaCompression, number> = {
  none: 0,
  gzip: 1,
  snappy: 2,
  lz4: 3,
  zstd: 4,
};

const settingsOf = (topic: string, compression: KafkaCompression = 'lz4') => ({
  ...DEFAULT_KAFKA_TOPIC,
  topic,
  partitioner: 'region' as const,
  groupId: `engine-${topic}`,
  compression,
});

async function produceOurs(log: KafkaEventLog, events: number, seed: number): Promise<void> {
  await new EventProducer({
    generator: new DownloadEventGenerator({ seed }),
    log,
    ratePerSecond: 200,
    startAt: T0,
  }).produceVirtual(events, T0, 200);
}

describe.each(KAFKA_TEST_VERSIONS)('compression on Apache Kafka %s', (version) => {
  let broker: KafkaBroker;
  let database: Database;
  let dbDir: string;

  beforeAll(async () => {
    dbDir = mkdtempSync(join(tmpdir(), 'sp-kcodecs-db-'));
    chmodSync(dbDir, 0o755);
    [broker, database] = await Promise.all([
      startKafkaBroker({ version }),
      openDatabase({ kind: 'embedded', dataDir: dbDir, port: 0, logger: silentLogger }),
    ]);
  }, 300_000);
  afterAll(async () => {
    await database?.close();
    await broker?.destroy();
    rmSync(dbDir, { recursive: true, force: true });
  });

  async function freshSchema(name: string): Promise<string> {
    await database.pool.query(`DROP DATABASE IF EXISTS ${name}`);
    await database.pool.query(`CREATE DATABASE ${name}`);
    const url = new URL(database.url);
    url.pathname = `/${name}`;
    return url.toString();
  }

  it('reads batches Kafka’s console producer compressed with each codec, mixed with ours', async () => {
    const topic = 'codecs-in';
    const log = await KafkaEventLog.open({ brokers: [broker.plaintext] }, settingsOf(topic));
    const theirs: string[] = [];
    try {
      await produceOurs(log, 2000, 1);
      for (const codec of CODECS) {
        const lines = Array.from(
          { length: 40 },
          (_, i) => `${codec} record ${i} from the Java client`,
        );
        theirs.push(...lines);
        // prettier-ignore
        const run = await runKafkaTool(version, 'console-producer', [
          '--bootstrap-server', broker.plaintext, '--topic', topic, '--compression-codec', codec,
          '--producer-property', 'linger.ms=50',
        ], { input: `${lines.join('\n')}\n` });
        expect(run.code, run.stderr).toBe(0);
      }
      await produceOurs(log, 2000, 2);
      const url = await freshSchema(`codecs_in_${version.replaceAll('.', '_')}`);
      const db = await openDatabase({ kind: 'url', url, logger: silentLogger });
      try {
        const runner = await runEngineToEnd(db.pool, log, { groupId: `engine-${topic}` });
        expect(runner.stats().consumed).toBe(4000 + theirs.length);
        const tables = await readTables(url);
        const downloads = [...tables.region.values()].reduce((sum, row) => sum + row.total, 0);
        expect(downloads).toBe(4000);
        // Not our events, so dead letters: each one decompressed, read and kept byte for byte.
        expect(tables.deadLetters.map((d) => d.raw.toString()).sort()).toEqual([...theirs].sort());
        const ranges = await db.pool.query(
          'SELECT count(*)::int AS n FROM dead_letters WHERE last_offset IS NOT NULL',
        );
        expect(ranges.rows[0].n).toBe(0);
      } finally {
        await db.close();
      }
    } finally {
      await log.close();
    }
  }, 240_000);

  it.each(CODECS)(
    'writes %s batches that Kafka’s console consumer reads back',
    async (codec) => {
      const topic = `codecs-out-${codec}`;
      const log = await KafkaEventLog.open(
        { brokers: [broker.plaintext] },
        settingsOf(topic, codec),
        { consume: false },
      );
      const values = Array.from({ length: 300 }, (_, i) => `value ${i} of ${codec}`);
      try {
        await log.append(textRecords(values, 'EU-London'));
      } finally {
        await log.close();
      }
      // The batch on the broker really is compressed with the codec.
      const consumer = new Consumer({
        ...kafkaClientOptions({ brokers: [broker.plaintext] }),
        groupId: `check-${topic}`,
      });
      try {
        const metadata = await consumer.metadata({ topics: [topic] });
        const response = await consumer.fetch({
          node: metadata.topics.get(topic)!.partitions[1]!.leader,
          topics: [
            {
              topicId: metadata.topics.get(topic)!.id,
              partitions: [1].map((p) => ({
                partition: p,
                currentLeaderEpoch: -1,
                fetchOffset: 0n,
                lastFetchedEpoch: -1,
                partitionMaxBytes: 1024 * 1024,
              })),
            },
          ],
        });
        const batches = response.responses[0]!.partitions.flatMap((p) => p.records ?? []);
        expect(batches.length).toBeGreaterThan(0);
        expect(batches.every((b) => (b.attributes & 7) === CODEC_BITS[codec])).toBe(true);
      } finally {
        await consumer.close(true);
      }
      // prettier-ignore
      const run = await runKafkaTool(version, 'console-consumer', [
      '--bootstrap-server', broker.plaintext, '--topic', topic, '--from-beginning',
      '--max-messages', String(values.length), '--timeout-ms', '30000',
    ]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout.trimEnd().split('\n').sort()).toEqual([...values].sort());
    },
    120_000,
  );

  it('sets aside a batch damaged on the broker’s disk as one dead letter, and reads on', async () => {
    const topic = 'codecs-damaged';
    const log = await KafkaEventLog.open(
      { brokers: [broker.plaintext] },
      { ...settingsOf(topic, 'gzip'), partitions: 1 },
    );
    try {
      // Three appends of 100 records: three gzip batches, offsets 0-99, 100-199, 200-299.
      const values = (from: number) => Array.from({ length: 100 }, (_, i) => `text ${from + i}`);
      for (const from of [0, 100, 200]) await log.append(textRecords(values(from), 'EU-Paris'));
      damageSecondBatch(join(broker.dataDir, 'kraft-logs', `${topic}-0`));

      const url = await freshSchema(`codecs_damaged_${version.replaceAll('.', '_')}`);
      const db = await openDatabase({ kind: 'url', url, logger: silentLogger });
      try {
        const runner = await runEngineToEnd(db.pool, log, { groupId: `engine-${topic}` });
        expect(runner.stats().consumed).toBe(200);
        const letters = await db.pool.query(
          `SELECT source_offset::int AS first, last_offset::int AS last, error, raw_length
           FROM dead_letters WHERE last_offset IS NOT NULL`,
        );
        expect(letters.rows).toEqual([
          {
            first: 100,
            last: 199,
            error: expect.stringMatching(
              /unreadable records at partition 0, offsets 100 to 199: record batch the client cannot read/,
            ),
            raw_length: '0',
          },
        ]);
        // The readable ones, not our events: one dead letter each, with their bytes.
        const records = await db.pool.query(
          'SELECT count(*)::int AS n FROM dead_letters WHERE last_offset IS NULL',
        );
        expect(records.rows[0].n).toBe(200);
      } finally {
        await db.close();
      }
    } finally {
      await log.close();
    }
  }, 180_000);
});

/** Text values for one key, as packed records (not events: a console consumer prints them). */
function textRecords(values: readonly string[], key: string): PackedRecords {
  const buffers = values.map((v) => Buffer.from(v));
  let end = 0;
  return {
    count: values.length,
    keys: values.map(() => key),
    timestamps: values.map((_, i) => T0 + i),
    values: Buffer.concat(buffers),
    valueEnds: buffers.map((b) => (end += b.length)),
  };
}

/**
 * Overwrites part of the compressed payload of the segment's second record batch, as a bad disk
 * would: the broker serves it as it is (fetches do not check CRCs), and gzip cannot inflate it.
 */
function damageSecondBatch(partitionDir: string): void {
  const segment = readdirSync(partitionDir).find((f) => f.endsWith('.log'))!;
  const path = join(partitionDir, segment);
  const bytes = readFileSync(path);
  // A batch: base offset (8 bytes), length (4) counting the rest; its records start 61 bytes in.
  const first = 12 + bytes.readInt32BE(8);
  const secondLength = bytes.readInt32BE(first + 8);
  const payload = first + 61;
  const fd = openSync(path, 'r+');
  try {
    writeSync(
      fd,
      Buffer.alloc(Math.min(64, secondLength - 61 - 8), 0xa5),
      0,
      undefined,
      payload + 4,
    );
  } finally {
    closeSync(fd);
  }
}
