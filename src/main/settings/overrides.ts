/**
 * Settings the headless CLI overrides for one run, from flags and environment variables: they win
 * over the settings file but are never saved to it, and the settings page shows them as
 * overridden. Pure.
 */
import type {
  KafkaSettings,
  PartitionerSetting,
  SecretName,
  Settings,
} from '../../shared/settings';
import { validateSettings } from '../../shared/settings/schema';
import { splitPasswordFromUrl } from '../../shared/settings/url-password';
import { FieldsValidationError, ValidationError } from '../../shared/validation-error';

export interface SettingsOverrides {
  readonly log?: {
    readonly backend?: 'embedded' | 'kafka';
    readonly partitions?: number;
    readonly partitioner?: PartitionerSetting;
    readonly kafka?: Partial<KafkaSettings>;
  };
  /** A url without a mode means mode 'url' (as DATABASE_URL does). */
  readonly postgres?: { readonly mode?: 'embedded' | 'url'; readonly url?: string };
  readonly generator?: { readonly ratePerSecond?: number; readonly seed?: string | null };
  readonly engine?: { readonly windowSizeMs?: number };
}

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
 * The overrides the environment sets:
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
  const brokers = env.STREAMPULSE_KAFKA_BROKERS?.trim();
  const topic = env.STREAMPULSE_KAFKA_TOPIC?.trim();
  const url = env.DATABASE_URL?.trim();
  const rateText = env.STREAMPULSE_RATE?.trim();
  let ratePerSecond: number | undefined;
  if (rateText) {
    ratePerSecond = Number(rateText.replace(/_/g, ''));
    if (!Number.isFinite(ratePerSecond)) {
      throw new ValidationError(
        'STREAMPULSE_RATE',
        `must be a number of events per second, got "${rateText}"`,
      );
    }
  }
  const kafka: { brokers?: string[]; topic?: string } = {};
  if (brokers) kafka.brokers = brokers.split(',').map((b) => b.trim());
  if (topic) kafka.topic = topic;
  return {
    ...(brokers || topic
      ? { log: { ...(brokers ? { backend: 'kafka' as const } : {}), kafka } }
      : {}),
    ...(url ? { postgres: { mode: 'url' as const, url } } : {}),
    ...(ratePerSecond !== undefined ? { generator: { ratePerSecond } } : {}),
  };
}
