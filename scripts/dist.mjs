#!/usr/bin/env node
/**
 * `npm run dist`: the installable package for this platform (electron-builder.yml's targets:
 * AppImage and deb on Linux, dmg on macOS, an NSIS installer on Windows) into dist/. See
 * docs/packaging.md. Arguments after `--` go to electron-builder (e.g. `-- --dir`, `-- --arm64`).
 *
 * The package is built from the Electron binary in node_modules/electron/dist, so it holds the
 * Electron that `npm start` runs and electron-builder downloads none. Where that binary is not
 * installed (CI machines cannot download it), this says so in one line and exits before building.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronPackageDir, INSTALL_ELECTRON, installedElectron } from './electron-binary.mjs';
import { nodeTooOld } from './node-version.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const fail = (message) => {
  console.error(`npm run dist: ${message}`);
  process.exit(1);
};

const tooOld = nodeTooOld();
if (tooOld) fail(tooOld);

const electronPackage = electronPackageDir();
if (!electronPackage) fail('the electron package is not installed; run npm install first.');
if (!installedElectron(electronPackage)) {
  fail(
    "Electron's binary is not installed (node_modules/electron/dist has none: the electron " +
      'package downloads it on first use, not at npm install, and that has not happened here). ' +
      `Get it with \`${INSTALL_ELECTRON}\` on a machine that can download Electron's releases, ` +
      'then run npm run dist again.',
  );
}

const run = (script, args) =>
  spawnSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' }).status === 0;

const require = createRequire(import.meta.url);
const packageBin = (name, bin) => join(dirname(require.resolve(`${name}/package.json`)), bin);

if (!run(packageBin('electron-vite', 'bin/electron-vite.js'), ['build'])) {
  fail('the build failed (see above).');
}
const builderArgs = [
  '--config',
  'electron-builder.yml',
  `--config.electronDist=${join(electronPackage, 'dist')}`,
  // Releases are uploaded by hand (docs/packaging.md), never as a side effect of a build.
  '--publish',
  'never',
  ...process.argv.slice(2),
];
if (!run(packageBin('electron-builder', 'cli.js'), builderArgs)) {
  fail('electron-builder failed (see above).');
}
console.log(`The package is in ${join(root, 'dist')}.`);
