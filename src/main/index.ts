/**
 * The Electron entry: the same pipeline as `streampulse serve`, plus a window onto its
 * dashboard. Kept thin: everything it starts is plain Node and tested without Electron.
 */
import { app, BrowserWindow, session } from 'electron';
import { fileURLToPath } from 'node:url';
import { HttpServer } from './api/http-server';
import { DEFAULT_PORT } from './cli/serve-command';
import { engineConfig } from './engine/engine-config';
import { defaultDataDir } from './data-dir';
import { createLogger } from './logger';
import { Pipeline } from './pipeline';

const logger = createLogger({ component: 'app' });

async function startApp(): Promise<void> {
  const dataDir = defaultDataDir();
  app.setPath('userData', dataDir);
  const pipeline = new Pipeline({
    dataDir,
    partitions: undefined,
    partitioner: undefined,
    seed: String(Date.now()),
    ratePerSecond: 50,
    databaseUrl: process.env.DATABASE_URL,
    engine: engineConfig(),
    workersDir: fileURLToPath(new URL('.', import.meta.url)),
    logger,
  });
  const server = new HttpServer({
    port: DEFAULT_PORT,
    staticRoot: fileURLToPath(new URL('../renderer/', import.meta.url)),
    status: () => pipeline.status(),
    logger,
  });
  await pipeline.start();
  await server.start();

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
    if (!url.startsWith(server.url)) event.preventDefault();
  });
  await window.loadURL(server.url);

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    // Drain: stop generating, let the engine catch up and checkpoint, stop Postgres, then quit.
    void (async () => {
      await server.stop();
      await pipeline.stop();
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
