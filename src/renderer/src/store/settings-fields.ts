/**
 * The settings form's field catalogue: which fields it shows (by their Settings path), their
 * labels, which field an error of the server belongs to, messages in the form's units, and what
 * changed between two versions. Derived from the shared settings catalogue. Pure.
 *
 * Field errors are kept by the dotted path of a Settings field (`log.kafka.brokers`,
 * `engine.alertRules.0.threshold`): the server names fields that way, and so does the form.
 */
import type { FieldError, Settings } from '../../../shared/settings';
import { ALERT_RULE_LABELS, SECRETS } from '../../../shared/settings/catalogue';
import { SETTINGS_CATALOGUE } from '../../../shared/settings/schema';
import { FORM_ENTRIES, getIn, isRateMetric, numberText, type SettingsForm } from './settings-form';

const SECRET_FIELDS = Object.entries(SECRETS).map(([name, { label }]) => ({
  path: `secrets.${name}`,
  label,
}));

/** The pair's own errors (failed + slow over 100 %) and the rules' list have a place too. */
const GROUP_FIELDS = SETTINGS_CATALOGUE.filter(
  (entry) => entry.path === 'generator.outcomeMix' || entry.path === 'engine.alertRules',
);

/** Every field the form shows, by its Settings path (rules: `engine.alertRules.N.<key>`). */
export const FORM_FIELDS: readonly string[] = [
  ...FORM_ENTRIES,
  ...GROUP_FIELDS,
  ...SECRET_FIELDS,
].map((entry) => entry.path);

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
export const FIELD_LABELS: Readonly<Record<string, string>> = Object.fromEntries(
  [...FORM_ENTRIES, ...GROUP_FIELDS, ...SECRET_FIELDS].map((entry) => [entry.path, entry.label]),
);

/** A field's label for people, for any path the server may name. */
export function fieldLabel(path: string): string {
  const broker = /^log\.kafka\.brokers\.(\d+)$/.exec(path);
  if (broker) return `Kafka broker ${Number(broker[1]) + 1}`;
  const rule = /^engine\.alertRules\.(\d+)(?:\.(\w+))?/.exec(path);
  if (rule) {
    const key = rule[2] as RuleField | undefined;
    return `Alert rule ${Number(rule[1]) + 1}${key ? ` ${ALERT_RULE_LABELS[key] ?? key}` : ''}`;
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
    if (FORM_FIELDS.includes(candidate)) return candidate;
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

const SECONDS_FIELDS = new Set(
  FORM_ENTRIES.filter((e) => e.display === 'seconds').map((e) => e.path),
);
const PERCENT_FIELDS = new Set(
  FORM_ENTRIES.filter((e) => e.display === 'percent').map((e) => e.path),
);
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
  if (SECONDS_FIELDS.has(field)) {
    message = message
      .replace(/(\d[\d,]*(?:\.\d+)?) ms(?: \([^)]*\))?/g, (_m, n: string) => secondsText(n))
      .replace(/(?:whole )?milliseconds/g, 'seconds')
      .replace(/got (\d[\d,]*(?:\.\d+)?)$/, (_m, n: string) => `got ${secondsText(n)}`);
  }
  const rule = RULE_THRESHOLD.exec(field);
  const metric = rule ? form?.engine.alertRules[Number(rule[1])]?.metric : undefined;
  if (PERCENT_FIELDS.has(field) || (metric && isRateMetric(metric))) {
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

/** A setting's value as text to compare (lists joined, the rules as sorted JSON). */
function comparable(path: string, value: unknown): string {
  if (path === 'engine.alertRules') return stableJson(value);
  if (Array.isArray(value)) return value.join(',');
  return value === null || value === undefined ? '' : String(value);
}

const COMPARED = [...FORM_ENTRIES.map((e) => e.path), 'engine.alertRules'];

/** The settings that changed between two versions, as labels (the "applied" list). */
export function changedFields(before: Settings, after: Settings): string[] {
  return COMPARED.filter(
    (path) => comparable(path, getIn(before, path)) !== comparable(path, getIn(after, path)),
  ).map((path) => FIELD_LABELS[path] ?? path);
}

export interface FormFieldInfo {
  readonly help?: string;
  readonly unit?: string;
  /** The bounds in the form's unit (seconds, percent). */
  readonly min?: number;
  readonly max?: number;
}

const FORM_INFO: ReadonlyMap<string, FormFieldInfo> = new Map(
  FORM_ENTRIES.map((entry) => {
    const scale = entry.display === 'seconds' ? 0.001 : entry.display === 'percent' ? 100 : 1;
    const bound = (n: number | undefined) =>
      n === undefined ? undefined : Number((n * scale).toPrecision(12));
    return [
      entry.path,
      {
        ...(entry.help !== undefined ? { help: entry.help } : {}),
        ...(entry.unit !== undefined ? { unit: entry.unit } : {}),
        ...(entry.limits ? { min: bound(entry.limits.min), max: bound(entry.limits.max) } : {}),
      },
    ];
  }),
);

/** What the catalogue says of a form field: its hint, unit and bounds (in the form's units). */
export function formFieldInfo(path: string): FormFieldInfo {
  return FORM_INFO.get(path) ?? {};
}
