#!/usr/bin/env node
/**
 * `npm start`: builds, then opens the desktop app where Electron's binary is available. Where it is
 * not (it is downloaded on first use, and some machines cannot download it) or there is no display,
 * it says so and runs the same pipeline headless, printing the dashboard's URL.
 * Arguments after `--` go to `streampulse serve` in headless mode.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronPackageDir, installedElectron } from './electron-binary.mjs';
import { NODE_FLAGS, nodeTooOld } from './node-version.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const tooOld = nodeTooOld();
if (tooOld) {
  console.error(`npm start: ${tooOld}`);
  process.exit(1);
}
const args = process.argv.slice(2);

// STREAMPULSE_SKIP_BUILD=1 runs the build there is: the tests run this script inside a suite that
// has built already, and a build empties out/ under the feet of every other test running then.
if (process.env.STREAMPULSE_SKIP_BUILD !== '1') {
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (build.status !== 0) {
    console.error('npm start: the build failed (see above).');
    process.exit(1);
  }
}

const electron = electronBinary();
if (electron.path) {
  const child = spawn(electron.path, [root], { stdio: 'inherit' });
  forwardSignals(child);
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`Electron's window is not available here: ${electron.reason}.`);
  console.log(
    'Starting StreamPulse headless instead (the same pipeline; open the dashboard in a browser).',
  );
  const child = spawn(
    process.execPath,
    [...NODE_FLAGS, join(root, 'bin/streampulse.mjs'), 'serve', ...args],
    {
      stdio: 'inherit',
      // serve stops cleanly if this process is killed without forwarding a signal.
      env: { ...process.env, STREAMPULSE_PARENT_PID: String(process.pid) },
    },
  );
  forwardSignals(child);
  child.on('exit', (code) => process.exit(code ?? 0));
}

/** The Electron executable, downloading it on first use; or why there is none. */
function electronBinary() {
  if (process.env.STREAMPULSE_HEADLESS) return { reason: 'STREAMPULSE_HEADLESS is set' };
  const packageDir = electronPackageDir();
  if (!packageDir) return { reason: 'the electron package is not installed (run npm install)' };
  const located = () => installedElectron(packageDir);
  let binary = located();
  if (!binary) {
    console.log("Fetching Electron's binary (first start only)…");
    const fetched = spawnSync(process.execPath, [join(packageDir, 'install.js')], {
      cwd: packageDir,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 120_000,
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
    });
    binary = located();
    if (!binary) {
      const detail =
        fetched.error?.message ?? lastLine(fetched.stderr?.toString() ?? '') ?? 'unknown error';
      return { reason: `its binary could not be downloaded (${detail})` };
    }
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'there is no display (DISPLAY is not set)' };
  }
  return { path: binary };
}

function lastLine(text) {
  const lines = text
    .trim()
    .split('\n')
    .filter((l) => /error/i.test(l));
  return lines[0]?.trim().slice(0, 200);
}

function forwardSignals(child) {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
    process.on(signal, () => child.kill(signal));
  // npm (and the shell it runs this in) exits on SIGTERM without passing it on: a service manager
  // or an IDE stopping `npm start` would leave this process, the app and its PostgreSQL running.
  // Losing the parent is taken as that SIGTERM.
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    child.kill('SIGTERM');
  }, 250);
  watch.unref();
  child.once('exit', () => clearInterval(watch));
}
