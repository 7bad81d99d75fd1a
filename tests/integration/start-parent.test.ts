/**
 * `npm start` stopped the way a service manager or an IDE stops it: SIGTERM to npm, which exits
 * without passing the signal on. scripts/start.mjs must then stop the app it started (draining,
 * checkpointing, stopping the embedded PostgreSQL) instead of running on, orphaned.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { useTempDirs } from '../support/temp-dir';

const tempDir = useTempDirs();
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Pids of the processes whose command line names `text` (Linux /proc). */
function processesNaming(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (cmdline.includes(text) && state !== 'Z') pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

it.runIf(process.platform === 'linux')(
  'stops the app and its PostgreSQL when the process that ran it goes away without a signal',
  async () => {
    const dataDir = tempDir();
    // Stands in for npm: runs start.mjs, then dies without passing anything on.
    const npm = spawn(
      process.execPath,
      [
        '-e',
        `require('node:child_process').spawn(process.execPath, ['scripts/start.mjs', '--data-dir', ${JSON.stringify(dataDir)}, '--port', '0'], { stdio: 'inherit' }); setInterval(() => {}, 1000);`,
      ],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        // The suite has built; a build here would empty out/ under the other tests running now.
        env: { ...process.env, STREAMPULSE_HEADLESS: '1', STREAMPULSE_SKIP_BUILD: '1' },
      },
    );
    let output = '';
    npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await expect.poll(() => output, { timeout: 120_000, interval: 100 }).toMatch(/dashboard at/);
      // start.mjs, serve and the embedded PostgreSQL (whose data dir is under dataDir).
      expect(processesNaming(dataDir).length).toBeGreaterThanOrEqual(3);
      npm.kill('SIGKILL');
      await expect
        .poll(() => processesNaming(dataDir), { timeout: 30_000, interval: 200 })
        .toEqual([]);
      expect(output).toMatch(/stopping: draining the engine and writing a checkpoint/);
      expect(output).toMatch(/embedded PostgreSQL stopped/);
    } finally {
      for (const pid of processesNaming(dataDir)) process.kill(pid, 'SIGKILL');
      npm.kill('SIGKILL');
    }
  },
  180_000,
);
