/**
 * The settings page's state: the settings as the server has them (`SettingsView`), the form being
 * edited (strings, as typed: seconds for the engine's durations, percentages for shares, brokers as
 * text), the secrets typed but not yet sent, the errors of each field, Apply and the connection
 * tests. A vanilla zustand store, like the dashboard's, so it runs (and is tested) without React.
 *
 * Field errors are kept by the dotted path of a Settings field (`log.kafka.brokers`,
 * `engine.alertRules.0.threshold`): the server names fields that way, and so does the form.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  SECRET_NAMES,
  SETTINGS_VERSION,
  type AlertRuleSettings,
  type ConnectionTestResult,
  type FieldError,
  type KafkaCompressionSetting,
  type PartitionerSetting,
  type SaslMechanismSetting,
  type SecretName,
  type Settings,
  type SettingsUpdate,
  type SettingsView,
} from '../../../shared/settings';
import { ApiError, type ApiClient } from '../api/api-client';

// ---- The form ------------------------------------------------------------------------------

export type RuleMetric = AlertRuleSettings['metric'];
export type RuleDirection = AlertRuleSettings['direction'];

export interface AlertRuleForm {
  readonly id: string;
  readonly type: string;
  readonly metric: RuleMetric;
  readonly direction: RuleDirection;
  /** Percent for the rate metrics, a count for `downloads`. */
  readonly threshold: string;
  /** Empty: no critical threshold. */
  readonly criticalThreshold: string;
  readonly consecutiveWindows: string;
  readonly minEvents: string;
}

/** The settings as the form edits them: the same shape and paths as Settings, values as typed. */
export interface SettingsForm {
  readonly log: {
    readonly backend: 'embedded' | 'kafka';
    readonly partitions: string;
    readonly partitioner: PartitionerSetting;
    readonly kafka: {
      /** host:port, comma- or newline-separated. */
      readonly brokers: string;
      readonly clientId: string;
      readonly topic: string;
      readonly tls: boolean;
      /** PEM text; empty: the system's CAs. */
      readonly ca: string;
      readonly sasl: SaslMechanismSetting;
      readonly username: string;
      readonly compression: KafkaCompressionSetting;
    };
  };
  readonly postgres: {
    readonly mode: 'embedded' | 'url';
    readonly url: string;
    readonly ca: string;
    readonly poolMax: string;
  };
  readonly generator: {
    readonly ratePerSecond: string;
    /** Empty: a new seed each start. */
    readonly seed: string;
    /** Percent. */
    readonly outcomeMix: { readonly failed: string; readonly slow: string };
  };
  readonly engine: {
    /** Seconds (the settings keep ms). */
    readonly windowSizeMs: string;
    readonly outOfOrdernessMs: string;
    readonly allowedLatenessMs: string;
    readonly maxFutureMs: string;
    readonly alertRules: readonly AlertRuleForm[];
  };
}

/** A secret in the form: kept as it is, replaced by a typed value, or removed. */
export interface SecretDraft {
  readonly action: 'keep' | 'replace' | 'remove';
  readonly value: string;
}

export type SecretDrafts = { readonly [K in SecretName]: SecretDraft };

export const KEEP_SECRETS: SecretDrafts = {
  kafkaPassword: { action: 'keep', value: '' },
  postgresPassword: { action: 'keep', value: '' },
};

export function isRateMetric(metric: RuleMetric): boolean {
  return metric !== 'downloads';
}

/** A number as people type it back: no float noise (0.07 * 100 → "7", not "7.000000000000001"). */
export function numberText(n: number): string {
  return String(Number(n.toPrecision(12)));
}

export function msToSecondsText(ms: number): string {
  return numberText(ms / 1000);
}

export function shareToPercentText(share: number): string {
  return numberText(share * 100);
}

/** Brokers as the form shows them: one host:port a line. */
export function brokersToText(brokers: readonly string[]): string {
  return brokers.join('\n');
}

