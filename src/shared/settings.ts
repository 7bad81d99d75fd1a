/**
 * The settings users change (in the app's settings page, or the file in the data dir), typed once
 * for main, preload and renderer: the types and defaults come from the settings catalogue
 * (settings/catalogue.ts, through settings/schema.ts). Secrets are not part of Settings: they live
 * in a secret store and the renderer only ever learns whether each one is set.
 */
export {
  KAFKA_COMPRESSION_SETTINGS,
  PARTITIONER_SETTINGS,
  SASL_MECHANISM_NAMES,
  SETTINGS_VERSION,
} from './settings/catalogue';
export {
  DEFAULT_SETTINGS,
  SECRET_NAMES,
  type AlertRuleSettings,
  type EngineSettings,
  type FieldError,
  type GeneratorSettings,
  type KafkaCompressionSetting,
  type KafkaSettings,
  type LogSettingsModel,
  type PartitionerSetting,
  type PostgresSettings,
  type SaslMechanismSetting,
  type SecretName,
  type Settings,
} from './settings/schema';
import type { SecretName, Settings } from './settings/schema';

/** What the renderer sees: the settings, and of each secret only whether it is set. */
export interface SettingsView {
  readonly settings: Settings;
  readonly secrets: { readonly [K in SecretName]: { readonly set: boolean } };
  /** Where secrets are kept, and a warning when that is not a real OS secret store. */
  readonly secretStore: { readonly kind: string; readonly warning: string | null };
  /** Dotted paths of settings that environment variables or CLI flags override (headless). */
  readonly overridden: readonly string[];
  /** Things the user should know, e.g. that a corrupt settings file was replaced by defaults. */
  readonly notices: readonly string[];
  /** Settings saved but only used at the next start (e.g. the window size). */
  readonly pendingRestart: readonly string[];
}

export interface SettingsUpdate {
  readonly settings: Settings;
  /** A new value for a secret; null removes it; absent keeps it. */
  readonly secrets?: { readonly [K in SecretName]?: string | null };
}

export type ConnectionProblem =
  | 'invalid'
  | 'dns'
  | 'unreachable'
  | 'refused'
  | 'timeout'
  | 'tls-required'
  | 'tls'
  | 'authentication'
  | 'authorization'
  | 'database-missing'
  | 'permissions'
  | 'topic'
  | 'other';

export interface ConnectionTestResult {
  readonly ok: boolean;
  /** null when ok. */
  readonly problem: ConnectionProblem | null;
  /** What happened and what to do, for people. Never contains a secret. */
  readonly message: string;
  readonly elapsedMs: number;
}
