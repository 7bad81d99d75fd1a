/**
 * Every setting, written once: its type and limits (a zod schema), default, label, unit and help
 * for the settings page, the `serve` flag and environment variable that override it, and whether
 * it only takes effect at the next start. The settings schema and types (schema.ts), the defaults,
 * the form's fields and labels, the CLI's flag map and the names in its errors, the environment
 * overrides, the restart-only diff and the engine's and generator's bounds all derive from it.
 *
 * Adding a setting: add a `field(...)` here, in its section, with its schema, default and label
 * (and `flag`/`env`/`cli` if the CLI or the environment may set it, `restartOnly` if it applies
 * at the next start). Types, validation, defaults, flags, variables and the restart list follow.
 * Only what uses the value (the runtime, and the form's section component that places the input)
 * is written by hand.
 */
import { z } from 'zod';
import { DEFAULT_OUTCOME_MIX } from '../domain';
import { ALERT_RULE_LABELS, alertRulesSchema, type AlertRuleOutput } from './alert-rules';
import { DEFAULT_ALERT_RULE_VALUES } from './limits';
import { field, section, type SectionCheck } from './field';
import {
  ALLOWED_LATENESS_LIMITS,
  MAX_FUTURE_LIMITS,
  OUT_OF_ORDERNESS_LIMITS,
  RATE_LIMITS,
  WINDOW_SIZE_LIMITS,
} from './limits';
import { round, shown, hasControlCharacters } from './messages';
import {
  brokerProblem,
  flinkRestUrlProblem,
  kafkaTopicProblem,
  postgresUrlProblem,
} from './text-checks';
import { durationIn, flag, numberIn, oneOf, pemOrNull, text, wholeNumberIn } from './zod-fields';

export const SETTINGS_VERSION = 1;

export const SASL_MECHANISM_NAMES = ['none', 'plain', 'scram-sha-256', 'scram-sha-512'] as const;
/** Our producer's compression of record batches; every codec is read whatever this says. */
export const KAFKA_COMPRESSION_SETTINGS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export const PARTITIONER_SETTINGS = ['region', 'murmur2'] as const;
/** The engines: ours, in this process, or a job on an Apache Flink cluster. */
export const ENGINE_KINDS = ['builtin', 'flink'] as const;
const FLINK_PARALLELISM_LIMITS = { min: 1, max: 256 } as const;
const FLINK_CHECKPOINT_LIMITS = { min: 1_000, max: 600_000 } as const;

const RATE_UNIT = 'events per second';
const BROKERS_MAX = 100;
const USERNAME_MAX = 255;
const SEED_MAX = 128;
const SHARE = { min: 0, max: 1 } as const;

/** host:port texts; every problem is on the list's own path (the form shows them under it). */
const brokersSchema = z
  .array(z.unknown(), {
    error: (issue) =>
      issue.input === undefined
        ? 'is required: a list of host:port'
        : `must be a list of host:port, e.g. ["broker1.example.com:9092"]`,
  })
  .superRefine((brokers, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: 'custom', message, input: brokers });
    if (brokers.length > BROKERS_MAX) {
      fail(`has ${brokers.length} brokers: at most ${BROKERS_MAX}`);
    }
    const seen = new Set<string>();
    for (const broker of brokers) {
      if (typeof broker !== 'string') {
        fail(`each broker must be a "host:port" text, got ${shown(broker)}`);
        continue;
      }
      const problem = brokerProblem(broker);
      if (problem) fail(problem);
      else if (seen.has(broker)) fail(`"${broker}" is listed twice`);
      seen.add(broker);
    }
  })
  .transform((brokers) => brokers as string[]);

const usernameSchema = text((username) =>
  username.length > USERNAME_MAX
    ? `is too long (at most ${USERNAME_MAX})`
    : hasControlCharacters(username)
      ? 'must not contain control characters (tabs, line breaks)'
      : null,
);