/** Brokers as typed: separated by commas or newlines, blanks dropped. */
export function brokersFromText(text: string): string[] {
  return text
    .split(/[,\n\r]+/)
    .map((b) => b.trim())
    .filter((b) => b !== '');
}

function ruleToForm(rule: AlertRuleSettings): AlertRuleForm {
  const value = (n: number) => (isRateMetric(rule.metric) ? shareToPercentText(n) : numberText(n));
  return {
    id: rule.id,
    type: rule.type,
    metric: rule.metric,
    direction: rule.direction,
    threshold: value(rule.threshold),
    criticalThreshold: rule.criticalThreshold === undefined ? '' : value(rule.criticalThreshold),
    consecutiveWindows: numberText(rule.consecutiveWindows),
    minEvents: numberText(rule.minEvents),
  };
}

export function settingsToForm(settings: Settings): SettingsForm {
  const { log, postgres, generator, engine } = settings;
  return {
    log: {
      backend: log.backend,
      partitions: numberText(log.partitions),
      partitioner: log.partitioner,
      kafka: {
        brokers: brokersToText(log.kafka.brokers),
        clientId: log.kafka.clientId,
        topic: log.kafka.topic,
        tls: log.kafka.tls,
        ca: log.kafka.ca ?? '',
        sasl: log.kafka.sasl,
        username: log.kafka.username,
        compression: log.kafka.compression,
      },
    },
    postgres: {
      mode: postgres.mode,
      url: postgres.url,
      ca: postgres.ca ?? '',
      poolMax: numberText(postgres.poolMax),
    },
    generator: {
      ratePerSecond: numberText(generator.ratePerSecond),
      seed: generator.seed ?? '',
      outcomeMix: {
        failed: shareToPercentText(generator.outcomeMix.failed),
        slow: shareToPercentText(generator.outcomeMix.slow),
      },
    },
    engine: {
      windowSizeMs: msToSecondsText(engine.windowSizeMs),
      outOfOrdernessMs: msToSecondsText(engine.outOfOrdernessMs),
      allowedLatenessMs: msToSecondsText(engine.allowedLatenessMs),
      maxFutureMs: msToSecondsText(engine.maxFutureMs),
      alertRules: engine.alertRules.map(ruleToForm),
    },
  };
}

/**
 * The form as Settings, with the fields that are not numbers at all (the validator judges the
 * rest). `base` keeps anything the form does not edit (fields of a newer version, say).
 */
