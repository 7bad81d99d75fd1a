/**
 * A database outage while `serve` runs, as its log and status read: one line when the database
 * goes (in words, with the cause), one when it is back (how long, and the backlog), not an error
 * a second; the status says it in the same words, and nothing is lost.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PipelineStatusView } from '../../src/shared/api-contract';
import { silentLogger } from '../../src/main/logger';
import { EmbeddedPostgresServer } from '../../src/main/store/embedded-postgres-server';
import { startHeadlessApp, type HeadlessApp } from '../support/headless-app';

let server: EmbeddedPostgresServer;
let app: HeadlessApp | undefined;
const dirs: string[] = [];

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sp-outage-db-'));
  chmodSync(dataDir, 0o755);
  dirs.push(dataDir);
  // The "remote" database: an embedded server of its own, restarted on the same port.
  const first = new EmbeddedPostgresServer({ dataDir, port: 0, logger: silentLogger });
  await first.start();
  const port = Number(new URL(first.connectionUrl).port);
  server = first;
  const url = first.connectionUrl;
  app = await startHeadlessApp(['--rate', '300', '--database-url', url]);
  server = new EmbeddedPostgresServer({ dataDir, port, portAttempts: 1, logger: silentLogger });
  // Same data dir and port: `first` and `server` are the same database.
  await first.stop();
}, 180_000);
afterAll(async () => {
  await app?.stop();
  await server?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function status(): Promise<PipelineStatusView> {
  const response = await fetch(new URL('/api/pipeline/status', app!.url));
  return ((await response.json()) as { data: PipelineStatusView }).data;
}

it('reads as one line going down, one coming back, and the status in the same words', async () => {
  // (The database was stopped at the end of beforeAll.)
  await expect
    .poll(async () => (await status()).databaseStatus.state, { timeout: 30_000, interval: 200 })
    .toBe('unreachable');
  expect((await status()).databaseStatus.error).toMatch(
    /^cannot connect to PostgreSQL at 127\.0\.0\.1:\d+/,
  );
  // Down for a while: several of the engine's retries (one a second) happen meanwhile.
  await new Promise((resolve) => setTimeout(resolve, 6000));
  await server.start();
  await expect
    .poll(() => app!.output(), { timeout: 60_000, interval: 200 })
    .toMatch(/database reachable again after \d+ s; the engine catches up on [\d,]+ events/);
  const output = app!.output();
  const lines = output.split('\n');
  expect(lines.filter((l) => l.includes('database unreachable; the engine retries'))).toHaveLength(
    1,
  );
  expect(lines.filter((l) => l.includes('database reachable again after'))).toHaveLength(1);
  expect(output).not.toMatch(/engine step failed/);
  expect(output).not.toMatch(/"msg":"database connection lost"/);
  const down = lines.find((l) => l.includes('database unreachable; the engine retries'))!;
  expect(down).toMatch(/"cause":"(cannot connect to )?PostgreSQL at 127\.0\.0\.1:\d+/);
  await expect
    .poll(async () => (await status()).databaseStatus.state, { timeout: 30_000, interval: 200 })
    .toBe('up');
}, 120_000);
