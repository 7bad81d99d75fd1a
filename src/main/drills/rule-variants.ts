/**
 * What-if alert rules: another threshold, number of windows or minimum sample, applied to the
 * drill's final region windows exactly as the engine applies the rules in force (the same
 * tracker, fed the same rows in the same order). So one drill's events can be scored under
 * several rule sets side by side without generating or counting them again.
 */
import { ValidationError } from '../../shared/validation-error';
import { validateAlertRules, type AlertRule } from '../engine/alert-rules';
import {
  evaluateWindow,
  newTracker,
  type AlertRecord,
  type TrackerState,
} from '../engine/alert-tracker';
import type { RegionHealthRow } from '../engine/window-rows';
import type { ScoredAlert } from './scorecard';

/** `threshold=0.08,windows=2,min=10[,rule=ID]`: the keys people type, and the fields they set. */
const VARIANT_KEYS = {
  threshold: 'threshold',
  windows: 'consecutiveWindows',
  min: 'minEvents',
  minEvents: 'minEvents',
  critical: 'criticalThreshold',
} as const;

/**
 * The rules with one variant applied. It changes the rule named by `rule=ID`, or else every rule
 * that watches the error rate (the drill's subject).
 */
export function applyRuleVariant(
  rules: readonly AlertRule[],
  text: string,
  field = 'rule',
): AlertRule[] {
  const changes: Partial<Record<(typeof VARIANT_KEYS)[keyof typeof VARIANT_KEYS], number>> = {};
  let target: string | null = null;
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key, value, extra] = part.split('=');
    if (value === undefined || extra !== undefined || key === undefined)
      throw new ValidationError(field, `"${part}" is not key=value (in "${text}")`);
    if (key === 'rule') {
      target = value;
      continue;
    }
    const name = VARIANT_KEYS[key as keyof typeof VARIANT_KEYS];
    if (!name)
      throw new ValidationError(
        field,
        `unknown key "${key}"; use ${[...Object.keys(VARIANT_KEYS), 'rule'].join(', ')}`,
      );
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number))
      throw new ValidationError(field, `${key} must be a number, got "${value}"`);
    changes[name] = number;
  }
  if (Object.keys(changes).length === 0)
    throw new ValidationError(field, `"${text}" changes nothing; e.g. threshold=0.08,windows=2`);
  const chosen = rules.filter((r) =>
    target === null ? r.metric === 'errorRate' : r.id === target,
  );
  if (chosen.length === 0)
    throw new ValidationError(
      field,
      target === null
        ? 'no rule watches the error rate; name one with rule=ID'
        : `no rule "${target}"; the rules are ${rules.map((r) => r.id).join(', ')}`,
    );
  const changed = rules.map((r) => (chosen.includes(r) ? { ...r, ...changes } : r));
  try {
    return [...validateAlertRules(changed)];
  } catch (error) {
    throw new ValidationError(field, `${(error as Error).message} (in "${text}")`);
  }
}

/** A one-line description of a rule set, for the scorecard's header. */
export function describeRules(rules: readonly AlertRule[]): string {
  return rules
    .map(
      (r) =>
        `${r.id}: ${r.metric} ${r.direction === 'above' ? '>' : '<'} ${r.threshold} for ${r.consecutiveWindows} window${r.consecutiveWindows === 1 ? '' : 's'} (min ${r.minEvents} events)`,
    )
    .join('; ');
}

/** The alerts `rules` raise over `rows` (final region windows, oldest first). */
export function alertsUnder(
  rules: readonly AlertRule[],
  rows: readonly RegionHealthRow[],
  windowSizeMs: number,
): ScoredAlert[] {
  const trackers = new Map<string, TrackerState>();
  const latest = new Map<string, AlertRecord>();
  for (const row of rows) {
    for (const rule of rules) {
      const key = `${rule.id}\u0000${row.region}`;
      let state = trackers.get(key);
      if (!state) trackers.set(key, (state = newTracker(rule.id, row.region)));
      const alert = evaluateWindow(rule, state, row, windowSizeMs);
      if (alert) latest.set(`${key}\u0000${alert.episodeStart}`, alert);
    }
  }
  return [...latest.values()].map((a) => ({
    id: null,
    ruleId: a.ruleId,
    type: a.type,
    severity: a.severity,
    region: a.region,
    metricValue: a.metricValue,
    episodeStart: a.episodeStart,
    createdAt: a.createdAt,
    resolvedAt: a.resolvedAt,
    raisedAt: null,
  }));
}
