/**
 * The Electron entry: the same services as `streampulse serve`, plus a window onto the dashboard,
 * which calls the API over IPC (the same handler table as HTTP). Kept thin: everything it starts
 * is plain Node and tested without Electron.
 */
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIVE_CHANNEL } from '../shared/ipc-envelope';
import { EXPORT_CHANNELS } from '../shared/export-contract';
import { ExportJobs } from './export/export-jobs';
import { AppServices } from './runtime/app-services';
import { DEFAULT_PORT } from './cli/serve-command';
import { defaultDataDir } from './data-dir';
import { safeStorageCipher } from './electron/safe-storage-cipher';
import { appSettings } from './runtime/app-settings';
import { connectionTests } from './runtime/connection-tests';
import { settingsFromEnv } from './settings/overrides';
import { EncryptedFileSecretStore, EnvSecretOverlay } from './settings/secret-store';

const ENCRYPTED_SECRETS_FILE_NAME = 'secrets.encrypted.json';
import { bindIpc, trustOwnTopFrame } from './ipc/ipc-binding';
import { createLogger } from './logger';

const logger = createLogger({ component: 'app' });

async function startApp(): Promise<void> {
  const dataDir = defaultDataDir();
  app.setPath('userData', dataDir);
  // Secrets encrypted by the OS (Keychain, DPAPI, a Linux keyring) through safeStorage's async API;
  // environment variables still win, as in headless mode.
  const cipher = await safeStorageCipher(safeStorage);
  const settings = await appSettings({
    dataDir,
    overrides: settingsFromEnv(process.env),
    secrets: new EnvSecretOverlay(
      // Its own file: `serve` on the same data dir keeps plain secrets in secrets.json, and
      // neither may overwrite the other's.
      new EncryptedFileSecretStore(join(dataDir, ENCRYPTED_SECRETS_FILE_NAME), cipher),
      process.env,
    ),
    tests: connectionTests,
    logger,
    now: Date.now,
  });
  const services = new AppServices({
    dataDir,
    ...settings.pipeline,
    workersDir: fileURLToPath(new URL('.', import.meta.url)),
    dashboardDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
    port: DEFAULT_PORT,
    logger,
  });
  await services.start();
  const appOrigin = new URL(services.url).origin;

  // No permission (camera, notifications, ...) is ever needed.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, grant) =>
    grant(false),
  );
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'StreamPulse',
    webPreferences: {
      preload: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== appOrigin) event.preventDefault();
  });
  // Exports from the window: the main process asks where to save and writes the file itself.
  const exportJobs = new ExportJobs({
    service: services.exports,
    chooseFile: async (suggestedName) => {
      const answer = await dialog.showSaveDialog(window, {
        defaultPath: join(app.getPath('downloads'), suggestedName),
      });
      return answer.canceled || !answer.filePath ? null : answer.filePath;
    },
    send: (progress) => {
      if (!window.isDestroyed()) window.webContents.send(EXPORT_CHANNELS.progress, progress);
    },
  });
  const unbindIpc = bindIpc({
    ipcMain,
    handlers: services.ipcHandlers(),
    isTrustedSender: trustOwnTopFrame(appOrigin),
    session: () => ({ httpUrl: services.url, token: services.token }),
    exports: exportJobs,
    logger,
  });

  // The dashboard (and its CSP, whose connect-src is the local API only) comes from the local server.
  await window.loadURL(services.url);

  // Live snapshots, at most once a second, pushed to the window.
  const push = setInterval(() => {
    services.live
      .snapshot()
      .then((snapshot) => {
        if (!window.isDestroyed()) window.webContents.send(LIVE_CHANNEL, snapshot);
      })
      .catch((err: unknown) => logger.warn('live snapshot failed', { error: err }));
  }, 1000);

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    // Drain: stop generating, let the engine catch up and checkpoint, stop Postgres, then quit.
    void (async () => {
      clearInterval(push);
      unbindIpc();
      await services.stop();
      app.exit(0);
    })();
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.whenReady().then(startApp, (err: unknown) => {
    logger.error('StreamPulse failed to start', { error: err });
    app.exit(1);
  });
}
