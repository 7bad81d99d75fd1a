/**
 * API parameters as zod schemas: one builder per kind of parameter (an integer in a range, an
 * enum, a date-time, ...), each with the field-named messages the API has always answered, and
 * `validateParams`, which checks a query string or a JSON body against a route's parameters.
 * Query strings arrive as text and are coerced first; JSON bodies must have the right JSON types.
 * Each builder also records a plain description of its parameter (kind, range, default), which
 * the docs page and the tests read without knowing zod.
 */
import { z } from 'zod';
import { ValidationError } from '../validation-error';

/** A parameter described as plain data (derived from its builder's arguments). */
export type ParamSchema = (
  | { readonly type: 'integer' | 'number'; readonly min: number; readonly max: number }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'string'; readonly maxLength: number; readonly pattern?: string }
  | { readonly type: 'date-time' }
  | { readonly type: 'boolean' }
  /** A JSON object (body only), checked by its handler, which names the nested field at fault. */
  | { readonly type: 'object' }
) & {
  readonly default?: unknown;
  readonly optional?: boolean;
  readonly description?: string;
};

/** Parameters by name; a parameter without a default is required unless `optional`. */
export type ParamsSchema = Readonly<Record<string, ParamSchema>>;

interface ParamInfo {
  /** The value's schema, without its default or optional mark (applied by validateParams). */
  readonly value: z.ZodType;
  readonly describe: ParamSchema;
  /** What the OpenAPI document shows for it instead of `value` (an object checked later). */
  readonly documented?: { readonly id: string; readonly schema: z.ZodType };
}

const INFO = new WeakMap<z.ZodType, ParamInfo>();

interface Options<T> {
  readonly description?: string;
  readonly default?: T;
  readonly optional?: boolean;
}

type Param<S extends z.ZodType, O> = O extends { default: unknown }
  ? z.ZodDefault<S>
  : O extends { optional: true }
    ? z.ZodOptional<S>
    : S;

function param<S extends z.ZodType, O extends Options<z.output<S>>>(
  value: S,
  describe: ParamSchema,
  options: O,
  documented?: ParamInfo['documented'],
): Param<S, O> {
  const meta = options.description ? { description: options.description } : {};
  const schema = (
    options.default !== undefined
      ? value.default(options.default as never)
      : options.optional
        ? value.optional()
        : value
  ).meta(meta);
  INFO.set(schema, {
    value,
    describe: {
      ...describe,
      ...(options.default !== undefined ? { default: options.default } : {}),
      ...(options.optional ? { optional: true } : {}),
      ...meta,
    },
    ...(documented ? { documented } : {}),
  });
  return schema as unknown as Param<S, O>;
}

const got = (input: unknown) => JSON.stringify(input);

function numeric<O extends Options<number>>(
  type: 'integer' | 'number',
  min: number,
  max: number,
  options: O,
) {
  const range = (input: unknown) => `must be between ${min} and ${max}, got ${String(input)}`;
  const kind = type === 'integer' ? 'an integer' : 'a number';
  // A too big or too small integer (beyond the safe range too) is out of range, as any other.
  const error = (issue: { code?: string; input?: unknown }) =>
    issue.code === 'too_big' || issue.code === 'too_small'
      ? range(issue.input)
      : `must be ${kind}, got ${got(issue.input)}`;
  const base = type === 'integer' ? z.int({ error }) : z.number({ error });
  const outOfRange = (issue: { input?: unknown }) => range(issue.input);
  return param(
    base.min(min, { error: outOfRange }).max(max, { error: outOfRange }),
    { type, min, max },
    options,
  );
}

export const integerParam = <O extends Options<number>>(min: number, max: number, options: O) =>
  numeric('integer', min, max, options);

export const numberParam = <O extends Options<number>>(min: number, max: number, options: O) =>
  numeric('number', min, max, options);

export function enumParam<
  const V extends readonly [string, ...string[]],
  O extends Options<V[number]>,
>(values: V, options: O) {
  const error = (issue: { input?: unknown }) =>
    `must be one of ${values.join(', ')}, got ${got(issue.input)}`;
  return param(z.enum(values, { error }), { type: 'enum', values }, options);
}

