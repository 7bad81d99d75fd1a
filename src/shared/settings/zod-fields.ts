/**
 * zod schemas for the kinds of value a setting can be (a whole number in a range, a duration, one
 * of some names, text, PEM text...), each with the messages users have always seen: they say what
 * is expected, in the field's own unit, and what was given. The catalogue (catalogue.ts) builds
 * every setting from these.
 */
import { z } from 'zod';
import { formatNumber, humanMs, shown } from './messages';
import { pemProblem } from './text-checks';

export interface Range {
  readonly min: number;
  readonly max: number;
}

/** A message from the value given: `undefined` is a missing key. */
function message(required: string, wrong: (input: unknown) => string) {
  return (issue: { readonly input?: unknown }): string =>
    issue.input === undefined ? required : wrong(issue.input);
}

function ranged<T extends z.ZodNumber>(schema: T, range: Range, bounds: string): T {
  const outside = (issue: { readonly input?: unknown }) =>
    `must be ${bounds}, got ${formatNumber(issue.input as number)}`;
  return schema.min(range.min, { error: outside }).max(range.max, { error: outside }) as T;
}

/** A number in `range` (`unit`, e.g. " events per second", follows the bounds). */
export function numberIn(range: Range, unit = ''): z.ZodNumber {
  const bounds = `from ${formatNumber(range.min)} to ${formatNumber(range.max)}${unit}`;
  const type = z.number({
    error: message(
      `is required: a number ${bounds}`,
      (v) => `must be a number ${bounds}, got ${shown(v)}`,
    ),
  });
  return ranged(type, range, bounds);
}

function whole(range: Range, bounds: string, required: string, wrong: string): z.ZodNumber {
  const error = message(required, (v) => `${wrong}, got ${shown(v)}`);
  // Not z.int(): it adds a second, "safe integer" error to one out of range.
  const type = z.number({ error }).refine(Number.isInteger, { error, abort: true });
  return ranged(type, range, bounds);
}

/** A whole number in `range`. */
export function wholeNumberIn(range: Range): z.ZodNumber {
  const bounds = `from ${formatNumber(range.min)} to ${formatNumber(range.max)}`;
  return whole(
    range,
    bounds,
    `is required: a whole number ${bounds}`,
    `must be a whole number ${bounds}`,
  );
}

/** Whole milliseconds in `range`; the bounds also in seconds, hours or days. */
export function durationIn(range: Range): z.ZodNumber {
  const bounds = `from ${formatNumber(range.min)} ms${humanMs(range.min)} to ${formatNumber(range.max)} ms${humanMs(range.max)}`;
  return whole(
    range,
    bounds,
    `is required: milliseconds ${bounds}`,
    `must be whole milliseconds ${bounds}`,
  );
}

/** One of `choices`. */
export function oneOf<const T extends readonly [string, ...string[]]>(
  choices: T,
): z.ZodEnum<{ [K in T[number]]: K }> {
  const list = choices.map((choice) => `"${choice}"`).join(', ');
  return z.enum(choices, {
    error: message(`is required: one of ${list}`, (v) => `must be one of ${list}, got ${shown(v)}`),
  }) as unknown as z.ZodEnum<{ [K in T[number]]: K }>;
}

/** Text; `problem` says what is wrong with a text of the wrong form (or null). */
export function text(problem?: (value: string) => string | null): z.ZodString {
  const type = z.string({
    error: message('is required', (v) => `must be text, got ${shown(v)}`),
  });
  if (!problem) return type;
  return type.superRefine((value, ctx) => {
    const found = problem(value);
    if (found !== null) ctx.addIssue({ code: 'custom', message: found, input: value });
  });
}

export function flag(): z.ZodBoolean {
  return z.boolean({
    error: message('is required (true or false)', (v) => `must be true or false, got ${shown(v)}`),
  });
}

/** PEM certificates, or null for none; an emptied text box is none too. */
export function pemOrNull() {
  return z
    .string({
      error: message(
        'is required (null for none)',
        (v) => `must be PEM text or null, got ${shown(v)}`,
      ),
    })
    .superRefine((value, ctx) => {
      const problem = value.trim() === '' ? null : pemProblem(value);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem, input: value });
    })
    .nullable()
    .transform((value) => (value === null || value.trim() === '' ? null : value));
}

/** The messages of an object (a section of the settings, an alert rule). */
export const OBJECT_ERROR = message(
  'is required',
  (v) => `must be an object ({ ... }), got ${shown(v)}`,
);
