/** The flags of a bounded run in virtual time, shared by `generate` and `run`. */
import { MAX_RATE, MIN_RATE } from '../generator/rate-pacer';
import type { RunParameters } from '../generator/run-manifest';
import { UsageError } from './cli-io';
import type { FlagTable } from './cli-options';
import { parseInteger, parseNumber, parseTimestamp } from './option-parsers';

export const LATE_DELIVERY_OPTIONS = {
  'late-fraction': {
    value: 'F',
    description: 'share of events delivered late, 0..1',
    default: 0,
    parse: (raw) => parseNumber('late-fraction', raw, 0, 1),
  },
  'late-by-ms': {
    value: 'MS',
    description: 'how late those are, ms',
    default: 5000,
    parse: (raw) => parseNumber('late-by-ms', raw, 0, 86_400_000),
  },
} as const satisfies FlagTable;

interface LateDeliveryValues {
  readonly 'late-fraction'?: number;
  readonly 'late-by-ms'?: number;
}

/** The generator's late delivery from --late-fraction and --late-by-ms (defaults: none, 5 s). */
export function lateDeliveryFrom(values: LateDeliveryValues): {
  fraction: number;
  delayMs: number;
} {
  return { fraction: values['late-fraction'] ?? 0, delayMs: values['late-by-ms'] ?? 5000 };
}

export const GENERATION_OPTIONS = {
  // Required, but checked by us (after the flags are read) for our message.
  events: {
    value: 'N',
    description: 'how many events (required)',
    parse: (raw) => parseInteger('events', raw, 1, 10_000_000_000),
  },
  seed: { value: 'S', description: 'seed of the catalog and the events', defaultText: '42' },
  start: {
    value: 'ISO',
    description:
      'event time of the first event (default: so the last one is now; give it for a ' +
      'reproducible run)',
    parse: (raw) => parseTimestamp('start', raw),
  },
  'virtual-rate': {
    value: 'R',
    description: 'events per virtual second',
    default: 1000,
    parse: (raw) => parseNumber('virtual-rate', raw, MIN_RATE, MAX_RATE),
  },
  failed: {
    value: 'F',
    description: 'share of failed downloads, 0..1',
    default: 0.08,
    parse: (raw) => parseNumber('failed', raw, 0, 1),
  },
  slow: {
    value: 'F',
    description: 'share of slow downloads, 0..1',
    default: 0.02,
    parse: (raw) => parseNumber('slow', raw, 0, 1),
  },
  ...LATE_DELIVERY_OPTIONS,
} as const satisfies FlagTable;

export interface GenerationValues extends LateDeliveryValues {
  readonly events?: number;
  readonly seed?: string;
  readonly start?: number;
  readonly 'virtual-rate'?: number;
  readonly failed?: number;
  readonly slow?: number;
}

export function generationSettingsFrom(values: GenerationValues, now: number): RunParameters {
  const events = values.events;
  if (events === undefined) throw new UsageError('--events is required');
  const ratePerSecond = values['virtual-rate'] ?? 1000;
  const durationMs = Math.ceil((events * 1000) / ratePerSecond);
  const failed = values.failed ?? 0.08;
  const slow = values.slow ?? 0.02;
  if (failed + slow > 1) throw new UsageError('--failed plus --slow must not exceed 1');
  const late = lateDeliveryFrom(values);
  return {
    seed: values.seed ?? '42',
    events,
    start: values.start ?? now - durationMs,
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