export function formToSettings(
  form: SettingsForm,
  base: Settings,
): { settings: Settings; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const number = (field: string, text: string, scale = 1): number => {
    const trimmed = text.trim();
    const n = trimmed === '' ? Number.NaN : Number(trimmed);
    if (!Number.isFinite(n)) {
      errors.push({ field, message: 'Enter a number.' });
      return Number.NaN;
    }
    // Scaled values (s → ms, % → share) are rounded to what people can mean by them.
    return scale === 1 ? n : Number((n * scale).toPrecision(12));
  };
  const ms = (field: string, text: string) => {
    const n = number(field, text, 1000);
    return Number.isNaN(n) ? n : Math.round(n);
  };
  const share = (field: string, text: string) => number(field, text, 0.01);
  const pem = (text: string) => (text.trim() === '' ? null : text.trim() + '\n');

  const alertRules = form.engine.alertRules.map((rule, i): AlertRuleSettings => {
    const path = `engine.alertRules.${i}`;
    const threshold = (field: string, text: string) =>
      isRateMetric(rule.metric) ? share(field, text) : number(field, text);
    const critical =
      rule.criticalThreshold.trim() === ''
        ? undefined
        : threshold(`${path}.criticalThreshold`, rule.criticalThreshold);
    // Keeps what the form does not edit of a rule (but not its critical threshold: cleared is cleared).
    const kept: Record<string, unknown> = {
      ...base.engine.alertRules.find((r) => r.id === rule.id),
    };
    delete kept.criticalThreshold;
    return {
      ...kept,
      id: rule.id,
      type: rule.type.trim(),
      metric: rule.metric,
      direction: rule.direction,
      threshold: threshold(`${path}.threshold`, rule.threshold),
      ...(critical === undefined ? {} : { criticalThreshold: critical }),
      consecutiveWindows: number(`${path}.consecutiveWindows`, rule.consecutiveWindows),
      minEvents: number(`${path}.minEvents`, rule.minEvents),
    };
  });

  const settings: Settings = {
    ...base,
    version: SETTINGS_VERSION,
    log: {
      ...base.log,
      backend: form.log.backend,
      partitions: number('log.partitions', form.log.partitions),
      partitioner: form.log.partitioner,
      kafka: {
        ...base.log.kafka,
        brokers: brokersFromText(form.log.kafka.brokers),
        clientId: form.log.kafka.clientId.trim(),
        topic: form.log.kafka.topic.trim(),
        tls: form.log.kafka.tls,
        ca: pem(form.log.kafka.ca),
        sasl: form.log.kafka.sasl,
        username: form.log.kafka.username.trim(),
        compression: form.log.kafka.compression,
      },
    },
    postgres: {
      ...base.postgres,
      mode: form.postgres.mode,
      url: form.postgres.url.trim(),
      ca: pem(form.postgres.ca),
      poolMax: number('postgres.poolMax', form.postgres.poolMax),
    },
    generator: {
      ...base.generator,
      ratePerSecond: number('generator.ratePerSecond', form.generator.ratePerSecond),
      seed: form.generator.seed.trim() === '' ? null : form.generator.seed.trim(),
      outcomeMix: {
        ...base.generator.outcomeMix,
        failed: share('generator.outcomeMix.failed', form.generator.outcomeMix.failed),
        slow: share('generator.outcomeMix.slow', form.generator.outcomeMix.slow),
      },
    },
    engine: {
      ...base.engine,
      windowSizeMs: ms('engine.windowSizeMs', form.engine.windowSizeMs),
      outOfOrdernessMs: ms('engine.outOfOrdernessMs', form.engine.outOfOrdernessMs),
      allowedLatenessMs: ms('engine.allowedLatenessMs', form.engine.allowedLatenessMs),
      maxFutureMs: ms('engine.maxFutureMs', form.engine.maxFutureMs),
      alertRules,
    },
  };
  return { settings, errors };
}

/** The secrets part of an update: typed values, removals; kept secrets are left out. */
export function secretsUpdate(drafts: SecretDrafts): NonNullable<SettingsUpdate['secrets']> {
  const out: { [K in SecretName]?: string | null } = {};
  for (const name of SECRET_NAMES) {
    const draft = drafts[name];
    if (draft.action === 'remove') out[name] = null;
    else if (draft.action === 'replace' && draft.value !== '') out[name] = draft.value;
  }
  return out;
}

// ---- Field paths and errors ----------------------------------------------------------------

/** Every field the form shows, by its Settings path (rules: `engine.alertRules.N.<key>`). */
export const FORM_FIELDS = [
  'log.backend',
  'log.partitions',
  'log.partitioner',
  'log.kafka.brokers',
  'log.kafka.clientId',
  'log.kafka.topic',
  'log.kafka.tls',
  'log.kafka.ca',
  'log.kafka.sasl',
  'log.kafka.username',
  'log.kafka.compression',
  'secrets.kafkaPassword',
  'postgres.mode',
  'postgres.url',
  'postgres.ca',
  'postgres.poolMax',
  'secrets.postgresPassword',
  'generator.ratePerSecond',
  'generator.seed',
  'generator.outcomeMix.failed',
  'generator.outcomeMix.slow',
  'generator.outcomeMix',
  'engine.windowSizeMs',
  'engine.outOfOrdernessMs',
  'engine.allowedLatenessMs',
  'engine.maxFutureMs',
  'engine.alertRules',
] as const;

