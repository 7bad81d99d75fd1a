/**
 * The settings schema, derived from the catalogue: the types main, preload and renderer share,
 * the defaults, and validation that collects every problem, each with the dotted path of its field
 * (`log.kafka.brokers`, `engine.alertRules.0.threshold`) so the form can show it next to that
 * field. The HTTP API uses the same schemas for the settings endpoints' bodies. Pure.
 */
import { z } from 'zod';
import { ALERT_RULE_LABELS } from './alert-rules';
import { CATALOGUE, SECRETS } from './catalogue';
import { defaultsOf, entriesOf, schemaOf, type CatalogueEntry, type Node } from './field';
import { isNear } from './messages';

type DeepReadonly<T> = T extends readonly (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A settings document: the settings file, the body of PUT /api/settings. */
export const settingsSchema = schemaOf(CATALOGUE);

export type Settings = DeepReadonly<z.output<typeof settingsSchema>>;
export type LogSettingsModel = Settings['log'];
export type KafkaSettings = Settings['log']['kafka'];
export type PostgresSettings = Settings['postgres'];
export type GeneratorSettings = Settings['generator'];
export type EngineSettings = Settings['engine'];
export type AlertRuleSettings = Settings['engine']['alertRules'][number];
export type SaslMechanismSetting = KafkaSettings['sasl'];
export type KafkaCompressionSetting = KafkaSettings['compression'];
export type PartitionerSetting = LogSettingsModel['partitioner'];

export const DEFAULT_SETTINGS = defaultsOf(CATALOGUE) as Settings;

export const SECRET_NAMES = Object.keys(SECRETS) as Array<keyof typeof SECRETS>;
export type SecretName = keyof typeof SECRETS;

/** A secret's new value; null removes it; absent keeps it. */
export const secretsUpdateSchema = z.strictObject(
  Object.fromEntries(SECRET_NAMES.map((name) => [name, z.string().nullable().optional()])) as {
    [K in SecretName]: z.ZodOptional<z.ZodNullable<z.ZodString>>;
  },
);

/**
 * PUT /api/settings (and the connection tests' bodies): the settings, and secrets to change. For
 * the API's document and types: the settings service validates the settings of a save itself,
 * once, with every field's error (toFieldErrors), so a handler need not parse them again.
 */
export const settingsUpdateSchema = z.object({
  settings: settingsSchema,
  secrets: secretsUpdateSchema.optional(),
});

type PatchOf<N> = N extends { kind: 'field'; schema: infer S extends z.ZodType }
  ? z.ZodOptional<S>
  : N extends { kind: 'section'; fields: infer F }
    ? z.ZodOptional<z.ZodObject<{ -readonly [K in keyof F]: PatchOf<F[K]> }, z.core.$strict>>
    : never;

function patchOf(node: Node): z.ZodType {
  if (node.kind === 'field') return node.schema.optional();
  const shape = Object.fromEntries(
    Object.entries(node.fields).map(([key, child]) => [key, patchOf(child)]),
  );
  return z.strictObject(shape).optional();
}

type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** Some of the settings (lists are whole values): what flags and variables override. */
export type SettingsPatch = DeepPartial<Settings>;

/** Some settings, each checked as in a whole document (the CLI's and environment's overrides). */
export const settingsPatchSchema = (patchOf(CATALOGUE) as PatchOf<typeof CATALOGUE>).unwrap();

/** One problem with one field, by its dotted path (e.g. `log.kafka.brokers`). */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export type SettingsValidation =
  | { readonly ok: true; readonly settings: Settings }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

export function validateSettings(raw: unknown): SettingsValidation {
  const result = settingsSchema.safeParse(raw);
  if (result.success) return { ok: true, settings: result.data as Settings };
  return { ok: false, errors: toFieldErrors(result.error.issues) };
}

/** Every field and section, in document order; alert rule keys as `engine.alertRules.*.<key>`. */
export const SETTINGS_CATALOGUE: readonly CatalogueEntry[] = entriesOf(CATALOGUE);

/**
 * The shortest paths that take effect only at the next start: a restart-only section stands for
 * its fields (`engine`), as the settings page's notice names it.
 */
export function restartOnlyPaths(): string[] {
  const paths: string[] = [];
  for (const { path, restartOnly } of SETTINGS_CATALOGUE) {
    if (restartOnly && !paths.some((p) => path.startsWith(`${p}.`))) paths.push(path);
  }
  return paths;
}

const KNOWN_PATHS = [
  ...SETTINGS_CATALOGUE.map((entry) => entry.path),
  ...Object.keys(ALERT_RULE_LABELS).map((key) => `engine.alertRules.*.${key}`),
];

/** The keys an object at `path` may have (list indexes as `*`), in document order. */
const CHILDREN = new Map<string, string[]>();
for (const path of KNOWN_PATHS) {
  const parts = path.split('.');
  parts.forEach((key, i) => {
    const parent = parts.slice(0, i).join('.');
    const keys = CHILDREN.get(parent) ?? [];
    if (!keys.includes(key)) keys.push(key);
    CHILDREN.set(parent, keys);
  });
}

function generic(parts: readonly string[]): string {
  return parts.map((part) => (/^\d+$/.test(part) ? '*' : part)).join('.');
}

/**
 * Where a path comes in the document: the errors are listed as a person reads the settings
 * (an object's unknown keys first, then its fields in order).
 */
function rankOf(field: string): number[] {
  const parts = field === 'settings' ? [] : field.split('.');
  return parts.map((part, i) =>
    /^\d+$/.test(part)
      ? Number(part)
      : (CHILDREN.get(generic(parts.slice(0, i))) ?? []).indexOf(part),
  );
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

/** zod's issues as field errors: an unknown key is named, with the key it probably meant. */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const path = issue.path.map(String);
    const at = path.join('.');
    if (issue.code === 'unrecognized_keys') {
      const known = CHILDREN.get(generic(path)) ?? [];
      for (const key of issue.keys) {
        const near = known.find((k) => isNear(k, key));
        errors.push({
          field: at === '' ? key : `${at}.${key}`,
          message: `"${key}" is not a setting${near ? ` (did you mean "${near}"?)` : ''}: remove it`,
        });
      }
    } else {
      errors.push({ field: at === '' ? 'settings' : at, message: issue.message });
    }
  }
  const ranks = new Map(errors.map((error) => [error.field, rankOf(error.field)]));
  return errors.sort((a, b) => compareRanks(ranks.get(a.field)!, ranks.get(b.field)!));
}
