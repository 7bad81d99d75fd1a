/**
 * The settings users change (in the app's settings page, or the file in the data dir), typed once
 * for main, preload and renderer. Secrets are not part of Settings: they live in a secret store
 * and the renderer only ever learns whether each one is set.
 */
import { DEFAULT_OUTCOME_MIX, type OutcomeMix } from './domain';

export const SETTINGS_VERSION = 1;

export const SASL_MECHANISM_NAMES = ['none', 'plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanismSetting = (typeof SASL_MECHANISM_NAMES)[number];

/** Our producer's compression of record batches; every codec is read whatever this says. */
export const KAFKA_COMPRESSION_SETTINGS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type KafkaCompressionSetting = (typeof KAFKA_COMPRESSION_SETTINGS)[number];

export const PARTITIONER_SETTINGS = ['region', 'murmur2'] as const;
export type PartitionerSetting = (typeof PARTITIONER_SETTINGS)[number];

export interface KafkaSettings {
  /** host:port, at least one. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly topic: string;
  readonly tls: boolean;
  /** PEM text of a CA certificate that is not from a public CA; null: the system's CAs. */
  readonly ca: string | null;
  readonly sasl: SaslMechanismSetting;
  /** With SASL; the password is the secret `kafkaPassword`. */
  readonly username: string;
  /** How our producer compresses record batches (default lz4: docs/kafka.md#compression). */
  readonly compression: KafkaCompressionSetting;
}

export interface LogSettingsModel {
  readonly backend: 'embedded' | 'kafka';
  /** Partitions of a new embedded log or Kafka topic. */
  readonly partitions: number;
  readonly partitioner: PartitionerSetting;
  readonly kafka: KafkaSettings;
}

export interface PostgresSettings {
  readonly mode: 'embedded' | 'url';
  /**
   * postgres://USER@HOST:PORT/DB?sslmode=require, without the password (the secret
   * `postgresPassword`). A password typed into the URL is moved to the secret store.
   */
  readonly url: string;
  /** PEM text of the server's CA (verify-full); null: sslmode as the URL says. */
  readonly ca: string | null;
  /** Connections per pool; Neon's free tier allows few, and the engine keeps its own 2. */
  readonly poolMax: number;
}

export interface GeneratorSettings {
  /** Events per second when the pipeline starts. */
  readonly ratePerSecond: number;
  /** null: a new seed each start. */
  readonly seed: string | null;
  readonly outcomeMix: OutcomeMix;
}

export interface AlertRuleSettings {
  readonly id: string;
  readonly type: string;
  readonly metric: 'errorRate' | 'slowRate' | 'downloads';
  readonly direction: 'above' | 'below';
  readonly threshold: number;
  readonly criticalThreshold?: number;
  readonly consecutiveWindows: number;
  readonly minEvents: number;
}

export interface EngineSettings {
  readonly windowSizeMs: number;
  readonly outOfOrdernessMs: number;
  readonly allowedLatenessMs: number;
  /** Events further ahead of the wall clock and the watermark than this are kept aside. */
  readonly maxFutureMs: number;
  readonly alertRules: readonly AlertRuleSettings[];
}

export interface Settings {
  readonly version: typeof SETTINGS_VERSION;
  readonly log: LogSettingsModel;
  readonly postgres: PostgresSettings;
  readonly generator: GeneratorSettings;
  readonly engine: EngineSettings;
}

export const SECRET_NAMES = ['kafkaPassword', 'postgresPassword'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  log: {
    backend: 'embedded',
    partitions: 3,
    partitioner: 'region',
    kafka: {
      brokers: ['127.0.0.1:9092'],
      clientId: 'streampulse',
      topic: 'content-downloads',
      tls: false,
      ca: null,
      sasl: 'none',
      username: '',
      compression: 'lz4',
    },
  },
  postgres: { mode: 'embedded', url: '', ca: null, poolMax: 5 },
  generator: { ratePerSecond: 50, seed: null, outcomeMix: DEFAULT_OUTCOME_MIX },
  engine: {
    windowSizeMs: 60_000,
    outOfOrdernessMs: 5_000,
    allowedLatenessMs: 60_000,
    maxFutureMs: 300_000,
    alertRules: [
      {
        id: 'high-error-rate',
        type: 'HIGH_ERROR_RATE',
        metric: 'errorRate',
        direction: 'above',
        threshold: 0.1,
        criticalThreshold: 0.25,
        consecutiveWindows: 3,
        minEvents: 20,
      },
    ],
  },
};

/** One problem with one field, by its dotted path (e.g. `log.kafka.brokers`). */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

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