export const RULE_FIELDS = [
  'type',
  'metric',
  'direction',
  'threshold',
  'criticalThreshold',
  'consecutiveWindows',
  'minEvents',
] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

/** Labels for people: the error summary, the list of what was applied. */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  'log.backend': 'Event log backend',
  'log.partitions': 'Partitions',
  'log.partitioner': 'Partitioner',
  'log.kafka.brokers': 'Kafka brokers',
  'log.kafka.clientId': 'Kafka client id',
  'log.kafka.topic': 'Kafka topic',
  'log.kafka.tls': 'Kafka TLS',
  'log.kafka.ca': 'Kafka CA certificate',
  'log.kafka.sasl': 'Kafka SASL mechanism',
  'log.kafka.username': 'Kafka username',
  'log.kafka.compression': 'Kafka compression',
  'secrets.kafkaPassword': 'Kafka password',
  'postgres.mode': 'PostgreSQL',
  'postgres.url': 'PostgreSQL URL',
  'postgres.ca': 'PostgreSQL CA certificate',
  'postgres.poolMax': 'PostgreSQL pool size',
  'secrets.postgresPassword': 'PostgreSQL password',
  'generator.ratePerSecond': 'Event rate',
  'generator.seed': 'Seed',
  'generator.outcomeMix.failed': 'Failed %',
  'generator.outcomeMix.slow': 'Slow %',
  'generator.outcomeMix': 'Outcome mix',
  'engine.windowSizeMs': 'Window size',
  'engine.outOfOrdernessMs': 'Out-of-orderness',
  'engine.allowedLatenessMs': 'Allowed lateness',
  'engine.maxFutureMs': 'Future bound',
  'engine.alertRules': 'Alert rules',
};

const RULE_LABELS: Readonly<Record<RuleField, string>> = {
  type: 'type',
  metric: 'metric',
  direction: 'direction',
  threshold: 'threshold',
  criticalThreshold: 'critical threshold',
  consecutiveWindows: 'consecutive windows',
  minEvents: 'min events',
};

/** A field's label for people, for any path the server may name. */
export function fieldLabel(path: string): string {
  const broker = /^log\.kafka\.brokers\.(\d+)$/.exec(path);
  if (broker) return `Kafka broker ${Number(broker[1]) + 1}`;
  const rule = /^engine\.alertRules\.(\d+)(?:\.(\w+))?/.exec(path);
  if (rule) {
    const key = rule[2] as RuleField | undefined;
    return `Alert rule ${Number(rule[1]) + 1}${key ? ` ${RULE_LABELS[key] ?? key}` : ''}`;
  }
  const key = formFieldOf(path);
  return key ? (FIELD_LABELS[key] ?? key) : path;
}

/**
 * The form field a server path belongs to: itself, or the nearest field above it
 * (`log.kafka.brokers.1` → `log.kafka.brokers`, `engine.alertRules.0.threshold` stays). Null when
 * no field shows it (the error then only goes to the summary).
 */
export function formFieldOf(path: string): string | null {
  const rule = /^engine\.alertRules\.(\d+)(?:\.(\w+))?/.exec(path);
  if (rule) {
    const key = rule[2];
    return key && (RULE_FIELDS as readonly string[]).includes(key)
      ? `engine.alertRules.${rule[1]}.${key}`
      : 'engine.alertRules';
  }
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const candidate = parts.slice(0, n).join('.');
    if ((FORM_FIELDS as readonly string[]).includes(candidate)) return candidate;
  }
  return null;
}

/**
 * Errors by the form field they belong to, messages joined (one of several brokers says which:
 * "Broker 2: …"); the rest under ''.
 */
