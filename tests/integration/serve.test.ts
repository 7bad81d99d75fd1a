/**
 * The built headless app, as a user runs it: `streampulse serve` in its own process.
 * Needs `npm run build` first (`npm test` does it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTempDirs } from '../support/temp-dir';

const tempDir = useTempDirs();
const bin = fileURLToPath(new URL('../../bin/streampulse.mjs', import.meta.url));
const builtCli = fileURLToPath(new URL('../../out/main/cli.js', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** The parts of GET /api/pipeline/status the test reads. */
interface Status {
  data: {
    database: string;
    log: { partitions: Array<{ endOffset: number }> } | null;
    engine: { consumed: number; checkpoints: number } | null;
  };
}

describe('streampulse serve (built)', () => {
  it('serves the dashboard, shows events flowing and stops cleanly on SIGTERM', async () => {
    expect(existsSync(builtCli), 'run `npm run build` before the integration tests').toBe(true);
    const dataDir = tempDir();
    const child = spawn(
      process.execPath,
      [bin, 'serve', '--port', '0', '--rate', '200', '--data-dir', dataDir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const url = await vi.waitFor(
      () => {
        const match = /dashboard at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
        if (!match) throw new Error(`no URL yet: ${stdout}`);
        return match[1]!;
      },
      { timeout: 15_000, interval: 50 },
    );

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<div id="root">/);

    const status = await vi.waitFor(
      async () => {
        const body = (await (await fetch(`${url}api/pipeline/status`)).json()) as Status;
        // Events produced, consumed by the engine and checkpointed to Postgres.
        if (
          !body.data.engine ||
          body.data.engine.checkpoints < 1 ||
          body.data.engine.consumed < 50
        ) {
          throw new Error('not flowing yet');
        }
        return body;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(status.data.log!.partitions.every((p) => p.endOffset > 0)).toBe(true);
    expect(status.data.database).toMatch(/embedded PostgreSQL/);

    const exit = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stdout).toMatch(/stopping/);
  });
});

describe('streampulse serve started by another process (npm start)', () => {
  it('stops cleanly when that process dies without passing on a signal', async () => {
    const dataDir = tempDir();
    // The "parent": a process we can kill -9, as a non-forwarding supervisor would be.
    const parent = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      stdio: 'ignore',
    });
    children.push(parent);
    const child = spawn(
      process.execPath,
      [bin, 'serve', '--port', '0', '--rate', '50', '--data-dir', dataDir],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
        env: { ...process.env, STREAMPULSE_PARENT_PID: String(parent.pid) },
      },
    );
    children.push(child);
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await vi.waitFor(
      () => {
        if (!/dashboard at/.test(stdout)) throw new Error('not serving yet');
      },
      { timeout: 15_000, interval: 50 },
    );
    const exit = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    parent.kill('SIGKILL');
    // It drains, checkpoints and stops its embedded Postgres: a clean exit, no orphan.
    expect(await exit).toBe(0);
    expect(stdout).toMatch(/stopping/);
    expect(existsSync(`${dataDir}/postgres/data/postmaster.pid`)).toBe(false);
  }, 60_000);
});

describe('streampulse serve and a repeated Ctrl-C', () => {
  it('finishes its clean stop when the signal comes twice (terminal and npm start)', async () => {
    const dataDir = tempDir();
    const child = spawn(
      process.execPath,
      [bin, 'serve', '--port', '0', '--rate', '50', '--data-dir', dataDir],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    children.push(child);
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await vi.waitFor(
      () => {
        if (!/dashboard at/.test(stdout)) throw new Error('not serving yet');
      },
      { timeout: 15_000, interval: 50 },
    );
    const exit = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    child.kill('SIGINT');
    // The second one arrives while it stops (signals of one kind do not queue: wait for that).
    await vi.waitFor(
      () => {
        if (!/stopping/.test(stdout)) throw new Error('not stopping yet');
      },
      { timeout: 15_000, interval: 10 },
    );
    child.kill('SIGINT');
    expect(await exit).toBe(0);
    expect(existsSync(`${dataDir}/postgres/data/postmaster.pid`)).toBe(false);
  }, 60_000);
});