export function stringParam<O extends Options<string>>(maxLength: number, options: O) {
  return param(
    z
      .string({ error: (issue) => `must be a string, got ${got(issue.input)}` })
      .max(maxLength, { error: `must be at most ${maxLength} characters` }),
    { type: 'string', maxLength },
    options,
  );
}

const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

export function dateTimeParam<O extends Options<string>>(options: O) {
  const error = (issue: { input?: unknown }) =>
    `must be an ISO 8601 date-time with a zone, such as 2026-11-24T12:00:00Z, got ${got(issue.input)}`;
  const value = z
    .string({ error })
    .regex(DATE_TIME, { error })
    .refine((text) => !Number.isNaN(Date.parse(text)), { error })
    .meta({ format: 'date-time' });
  return param(value, { type: 'date-time' }, options);
}

export function booleanParam<O extends Options<boolean>>(options: O) {
  const error = (issue: { input?: unknown }) => `must be true or false, got ${got(issue.input)}`;
  return param(z.boolean({ error }), { type: 'boolean' }, options);
}

const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A JSON object whose content its handler checks (naming the nested field at fault), typed as T;
 * `documented` is the schema the OpenAPI document shows for it, as a named component.
 */
export function objectParam<T, O extends Options<T> = Options<T>>(
  options: O,
  documented?: ParamInfo['documented'],
) {
  const value = z.custom<T>(isJsonObject, {
    error: (issue) => `must be a JSON object, got ${got(issue.input)}`,
  });
  return param(value, { type: 'object' }, options, documented);
}

/** A route's parameters: a zod object of parameters made by the builders above. */
export type ParamsObject = z.ZodObject<Record<string, z.ZodType>>;

export function paramsObject<const S extends Record<string, z.ZodType>>(shape: S) {
  return z.strictObject(shape);
}

function infoOf(schema: z.ZodType, name: string): ParamInfo {
  const info = INFO.get(schema);
  if (!info) throw new Error(`parameter ${name} was not made by a parameter builder`);
  return info;
}

/** The plain description of a route's parameters (for the docs page and tests). */
export function describeParams(params: ParamsObject): ParamsSchema {
  return Object.fromEntries(
    Object.entries(params.shape).map(([name, schema]) => [name, infoOf(schema, name).describe]),
  );
}

/** A parameter's value schema and what the OpenAPI document shows instead, if anything. */
export function paramParts(schema: z.ZodType, name: string): ParamInfo {
  return infoOf(schema, name);
}

/** A query value as the JSON value it stands for; left as text when it is not one (so the message quotes it). */
function fromQuery(kind: ParamSchema['type'], text: string): unknown {
  if (kind === 'integer' || kind === 'number') {
    if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
    const n = Number(text);
    return Number.isFinite(n) && (kind === 'number' || Number.isInteger(n)) ? n : text;
  }
  if (kind === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

/**
 * Checks `raw` against a route's parameters: a JSON object, no unknown parameter, each required
 * one present (an empty query value counts as absent), each value of the right type and range.
 * Throws a ValidationError naming the first parameter at fault.
 */
export function validateParams<P extends ParamsObject>(
  params: P,
  raw: unknown,
  source: 'query' | 'body',
): z.output<P> {
  if (!isJsonObject(raw)) throw new ValidationError('body', 'must be a JSON object');
  const shape = params.shape;
  for (const name of Object.keys(raw)) {
    if (!Object.hasOwn(shape, name))
      throw new ValidationError(name, 'is not a parameter of this route');
  }
  const result: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(shape)) {
    const { value: valueSchema, describe } = infoOf(schema, name);
    const value = raw[name];
    if (value === undefined || value === '') {
      if (describe.default !== undefined) result[name] = describe.default;
      else if (!describe.optional) throw new ValidationError(name, 'is required');
      continue;
    }
    const input =
      source === 'query' && typeof value === 'string' ? fromQuery(describe.type, value) : value;
    const checked = valueSchema.safeParse(input);
    if (!checked.success) throw new ValidationError(name, checked.error.issues[0]!.message);
    result[name] = checked.data;
  }
  return result as z.output<P>;
}
