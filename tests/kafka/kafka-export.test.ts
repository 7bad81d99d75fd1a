/**
 * `events export` from a Kafka topic while `serve` writes to it and its engine reads it: the
 * export is complete up to the ends it started from (every offset once, none missing), joins no
 * consumer group, and leaves the engine reading on.
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
    const groups = await admin.listGroups();
    expect([...groups.keys()]).toEqual(['streampulse-engine']);
    const engineGroup = (await admin.describeGroups({ groups: ['streampulse-engine'] })).get(
      'streampulse-engine',
    );
    expect(engineGroup?.members.size).toBe(0);
  } finally {
    await admin.close();
  }

  // The engine read on meanwhile and goes on.
  const before = (await status()).engine!.consumed;
  await until('the engine to consume more', async () => (await status()).engine!.consumed > before);
  expect(app.output()).not.toMatch(/engine step failed/);
}, 180_000);
