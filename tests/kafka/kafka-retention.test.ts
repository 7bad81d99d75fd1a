/**
 * Kafka counts retention from each record's timestamp, our event time: events older than the
 * topic's `retention.ms` would be deleted by the broker seconds after they were acknowledged.
 * `generate` with such a `--start` is refused with an error that names retention, and nothing is
 * written; events inside retention are kept.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KafkaEventLog,
  KafkaRetentionError,
  RETENTION_MARGIN_MS,
  retentionProblem,
} from '../../src/main/log/kafka-event-log';
import { DEFAULT_KAFKA_TOPIC } from '../../src/main/log/kafka-settings';
import { startKafkaBroker, type KafkaBroker } from '../support/kafka-broker';

const bin = fileURLToPath(new URL('../../bin/streampulse.mjs', import.meta.url));
const DAY = 86_400_000;

describe('retentionProblem', () => {
  const now = Date.UTC(2026, 11, 4, 12);
  const week = 7 * DAY;
  it('accepts events younger than retention less the margin, and any age when retention is -1', () => {
    const young = now - week + RETENTION_MARGIN_MS;
    expect(retentionProblem([now, young], 2, week, 't', now)).toBeNull();
    expect(retentionProblem([now - 400 * DAY], 1, -1, 't', now)).toBeNull();
    expect(retentionProblem([], 0, week, 't', now)).toBeNull();
  });
  it('names the oldest event, the topic, retention.ms and the earliest start that works', () => {
    const problem = retentionProblem([now - DAY, now - 8 * DAY, now], 3, week, 'downloads', now);
    expect(problem).toBeInstanceOf(KafkaRetentionError);
    expect(problem!.message).toContain(new Date(now - 8 * DAY).toISOString());
    expect(problem!.message).toContain('topic "downloads"');
    expect(problem!.message).toContain('retention.ms is 604800000 (7 days)');
    expect(problem!.message).toContain(
      `--start after ${new Date(now - week + RETENTION_MARGIN_MS).toISOString()}`,
    );
    // Only just inside the margin: still refused (the broker deletes whole segments in minutes).
    expect(retentionProblem([now - week + 60_000], 1, week, 't', now)).not.toBeNull();
  });
});

describe('old event times on Apache Kafka 4.1.1', () => {
  let broker: KafkaBroker;
  const dirs: string[] = [];
  beforeAll(async () => {
    broker = await startKafkaBroker({ version: '4.1.1' });
  }, 300_000);
  afterAll(async () => {
    await broker?.destroy();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  function generate(topic: string, start: Date): Promise<{ code: number | null; stderr: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'sp-kretention-'));
    chmodSync(dir, 0o755);
    dirs.push(dir);
    // prettier-ignore
    const child = spawn(process.execPath, [
      bin, 'generate', '--events', '2000', '--seed', '3', '--start', start.toISOString(),
      '--kafka-brokers', broker.plaintext, '--kafka-topic', topic, '--data-dir', dir,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })));
  }

  async function endOffsetTotal(topic: string): Promise<number> {
    const log = await KafkaEventLog.open(
      { brokers: [broker.plaintext] },
      { ...DEFAULT_KAFKA_TOPIC, topic, partitioner: 'region', groupId: `check-${topic}` },
      { consume: false },
    );
    try {
      return (await log.endOffsets()).reduce((sum, p) => sum + p.offset, 0);
    } finally {
      await log.close();
    }
  }

  it('refuses a --start older than the topic keeps, naming retention, and writes nothing', async () => {
    const { code, stderr } = await generate('too-old', new Date(Date.now() - 8 * DAY));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/retention\.ms is 604800000 \(7 days\)/);
    expect(stderr).toMatch(/None of these events was written/);
    expect(await endOffsetTotal('too-old')).toBe(0);
  }, 120_000);

  it('keeps every event of a --start inside retention', async () => {
    const { code } = await generate('recent', new Date(Date.now() - 2 * DAY));
    expect(code).toBe(0);
    expect(await endOffsetTotal('recent')).toBe(2000);
  }, 120_000);
});
