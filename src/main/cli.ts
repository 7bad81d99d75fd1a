/**
 * The headless entry point (`streampulse`, `npm run serve`). Plain Node: it never loads Electron.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli } from './cli/run-cli';

/** out/renderer beside this entry (out/main/cli.js), if the dashboard was built. */
const dashboardDir = fileURLToPath(new URL('../renderer/', import.meta.url));

const stopSignal = new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve());
  process.once('SIGTERM', () => resolve());
});

/** Writes to stdout, waiting when the pipe is full (a million exported events into `head`). */
function out(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once('drain', () => resolve());
  });
}

// A closed pipe (`... | head`) is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

process.exitCode = await runCli(process.argv.slice(2), {
  out,
  err: (text) => process.stderr.write(text),
  env: process.env,
  now: Date.now,
  stopSignal,
  dashboardDir: existsSync(`${dashboardDir}index.html`) ? dashboardDir : null,
  workersDir: fileURLToPath(new URL('.', import.meta.url)),
});