const seedSchema = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'is required (null for a new seed)'
        : `must be text or null, got ${shown(issue.input)}`,
  })
  .refine((seed) => seed.length >= 1 && seed.length <= SEED_MAX, {
    error: `must be 1-${SEED_MAX} characters; leave it unset (null) for a new seed each start`,
  })
  .nullable();

const outcomeMixCheck: SectionCheck = ({ failed, slow }, ctx) => {
  const share = (n: unknown): n is number => typeof n === 'number' && n >= 0 && n <= 1;
  if (share(failed) && share(slow) && failed + slow > 1) {
    ctx.addIssue({
      code: 'custom',
      message: `failed + slow must be at most 1 (100% of downloads), got ${round(failed + slow)}`,
    });
  }
};

const kafkaCheck: SectionCheck = ({ sasl, username }, ctx) => {
  const mechanism = SASL_MECHANISM_NAMES.find((name) => name === sasl);
  if (mechanism && mechanism !== 'none' && username === '') {
    ctx.addIssue({
      code: 'custom',
      path: ['username'],
      message: `is required with SASL (${mechanism}): enter the Kafka user name`,
    });
  }
};

const logCheck: SectionCheck = ({ backend, kafka }, ctx) => {
  const brokers = (kafka as { brokers?: unknown } | null)?.brokers;
  if (backend === 'kafka' && Array.isArray(brokers) && brokers.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['kafka', 'brokers'],
      message: 'needs at least one broker (host:port, e.g. broker1.example.com:9092) for Kafka',
    });
  }
};

const postgresCheck: SectionCheck = ({ mode, url }, ctx) => {
  if (mode === 'url' && url === '') {
    ctx.addIssue({
      code: 'custom',
      path: ['url'],
      message:
        'is required to use your own PostgreSQL: postgres://USER@HOST:5432/DATABASE?sslmode=require',
    });
  }
};

const engineCheck: SectionCheck = ({ kind, flink }, ctx) => {
  const restUrl = (flink as { restUrl?: unknown } | null)?.restUrl;
  if (kind === 'flink' && restUrl === '') {
    ctx.addIssue({
      code: 'custom',
      path: ['flink', 'restUrl'],
      message:
        'is required for the Flink engine: the JobManager REST URL, e.g. http://127.0.0.1:8081',
    });
  }
};

// The defaults live zod-free in limits.ts: the engine's worker reads them without loading zod.
const DEFAULT_ALERT_RULES: AlertRuleOutput[] = DEFAULT_ALERT_RULE_VALUES.map((rule) => ({
  ...rule,
}));

