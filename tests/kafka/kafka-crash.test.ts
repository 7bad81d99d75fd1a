/**
 * kill -9 at random moments of `streampulse run` on Kafka (the built CLI), then the same command
 * until it completes: the tables equal an uninterrupted run's. The idempotent producer, the
 * per-partition resume of generation and the Postgres checkpoints together: nothing lost or doubled.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Admin, FetchIsolationLevels, ListOffsetTimestamps } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/main/generator/seeded-random';
import { tablesOf } from '../support/database-tables';
import { recentEventTime, startKafkaBroker, type KafkaBroker } from '../support/kafka-broker';

const bin = fileURLToPath(new URL('../../bin/streampulse.mjs', import.meta.url));
const EVENTS = 100_000;
// prettier-ignore
const RUN_ARGS = [
  'run', '--events', String(EVENTS), '--seed', '21', '--start', new Date(recentEventTime()).toISOString(), '--virtual-rate', '400',
  '--window', '10s', '--lateness', '8s', '--late-fraction', '0.02', '--late-by-ms', '15000', '--failed', '0.09',
];

let broker: KafkaBroker;
const dirs: string[] = [];
beforeAll(async () => {
  broker = await startKafkaBroker({ version: '4.1.1' });
}, 300_000);
afterAll(async () => {
  await broker?.destroy();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sp-kcrash-'));
  chmodSync(dir, 0o755);
  dirs.push(dir);
  return dir;
}

async function runCli(
  dir: string,
  topic: string,
  killWhen?: () => Promise<boolean>,
): Promise<{ code: number | null; killed: boolean }> {
  const child = spawn(
    process.execPath,
    [
      bin,
      ...RUN_ARGS,
      '--kafka-brokers',
      broker.plaintext,
      '--kafka-topic',
      topic,
      '--data-dir',
      dir,
    ],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  let killed = false;
  if (killWhen) {
    void (async () => {
      while (child.exitCode === null && child.signalCode === null) {
        if (await killWhen().catch(() => false)) {
          killed = child.kill('SIGKILL');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
  }
  return { code: await exited, killed };
}

describe('kill -9 during a run on Kafka', () => {
  it('leaves, after a restart, the same tables as an uninterrupted run', async () => {
    const baselineDir = dataDir();
    expect((await runCli(baselineDir, 'crash-baseline')).code).toBe(0);
    const expected = await tablesOf(baselineDir);
    expect(expected.lateEvents).toBeGreaterThan(0);

    // Short timeouts, one retry: a poll that fails (the topic not created yet) just says "not yet".
    const admin = new Admin({
      clientId: 'kafka-crash-test',
      bootstrapBrokers: [broker.plaintext],
      connectTimeout: 5_000,
      requestTimeout: 10_000,
      retries: 1,
      retryDelay: 100,
    });
    /** The sum of the topic's high watermarks. */
    const produced = async (): Promise<number> => {
      const metadata = await admin.metadata({ topics: ['crash-run'] });
      const partitions = metadata.topics.get('crash-run')!.partitionsCount;
      const [listed] = await admin.listOffsets({
        isolationLevel: FetchIsolationLevels.READ_UNCOMMITTED,
        topics: [
          {
            name: 'crash-run',
            partitions: Array.from({ length: partitions }, (_, partitionIndex) => ({
              partitionIndex,
              timestamp: ListOffsetTimestamps.LATEST,
            })),
          },
        ],
      });
      return listed!.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
    };
    /** The sum of the engine's committed offsets on the topic (-1, none, counts as 0). */
    const consumed = async (): Promise<number> => {
      const [group] = await admin.listConsumerGroupOffsets({ groups: ['streampulse-engine'] });
      return (group?.topics.find((t) => t.name === 'crash-run')?.partitions ?? []).reduce(
        (sum, p) => sum + Math.max(0, Number(p.committedOffset)),
        0,
      );
    };
    try {
      const dir = dataDir();
      const random = new SeededRandom('kafka-crash-points');
      const killPoints = [
        () => produced().then((n) => n >= EVENTS * random.between(0.1, 0.8)),
        () => consumed().then((n) => n >= EVENTS * random.between(0.1, 0.4)),
        () => consumed().then((n) => n >= EVENTS * random.between(0.5, 0.9)),
      ];
      let kills = 0;
      for (const killWhen of killPoints) {
        const attempt = await runCli(dir, 'crash-run', killWhen);
        if (attempt.killed) kills++;
      }
      expect(kills).toBeGreaterThanOrEqual(2);
      expect((await runCli(dir, 'crash-run')).code).toBe(0);
      expect(await produced()).toBe(EVENTS);

      const actual = await tablesOf(dir);
      expect([...actual.content.entries()].sort()).toEqual([...expected.content.entries()].sort());
      expect([...actual.region.entries()].sort()).toEqual([...expected.region.entries()].sort());
      expect([...actual.device.entries()].sort()).toEqual([...expected.device.entries()].sort());
      expect(actual.alerts).toEqual(expected.alerts);
      expect(actual.lateEvents).toBe(expected.lateEvents);
    } finally {
      await admin.close();
    }
  }, 600_000);
});
