/**
 * The database is not the pipeline's lifeline (issue #7): a remote database that is down when
 * StreamPulse starts does not stop it (the status says unreachable, the generator keeps filling
 * the log), and when the database comes, the engine catches up with nothing lost. Switching
 * databases while running: the new one continues from its own checkpoint, here from the log's start.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/main/logger';
import type { Pipeline } from '../../src/main/runtime/pipeline';
import { EmbeddedPostgresServer } from '../../src/main/store/embedded-postgres-server';
import {
  countedDownloads,
  pauseAndDrain,
  produced,
  startPipeline,
  waitForStatus,
} from '../support/running-pipeline';

const dirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('a remote database that is down at start', () => {
  let server: EmbeddedPostgresServer;
  let url: string;
  let pipeline: Pipeline | undefined;

  beforeAll(async () => {
    // The "remote" database: an embedded server of its own, started once to learn its URL, then
    // stopped, so the pipeline starts while nothing answers there.
    const dataDir = tempDir('sp-remote-');
    const first = new EmbeddedPostgresServer({ dataDir, port: 0, logger: silentLogger });
    await first.start();
    url = first.connectionUrl;
    await first.stop();
    // Later on the same port, and only that one.
    server = new EmbeddedPostgresServer({
      dataDir,
      port: Number(new URL(url).port),
      portAttempts: 1,
      logger: silentLogger,
    });
  }, 120_000);
  afterAll(async () => {
    await pipeline?.stop();
    await server?.stop();
  });

  it('starts, says the database is unreachable, keeps the events, and catches up when it comes', async () => {
    const started = startPipeline({ dataDir: tempDir('sp-down-'), database: { kind: 'url', url } });
    pipeline = started.pipeline;
    await started.started;
    const p = pipeline;
    expect(p.status().databaseStatus).toMatchObject({ kind: 'remote', state: 'unreachable' });
    expect(p.status().databaseStatus.error).toMatch(/cannot connect to PostgreSQL at 127\.0\.0\.1/);
    expect(p.status().databaseStatus.description).not.toContain(new URL(url).password);
    expect(() => p.pool).toThrow(/unreachable.*accumulating in the log/s);

    // The generator does not wait for the database.
    await waitForStatus(p, (s) => produced(s) >= 4000);
    expect(p.status().engine).toBeNull();
    // Nor can the log be switched: the engine must read the current one to its end first.
    await expect(
      p.switchLog({
        kind: 'embedded',
        dataDir: tempDir('sp-other-log-'),
        partitions: undefined,
        partitioner: undefined,
      }),
    ).rejects.toThrow(/database is unreachable .*; the event log can be switched once it is back/s);

    await server.start();
    expect(server.connectionUrl).toBe(url);
    await waitForStatus(p, (s) => s.databaseStatus.state === 'up', 90_000);
    const status = await pauseAndDrain(p);
    expect(status.engine!.consumed).toBe(produced(status));
    // The open windows come from the status, the rest from the tables: read both again until no
    // commit is in flight between the two reads.
    await expect.poll(() => countedDownloads(p.pool, p.status())).toBe(produced(status));
  }, 180_000);

  it('says so when the database goes away while running, and when it is back', async () => {
    const p = pipeline!;
    await server.stop();
    await waitForStatus(p, (s) => s.databaseStatus.state === 'unreachable', 30_000);
    expect(p.status().databaseStatus.error).toBeTruthy();
    await expect(
      p.switchLog({
        kind: 'embedded',
        dataDir: tempDir('sp-other-log-'),
        partitions: undefined,
        partitioner: undefined,
      }),
    ).rejects.toThrow(/the event log can be switched once it is back/);
    await server.start();
    await waitForStatus(p, (s) => s.databaseStatus.state === 'up', 30_000);
    await expect(p.pool.query('SELECT 1')).resolves.toBeTruthy();
  }, 90_000);
});

describe('switching the database while running', () => {
  const admin = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  const name = `sp_switch_${process.pid}_${Date.now()}`;
  let pipeline: Pipeline | undefined;

  beforeAll(async () => {
    await admin.query(`CREATE DATABASE ${name}`);
  });
  afterAll(async () => {
    await pipeline?.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('embedded → remote: the remote one counts the whole log, and the status says which', async () => {
    const started = startPipeline({ dataDir: tempDir('sp-dbswitch-') });
    pipeline = started.pipeline;
    await started.started;
    const p = pipeline;
    expect(p.status().databaseStatus).toMatchObject({ kind: 'embedded', state: 'up' });
    await waitForStatus(p, (s) => (s.engine?.consumed ?? 0) >= 3000);

    await p.switchDatabase({ kind: 'url', url: `postgres://postgres@127.0.0.1:5432/${name}` });
    expect(p.status().databaseStatus).toMatchObject({ kind: 'remote', state: 'up', error: null });
    expect(p.status().database).toContain(`127.0.0.1:5432/${name}`);
    await waitForStatus(p, (s) => produced(s) >= 6000);

    const status = await pauseAndDrain(p);
    // A database new to this log starts at the log's beginning: it holds every event.
    // The open windows come from the status, the rest from the tables: read both again until no
    // commit is in flight between the two reads.
    await expect.poll(() => countedDownloads(p.pool, p.status())).toBe(produced(status));
  }, 180_000);

  it('refuses a database it cannot reach, and keeps the current one', async () => {
    const p = pipeline!;
    await expect(
      p.switchDatabase({ kind: 'url', url: 'postgres://postgres@127.0.0.1:1/none' }),
    ).rejects.toThrow(/cannot connect to PostgreSQL at 127\.0\.0\.1:1/);
    expect(p.status().databaseStatus).toMatchObject({ kind: 'remote', state: 'up' });
    await expect(p.pool.query('SELECT 1')).resolves.toBeTruthy();
  }, 60_000);
});
