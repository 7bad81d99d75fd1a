import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'StreamPulse';

/**
 * Where StreamPulse keeps its data unless told otherwise: the OS's per-user app data folder, the
 * same one Electron's `app.getPath('userData')` gives, so the app and the headless CLI share it.
 * STREAMPULSE_DATA_DIR overrides it.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.STREAMPULSE_DATA_DIR) return env.STREAMPULSE_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_NAME);
}

/** The event log lives here, under the data dir. */
export function logDirOf(dataDir: string): string {
  return join(dataDir, 'log');
}
