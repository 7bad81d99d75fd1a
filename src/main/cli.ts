/**
 * The headless entry point (`streampulse`, `npm run serve`). Plain Node: it never loads Electron.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli } from './cli/run-cli';
import { isProcessAlive } from './process-liveness';

/** out/renderer beside this entry (out/main/cli.js), if the dashboard was built. */
const dashboardDir = fileURLToPath(new URL('../renderer/', import.meta.url));

/**
 * Stop cleanly (drain, checkpoint, stop Postgres) on Ctrl-C, SIGTERM or SIGHUP (the terminal
 * closed), and when the process that started us is gone without telling us (`npm start` killed
 * by a parent that does not forward signals): an orphaned embedded Postgres is worse than a stop.
 */
const stopSignal = new Promise<void>((resolve) => {
  // The handlers stay: Ctrl-C reaches us both from the terminal and through `npm start`, and the
  // second must not kill the process halfway through its stop (leaving Postgres running). A
  // third signal forces the exit.
  let signals = 0;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      signals += 1;
      if (signals >= 3) {
        process.stderr.write('streampulse: stopping forced; the next start recovers\n');
        process.exit(130);
      }
      resolve();
    });
  }
  const parent = Number(process.env.STREAMPULSE_PARENT_PID);
  if (Number.isInteger(parent) && parent > 0) {
    const watch = setInterval(() => {
      if (!isProcessAlive(parent)) {
        clearInterval(watch);
        resolve();
      }
    }, 1000);
    watch.unref();
  }
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
  errIsTerminal: process.stderr.isTTY === true,
  env: process.env,
  now: Date.now,
  stopSignal,
  dashboardDir: existsSync(`${dashboardDir}index.html`) ? dashboardDir : null,
  workersDir: fileURLToPath(new URL('.', import.meta.url)),
});