export function errorsByField(
  errors: readonly FieldError[],
  brokers = Infinity,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const error of errors) {
    const key = formFieldOf(error.field) ?? '';
    const item = /^log\.kafka\.brokers\.(\d+)$/.exec(error.field);
    const message =
      item && brokers > 1 ? `Broker ${Number(item[1]) + 1}: ${error.message}` : error.message;
    if (out[key]?.split('\n').includes(message)) continue;
    out[key] = out[key] ? `${out[key]}\n${message}` : message;
  }
  return out;
}

const DURATION_FIELDS = /^engine\.(windowSizeMs|outOfOrdernessMs|allowedLatenessMs|maxFutureMs)$/;
const RULE_THRESHOLD = /^engine\.alertRules\.(\d+)\.(threshold|criticalThreshold)$/;

function secondsText(msText: string): string {
  return `${numberText(Number(msText.replace(/,/g, '')) / 1000)} s`;
}

function percentText(shareText: string): string {
  return `${numberText(Number(shareText) * 100)} %`;
}

/**
 * The validator's message in the form's units: the settings keep milliseconds and shares (0-1),
 * the form shows seconds and percent. A message it does not recognise is kept as it is.
 */
export function inFormUnits(error: FieldError, form: SettingsForm | null): FieldError {
  const { field } = error;
  let message = error.message;
  if (DURATION_FIELDS.test(field)) {
    message = message
      .replace(/(\d[\d,]*(?:\.\d+)?) ms(?: \([^)]*\))?/g, (_m, n: string) => secondsText(n))
      .replace(/(?:whole )?milliseconds/g, 'seconds')
      .replace(/got (\d[\d,]*(?:\.\d+)?)$/, (_m, n: string) => `got ${secondsText(n)}`);
  }
  const rule = RULE_THRESHOLD.exec(field);
  const metric = rule ? form?.engine.alertRules[Number(rule[1])]?.metric : undefined;
  if (/^generator\.outcomeMix\.(failed|slow)$/.test(field) || (metric && isRateMetric(metric))) {
    message = message
      .replace(/ \(a share: [^)]*\)/g, '')
      .replace(/from (\d+(?:\.\d+)?) to (\d+(?:\.\d+)?)/, (_m, a: string, b: string) => {
        return `from ${percentText(a).replace(' %', '')} to ${percentText(b)}`;
      })
      .replace(
        /the threshold \((\d+(?:\.\d+)?)\)/,
        (_m, n: string) => `the threshold (${percentText(n)})`,
      )
      .replace(/got (\d+(?:\.\d+)?)$/, (_m, n: string) => `got ${percentText(n)}`);
  }
  return message === error.message ? error : { field, message };
}

/** Whether `path` is `prefix` or lies under it (`log.kafka.brokers` under `log.kafka`). */
export function pathCovers(prefix: string, path: string): boolean {
  return path === prefix || path.startsWith(prefix + '.') || prefix.startsWith(path + '.');
}

/** JSON with object keys sorted: equal values, equal text. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The settings that changed between two versions, as labels (the "applied" list). */
export function changedFields(before: Settings, after: Settings): string[] {
  const flat = (s: Settings): Record<string, string> => ({
    'log.backend': s.log.backend,
    'log.partitions': String(s.log.partitions),
    'log.partitioner': s.log.partitioner,
    'log.kafka.brokers': s.log.kafka.brokers.join(','),
    'log.kafka.clientId': s.log.kafka.clientId,
    'log.kafka.topic': s.log.kafka.topic,
    'log.kafka.tls': String(s.log.kafka.tls),
    'log.kafka.ca': s.log.kafka.ca ?? '',
    'log.kafka.sasl': s.log.kafka.sasl,
    'log.kafka.username': s.log.kafka.username,
    'log.kafka.compression': s.log.kafka.compression,
    'postgres.mode': s.postgres.mode,
    'postgres.url': s.postgres.url,
    'postgres.ca': s.postgres.ca ?? '',
    'postgres.poolMax': String(s.postgres.poolMax),
    'generator.ratePerSecond': String(s.generator.ratePerSecond),
    'generator.seed': s.generator.seed ?? '',
    'generator.outcomeMix.failed': String(s.generator.outcomeMix.failed),
    'generator.outcomeMix.slow': String(s.generator.outcomeMix.slow),
    'engine.windowSizeMs': String(s.engine.windowSizeMs),
    'engine.outOfOrdernessMs': String(s.engine.outOfOrdernessMs),
    'engine.allowedLatenessMs': String(s.engine.allowedLatenessMs),
    'engine.maxFutureMs': String(s.engine.maxFutureMs),
    'engine.alertRules': stableJson(s.engine.alertRules),
  });
  const a = flat(before);
  const b = flat(after);
  return Object.keys(a)
    .filter((key) => a[key] !== b[key])
    .map((key) => FIELD_LABELS[key] ?? key);
}

