/**
 * `streampulse serve`'s flags as settings overrides for this run: they win over the settings file
 * (and the environment) but are never saved, and the settings page shows them as overridden.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { SECRETS } from '../../shared/settings/catalogue';
import type { CatalogueEntry } from '../../shared/settings/field';
import { SETTINGS_CATALOGUE } from '../../shared/settings/schema';
import { withOverride, type SettingsOverrides } from '../settings/overrides';
import { UsageError } from './cli-io';
import type { FlagSpec } from './cli-options';
import { parseDuration, parseInteger, parseNumber } from './option-parsers';
import type { LOG_OPTIONS } from './log-options';

export type FlagValues = {
  readonly [K in keyof typeof LOG_OPTIONS]?: (typeof LOG_OPTIONS)[K] extends {
    readonly value: string;
  }
    ? string
    : boolean;
} & {
  readonly rate?: string;
  readonly seed?: string;
  readonly window?: string;
  readonly 'database-url'?: string;
  readonly 'postgres-ca'?: string;
  readonly engine?: string;
  readonly 'flink-rest'?: string;
  readonly 'flink-parallelism'?: string;
};

/**
 * A settings flag's option for commander: its environment variable and the default help shows
 * come from the catalogue (unless `spec` says otherwise). Its text stays text here;
 * overridesFromFlags turns it into the setting (with the catalogue's bounds).
 */
export function settingFlag<S extends FlagSpec>(name: string, spec: S): S {
  const entry = SETTINGS_CATALOGUE.find((e) => e.flag === `--${name}`);
  const secret = Object.values(SECRETS).some((s) => 'flag' in s && s.flag === `--${name}`);
  if (!entry && !secret) throw new Error(`--${name} is not a settings flag of the catalogue`);
  const shownDefault = entry && spec.defaultText === undefined ? defaultText(entry) : undefined;
  return {
    ...spec,
    ...(entry?.env ? { env: entry.env } : {}),
    ...(shownDefault !== undefined ? { defaultText: shownDefault } : {}),
  };
}

/** A setting's default as a flag's text, if it has one worth showing (not empty, off or a list). */
function defaultText(entry: CatalogueEntry): string | undefined {
  const value = entry.default;
  if (typeof value === 'number') return entry.cli === 'duration' ? `${value / 1000}s` : `${value}`;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** This run's overrides from the flags, as the settings catalogue maps flags to settings. */
export function overridesFromFlags(values: FlagValues): SettingsOverrides {
  const given = values as Readonly<Record<string, string | boolean | undefined>>;
  let overrides: SettingsOverrides = {};
  for (const entry of SETTINGS_CATALOGUE) {
    const name = entry.flag?.replace(/^--/, '');
    const raw = name === undefined ? undefined : given[name];
    if (name === undefined || raw === undefined) continue;
    overrides = withOverride(overrides, entry, flagValue(entry, name, raw));
  }
  return overrides;
}

/** A flag's text as the setting's value; throws UsageError, naming the flag, if it cannot be. */
function flagValue(entry: CatalogueEntry, name: string, raw: string | boolean): unknown {
  if (typeof raw === 'boolean') return raw;
  const { min = -Infinity, max = Infinity } = entry.limits ?? {};
  switch (entry.cli) {
    case 'list':
      return raw.split(',').map((item) => item.trim());
    case 'integer':
      return parseInteger(name, raw, min, max);
    case 'number':
      return parseNumber(name, raw, min, max);
    case 'duration':
      return parseDuration(name, raw, min, max);
    case 'file':
      return readFileSync(resolve(raw), 'utf8');
    default:
      return raw;
  }
}

/** The Kafka password from `--kafka-password-file` (which must be 0600), for this run only. */
export function passwordFromFile(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const path = resolve(file);
  if ((statSync(path).mode & 0o077) !== 0) {
    throw new UsageError(`--kafka-password-file ${path} is readable by others: chmod 600 it`);
  }
  return readFileSync(path, 'utf8').trim();
}

/** Which flag or variable sets a settings path, to name it in errors (from the catalogue). */
const SOURCES: Readonly<Record<string, string>> = Object.fromEntries([
  ...SETTINGS_CATALOGUE.filter((entry) => entry.flag ?? entry.env).map((entry) => [
    entry.path,
    entry.flag && entry.env ? `${entry.flag} (or ${entry.env})` : (entry.flag ?? entry.env),
  ]),
  ...Object.entries(SECRETS).map(([name, secret]) => [
    `secrets.${name}`,
    'flag' in secret ? `${secret.env} or ${secret.flag}` : secret.env,
  ]),
]);

/** A settings error from flags, environment or the settings file, said in their terms. */
export function settingsUsageError(
  errors: ReadonlyArray<{ readonly field: string; readonly message: string }>,
): UsageError {
  const lines = errors.map(({ field, message }) => {
    const source = SOURCES[field];
    return source ? `${source}: ${message}` : `${field} (in settings.json): ${message}`;
  });
  return new UsageError(lines.join('\n'));
}
