/**
 * Switching the event log while running (issue #6): embedded → Kafka → embedded under a live
 * generator. The generator's events are split over both logs; the engine drains each before it
 * moves on, so what it counted equals what was produced: nothing lost, nothing counted twice.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_KAFKA_TOPIC } from '../../src/main/log/kafka-settings';
import { KafkaEventLog } from '../../src/main/log/kafka-event-log';
import { EmbeddedEventLog } from '../../src/main/log/embedded-event-log';
import { logDirOf } from '../../src/main/data-dir';
import type { LogBackend } from '../../src/main/log/open-event-log';
import type { Pipeline } from '../../src/main/runtime/pipeline';
import { KAFKA_TEST_VERSIONS, startKafkaBroker, type KafkaBroker } from '../support/kafka-broker';
import {
  countedDownloads,
  embeddedLog,
  pauseAndDrain,
  produced,
  startPipeline,
  waitForStatus,
} from '../support/running-pipeline';

// One version suffices: the switch is StreamPulse's logic; the log itself is tested on both.
const version = KAFKA_TEST_VERSIONS[KAFKA_TEST_VERSIONS.length - 1]!;

describe(`switching the event log while running (Kafka ${version})`, () => {
  let broker: KafkaBroker;
  let dataDir: string;
  let pipeline: Pipeline | undefined;

  beforeAll(async () => {
    broker = await startKafkaBroker({ version });
    dataDir = mkdtempSync(join(tmpdir(), 'sp-switch-'));
    chmodSync(dataDir, 0o755);
  }, 300_000);
  afterAll(async () => {
    await pipeline?.stop();
    await broker?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('embedded → Kafka → Kafka over SASL_SSL → embedded: every produced event counted once', async () => {
    const kafka: LogBackend = {
      kind: 'kafka',
      connection: { brokers: [broker.plaintext] },
      topic: { ...DEFAULT_KAFKA_TOPIC, topic: 'switch-test', partitions: 3, partitioner: 'region' },
    };
    const started = startPipeline({ dataDir });
    pipeline = started.pipeline;
    await started.started;
    const p = pipeline;

    const after = async (events: number): Promise<void> => {
      const from = produced(p.status());
      await waitForStatus(p, (s) => produced(s) >= from + events && (s.engine?.consumed ?? 0) > 0);
    };
    await after(3000);
    await p.switchLog(kafka);
    expect(p.status().eventLog).toEqual({
      kind: 'kafka',
      description: `Kafka topic switch-test on ${broker.plaintext}`,
    });
    await after(3000);
    // The same topic through the broker's other listener, with TLS and SCRAM: a reconnect, with
    // only one consumer of the engine's group subscribed at any moment.
    await p.switchLog({
      ...kafka,
      connection: {
        brokers: [broker.saslSsl],
        tls: { ca: broker.caPem },
        sasl: { ...broker.scram },
      },
    });
    expect(p.status().eventLog.description).toBe(`Kafka topic switch-test on ${broker.saslSsl}`);
    await after(3000);
    await p.switchLog(embeddedLog(dataDir));
    expect(p.status().eventLog.kind).toBe('embedded');
    await after(3000);

    const status = await pauseAndDrain(p);
    const total = produced(status);

    // The events are in both logs, and only there.
    const topic = await KafkaEventLog.open({ brokers: [broker.plaintext] }, kafka.topic, {
      consume: false,
    });
    const inKafka = (await topic.endOffsets()).reduce((sum, o) => sum + o.offset, 0);
    await topic.close();
    const embedded = await EmbeddedEventLog.open({ dir: logDirOf(dataDir), readOnly: true });
    const inEmbedded = (await embedded.endOffsets()).reduce((sum, o) => sum + o.offset, 0);
    const embeddedId = embedded.id;
    await embedded.close();
    expect(inKafka).toBeGreaterThanOrEqual(3000);
    expect(inEmbedded).toBeGreaterThanOrEqual(6000);
    expect(inKafka + inEmbedded).toBe(total);

    // And the engine counted each exactly once.
    expect(status.engine!.consumed).toBe(total);
    // The open windows come from the status, the rest from the tables: read both again until no
    // commit is in flight between the two reads.
    await expect.poll(() => countedDownloads(p.pool, p.status())).toBe(total);
    const { rows } = await p.pool.query<{ log_id: string }>('SELECT log_id FROM engine_log');
    expect(embeddedId).toMatch(/^[0-9a-f-]{36}$/);
    expect(rows.map((r) => r.log_id)).toEqual([`embedded:${embeddedId}`]);
  }, 180_000);

  it('refuses a Kafka log it cannot reach, and keeps producing to the current one', async () => {
    const p = pipeline!;
    await p.control({ kind: 'resume' });
    const unreachable: LogBackend = {
      kind: 'kafka',
      connection: { brokers: ['127.0.0.1:1'] },
      topic: { ...DEFAULT_KAFKA_TOPIC, partitioner: 'region' },
    };
    await expect(p.switchLog(unreachable)).rejects.toThrow(/cannot reach 127\.0\.0\.1:1/);
    expect(p.status().eventLog.kind).toBe('embedded');
    const before = produced(p.status());
    await waitForStatus(p, (s) => produced(s) > before + 1000);
    const status = await pauseAndDrain(p);
    // The open windows come from the status, the rest from the tables: read both again until no
    // commit is in flight between the two reads.
    await expect.poll(() => countedDownloads(p.pool, p.status())).toBe(produced(status));
  }, 120_000);
});
