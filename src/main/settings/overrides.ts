/**
 * Settings the headless CLI overrides for one run, from flags and environment variables: they win
 * over the settings file but are never saved to it, and the settings page shows them as
 * overridden. Pure.
 */
import type { SecretName, Settings } from '../../shared/settings';
import {
  SETTINGS_CATALOGUE,
  validateSettings,
  type SettingsPatch,
} from '../../shared/settings/schema';
import { splitPasswordFromUrl } from '../../shared/postgres-url';
import { FieldsValidationError, ValidationError } from '../../shared/validation-error';
import type { CatalogueEntry } from '../../shared/settings/field';

/** Settings for one run; a url without a mode means mode 'url' (as DATABASE_URL does). */
export type SettingsOverrides = SettingsPatch;

export interface OverriddenSettings {
  readonly settings: Settings;
  /** Dotted paths of the settings the overrides set, e.g. `log.kafka.brokers`. */
  readonly overridden: readonly string[];
  /**
   * A password found in an overriding URL (DATABASE_URL=postgres://u:PASSWORD@...), taken out of
   * the settings (which the renderer sees) so only the connection uses it.
   */
  readonly secrets: { readonly [K in SecretName]?: string };
}

/**
 * `settings` with `overrides` applied. Throws FieldsValidationError when the result is not valid
 * (the field paths are settings paths; the caller knows which flag or variable set each).
 */
export function applyOverrides(
  settings: Settings,
  overrides: SettingsOverrides,
): OverriddenSettings {
  const overridden: string[] = [];
  const secrets: { -readonly [K in SecretName]?: string } = {};
  const postgresOverrides = { ...overrides.postgres };
  if (postgresOverrides.url !== undefined) {
    const { url, password } = splitPasswordFromUrl(postgresOverrides.url);
    postgresOverrides.url = url;
    if (password !== null) secrets.postgresPassword = password;
    postgresOverrides.mode ??= 'url';
  }
  const merged = overlay(
    settings,
    { ...overrides, postgres: postgresOverrides },
    '',
    overridden,
  ) as unknown;
  const result = validateSettings(merged);
  if (!result.ok) throw new FieldsValidationError(result.errors);
  return { settings: result.settings, overridden, secrets };
}

/** Layers of overrides combined, later ones winning (e.g. environment, then flags). */
export function mergeOverrides(...layers: readonly SettingsOverrides[]): SettingsOverrides {
  return layers.reduce<SettingsOverrides>(
    (merged, layer) => overlay(merged, layer, '', []) as SettingsOverrides,
    {},
  );
}

function overlay(base: unknown, top: unknown, path: string, changed: string[]): unknown {
  if (!isPlainObject(top)) return top;
  const result: Record<string, unknown> = isPlainObject(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(top)) {
    if (value === undefined) continue;
    const at = path ? `${path}.${key}` : key;
    if (isPlainObject(value)) {
      result[key] = overlay(result[key], value, at, changed);
    } else {
      result[key] = value;
      changed.push(at);
    }
  }
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The overrides the environment sets, from the settings catalogue's variables:
 * - STREAMPULSE_KAFKA_BROKERS: host:port[,host:port...]; uses Kafka as the event log
 * - STREAMPULSE_KAFKA_TOPIC: the Kafka topic
 * - DATABASE_URL: a PostgreSQL URL (postgres://USER:PASSWORD@HOST:PORT/DB); uses it, not the
 *   embedded server
 * - STREAMPULSE_RATE: events per second
 * (The passwords come from STREAMPULSE_KAFKA_PASSWORD(_FILE) and STREAMPULSE_POSTGRES_PASSWORD(_FILE),
 * see EnvSecretOverlay.) Empty variables are ignored. Throws ValidationError, naming the variable,
 * for a value that cannot be read at all; the rest is checked by applyOverrides.
 */
export function settingsFromEnv(env: NodeJS.ProcessEnv): SettingsOverrides {
  let overrides: SettingsOverrides = {};
  for (const entry of SETTINGS_CATALOGUE) {
    const text = entry.env === undefined ? undefined : env[entry.env]?.trim();
    if (!text) continue;
    overrides = withOverride(overrides, entry, envValue(entry, text));
  }
  return overrides;
}

function envValue(entry: CatalogueEntry, text: string): unknown {
  switch (entry.cli) {
    case 'list':
      return text.split(',').map((item) => item.trim());
    case 'number':
    case 'integer': {
      const value = Number(text.replace(/_/g, ''));
      if (!Number.isFinite(value)) {
        const what = entry.unitName ? `a number of ${entry.unitName}` : 'a number';
        throw new ValidationError(entry.env ?? entry.path, `must be ${what}, got "${text}"`);
      }
      return value;
    }
    default:
      return text;
  }
}

/** `overrides` with the catalogue field `entry` set to `value`, and what setting it implies. */
export function withOverride(
  overrides: SettingsOverrides,
  entry: CatalogueEntry,
  value: unknown,
): SettingsOverrides {
  const implied = Object.entries(entry.implies ?? {}).reduce<unknown>(
    (result, [path, impliedValue]) => withValueAt(result, path, impliedValue),
    overrides,
  );
  return withValueAt(implied, entry.path, value) as SettingsOverrides;
}

function withValueAt(root: unknown, path: string, value: unknown): unknown {
  const [key = '', ...rest] = path.split('.');
  const node = isPlainObject(root) ? root : {};
  return {
    ...node,
    [key]: rest.length === 0 ? value : withValueAt(node[key], rest.join('.'), value),
  };
}
