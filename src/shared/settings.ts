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
export type { ConnectionProblem, ConnectionTestResult, SettingsView } from './api/settings';

export interface SettingsUpdate {
  readonly settings: Settings;
  /** A new value for a secret; null removes it; absent keeps it. */
  readonly secrets?: { readonly [K in SecretName]?: string | null };
}
