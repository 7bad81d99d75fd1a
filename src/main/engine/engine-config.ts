/** The engine's parameters, with the defaults users get and the bounds they may set. */
import {
  ALLOWED_LATENESS_LIMITS,
  MAX_FUTURE_LIMITS,
  OUT_OF_ORDERNESS_LIMITS,
  WINDOW_SIZE_LIMITS,
} from '../../shared/settings/limits';
import { requireNumberInRange } from '../../shared/validation-error';
import { DEFAULT_ALERT_RULES, validateAlertRules, type AlertRule } from './alert-rules';

export interface EngineConfig {
  /** Tumbling window size (default 60 s; down to 1 s for tests and demos). */
  readonly windowSizeMs: number;
  /** Bounded out-of-orderness: a partition's watermark trails its newest event by this. */
  readonly outOfOrdernessMs: number;
  /** How long after a window is final late events still update it (a late firing). */
  readonly allowedLatenessMs: number;
  /** A partition with no events for this long (processing time) stops holding the watermark back. */
  readonly idleTimeoutMs: number;
  /**
   * An event more than this ahead of both the wall clock and its partition's watermark is kept
   * aside as a future event (counted, stored with the late events), and never moves the
   * watermark: one bad clock must not make every later event late, for good (default 5 min).
   */
  readonly maxFutureMs: number;
  readonly alertRules: readonly AlertRule[];
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  windowSizeMs: 60_000,
  outOfOrdernessMs: 5_000,
  allowedLatenessMs: 60_000,
  idleTimeoutMs: 10_000,
  maxFutureMs: 5 * 60_000,
  alertRules: DEFAULT_ALERT_RULES,
};

export function engineConfig(overrides: Partial<EngineConfig> = {}): EngineConfig {
  const config = { ...DEFAULT_ENGINE_CONFIG, ...overrides };
  const within = (field: string, value: number, limits: { min: number; max: number }) =>
    requireNumberInRange(field, value, limits.min, limits.max);
  within('windowSizeMs', config.windowSizeMs, WINDOW_SIZE_LIMITS);
  within('outOfOrdernessMs', config.outOfOrdernessMs, OUT_OF_ORDERNESS_LIMITS);
  within('allowedLatenessMs', config.allowedLatenessMs, ALLOWED_LATENESS_LIMITS);
  // Not a setting: tests and the history job choose it.
  requireNumberInRange('idleTimeoutMs', config.idleTimeoutMs, 100, 24 * 3600 * 1000);
  within('maxFutureMs', config.maxFutureMs, MAX_FUTURE_LIMITS);
  validateAlertRules(config.alertRules);
  return config;
}
