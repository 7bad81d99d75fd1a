/**
 * `events export` from a Kafka topic while `serve` writes to it and its engine reads it: the
 * export is complete up to the ends it started from (every offset once, none missing), joins no
 * consumer group, and leaves the engine reading on. Then Kafka's own kafka-consumer-groups against
 * the engine's group: it shows the lag, and a reset made with it is reported, never applied.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Admin } from '@platformatic/kafka';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PipelineStatusView } from '../../src/shared/api-contract';
import { kafkaClientOptions } from '../../src/main/log/kafka-settings';
import { startHeadlessApp, type HeadlessApp } from '../support/headless-app';
import { startKafkaBroker, type KafkaBroker } from '../support/kafka-broker';
import { runKafkaTool } from '../support/kafka-tools';

const bin = fileURLToPath(new URL('../../bin/streampulse.mjs', import.meta.url));
const TOPIC = 'live-downloads';

let broker: KafkaBroker;
let app: HeadlessApp | undefined;
const dirs: string[] = [];
beforeAll(async () => {
  broker = await startKafkaBroker({ version: '4.1.1' });
}, 300_000);
afterAll(async () => {
  await app?.stop();
  await broker?.destroy();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function status(): Promise<PipelineStatusView> {
  const response = await fetch(new URL('/api/pipeline/status', app!.url));
  return ((await response.json()) as { data: PipelineStatusView }).data;
}

/** Polls `check` every 100 ms until it holds, failing after `ms`. */
async function until(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether the engine's group holds a committed offset above 0 for every partition. */
async function engineCommitted(): Promise<boolean> {
  const admin = new Admin(kafkaClientOptions({ brokers: [broker.plaintext] }));
  try {
    const [offsets] = await admin.listConsumerGroupOffsets({ groups: ['streampulse-engine'] });
    const partitions = offsets?.topics.find((t) => t.name === TOPIC)?.partitions ?? [];
    return partitions.length === 3 && partitions.every((p) => p.committedOffset > 0n);
  } finally {
    await admin.close();
  }
}

function exportTopic(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sp-kexport-'));
  chmodSync(dir, 0o755);
  dirs.push(dir);
  // prettier-ignore
  const child = spawn(process.execPath, [
    bin, 'events', 'export', '--kafka-brokers', broker.plaintext, '--kafka-topic', TOPIC,
    '--data-dir', dir,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

it('exports every record up to the ends it started from while serve runs, in no consumer group', async () => {
  // prettier-ignore
  app = await startHeadlessApp(['--kafka-brokers', broker.plaintext, '--kafka-topic', TOPIC, '--rate', '3000']);
  await until('the engine to consume', async () => ((await status()).engine?.consumed ?? 0) > 5000);

  const exported = await exportTopic();
  expect(exported.code, exported.stderr).toBe(0);
  const summary = /exported ([\d,]+) events; up to offsets ((?:\d+:\d+ ?)+)/.exec(exported.stderr);
  expect(summary, exported.stderr).not.toBeNull();
  const ends = new Map(
    summary![2]!
      .trim()
      .split(' ')
      .map((pair) => pair.split(':').map(Number) as [number, number]),
  );
  const count = Number(summary![1]!.replaceAll(',', ''));
  expect(count).toBe([...ends.values()].reduce((a, b) => a + b, 0));
  expect(count).toBeGreaterThan(5000);
  // Every offset of every partition once, from 0 to the end the export started from.
  const lines = exported.stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(count);
  const seen = new Map<number, number[]>();
  for (const line of lines) {
    const { partition, offset } = JSON.parse(line) as { partition: number; offset: number };
    seen.set(partition, [...(seen.get(partition) ?? []), offset]);
  }
  for (const [partition, end] of ends) {
    expect(seen.get(partition) ?? []).toEqual(Array.from({ length: end }, (_, i) => i));
  }

  // No consumer group joined or made by the export; the engine's has no members either (its
  // offsets are committed for lag only).
  const admin = new Admin(kafkaClientOptions({ brokers: [broker.plaintext] }));
  try {
    // (The engine's own appears once its first checkpoint has committed offsets for lag.)
    const groups = [...(await admin.listGroups()).keys()];
    expect(groups.filter((g) => g !== 'streampulse-engine')).toEqual([]);
    const engineGroup = (await admin.describeGroups({ groups: ['streampulse-engine'] })).get(
      'streampulse-engine',
    );
    expect(engineGroup?.members.size ?? 0).toBe(0);
  } finally {
    await admin.close();
  }

  // The engine read on meanwhile and goes on.
  const before = (await status()).engine!.consumed;
  await until('the engine to consume more', async () => (await status()).engine!.consumed > before);
  expect(app.output()).not.toMatch(/engine step failed/);
}, 180_000);

it('shows its lag to Kafka’s consumer-groups tool, and reports a reset made with it without applying it', async () => {
  const group = ['--bootstrap-server', broker.plaintext, '--group', 'streampulse-engine'];
  await until('the engine to have committed its offsets for lag', () => engineCommitted());
  const described = await runKafkaTool('4.1.1', 'consumer-groups', [...group, '--describe']);
  expect(described.code, described.stderr).toBe(0);
  // One line per partition of our topic, with the engine's committed offset and its lag.
  const rows = described.stdout.split('\n').filter((line) => line.includes(TOPIC));
  expect(rows).toHaveLength(3);
  const committed = rows.map((row) => Number(row.trim().split(/\s+/)[3]));
  expect(committed.every((offset) => offset > 0)).toBe(true);

  const consumedBefore = (await status()).engine!.consumed;
  // prettier-ignore
  const reset = await runKafkaTool('4.1.1', 'consumer-groups', [
    ...group, '--topic', TOPIC, '--reset-offsets', '--to-earliest', '--execute',
  ]);
  expect(reset.code, reset.stderr).toBe(0);
  await until(
    'the reset to be reported',
    async () => (await status()).engine?.groupOffsetsChanged != null,
  );
  const change = (await status()).engine!.groupOffsetsChanged!;
  expect(change.groupId).toBe('streampulse-engine');
  expect(change.partitions.length).toBeGreaterThan(0);
  expect(change.partitions.every((p) => p.found === 0 && p.committed > 0)).toBe(true);
  expect(app!.output()).toMatch(/consumer group offsets were changed outside StreamPulse/);
  // Not applied: the engine did not go back to the start (it would count everything again), and
  // the group holds the engine's offsets again after its next commit.
  const after = (await status()).engine!.consumed;
  const ends = (await status()).log!.partitions.reduce((sum, p) => sum + p.endOffset, 0);
  expect(after - consumedBefore).toBeLessThan(ends);
  await until('the engine to commit over the reset', () => engineCommitted());
}, 120_000);
