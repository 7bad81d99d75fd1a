/**
 * Failure injection: overrides of the outcome mix and of speed for one region or one device type,
 * optionally for a limited time. Pure logic: time is always an argument.
 *
 * Combining: the base mix applies, then every active injection that matches an event's region or
 * device, oldest first; each replaces the fields it sets. So the most recent matching injection
 * wins, field by field, and clearing it brings back what was there before.
 */
import { DEVICE_TYPES, REGIONS, type DeviceType, type OutcomeMix } from '../../shared/domain';
import { requireNumberInRange, ValidationError } from '../../shared/validation-error';

export type InjectionTarget = { readonly region: string } | { readonly device: DeviceType };

export interface InjectionSpec {
  readonly target: InjectionTarget;
  /** Share of downloads that fail, 0..1. */
  readonly failed?: number;
  /** Share of downloads that are slow, 0..1. */
  readonly slow?: number;
  /** Multiplier on download speed (0.5 halves it). */
  readonly speedFactor?: number;
  /** How long it lasts; absent or null: until cleared. */
  readonly durationMs?: number | null;
}

export interface Injection extends InjectionSpec {
  readonly id: string;
  readonly startsAt: number;
  /** When it ends, ms since the epoch; null: until cleared. */
  readonly endsAt: number | null;
}

/** The mix and speed factor in force for one (region, device) pair. */
export interface EffectiveMix extends OutcomeMix {
  readonly speedFactor: number;
}

export function validateOutcomeMix(mix: OutcomeMix, field = 'outcomeMix'): OutcomeMix {
  const failed = requireNumberInRange(`${field}.failed`, mix.failed, 0, 1);
  const slow = requireNumberInRange(`${field}.slow`, mix.slow, 0, 1);
  if (failed + slow > 1 + 1e-9) {
    throw new ValidationError(field, `failed + slow must not exceed 1, got ${failed + slow}`);
  }
  return { failed, slow };
}

export function validateInjectionSpec(spec: InjectionSpec): InjectionSpec {
  const target = spec.target as Partial<{ region: unknown; device: unknown }> | undefined;
  if (!target || (target.region === undefined) === (target.device === undefined)) {
    throw new ValidationError('target', 'give exactly one of region or device');
  }
  if (target.region !== undefined && !(REGIONS as readonly unknown[]).includes(target.region)) {
    throw new ValidationError(
      'target.region',
      `unknown region ${JSON.stringify(target.region)}; one of ${REGIONS.join(', ')}`,
    );
  }
  if (
    target.device !== undefined &&
    !(DEVICE_TYPES as readonly unknown[]).includes(target.device)
  ) {
    throw new ValidationError(
      'target.device',
      `unknown device ${JSON.stringify(target.device)}; one of ${DEVICE_TYPES.join(', ')}`,
    );
  }
  if (spec.failed === undefined && spec.slow === undefined && spec.speedFactor === undefined) {
    throw new ValidationError('injection', 'set at least one of failed, slow or speedFactor');
  }
  if (spec.failed !== undefined) requireNumberInRange('failed', spec.failed, 0, 1);
  if (spec.slow !== undefined) requireNumberInRange('slow', spec.slow, 0, 1);
  if ((spec.failed ?? 0) + (spec.slow ?? 0) > 1 + 1e-9) {
    throw new ValidationError('failed', 'failed + slow must not exceed 1');
  }
  if (spec.speedFactor !== undefined)
    requireNumberInRange('speedFactor', spec.speedFactor, 0.001, 100);
  if (spec.durationMs !== undefined && spec.durationMs !== null) {
    requireNumberInRange('durationMs', spec.durationMs, 1, 365 * 24 * 3600 * 1000);
  }
  return spec;
}

export function isActive(injection: Injection, time: number): boolean {
  return injection.startsAt <= time && (injection.endsAt === null || time < injection.endsAt);
}

/** The next instant after `time` at which some injection starts or ends (Infinity if none). */
export function nextChangeAfter(injections: readonly Injection[], time: number): number {
  let next = Infinity;
  for (const injection of injections) {
    if (injection.startsAt > time) next = Math.min(next, injection.startsAt);
    if (injection.endsAt !== null && injection.endsAt > time)
      next = Math.min(next, injection.endsAt);
  }
  return next;
}

export function effectiveMix(
  base: OutcomeMix,
  injections: readonly Injection[],
  region: string,
  device: DeviceType,
  time: number,
): EffectiveMix {
  let { failed, slow } = base;
  let speedFactor = 1;
  for (const injection of injections) {
    if (!isActive(injection, time)) continue;
    const target = injection.target;
    const matches = 'region' in target ? target.region === region : target.device === device;
    if (!matches) continue;
    if (injection.failed !== undefined) failed = injection.failed;
    if (injection.slow !== undefined) slow = injection.slow;
    if (injection.speedFactor !== undefined) speedFactor = injection.speedFactor;
  }
  // A region's override and a device's override can together exceed 1: failures take precedence.
  slow = Math.min(slow, 1 - failed);
  return { failed, slow, speedFactor };
}
