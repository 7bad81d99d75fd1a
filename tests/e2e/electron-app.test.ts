/**
 * The desktop app itself: Playwright's Electron driver opens the window and sees live data over
 * IPC. It needs Electron's binary, which `npm start` downloads on first use; where it cannot be
 * downloaded (CI here) the test is skipped and says why.
 */
import { mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { _electron as electron } from 'playwright-core';
import { electronPackageDir, installedElectron } from '../../scripts/electron-binary.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

const electronPackage = electronPackageDir();
const binary = electronPackage ? installedElectron(electronPackage) : null;
const hasDisplay =
  process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

describe('the desktop app', () => {
  it.skipIf(!binary || !hasDisplay)(
    'opens its window and shows live data over IPC (needs the Electron binary and a display)',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'sp-electron-'));
      chmodSync(dataDir, 0o755);
      const app = await electron.launch({
        executablePath: binary!,
        args: [root],
        env: { ...process.env, STREAMPULSE_DATA_DIR: dataDir },
      });
      try {
        const window = await app.firstWindow();
        await expect
          .poll(() => window.locator('text=desktop app').count(), { timeout: 30_000 })
          .toBe(1);
        const downloads = window
          .locator('.card', { hasText: 'Downloads (5 min)' })
          .locator('.card-value');
        await expect
          .poll(async () => Number((await downloads.textContent())?.replace(/,/g, '') ?? 0), {
            timeout: 30_000,
          })
          .toBeGreaterThan(0);
        // The page cannot reach Node: the sandbox holds.
        expect(
          await window.evaluate(() => typeof (globalThis as { require?: unknown }).require),
        ).toBe('undefined');
      } finally {
        await app.close();
      }
    },
  );
});
