/**
 * An incident drill's scenario: a background mix and rate, and timed incidents (region outages,
 * slow networks, device failures, bursts of late events, poison records). Read from JSON or YAML
 * and checked field by field, so a bad file says which field of which incident is wrong.
 * Pure: no I/O beyond the text it is given.
 */
import { parse as parseYaml } from 'yaml';
import { DEVICE_TYPES, REGIONS, type DeviceType } from '../../shared/domain';
import { ValidationError } from '../../shared/validation-error';

export const INCIDENT_KINDS = [
  'regionOutage',
  'slowNetwork',
  'deviceFailure',
  'lateBurst',
  'poisonRecords',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/**
 * What the scorecard expects of an incident: `alert` (a rule should catch it: missed otherwise) or
 * `none` (a blip the rules should let pass: an alert on it counts as a false alert).
 */
export type Expectation = 'alert' | 'none';

export interface Incident {
  readonly kind: IncidentKind;
  /** A short name for the timeline; defaults to the kind and its target. */
  readonly label: string;
  /** From the drill's start, ms. */
  readonly atMs: number;
  /** How long it lasts, ms (poison records: 0, they are written at one instant). */
  readonly durationMs: number;
  readonly region: string | null;
  readonly device: DeviceType | null;
  /** Share of downloads that fail (outages, device failures). */
  readonly errorRate: number | null;
  /** Share of downloads that are slow, and the speed multiplier (slow networks). */
  readonly slowRate: number | null;
  readonly speedFactor: number | null;
  /** Late bursts: the share of events delivered late, and by how much. */
  readonly lateFraction: number | null;
  readonly lateByMs: number | null;
  /** Poison records: how many undecodable records are written. */
  readonly count: number | null;
  readonly expect: Expectation;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly durationMs: number;
  /** Background events per (virtual) second. */
  readonly ratePerSecond: number;
  readonly background: { readonly failed: number; readonly slow: number };
  readonly incidents: readonly Incident[];
}

/** Bounds that keep a drill finite and its records meaningful. */
export const SCENARIO_LIMITS = {
  maxDurationMs: 7 * 24 * 3600_000,
  maxRate: 200_000,
  maxIncidents: 200,
  maxPoisonRecords: 100_000,
  maxTextLength: 2000,
} as const;

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3600_000 };

