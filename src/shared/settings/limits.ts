/**
 * The bounds of the settings the generator and the engine also check at run time (a rate set from
 * the dashboard, an engine config from a test), kept apart from the catalogue so those threads
 * read them without loading the schema library. The catalogue gives them to its fields.
 */

const HOUR_MS = 3_600_000;

/** The generator's event rate, in events per second. */
export const RATE_LIMITS = { min: 0.1, max: 10_000_000 } as const;

/** The engine's durations, in ms. */
export const WINDOW_SIZE_LIMITS = { min: 1000, max: 24 * HOUR_MS } as const;
export const OUT_OF_ORDERNESS_LIMITS = { min: 0, max: 24 * HOUR_MS } as const;
export const ALLOWED_LATENESS_LIMITS = { min: 0, max: 7 * 24 * HOUR_MS } as const;
export const MAX_FUTURE_LIMITS = { min: 1000, max: 30 * 24 * HOUR_MS } as const;

/** An alert rule's (the engine checks rules given by tests and the history job too). */
export const ALERT_RULE_LIMITS = {
  rules: { max: 20 },
  consecutiveWindows: { min: 1, max: 1000 },
  minEvents: { min: 0, max: 1e9 },
  /** Of `downloads` (a count); the rate metrics' are shares, 0 to 1. */
  threshold: { min: 0, max: 1e12 },
} as const;

/**
 * The default alert rule: HIGH_ERROR_RATE, a region's error rate above 10% for 3 windows
 * (CRITICAL above 25%), windows of fewer than 20 events saying nothing. The settings' default
 * (catalogue.ts) and the engine's (engine/alert-rules.ts) both come from here.
 */
export const DEFAULT_ALERT_RULE_VALUES = [
  {
    id: 'high-error-rate',
    type: 'HIGH_ERROR_RATE',
    metric: 'errorRate',
    direction: 'above',
    threshold: 0.1,
    criticalThreshold: 0.25,
    consecutiveWindows: 3,
    minEvents: 20,
  },
] as const;
