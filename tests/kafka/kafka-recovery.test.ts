/**
 * On real brokers (3.9 and 4.x): replay from a time over Kafka recomputes the same tables, and a
 * broker stopped and restarted while the engine consumes loses and doubles nothing.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineConfig } from '../../src/main/engine/engine-config';
import { DEFAULT_GROUP_ID, EngineRunner } from '../../src/main/runtime/engine-runner';
import { DownloadEventGenerator } from '../../src/main/generator/download-event-generator';
import { EventProducer } from '../../src/main/generator/event-producer';
import { KafkaEventLog } from '../../src/main/log/kafka-event-log';
import { DEFAULT_KAFKA_TOPIC } from '../../src/main/log/kafka-settings';
import { silentLogger } from '../../src/main/logger';
import { CheckpointStore } from '../../src/main/store/checkpoint-store';
import { openDatabase, type Database } from '../../src/main/store/database';
import { readTables, type Tables } from '../support/database-tables';
import {
  KAFKA_TEST_VERSIONS,
  recentEventTime,
  startKafkaBroker,
  type KafkaBroker,
} from '../support/kafka-broker';

const T0 = recentEventTime();
const config = engineConfig({ windowSizeMs: 10_000, allowedLatenessMs: 5000 });

function sameTables(actual: Tables, expected: Tables): void {
  expect([...actual.content.entries()].sort()).toEqual([...expected.content.entries()].sort());
  expect([...actual.region.entries()].sort()).toEqual([...expected.region.entries()].sort());
  expect([...actual.device.entries()].sort()).toEqual([...expected.device.entries()].sort());
  expect(actual.lateEvents).toBe(expected.lateEvents);
}

describe.each(KAFKA_TEST_VERSIONS)('recovery on Apache Kafka %s', (version) => {
  let broker: KafkaBroker;
  let database: Database;
  let dataDir: string;

  beforeAll(async () => {
    broker = await startKafkaBroker({ version });
    dataDir = mkdtempSync(join(tmpdir(), 'sp-krec-'));
    chmodSync(dataDir, 0o755);
    database = await openDatabase({ kind: 'embedded', dataDir, port: 0, logger: silentLogger });
  }, 300_000);
  afterAll(async () => {
    await database?.close();
    await broker?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function fill(topic: string, events: number): Promise<KafkaEventLog> {
    const log = await KafkaEventLog.open(
      { brokers: [broker.plaintext] },
      { ...DEFAULT_KAFKA_TOPIC, topic, partitioner: 'region', groupId: `engine-${topic}` },
    );
    const generator = new DownloadEventGenerator({
      seed: topic,
      late: { fraction: 0.02, delayMs: 14_000 },
    });
    await new EventProducer({ generator, log, ratePerSecond: 200, startAt: T0 }).produceVirtual(
      events,
      T0,
      200,
    );
    return log;
  }

  async function cleanTables(): Promise<void> {
    await database.pool.query(
      'TRUNCATE content_stats, region_health, device_stats, alerts, late_events, dead_letters, checkpoints',
    );
  }

  it('replays from a time over Kafka and leaves the same tables', async () => {
    await cleanTables();
    const log = await fill(`replay-${version}`, 40_000);
    try {
      const runner = new EngineRunner({
        log,
        checkpoints: new CheckpointStore(database.pool, DEFAULT_GROUP_ID),
        config,
        logger: silentLogger,
        now: () => 0,
        groupId: `engine-replay-${version}`,
      });
      await runner.start();
      await runner.drain();
      await runner.flush();
      const before = await readTables(database.url);
      expect(before.lateEvents).toBeGreaterThan(0);
      await runner.replay(T0 + 100_000);
      await runner.drain();
      await runner.flush();
      expect(runner.replayProgress()?.progress).toBe(1);
      sameTables(await readTables(database.url), before);
    } finally {
      await log.close();
    }
  }, 180_000);

  it('loses and doubles nothing when the broker restarts while the engine consumes', async () => {
    await cleanTables();
    const events = 60_000;
    const log = await fill(`restart-${version}`, events);
    try {
      // The reference: the same log consumed without interruption, into a second group's checkpoints.
      const reference = new EngineRunner({
        log,
        checkpoints: new CheckpointStore(database.pool, 'reference'),
        config,
        logger: silentLogger,
        now: () => 0,
        groupId: `engine-restart-${version}`,
      });
      await reference.start();
      await reference.drain();
      await reference.flush();
      const expected = await readTables(database.url);
      await cleanTables();

      const runner = new EngineRunner({
        log,
        checkpoints: new CheckpointStore(database.pool, DEFAULT_GROUP_ID),
        config,
        logger: silentLogger,
        now: () => 0,
        groupId: `engine-restart-${version}`,
      });
      await runner.start();
      let restarted = false;
      // The engine worker's loop: poll, advance; on an error, wait and go on.
      for (;;) {
        try {
          if (!restarted && runner.stats().consumed >= events / 3) {
            restarted = true;
            await broker.stop();
            await broker.restart();
          }
          if ((await runner.poll()) === 0) break;
          await runner.advance();
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
      await runner.flush();
      expect(restarted).toBe(true);
      expect(runner.stats().consumed).toBe(events);
      const actual = await readTables(database.url);
      expect(
        [...actual.content.values()].reduce((s, r) => s + r.total, 0) + actual.lateEvents,
      ).toBe(events);
      sameTables(actual, expected);
    } finally {
      await log.close();
    }
  }, 240_000);
});
