/**
 * The built headless app as a fixture: `streampulse serve` in its own process with its own data
 * dir and port, and Debian's Chromium driven by Playwright against it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const bin = fileURLToPath(new URL('../../bin/streampulse.mjs', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface HeadlessApp {
  readonly url: string;
  readonly dataDir: string;
  /** Everything it printed so far, stdout and stderr (its log lines). */
  output(): string;
  stop(): Promise<number | null>;
}

interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
  output(): string;
}

export interface ServeOptions {
  /** Extra environment variables for the process. */
  readonly env?: NodeJS.ProcessEnv;
  /** Prepares the data dir before the app starts (e.g. writes a settings file). */
  readonly prepare?: (dataDir: string) => void;
}

/** `streampulse serve` on `port` (0: any), resolved once it prints its URL. */
async function spawnServe(
  port: number,
  dataDir: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [bin, 'serve', '--port', String(port), '--status-every', '0', '--data-dir', dataDir, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  // Drain the logs (a full stderr pipe would block the app), keeping the first 8 MB.
  child.stderr!.on('data', (chunk: Buffer) => {
    if (stderr.length < 8_000_000) stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /dashboard at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
      if (match) {
        clearInterval(timer);
        resolve(match[1]!);
      }
    }, 25);
    void exited.then((code) => {
      clearInterval(timer);
      // Its last log lines say why (a CI run once saw exit 1 within 0.3 s and nothing on stdout).
      reject(
        new Error(`serve exited (${code}) before it was ready: ${stdout}\n${stderr.slice(-4000)}`),
      );
    });
  });
  return { child, url, exited, output: () => stdout + stderr };
}

export async function startHeadlessApp(
  args: readonly string[] = [],
  options: ServeOptions = {},
): Promise<HeadlessApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sp-e2e-'));
  chmodSync(dataDir, 0o755);
  options.prepare?.(dataDir);
  const { child, url, exited, output } = await spawnServe(0, dataDir, args, options.env);
  return {
    url,
    dataDir,
    output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// ---- A restartable app on a fixed port (the dashboard's reconnect test) ----------------------

export interface RestartableHeadlessApp extends HeadlessApp {
  readonly port: number;
  /** Stops the server (SIGTERM) but keeps its data dir, so `restart()` can carry on. */
  kill(): Promise<number | null>;
  /** Starts it again on the same data dir and the same port; resolves once it serves. */
  restart(): Promise<void>;
}

/** A free port on 127.0.0.1, as the OS hands one out. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Like `startHeadlessApp`, on a fixed port (`options.port`, else a free one), with `kill()` and
 * `restart()` to take the backend away and bring it back on the same data dir and port.
 */
export async function startRestartableHeadlessApp(
  args: readonly string[] = [],
  options: { port?: number } = {},
): Promise<RestartableHeadlessApp> {
  const port = options.port ?? (await freePort());
  const dataDir = mkdtempSync(join(tmpdir(), 'sp-e2e-'));
  chmodSync(dataDir, 0o755);
  let child: ChildProcess | null = null;
  let exited: Promise<number | null> = Promise.resolve(null);
  let output = (): string => '';

  const launch = async (): Promise<string> => {
    const serve = await spawnServe(port, dataDir, args);
    child = serve.child;
    exited = serve.exited;
    output = serve.output;
    if (serve.url !== `http://127.0.0.1:${port}/`)
      throw new Error(`serve took ${serve.url}, not port ${port}`);
    return serve.url;
  };

  const kill = async (): Promise<number | null> => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };

  const url = await launch();
  return {
    url,
    dataDir,
    port,
    output: () => output(),
    kill,
    restart: async () => {
      await kill();
      await launch();
    },
    stop: async () => {
      const code = await kill();
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