// ---- Editing the form ----------------------------------------------------------------------

/** A copy of `value` with the property at the dotted `path` set (arrays by index). */
export function setIn<T>(value: T, path: string, next: unknown): T {
  const [head, ...rest] = path.split('.');
  if (head === undefined || head === '') return next as T;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value)
    ? [...(value as unknown[])]
    : { ...(value as Record<string, unknown>) };
  const current = (copy as Record<string, unknown>)[head];
  (copy as Record<string, unknown>)[head] =
    rest.length === 0 ? next : setIn(current, rest.join('.'), next);
  return copy as T;
}

export function newAlertRule(existing: readonly AlertRuleForm[]): AlertRuleForm {
  let n = existing.length + 1;
  while (existing.some((r) => r.id === `rule-${n}`)) n++;
  return {
    id: `rule-${n}`,
    type: 'HIGH_SLOW_RATE',
    metric: 'slowRate',
    direction: 'above',
    threshold: '20',
    criticalThreshold: '',
    consecutiveWindows: '3',
    minEvents: '20',
  };
}

// ---- The store -----------------------------------------------------------------------------

export type Validator = (
  raw: unknown,
) =>
  | { readonly ok: true; readonly settings: Settings }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

export type ConnectionKind = 'kafka' | 'postgres';

export interface ConnectionTestState {
  readonly running: boolean;
  readonly result: ConnectionTestResult | null;
  /** The call itself failed (the backend is unreachable, the settings are invalid). */
  readonly error: string | null;
}

export interface AppliedSummary {
  /** Labels of the settings that changed, and of the secrets replaced or removed. */
  readonly changes: readonly string[];
  readonly pendingRestart: readonly string[];
}

export interface SettingsData {
  readonly status: 'idle' | 'loading' | 'ready' | 'failed';
  readonly loadError: string | null;
  readonly view: SettingsView | null;
  readonly form: SettingsForm | null;
  /** The form as loaded or last applied: what Reset goes back to, and what "unsaved" compares. */
  readonly savedForm: SettingsForm | null;
  readonly secrets: SecretDrafts;
  /** By form field (see formFieldOf); '' for errors no field shows. */
  readonly fieldErrors: Readonly<Record<string, string>>;
  /** Every error of the last Apply or check, for the summary at the top. */
  readonly errorSummary: readonly FieldError[];
  /** Apply failed without naming fields (the backend refused or could not be reached). */
  readonly applyError: string | null;
  readonly applying: boolean;
  readonly applied: AppliedSummary | null;
  readonly tests: { readonly [K in ConnectionKind]: ConnectionTestState };
}

export interface SettingsActions {
  /** Reads the settings; unless `force`, keeps unsaved edits. */
  load(force?: boolean): Promise<void>;
  setField(path: string, value: string | boolean): void;
  setSecret(name: SecretName, draft: SecretDraft): void;
  addRule(): void;
  removeRule(index: number): void;
  /** Back to the settings as saved: edits, typed secrets and errors dropped. */
  reset(): void;
  /** Validates, then calls settings:update; true when applied. */
  apply(): Promise<boolean>;
  testConnection(kind: ConnectionKind): Promise<void>;
}

