/**
 * The settings form's model: the settings as the form edits them (strings, as typed: seconds for
 * the engine's durations, percentages for shares, brokers one a line), and the way back, with the
 * fields that are not numbers at all (the shared schema judges the rest). Which field is a
 * duration, a share, a PEM text or a list comes from the settings catalogue. Pure.
 */
import { SETTINGS_CATALOGUE } from '../../../shared/settings/schema';
import type { CatalogueEntry } from '../../../shared/settings/field';
import {
  SECRET_NAMES,
  SETTINGS_VERSION,
  type AlertRuleSettings,
  type FieldError,
  type SecretName,
  type Settings,
  type SettingsUpdate,
} from '../../../shared/settings';

export { isRateMetric } from '../../../shared/settings/alert-rules';
import { isRateMetric } from '../../../shared/settings/alert-rules';

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

/** A setting as typed: numbers, lists and optional texts as text; choices and flags as they are. */
type FormValue<T> = T extends readonly AlertRuleSettings[]
  ? readonly AlertRuleForm[]
  : T extends readonly unknown[]
    ? string
    : T extends number | null
      ? string
      : T extends boolean | string
        ? T
        : T extends object
          ? { readonly [K in keyof T]: FormValue<T[K]> }
          : string;

/** The settings as the form edits them: the same shape and paths as Settings, values as typed. */
export type SettingsForm = FormValue<Omit<Settings, 'version'>>;

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

/** The fields the form edits one by one (the alert rules are a table of their own). */
export const FORM_ENTRIES: readonly CatalogueEntry[] = SETTINGS_CATALOGUE.filter(
  (entry) => !entry.section && entry.path !== 'version' && entry.path !== 'engine.alertRules',
);

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

/** A value at a dotted path. */
export function getIn(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

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

/** A setting's value as the form shows it. */
function toFormValue(entry: CatalogueEntry, value: unknown): unknown {
  if (entry.input === 'lines') return brokersToText(value as readonly string[]);
  if (value === null) return '';
  if (typeof value !== 'number') return value;
  if (entry.display === 'seconds') return msToSecondsText(value);
  if (entry.display === 'percent') return shareToPercentText(value);
  return numberText(value);
}

export function settingsToForm(settings: Settings): SettingsForm {
  let form: unknown = {};
  for (const entry of FORM_ENTRIES) {
    form = setIn(form, entry.path, toFormValue(entry, getIn(settings, entry.path)));
  }
  return setIn(
    form,
    'engine.alertRules',
    settings.engine.alertRules.map(ruleToForm),
  ) as SettingsForm;
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
  const share = (field: string, text: string) => number(field, text, 0.01);

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

  /** A field's text as the setting's value (numbers scaled back: s → ms, % → share). */
  const fromForm = (entry: CatalogueEntry, value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    if (entry.input === 'lines') return brokersFromText(value);
    if (entry.input === 'pem') return value.trim() === '' ? null : value.trim() + '\n';
    if (entry.input === 'optional') return value.trim() === '' ? null : value.trim();
    if (typeof entry.default !== 'number') return value.trim();
    if (entry.display === 'percent') return share(entry.path, value);
    if (entry.display !== 'seconds') return number(entry.path, value);
    const ms = number(entry.path, value, 1000);
    return Number.isNaN(ms) ? ms : Math.round(ms);
  };

  let settings: unknown = { ...base, version: SETTINGS_VERSION };
  for (const entry of FORM_ENTRIES) {
    settings = setIn(settings, entry.path, fromForm(entry, getIn(form, entry.path)));
  }
  settings = setIn(settings, 'engine.alertRules', alertRules);
  return { settings: settings as Settings, errors };
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
