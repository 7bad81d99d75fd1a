/**
 * The desktop app itself: Playwright's Electron driver opens the window and sees live data over
 * IPC. It needs Electron's binary, which `npm start` downloads on first use; where it cannot be
 * downloaded (CI here) the test is skipped and says why.
 */
import { existsSync, mkdtempSync, chmodSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { _electron as electron } from 'playwright-core';

const root = fileURLToPath(new URL('../..', import.meta.url));

function electronBinary(): string | null {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
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