export type SettingsState = SettingsData & SettingsActions;
export type SettingsStore = StoreApi<SettingsState>;

const IDLE_TEST: ConnectionTestState = { running: false, result: null, error: null };

/** Whether the form differs from the saved settings, or a secret is to be replaced or removed. */
export function hasUnsavedChanges(state: SettingsData): boolean {
  if (!state.form || !state.savedForm) return false;
  return (
    JSON.stringify(state.form) !== JSON.stringify(state.savedForm) ||
    Object.keys(secretsUpdate(state.secrets)).length > 0
  );
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function fieldErrorsOfError(err: unknown): readonly FieldError[] {
  return err instanceof ApiError ? err.errors : [];
}

export interface SettingsStoreOptions {
  /** The shared validator, for errors before any call (absent: the server's errors only). */
  readonly validate?: Validator;
}

export function createSettingsStore(
  client: ApiClient,
  options: SettingsStoreOptions = {},
): SettingsStore {
  return createStore<SettingsState>()((set, get) => {
    /** The form as Settings, with its errors: the number parse, then the shared validator. */
    const check = (): { settings: Settings; errors: readonly FieldError[] } | null => {
      const { form, view } = get();
      if (!form || !view) return null;
      const parsed = formToSettings(form, view.settings);
      if (parsed.errors.length > 0 || !options.validate) return parsed;
      const result = options.validate(parsed.settings);
      return result.ok
        ? { settings: result.settings, errors: [] }
        : { settings: parsed.settings, errors: result.errors };
    };

    const showErrors = (raw: readonly FieldError[]): void => {
      const { form } = get();
      const errors = raw.map((error) => inFormUnits(error, form));
      const brokers = brokersFromText(form?.log.kafka.brokers ?? '').length;
      set({ fieldErrors: errorsByField(errors, brokers), errorSummary: errors });
    };

    /** After an error was shown, edits re-check at once, so errors go as they are fixed. */
    const recheck = (path: string): void => {
      const { errorSummary, fieldErrors } = get();
      if (errorSummary.length === 0) return;
      if (options.validate) {
        showErrors(check()?.errors ?? []);
        return;
      }
      // Without a validator, only the server knows: clear the edited field's error.
      const key = formFieldOf(path) ?? path;
      if (!(key in fieldErrors)) return;
      const remaining = errorSummary.filter((e) => (formFieldOf(e.field) ?? '') !== key);
      showErrors(remaining);
    };

    /** A test's result no longer says anything once what it tried was edited: drop it. */
    const staleTest = (path: string): void => {
      const kind: ConnectionKind | null =
        path.startsWith('log.kafka.') || path === 'secrets.kafkaPassword'
          ? 'kafka'
          : path.startsWith('postgres.') || path === 'secrets.postgresPassword'
            ? 'postgres'
            : null;
      const test = kind && get().tests[kind];
      if (kind && test && !test.running && (test.result || test.error))
        set({ tests: { ...get().tests, [kind]: IDLE_TEST } });
    };

    const fromView = (view: SettingsView): Partial<SettingsData> => {
      const form = settingsToForm(view.settings);
      return { view, form, savedForm: form, secrets: KEEP_SECRETS };
    };

    return {
      status: 'idle',
      loadError: null,
      view: null,
      form: null,
      savedForm: null,
      secrets: KEEP_SECRETS,
      fieldErrors: {},
      errorSummary: [],
      applyError: null,
      applying: false,
      applied: null,
      tests: { kafka: IDLE_TEST, postgres: IDLE_TEST },

      async load(force = false) {
        if (get().status === 'loading') return;
        set({ status: 'loading', loadError: null });
        try {
          const view = await client.call('settings:get', {});
          const keepEdits = !force && get().form !== null && hasUnsavedChanges(get());
          set({
            status: 'ready',
            ...(keepEdits
              ? { view }
              : {
                  ...fromView(view),
                  fieldErrors: {},
                  errorSummary: [],
                  applied: null,
                  applyError: null,
                }),
          });
        } catch (err) {
          set({ status: 'failed', loadError: messageOf(err) });
        }
      },

      setField(path, value) {
        const { form } = get();
        if (!form) return;
        set({ form: setIn(form, path, value), applied: null, applyError: null });
        staleTest(path);
        recheck(path);
      },

      setSecret(name, draft) {
        set({ secrets: { ...get().secrets, [name]: draft }, applied: null });
        staleTest(`secrets.${name}`);
        recheck(`secrets.${name}`);
      },

      addRule() {
        const { form } = get();
        if (!form) return;
        const rules = [...form.engine.alertRules, newAlertRule(form.engine.alertRules)];
        set({ form: setIn(form, 'engine.alertRules', rules), applied: null });
      },

      removeRule(index) {
        const { form } = get();
        if (!form) return;
        const rules = form.engine.alertRules.filter((_, i) => i !== index);
        set({ form: setIn(form, 'engine.alertRules', rules), applied: null });
        // The indexes after it moved: their errors no longer point at the right rule.
        if (get().errorSummary.some((e) => e.field.startsWith('engine.alertRules')))
          showErrors(options.validate ? (check()?.errors ?? []) : []);
      },

      reset() {
        const { savedForm, tests } = get();
        const idle = (test: ConnectionTestState) => (test.running ? test : IDLE_TEST);
        set({
          tests: { kafka: idle(tests.kafka), postgres: idle(tests.postgres) },
          form: savedForm,
          secrets: KEEP_SECRETS,
          fieldErrors: {},
          errorSummary: [],
          applyError: null,
          applied: null,
        });
      },

      async apply() {
        const checked = check();
        const { view } = get();
        if (!checked || !view || get().applying) return false;
        set({ applied: null, applyError: null });
        if (checked.errors.length > 0) {
          showErrors(checked.errors);
          return false;
        }
        const secrets = secretsUpdate(get().secrets);
        set({ applying: true });
        try {
          const next = await client.call('settings:update', {
            settings: checked.settings,
            ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
          });
          const secretChanges = SECRET_NAMES.filter((name) => name in secrets).map(
            (name) =>
              `${FIELD_LABELS[`secrets.${name}`]} ${secrets[name] === null ? 'removed' : 'replaced'}`,
          );
          set({
            ...fromView(next),
            applying: false,
            fieldErrors: {},
            errorSummary: [],
            applied: {
              changes: [...changedFields(view.settings, next.settings), ...secretChanges],
              pendingRestart: next.pendingRestart,
            },
          });
          return true;
        } catch (err) {
          const errors = fieldErrorsOfError(err);
          set({ applying: false });
          if (errors.length > 0) showErrors(errors);
          else set({ applyError: messageOf(err) });
          return false;
        }
      },

      async testConnection(kind) {
        if (get().tests[kind].running) return;
        const setTest = (state: ConnectionTestState) =>
          set({ tests: { ...get().tests, [kind]: state } });
        const checked = check();
        if (!checked) return;
        // The number fields must parse; other problems are the test's to report.
        const unparsed = formToSettings(get().form!, get().view!.settings).errors;
        if (unparsed.length > 0) {
          showErrors(unparsed);
          setTest({ running: false, result: null, error: 'Fix the fields marked first.' });
          return;
        }
        setTest({ running: true, result: null, error: null });
        const secrets = secretsUpdate(get().secrets);
        const params = {
          settings: checked.settings,
          ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
        };
        try {
          const result = await client.call(
            kind === 'kafka' ? 'settings:testKafka' : 'settings:testPostgres',
            params,
          );
          setTest({ running: false, result, error: null });
        } catch (err) {
          const errors = fieldErrorsOfError(err);
          if (errors.length > 0) showErrors(errors);
          setTest({ running: false, result: null, error: messageOf(err) });
        }
      },
    };
  });
}
