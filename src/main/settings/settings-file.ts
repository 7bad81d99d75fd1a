/**
 * The settings file, `<dataDir>/settings.json`: pretty JSON, mode 0600, replaced atomically.
 * Loading never fails because of the file's content: keys an older version did not have get their
 * defaults, and a file that is not JSON or has invalid values is kept aside as a backup while the
 * defaults are used, with a notice that says so.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { validateSettings } from '../../shared/settings/schema';
import { FieldsValidationError } from '../../shared/validation-error';
import { moveAside, writeFileAtomic } from './atomic-file';

export const SETTINGS_FILE_NAME = 'settings.json';

export function settingsFileOf(dataDir: string): string {
  return join(dataDir, SETTINGS_FILE_NAME);
}

export interface LoadedSettings {
  readonly settings: Settings;
  /** For the user: e.g. that the file was invalid, where its backup is, and that defaults are used. */
  readonly notices: readonly string[];
}

export interface LoadSettingsOptions {
  /** The clock for the backup's name (tests). */
  readonly now?: () => Date;
}

const MAX_LISTED_ERRORS = 5;

export async function loadSettings(
  dataDir: string,
  options: LoadSettingsOptions = {},
): Promise<LoadedSettings> {
  const file = settingsFileOf(dataDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { settings: DEFAULT_SETTINGS, notices: [] };
    }
    throw new Error(
      `Cannot read the settings file ${file} (${(error as Error).message}): check its permissions`,
      { cause: error },
    );
  }

  let problem: string;
  try {
    const raw = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
    const result = validateSettings(withDefaults(raw, DEFAULT_SETTINGS));
    if (result.ok) return { settings: result.settings, notices: [] };
    const listed = result.errors
      .slice(0, MAX_LISTED_ERRORS)
      .map((e) => `${e.field}: ${e.message}`)
      .join('; ');
    const more =
      result.errors.length > MAX_LISTED_ERRORS
        ? ` (and ${result.errors.length - MAX_LISTED_ERRORS} more)`
        : '';
    problem = `it has invalid settings: ${listed}${more}`;
  } catch (error) {
    problem = `it is not valid JSON (${(error as Error).message})`;
  }
  const backup = await moveAside(file, (options.now ?? (() => new Date()))());
  return {
    settings: DEFAULT_SETTINGS,
    notices: [
      `The settings file ${file} could not be used: ${problem}. It was kept as ${backup}, and ` +
        'StreamPulse is using the default settings. Change the settings here (saving writes a ' +
        'new file), or fix the backup and move it back to settings.json while StreamPulse is stopped.',
    ],
  };
}

/**
 * Validates, then writes the settings (throws FieldsValidationError, with every problem, when they
 * are not valid). Returns the settings as saved.
 */
export async function saveSettings(dataDir: string, settings: unknown): Promise<Settings> {
  const result = validateSettings(settings);
  if (!result.ok) throw new FieldsValidationError(result.errors);
  return writeSettings(dataDir, result.settings);
}

/** Writes settings that were validated already (one save validates once). */
export async function writeSettings(dataDir: string, settings: Settings): Promise<Settings> {
  await writeFileAtomic(settingsFileOf(dataDir), `${JSON.stringify(settings, null, 2)}\n`);
  return settings;
}

/**
 * `raw` with every key it lacks taken from `defaults`, recursively through objects (a file from an
 * older version). Lists are values, not merged. Keys `defaults` does not have are kept, so the
 * validation names them.
 */
export function withDefaults(raw: unknown, defaults: unknown): unknown {
  if (!isPlainObject(raw) || !isPlainObject(defaults)) return raw;
  const merged: Record<string, unknown> = { ...raw };
  for (const [key, value] of Object.entries(defaults)) {
    merged[key] = key in raw ? withDefaults(raw[key], value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
