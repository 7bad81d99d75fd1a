/** Shared by the store's tests: temp dirs, a logger that remembers, free ports, polling. */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { CliIo } from '../../src/main/cli/cli-io';
import type { LogFields, Logger, LogLevel } from '../../src/main/logger';

/** mkdtemp dirs (mode 0700, like the real thing), removed by cleanup(). */
export function makeTempDirs(prefix = 'sp-store-'): { make(): string; cleanup(): void } {
  const dirs: string[] = [];
  return {
    make() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    cleanup() {
      for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface LogEntry {
  readonly level: LogLevel;
  readonly msg: string;
  readonly fields: LogFields;
}

export interface CollectingLogger extends Logger {
  readonly entries: LogEntry[];
  /** Everything logged, as one string: to check that no secret was ever logged. */
  text(): string;
}

export function collectingLogger(): CollectingLogger {
  const entries: LogEntry[] = [];
  const log =
    (level: LogLevel) =>
    (msg: string, fields: LogFields = {}): void => {
      entries.push({ level, msg, fields });
    };
  return {
    entries,
    text: () => entries.map((e) => `${e.msg} ${JSON.stringify(e.fields)}`).join('\n'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
}

/** A port nothing listens on right now (the OS's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `condition` until true; fails after `timeoutMs` with `what` in the message. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs `fn` with a one-connection client on `url`, then closes it. */
export async function withClient<T>(
  url: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A CliIo that records what a command prints. */
export function testIo(
  env: NodeJS.ProcessEnv = {},
): CliIo & { stdout(): string; stderr(): string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (text) => {
      out.push(text);
    },
    err: (text) => {
      err.push(text);
    },
    env,
    now: Date.now,
    stopSignal: new Promise<void>(() => undefined),
    dashboardDir: null,
    workersDir: '',
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}