/** Parses a scenario file's text: YAML (a superset of JSON) or JSON, by the file's extension. */
export function parseScenarioText(text: string, fileName: string): Scenario {
  let raw: unknown;
  try {
    raw = /\.json$/i.test(fileName) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new ValidationError(
      'scenario',
      `${fileName} is not valid ${/\.json$/i.test(fileName) ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  return validateScenario(raw);
}

/** Checks a parsed scenario; throws a ValidationError naming the field at fault. */
export function validateScenario(raw: unknown): Scenario {
  const input = objectAt('scenario', raw);
  allowOnly('scenario', input, [
    'name',
    'description',
    'duration',
    'rate',
    'background',
    'incidents',
  ]);
  const name = requiredText('name', input.name);
  const description = textAt('description', input.description) ?? '';
  const durationMs = durationAt('duration', input.duration, 60_000, SCENARIO_LIMITS.maxDurationMs);
  const ratePerSecond = numberAt('rate', input.rate, 0.1, SCENARIO_LIMITS.maxRate) ?? 100;
  const background = backgroundAt(input.background);
  if (!Array.isArray(input.incidents)) {
    throw new ValidationError('incidents', 'must be a list of incidents (it may be empty: [])');
  }
  if (input.incidents.length > SCENARIO_LIMITS.maxIncidents) {
    throw new ValidationError('incidents', `at most ${SCENARIO_LIMITS.maxIncidents} incidents`);
  }
  const incidents = input.incidents.map((item, i) =>
    incidentAt(`incidents[${i}]`, item, durationMs),
  );
  return { name, description, durationMs, ratePerSecond, background, incidents };
}

function backgroundAt(raw: unknown): Scenario['background'] {
  if (raw === undefined) return { failed: 0.02, slow: 0.05 };
  const input = objectAt('background', raw);
  allowOnly('background', input, ['failed', 'slow']);
  const failed = numberAt('background.failed', input.failed, 0, 1) ?? 0.02;
  const slow = numberAt('background.slow', input.slow, 0, 1) ?? 0.05;
  if (failed + slow > 1) throw new ValidationError('background', 'failed + slow must not exceed 1');
  return { failed, slow };
}

/** The fields each kind takes besides kind, label, at, duration and expect. */
const KIND_FIELDS: Record<IncidentKind, readonly string[]> = {
  regionOutage: ['region', 'errorRate'],
  slowNetwork: ['region', 'device', 'slowRate', 'speedFactor'],
  deviceFailure: ['device', 'errorRate'],
  lateBurst: ['fraction', 'lateBy'],
  poisonRecords: ['count'],
};

function incidentAt(field: string, raw: unknown, scenarioMs: number): Incident {
  const input = objectAt(field, raw);
  const kind = input.kind;
  if (typeof kind !== 'string' || !(INCIDENT_KINDS as readonly string[]).includes(kind)) {
    throw new ValidationError(
      `${field}.kind`,
      `must be one of ${INCIDENT_KINDS.join(', ')}, got ${JSON.stringify(kind)}`,
    );
  }
  const k = kind as IncidentKind;
  allowOnly(field, input, ['kind', 'label', 'at', 'duration', 'expect', ...KIND_FIELDS[k]]);
  const atMs = durationAt(`${field}.at`, input.at, 0, scenarioMs);
  const durationMs =
    k === 'poisonRecords'
      ? 0
      : durationAt(`${field}.duration`, input.duration, 1000, SCENARIO_LIMITS.maxDurationMs);
  if (atMs + durationMs > scenarioMs) {
    throw new ValidationError(
      `${field}.duration`,
      `ends ${formatDuration(atMs + durationMs)} after the start, past the scenario's duration (${formatDuration(scenarioMs)})`,
    );
  }
  const region = input.region === undefined ? null : regionAt(`${field}.region`, input.region);
  const device = input.device === undefined ? null : deviceAt(`${field}.device`, input.device);
  if (k === 'regionOutage' && region === null)
    throw new ValidationError(`${field}.region`, 'is required for a regionOutage');
  if (k === 'deviceFailure' && device === null)
    throw new ValidationError(`${field}.device`, 'is required for a deviceFailure');
  if (k === 'slowNetwork' && (region === null) === (device === null))
    throw new ValidationError(`${field}.region`, 'give exactly one of region or device');
  const errorRate =
    k === 'regionOutage' || k === 'deviceFailure'
      ? requiredNumber(`${field}.errorRate`, input.errorRate, 0, 1)
      : null;
  const slowRate =
    k === 'slowNetwork' ? (numberAt(`${field}.slowRate`, input.slowRate, 0, 1) ?? null) : null;
  const speedFactor =
    k === 'slowNetwork'
      ? (numberAt(`${field}.speedFactor`, input.speedFactor, 0.001, 100) ?? null)
      : null;
  if (k === 'slowNetwork' && slowRate === null && speedFactor === null)
    throw new ValidationError(`${field}.slowRate`, 'set slowRate, speedFactor or both');
  const lateFraction =
    k === 'lateBurst' ? requiredNumber(`${field}.fraction`, input.fraction, 0.000001, 1) : null;
  const lateByMs =
    k === 'lateBurst' ? durationAt(`${field}.lateBy`, input.lateBy, 1000, 7 * 24 * 3600_000) : null;
  const count =
    k === 'poisonRecords'
      ? requiredInteger(`${field}.count`, input.count, 1, SCENARIO_LIMITS.maxPoisonRecords)
      : null;
  const expect = expectationAt(`${field}.expect`, input.expect, k);
  const target = region ?? device;
  const label = textAt(`${field}.label`, input.label) ?? (target === null ? k : `${k} ${target}`);
  return {
    kind: k,
    label,
    atMs,
    durationMs,
    region,
    device,
    errorRate,
    slowRate,
    speedFactor,
    lateFraction,
    lateByMs,
    count,
    expect,
  };
}

