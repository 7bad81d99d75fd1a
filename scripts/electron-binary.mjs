/**
 * Where Electron's binary is, for `npm start` (which fetches it on first use), `npm run dist`
 * (which needs it and says so) and the desktop app's test. The electron package has no install
 * script: it downloads its binary on first use (or with `npx install-electron`) into
 * node_modules/electron/dist, and writes the executable's path there into path.txt. So a fresh
 * `npm install` has the package, not the binary, and a machine that cannot reach Electron's
 * releases (CI) never has it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The command that downloads the binary (electron's install script, as its package names it). */
export const INSTALL_ELECTRON = 'npx install-electron';

/** The electron package's folder, as resolved from `from` (a file URL or path); null if absent. */
export function electronPackageDir(from = import.meta.url) {
  try {
    return dirname(createRequire(from).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** The Electron executable the package installed, or null when its binary is not there. */
export function installedElectron(packageDir) {
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}
