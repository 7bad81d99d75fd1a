/**
 * Alert rules are data: a metric of a region's final window, a threshold, how many consecutive
 * windows, a minimum sample. A new kind (slow downloads, a traffic drop) is one more entry here,
 * with no new plumbing.
 */
import { requireNumberInRange, ValidationError } from '../../shared/validation-error';
import type { RegionHealthRow } from './window-rows';
import { ALERT_RULE_LIMITS, DEFAULT_ALERT_RULE_VALUES } from '../../shared/settings/limits';

/** What a rule can watch, computed from a region's window row. */
export const ALERT_METRICS = {
  errorRate: (row: RegionHealthRow) => row.failed / row.total,
  slowRate: (row: RegionHealthRow) => row.slow / row.total,
  downloads: (row: RegionHealthRow) => row.total,
} as const;
export type AlertMetric = keyof typeof ALERT_METRICS;

export type Severity = 'INFO' | 'WARNING' | 'CRITICAL';

export interface AlertRule {
  /** Stable id: part of each alert's identity, so keep it when changing the rule. */
  readonly id: string;
  /** The alert type users see, e.g. HIGH_ERROR_RATE. */
  readonly type: string;
  readonly metric: AlertMetric;
  readonly direction: 'above' | 'below';
  readonly threshold: number;
  /** Beyond this the alert is CRITICAL rather than WARNING; absent: never. */
  readonly criticalThreshold?: number;
  readonly consecutiveWindows: number;
  /** Windows with fewer events say nothing: they neither count towards nor resolve an episode. */
  readonly minEvents: number;
}

/** HIGH_ERROR_RATE: a region's error rate above 10% for 3 windows (CRITICAL above 25%). */
export const DEFAULT_ALERT_RULES: readonly AlertRule[] = DEFAULT_ALERT_RULE_VALUES;

export function breaches(rule: AlertRule, value: number, threshold = rule.threshold): boolean {
  return rule.direction === 'above' ? value > threshold : value < threshold;
}

export function severityOf(rule: AlertRule, peak: number): Severity {
  return rule.criticalThreshold !== undefined && breaches(rule, peak, rule.criticalThreshold)
    ? 'CRITICAL'
    : 'WARNING';
}

export function validateAlertRules(rules: readonly AlertRule[]): readonly AlertRule[] {
  const ids = new Set<string>();
  rules.forEach((rule, i) => {
    const field = `alertRules[${i}]`;
    if (!/^[a-z0-9-]{1,64}$/.test(rule.id))
      throw new ValidationError(`${field}.id`, 'use 1-64 lower-case letters, digits and dashes');
    if (ids.has(rule.id)) throw new ValidationError(`${field}.id`, `"${rule.id}" is used twice`);
    ids.add(rule.id);
    if (!(rule.metric in ALERT_METRICS)) {
      throw new ValidationError(
        `${field}.metric`,
        `one of ${Object.keys(ALERT_METRICS).join(', ')}`,
      );
    }
    if (rule.direction !== 'above' && rule.direction !== 'below')
      throw new ValidationError(`${field}.direction`, 'above or below');
    const { threshold, consecutiveWindows, minEvents } = ALERT_RULE_LIMITS;
    requireNumberInRange(`${field}.threshold`, rule.threshold, threshold.min, threshold.max);
    if (rule.criticalThreshold !== undefined)
      requireNumberInRange(
        `${field}.criticalThreshold`,
        rule.criticalThreshold,
        threshold.min,
        threshold.max,
      );
    requireNumberInRange(
      `${field}.consecutiveWindows`,
      rule.consecutiveWindows,
      consecutiveWindows.min,
      consecutiveWindows.max,
    );
    requireNumberInRange(`${field}.minEvents`, rule.minEvents, minEvents.min, minEvents.max);
  });
  return rules;
}