/** Outages and failures should raise an alert; late bursts and poison must not. */
function expectationAt(field: string, raw: unknown, kind: IncidentKind): Expectation {
  if (raw === undefined) return kind === 'lateBurst' || kind === 'poisonRecords' ? 'none' : 'alert';
  if (raw !== 'alert' && raw !== 'none')
    throw new ValidationError(field, `must be "alert" or "none", got ${JSON.stringify(raw)}`);
  return raw;
}

function objectAt(field: string, raw: unknown): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new ValidationError(field, 'must be an object (a mapping of fields)');
  return raw as Record<string, unknown>;
}

function allowOnly(field: string, input: Record<string, unknown>, names: readonly string[]): void {
  for (const name of Object.keys(input)) {
    if (!names.includes(name))
      throw new ValidationError(
        `${field === 'scenario' ? '' : `${field}.`}${name}`,
        `is not a field here; the fields are ${names.join(', ')}`,
      );
  }
}

function textAt(field: string, raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  return requiredText(field, raw);
}

function requiredText(field: string, raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '')
    throw new ValidationError(field, 'must be a non-empty text');
  if (raw.length > SCENARIO_LIMITS.maxTextLength)
    throw new ValidationError(field, `at most ${SCENARIO_LIMITS.maxTextLength} characters`);
  return raw;
}

function numberAt(field: string, raw: unknown, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < min || raw > max)
    throw new ValidationError(
      field,
      `must be a number from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  return raw;
}

function requiredNumber(field: string, raw: unknown, min: number, max: number): number {
  if (raw === undefined) throw new ValidationError(field, 'is required');
  return numberAt(field, raw, min, max)!;
}

function requiredInteger(field: string, raw: unknown, min: number, max: number): number {
  const value = requiredNumber(field, raw, min, max);
  if (!Number.isInteger(value))
    throw new ValidationError(field, `must be a whole number, got ${value}`);
  return value;
}

function regionAt(field: string, raw: unknown): string {
  if (!(REGIONS as readonly unknown[]).includes(raw))
    throw new ValidationError(
      field,
      `unknown region ${JSON.stringify(raw)}; one of ${REGIONS.join(', ')}`,
    );
  return raw as string;
}

function deviceAt(field: string, raw: unknown): DeviceType {
  if (!(DEVICE_TYPES as readonly unknown[]).includes(raw))
    throw new ValidationError(
      field,
      `unknown device ${JSON.stringify(raw)}; one of ${DEVICE_TYPES.join(', ')}`,
    );
  return raw as DeviceType;
}

/**
 * A duration: a text such as "90s", "10m", "1.5h", "1h30m", "500ms", or a number of seconds. A drill's
 * times are written by people, so both forms are accepted.
 */
export function durationAt(field: string, raw: unknown, minMs: number, maxMs: number): number {
  let ms = NaN;
  if (typeof raw === 'number') ms = raw * 1000;
  else if (typeof raw === 'string') {
    // "90s", "10m", "1.5h", or parts together: "1h30m".
    const text = raw.trim();
    if (/^\d+(?:\.\d+)?$/.test(text)) ms = Number(text) * 1000;
    else if (/^(?:\d+(?:\.\d+)?\s*(?:ms|s|m|h)\s*)+$/.test(text)) {
      ms = 0;
      for (const part of text.matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|m|h)/g))
        ms += Number(part[1]) * DURATION_UNITS[part[2]!]!;
    }
  }
  if (raw === undefined)
    throw new ValidationError(field, 'is required (such as "90s", "10m" or "1h")');
  if (!Number.isFinite(ms) || ms < minMs || ms > maxMs) {
    throw new ValidationError(
      field,
      `must be a duration from ${formatDuration(minMs)} to ${formatDuration(maxMs)} (such as "90s", "10m" or "1h"), got ${JSON.stringify(raw)}`,
    );
  }
  return Math.round(ms);
}

export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % 3600_000 === 0) return `${ms / 3600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