export const CATALOGUE = section({
  version: field(
    z.literal(SETTINGS_VERSION, {
      error: (issue) =>
        issue.input === undefined
          ? `is required (${SETTINGS_VERSION})`
          : `must be ${SETTINGS_VERSION}: this StreamPulse reads settings version ${SETTINGS_VERSION}, got ${shown(issue.input)}`,
    }),
    { default: SETTINGS_VERSION, label: 'Settings version' },
  ),
  log: section(
    {
      backend: field(oneOf(['embedded', 'kafka']), {
        default: 'embedded',
        label: 'Event log backend',
      }),
      partitions: field(wholeNumberIn({ min: 1, max: 256 }), {
        default: 3,
        label: 'Partitions',
        help: 'Of a new log or topic',
        limits: { min: 1, max: 256 },
        flag: '--partitions',
        cli: 'integer',
        restartOnly: true,
      }),
      partitioner: field(oneOf(PARTITIONER_SETTINGS), {
        default: 'region',
        label: 'Partitioner',
        flag: '--partitioner',
        cli: 'text',
        restartOnly: true,
      }),
      kafka: section(
        {
          brokers: field(brokersSchema, {
            default: ['127.0.0.1:9092'],
            label: 'Kafka brokers',
            help: 'host:port, separated by commas or new lines',
            flag: '--kafka-brokers',
            env: 'STREAMPULSE_KAFKA_BROKERS',
            cli: 'list',
            input: 'lines',
            implies: { 'log.backend': 'kafka' },
          }),
          clientId: field(
            text((id) =>
              /^[A-Za-z0-9._-]{1,255}$/.test(id)
                ? null
                : 'use 1-255 letters, digits, dots, underscores and dashes',
            ),
            { default: 'streampulse', label: 'Kafka client id' },
          ),
          topic: field(text(kafkaTopicProblem), {
            default: 'content-downloads',
            label: 'Kafka topic',
            flag: '--kafka-topic',
            env: 'STREAMPULSE_KAFKA_TOPIC',
            cli: 'text',
          }),
          tls: field(flag(), {
            default: false,
            label: 'Kafka TLS',
            flag: '--kafka-tls',
            cli: 'boolean',
          }),
          ca: field(pemOrNull(), {
            default: null,
            label: 'Kafka CA certificate',
            help: 'Only for a CA that is not a public one; empty: the system’s CAs',
            flag: '--kafka-ca',
            cli: 'file',
            input: 'pem',
            implies: { 'log.kafka.tls': true },
          }),
          sasl: field(oneOf(SASL_MECHANISM_NAMES), {
            default: 'none',
            label: 'Kafka SASL mechanism',
            flag: '--kafka-sasl',
            cli: 'text',
          }),
          username: field(usernameSchema, {
            default: '',
            label: 'Kafka username',
            flag: '--kafka-username',
            cli: 'text',
          }),
          compression: field(oneOf(KAFKA_COMPRESSION_SETTINGS), {
            default: 'lz4',
            label: 'Kafka compression',
            help: 'How StreamPulse compresses what it writes; every codec is read',
            flag: '--kafka-compression',
            cli: 'text',
          }),
        },
        { check: kafkaCheck, label: 'Kafka' },
      ),
    },
    { check: logCheck, label: 'Event log' },
  ),
  postgres: section(
    {
      mode: field(oneOf(['embedded', 'url']), { default: 'embedded', label: 'PostgreSQL' }),
      url: field(
        text((url) => (url === '' ? null : postgresUrlProblem(url))),
        {
          default: '',
          label: 'PostgreSQL URL',
          help: 'Without the password: one typed here is moved to the secret store',
          flag: '--database-url',
          env: 'DATABASE_URL',
          cli: 'text',
          implies: { 'postgres.mode': 'url' },
        },
      ),
      ca: field(pemOrNull(), {
        default: null,
        label: 'PostgreSQL CA certificate',
        help: 'Verifies the server (verify-full); empty: as the URL’s sslmode says',
        flag: '--postgres-ca',
        cli: 'file',
        input: 'pem',
      }),
      // Neon's free tier allows few connections, and the engine keeps its own 2.
      poolMax: field(wholeNumberIn({ min: 1, max: 50 }), {
        default: 5,
        label: 'PostgreSQL pool size',
        unit: 'connections',
        help: 'The engine keeps 2 more of its own',
        limits: { min: 1, max: 50 },
      }),
    },
    { check: postgresCheck, label: 'PostgreSQL' },
  ),
  generator: section(
    {
      ratePerSecond: field(numberIn(RATE_LIMITS, ` ${RATE_UNIT}`), {
        default: 50,
        label: 'Event rate',
        unit: 'events/s',
        unitName: RATE_UNIT,
        limits: RATE_LIMITS,
        flag: '--rate',
        env: 'STREAMPULSE_RATE',
        cli: 'number',
      }),
      seed: field(seedSchema, {
        default: null,
        label: 'Seed',
        help: 'Empty: a new seed each start',
        flag: '--seed',
        cli: 'text',
        input: 'optional',
        restartOnly: true,
      }),
      outcomeMix: section(
        {
          failed: field(numberIn(SHARE), {
            default: DEFAULT_OUTCOME_MIX.failed,
            label: 'Failed %',
            unit: '%',
            limits: SHARE,
            display: 'percent',
          }),
          slow: field(numberIn(SHARE), {
            default: DEFAULT_OUTCOME_MIX.slow,
            label: 'Slow %',
            unit: '%',
            limits: SHARE,
            display: 'percent',
          }),
        },
        { check: outcomeMixCheck, label: 'Outcome mix' },
      ),
    },
    { label: 'Generator' },
  ),
  engine: section(
    {
      // Switched while running: the running engine stops (the built-in one drains and
      // checkpoints, a Flink job stops with a savepoint) and the other one continues.
      kind: field(oneOf(ENGINE_KINDS), {
        default: 'builtin',
        label: 'Engine',
        help: 'Built-in: in this process. Flink: a job on your Flink cluster (needs Kafka)',
        flag: '--engine',
        env: 'STREAMPULSE_ENGINE',
        cli: 'text',
      }),
      flink: section(
        {
          restUrl: field(text(flinkRestUrlProblem), {
            default: '',
            label: 'Flink JobManager REST URL',
            help: 'e.g. http://flink-jobmanager:8081',
            flag: '--flink-rest',
            env: 'STREAMPULSE_FLINK_REST',
            cli: 'text',
          }),
          parallelism: field(wholeNumberIn(FLINK_PARALLELISM_LIMITS), {
            default: 2,
            label: 'Flink parallelism',
            help: 'Up to the number of partitions: more slots than partitions stay idle',
            limits: FLINK_PARALLELISM_LIMITS,
            flag: '--flink-parallelism',
            cli: 'integer',
          }),
          checkpointIntervalMs: field(durationIn(FLINK_CHECKPOINT_LIMITS), {
            default: 10_000,
            label: 'Flink checkpoint interval',
            unit: 's',
            help: 'Rows reach PostgreSQL at each checkpoint',
            limits: FLINK_CHECKPOINT_LIMITS,
            display: 'seconds',
          }),
        },
        { label: 'Apache Flink' },
      ),
      windowSizeMs: field(durationIn(WINDOW_SIZE_LIMITS), {
        default: 60_000,
        label: 'Window size',
        unit: 's',
        help: 'The length of each window',
        limits: WINDOW_SIZE_LIMITS,
        display: 'seconds',
        flag: '--window',
        cli: 'duration',
        restartOnly: true,
      }),
      outOfOrdernessMs: field(durationIn(OUT_OF_ORDERNESS_LIMITS), {
        default: 5_000,
        label: 'Out-of-orderness',
        unit: 's',
        help: 'How far events may arrive out of order before the watermark passes them',
        limits: OUT_OF_ORDERNESS_LIMITS,
        display: 'seconds',
        restartOnly: true,
      }),
      allowedLatenessMs: field(durationIn(ALLOWED_LATENESS_LIMITS), {
        default: 60_000,
        label: 'Allowed lateness',
        unit: 's',
        help: 'How long a closed window still takes late events',
        limits: ALLOWED_LATENESS_LIMITS,
        display: 'seconds',
        restartOnly: true,
      }),
      // Events further ahead of the wall clock and the watermark than this are kept aside.
      maxFutureMs: field(durationIn(MAX_FUTURE_LIMITS), {
        default: 300_000,
        label: 'Future bound',
        unit: 's',
        help: 'Events further ahead of the clock are kept aside, not counted',
        limits: MAX_FUTURE_LIMITS,
        display: 'seconds',
        restartOnly: true,
      }),
      alertRules: field(alertRulesSchema, {
        default: DEFAULT_ALERT_RULES,
        label: 'Alert rules',
        restartOnly: true,
      }),
    },
    // The windows' settings are read when the engine starts; the engine's kind switches live.
    { check: engineCheck, label: 'Engine' },
  ),
});

/** The secrets: never in the settings, set in the page, by a variable or a flag. */
export const SECRETS = {
  kafkaPassword: {
    label: 'Kafka password',
    env: 'STREAMPULSE_KAFKA_PASSWORD',
    flag: '--kafka-password-file',
  },
  postgresPassword: { label: 'PostgreSQL password', env: 'STREAMPULSE_POSTGRES_PASSWORD' },
} as const;

/** Labels of an alert rule's fields (`engine.alertRules.N.<key>`). */
export { ALERT_RULE_LABELS };
