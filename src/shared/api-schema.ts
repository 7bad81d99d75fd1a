/**
 * A small schema language for API parameters: enough to validate query strings and JSON bodies,
 * coerce query values, name the parameter at fault, and describe itself in OpenAPI.
 */
import { ValidationError } from './validation-error';

export type ParamSchema =
  | {
      readonly type: 'integer';
      readonly min: number;
      readonly max: number;
      readonly default?: number;
      readonly description?: string;
    }
  | {
      readonly type: 'number';
      readonly min: number;
      readonly max: number;
      readonly default?: number;
      readonly description?: string;
    }
  | {
      readonly type: 'enum';
      readonly values: readonly string[];
      readonly default?: string;
      readonly description?: string;
    }
  | {
      readonly type: 'string';
      readonly maxLength: number;
      readonly pattern?: string;
      readonly default?: string;
      readonly description?: string;
    }
  | { readonly type: 'date-time'; readonly default?: string; readonly description?: string }
  | { readonly type: 'boolean'; readonly default?: boolean; readonly description?: string }
  /** A JSON object (body only), checked by its handler, which names the nested field at fault. */
  | { readonly type: 'object'; readonly default?: undefined; readonly description?: string };

/** Parameters by name; a parameter without a default is required unless `optional`. */
export type ParamsSchema = Readonly<Record<string, ParamSchema & { readonly optional?: boolean }>>;

/**
 * Checks `raw` against `schema`: required parameters present, no unknown ones, each value of the
 * right type and range. Query strings arrive as strings and are coerced; JSON bodies must already
 * have the right JSON types. Throws a ValidationError naming the parameter.
 */
export function validateParams(
  schema: ParamsSchema,
  raw: unknown,
  source: 'query' | 'body',
): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ValidationError('body', 'must be a JSON object');
  }
  const input = raw as Record<string, unknown>;
  for (const name of Object.keys(input)) {
    if (!(name in schema)) throw new ValidationError(name, 'is not a parameter of this route');
  }
  const result: Record<string, unknown> = {};
  for (const [name, param] of Object.entries(schema)) {
    const value = input[name];
    if (value === undefined || value === '') {
      if (param.optional && param.default === undefined) continue;
      if (param.default === undefined) throw new ValidationError(name, 'is required');
      result[name] = param.default;
      continue;
    }
    result[name] = validateValue(name, param, value, source);
  }
  return result;
}

function validateValue(
  name: string,
  param: ParamSchema,
  value: unknown,
  source: 'query' | 'body',
): unknown {
  const fromQuery = source === 'query' && typeof value === 'string';
  switch (param.type) {
    case 'integer':
    case 'number': {
      const n = fromQuery ? (/^-?\d+(\.\d+)?$/.test(value as string) ? Number(value) : NaN) : value;
      if (
        typeof n !== 'number' ||
        !Number.isFinite(n) ||
        (param.type === 'integer' && !Number.isInteger(n))
      ) {
        throw new ValidationError(
          name,
          `must be ${param.type === 'integer' ? 'an integer' : 'a number'}, got ${JSON.stringify(value)}`,
        );
      }
      if (n < param.min || n > param.max)
        throw new ValidationError(name, `must be between ${param.min} and ${param.max}, got ${n}`);
      return n;
    }
    case 'enum':
      if (typeof value !== 'string' || !param.values.includes(value)) {
        throw new ValidationError(
          name,
          `must be one of ${param.values.join(', ')}, got ${JSON.stringify(value)}`,
        );
      }
      return value;
    case 'string':
      if (typeof value !== 'string')
        throw new ValidationError(name, `must be a string, got ${JSON.stringify(value)}`);
      if (value.length > param.maxLength)
        throw new ValidationError(name, `must be at most ${param.maxLength} characters`);
      if (param.pattern && !new RegExp(param.pattern).test(value))
        throw new ValidationError(name, `must match ${param.pattern}`);
      return value;
    case 'date-time':
      if (
        typeof value !== 'string' ||
        !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(value) ||
        Number.isNaN(Date.parse(value))
      ) {
        throw new ValidationError(
          name,
          `must be an ISO 8601 date-time with a zone, such as 2026-11-24T12:00:00Z, got ${JSON.stringify(value)}`,
        );
      }
      return value;
    case 'object':
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw new ValidationError(name, `must be a JSON object, got ${JSON.stringify(value)}`);
      return value;
    case 'boolean': {
      const b = fromQuery ? (value === 'true' ? true : value === 'false' ? false : value) : value;
      if (typeof b !== 'boolean')
        throw new ValidationError(name, `must be true or false, got ${JSON.stringify(value)}`);
      return b;
    }
  }
}
