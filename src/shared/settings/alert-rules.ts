/**
 * The schema of an alert rule in the settings. A rule's thresholds are shares (0-1) for the rate
 * metrics and counts for `downloads`, so their bounds depend on the rule's metric: they are checked
 * with the rest of the rule, by the same number schema as every other setting.
 */
import { z } from 'zod';
import { ALERT_RULE_LIMITS } from './limits';
import { shown } from './messages';

export { ALERT_RULE_LIMITS };
import { numberIn, oneOf, OBJECT_ERROR, text, wholeNumberIn, type Range } from './zod-fields';

export const ALERT_METRICS = ['errorRate', 'slowRate', 'downloads'] as const;
export const ALERT_DIRECTIONS = ['above', 'below'] as const;

/** A rule's fields, for people (the form's columns, its errors). */
export const ALERT_RULE_LABELS = {
  id: 'id',
  type: 'type',
  metric: 'metric',
  direction: 'direction',
  threshold: 'threshold',
  criticalThreshold: 'critical threshold',
  consecutiveWindows: 'consecutive windows',
  minEvents: 'min events',
} as const;

const SHARE: Range = { min: 0, max: 1 };

export function isRateMetric(metric: unknown): boolean {
  return metric === 'errorRate' || metric === 'slowRate';
}

/** The schema of a threshold of a rule on `metric`. */
export function thresholdSchema(metric: unknown): z.ZodNumber {
  return isRateMetric(metric)
    ? numberIn(SHARE, ' (a share: 0.1 is 10%)')
    : numberIn(ALERT_RULE_LIMITS.threshold);
}

const ruleShape = z.strictObject(
  {
    id: text((id) =>
      /^[a-z0-9-]{1,64}$/.test(id)
        ? null
        : 'use 1-64 lower-case letters, digits and dashes, e.g. high-error-rate',
    ),
    type: text((type) =>
      /^[A-Z][A-Z0-9_]{0,63}$/.test(type)
        ? null
        : 'use 1-64 capital letters, digits and underscores, starting with a letter, e.g. HIGH_ERROR_RATE',
    ),
    metric: oneOf(ALERT_METRICS),
    direction: oneOf(ALERT_DIRECTIONS),
    // Checked below, with the bounds of the rule's metric.
    threshold: z.unknown(),
    criticalThreshold: z.unknown().optional(),
    consecutiveWindows: wholeNumberIn(ALERT_RULE_LIMITS.consecutiveWindows),
    minEvents: wholeNumberIn(ALERT_RULE_LIMITS.minEvents),
  },
  { error: OBJECT_ERROR },
);

type RuleInput = z.output<typeof ruleShape>;

/** Checks a threshold with the bounds of the rule's metric; its value when right. */
function checkThreshold(
  rule: RuleInput,
  key: 'threshold' | 'criticalThreshold',
  ctx: z.RefinementCtx,
): number | undefined {
  const result = thresholdSchema(rule.metric).safeParse(rule[key]);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    ctx.addIssue({ code: 'custom', path: [key], message: issue.message, input: rule[key] });
  }
  return undefined;
}

function checkThresholds(rule: RuleInput, ctx: z.RefinementCtx): void {
  if (typeof rule !== 'object' || rule === null) return;
  const threshold = checkThreshold(rule, 'threshold', ctx);
  if (rule.criticalThreshold === undefined || rule.criticalThreshold === null) return;
  const critical = checkThreshold(rule, 'criticalThreshold', ctx);
  const { direction } = rule;
  if (critical === undefined || threshold === undefined) return;
  if (direction !== 'above' && direction !== 'below') return;
  const beyond = direction === 'above' ? critical >= threshold : critical <= threshold;
  if (!beyond) {
    ctx.addIssue({
      code: 'custom',
      path: ['criticalThreshold'],
      input: critical,
      message: `must be ${direction === 'above' ? 'at least' : 'at most'} the threshold (${threshold}) for a rule that fires ${direction} it, or empty`,
    });
  }
}

export const alertRuleSchema = ruleShape
  .superRefine(checkThresholds, { when: () => true })
  .transform((rule) => ({
    id: rule.id,
    type: rule.type,
    metric: rule.metric,
    direction: rule.direction,
    threshold: rule.threshold as number,
    // null (an emptied field) is no critical threshold.
    ...(typeof rule.criticalThreshold === 'number'
      ? { criticalThreshold: rule.criticalThreshold }
      : {}),
    consecutiveWindows: rule.consecutiveWindows,
    minEvents: rule.minEvents,
  }));

export type AlertRuleOutput = z.output<typeof alertRuleSchema>;

export const alertRulesSchema = z
  .array(alertRuleSchema, {
    error: (issue) =>
      issue.input === undefined
        ? 'is required (a list; [] for no alerts)'
        : `must be a list of rules, got ${shown(issue.input)}`,
  })
  .superRefine(
    (rules, ctx) => {
      if (!Array.isArray(rules)) return;
      const max = ALERT_RULE_LIMITS.rules.max;
      if (rules.length > max) {
        ctx.addIssue({ code: 'custom', message: `has ${rules.length} rules: at most ${max}` });
      }
      const firstUse = new Map<string, number>();
      rules.forEach((rule: unknown, i) => {
        const id = (rule as { id?: unknown } | null)?.id;
        if (typeof id !== 'string' || !/^[a-z0-9-]{1,64}$/.test(id)) return;
        const earlier = firstUse.get(id);
        if (earlier === undefined) firstUse.set(id, i);
        else {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'id'],
            message: `"${id}" is also the id of rule ${earlier + 1}: ids must be unique`,
          });
        }
      });
    },
    { when: () => true },
  );
