/**
 * What the catalogue is made of: a field (one setting: its zod schema, default and what people
 * and tools call it) and a section (an object of fields and sections, with the checks that need
 * more than one field). From these come the settings schema, the defaults and the flat list of
 * fields the form, the CLI, the environment and the restart diff read.
 */
import { z } from 'zod';
import { OBJECT_ERROR } from './zod-fields';

export interface FieldInfo {
  /** For people: the form's error summary, the "applied" list, the restart notice. */
  readonly label: string;
  /** The form's unit (the form may show another than the settings keep: s for ms, % for shares). */
  readonly unit?: string;
  readonly help?: string;
  /** The `serve` flag that overrides it for one run, e.g. `--kafka-brokers`. */
  readonly flag?: string;
  /** The environment variable that overrides it for one run, e.g. `STREAMPULSE_KAFKA_BROKERS`. */
  readonly env?: string;
  /** Saved, but only used at the next start. */
  readonly restartOnly?: boolean;
  /** Bounds the form shows (min/max) and the CLI checks. */
  readonly limits?: { readonly min: number; readonly max: number };
  /** What a number of it counts, in words, for errors (e.g. "events per second"). */
  readonly unitName?: string;
  /** The form shows ms as seconds, shares as percent. */
  readonly display?: 'seconds' | 'percent';
  /** How the form edits text that is not a plain value: PEM (empty: none), one item a line, or
   * optional text (empty: null). */
  readonly input?: 'pem' | 'lines' | 'optional';
  /** How a flag's or variable's text becomes the value (the bounds are `limits`). */
  readonly cli?: 'text' | 'list' | 'integer' | 'number' | 'duration' | 'file' | 'boolean';
  /** Other settings a flag or variable for this one also sets (brokers: the Kafka backend). */
  readonly implies?: Readonly<Record<string, unknown>>;
}

export interface Field<S extends z.ZodType = z.ZodType> extends FieldInfo {
  readonly kind: 'field';
  readonly schema: S;
  readonly default: z.output<S>;
}

/** Checks of a section that need several of its fields; `value` is as given (maybe wrong). */
export type SectionCheck = (value: Record<string, unknown>, ctx: z.RefinementCtx) => void;

export interface Section<F extends Record<string, Node> = Record<string, Node>> {
  readonly kind: 'section';
  readonly fields: F;
  readonly check?: SectionCheck;
  /** Every field in it only takes effect at the next start. */
  readonly restartOnly?: boolean;
  readonly label?: string;
}

export type Node = Field | Section;

export function field<S extends z.ZodType>(
  schema: S,
  info: FieldInfo & { readonly default: z.output<S> },
): Field<S> {
  return { kind: 'field', schema, ...info };
}

export function section<F extends Record<string, Node>>(
  fields: F,
  options: Omit<Section<F>, 'kind' | 'fields'> = {},
): Section<F> {
  return { kind: 'section', fields, ...options };
}

/** The zod schema of a catalogue node. */
export type SchemaOf<N> =
  N extends Field<infer S>
    ? S
    : N extends Section<infer F>
      ? z.ZodObject<{ -readonly [K in keyof F]: SchemaOf<F[K]> }, z.core.$strict>
      : never;

export function schemaOf<N extends Node>(node: N): SchemaOf<N> {
  if (node.kind === 'field') {
    // The label and help go into the generated JSON Schema / OpenAPI document.
    const description = node.help ? `${node.label}: ${node.help}` : node.label;
    return node.schema.meta({ description }) as SchemaOf<N>;
  }
  const shape = Object.fromEntries(
    Object.entries(node.fields).map(([key, child]) => [key, schemaOf(child)]),
  );
  const object = z.strictObject(shape, { error: OBJECT_ERROR });
  const check = node.check;
  if (!check) return object as unknown as SchemaOf<N>;
  // Also when a field of it is wrong: every problem is reported at once, as before.
  return object.superRefine(
    (value, ctx) => {
      if (typeof value === 'object' && value !== null) check(value as Record<string, unknown>, ctx);
    },
    { when: () => true },
  ) as unknown as SchemaOf<N>;
}

/** The defaults of a catalogue node, as its schema's output. */
export function defaultsOf(node: Node): unknown {
  if (node.kind === 'field') return node.default;
  return Object.fromEntries(
    Object.entries(node.fields).map(([key, child]) => [key, defaultsOf(child)]),
  );
}

/** A field with its dotted path (`log.kafka.brokers`), and whether a section makes it restart-only. */
export interface CatalogueEntry extends FieldInfo {
  readonly path: string;
  /** A section (an object of fields), not a field. */
  readonly section?: boolean;
  /** The field's default (undefined for a section). */
  readonly default?: unknown;
}

/** Every field and section below `node`, in document order (sections before their fields). */
export function entriesOf(node: Node, path = '', restartOnly = false): CatalogueEntry[] {
  if (node.kind === 'field') {
    const info: Record<string, unknown> = { ...node };
    for (const key of ['kind', 'schema']) delete info[key];
    return [
      {
        ...(info as unknown as FieldInfo),
        path,
        restartOnly: restartOnly || node.restartOnly === true,
      },
    ];
  }
  const restart = restartOnly || node.restartOnly === true;
  const own: CatalogueEntry[] =
    path === '' ? [] : [{ path, label: node.label ?? path, restartOnly: restart, section: true }];
  return [
    ...own,
    ...Object.entries(node.fields).flatMap(([key, child]) =>
      entriesOf(child, path ? `${path}.${key}` : key, restart),
    ),
  ];
}
