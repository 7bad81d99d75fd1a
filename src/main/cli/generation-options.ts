/** The flags of a bounded run in virtual time, shared by `generate` and `run`. */
import { MAX_RATE, MIN_RATE } from '../generator/rate-pacer';
import type { RunParameters } from '../generator/run-manifest';
import { UsageError } from './cli-io';
import { parseInteger, parseNumber, parseTimestamp } from './option-parsers';

export const LATE_DELIVERY_OPTIONS = {
  'late-fraction': { type: 'string' },
  'late-by-ms': { type: 'string' },
} as const;

export const LATE_DELIVERY_HELP = `  --late-fraction F     share of events delivered late, 0..1 (default 0)
  --late-by-ms MS       how late those are, ms (default 5000)`;

/** The generator's late delivery from --late-fraction and --late-by-ms (defaults: none, 5 s). */
export function lateDeliveryFrom(values: {
  readonly 'late-fraction'?: string | undefined;
  readonly 'late-by-ms'?: string | undefined;
}): { fraction: number; delayMs: number } {
  return {
    fraction: parseNumber('late-fraction', values['late-fraction'], 0, 1) ?? 0,
    delayMs: parseNumber('late-by-ms', values['late-by-ms'], 0, 86_400_000) ?? 5000,
  };
}

export const GENERATION_OPTIONS = {
  events: { type: 'string' },
  seed: { type: 'string' },
  start: { type: 'string' },
  'virtual-rate': { type: 'string' },
  failed: { type: 'string' },
  slow: { type: 'string' },
  ...LATE_DELIVERY_OPTIONS,
} as const;

export const GENERATION_OPTIONS_HELP = `  --events N            how many events (required)
  --seed S              seed of the catalog and the events (default 42)
  --start ISO           event time of the first event (default: so the last one is now;
                        give it for a reproducible run)
  --virtual-rate R      events per virtual second (default 1000)
  --failed F            share of failed downloads, 0..1 (default 0.08)
  --slow F              share of slow downloads, 0..1 (default 0.02)
${LATE_DELIVERY_HELP}`;

type GenerationValues = { readonly [K in keyof typeof GENERATION_OPTIONS]?: string };

export function generationSettingsFrom(values: GenerationValues, now: number): RunParameters {
  const events = parseInteger('events', values.events, 1, 10_000_000_000);
  if (events === undefined) throw new UsageError('--events is required');
  const ratePerSecond =
    parseNumber('virtual-rate', values['virtual-rate'], MIN_RATE, MAX_RATE) ?? 1000;
  const durationMs = Math.ceil((events * 1000) / ratePerSecond);
  const failed = parseNumber('failed', values.failed, 0, 1) ?? 0.08;
  const slow = parseNumber('slow', values.slow, 0, 1) ?? 0.02;
  if (failed + slow > 1) throw new UsageError('--failed plus --slow must not exceed 1');
  const late = lateDeliveryFrom(values);
  return {
    seed: values.seed ?? '42',
    events,
    start: parseTimestamp('start', values.start) ?? now - durationMs,
    ratePerSecond,
    failed,
    slow,
    lateFraction: late.fraction,
    lateByMs: late.delayMs,
  };
}

/** A generator for these settings. */
export function generatorOptionsOf(settings: RunParameters) {
  return {
    seed: settings.seed,
    outcomeMix: { failed: settings.failed, slow: settings.slow },
    late: { fraction: settings.lateFraction, delayMs: settings.lateByMs },
  };
}
