/** The drills area: the list, one drill with its scorecard, the ready scenarios; their parameters. */
import { z } from 'zod';
import { integerParam, paramsObject, stringParam } from './params';
import type { DeepReadonly } from './readonly';

const drillId = paramsObject({
  id: integerParam(1, Number.MAX_SAFE_INTEGER, { description: 'Drill id' }),
});

export const drillParams = {
  list: paramsObject({
    limit: integerParam(1, 200, { default: 20, description: 'How many drills' }),
  }),
  get: drillId,
  start: paramsObject({
    scenario: stringParam(100, {
      description: 'A ready scenario’s file (see GET /api/drills/scenarios)',
    }),
  }),
  stop: drillId,
};

export const drillModeSchema = z.enum(['virtual', 'live']);
export type DrillModeView = z.output<typeof drillModeSchema>;
export const drillStatusSchema = z.enum(['running', 'finished', 'stopped', 'failed']);
export type DrillStatusView = z.output<typeof drillStatusSchema>;
/** As in the scorecard, plus `upcoming` and `pending` while a live drill runs. */
export const incidentResultSchema = z.enum([
  'detected',
  'missed',
  'passed',
  'alerted',
  'unwatched',
  'upcoming',
  'pending',
]);
export type IncidentResultView = z.output<typeof incidentResultSchema>;

export const drillSummarySchema = z.object({
  id: z.number(),
  name: z.string(),
  mode: drillModeSchema,
  seed: z.string(),
  status: drillStatusSchema,
  error: z.string().nullable(),
  /** The drill's span in event time (a stopped drill ends at its stop). */
  startsAt: z.string(),
  endsAt: z.string(),
  wallStartedAt: z.string(),
  wallEndedAt: z.string().nullable(),
  incidents: z.number(),
  detected: z.number(),
  missed: z.number(),
  falseAlerts: z.number(),
  pass: z.boolean(),
  verdict: z.string(),
});
export type DrillSummaryView = DeepReadonly<z.output<typeof drillSummarySchema>>;

export const drillIncidentSchema = z.object({
  index: z.number(),
  kind: z.string(),
  label: z.string(),
  region: z.string().nullable(),
  device: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  /** When a live drill injected it, by the wall clock; null in virtual time. */
  wallStartsAt: z.string().nullable(),
  expect: z.enum(['alert', 'none']),
  result: incidentResultSchema,
  alertId: z.number().nullable(),
  delayMs: z.number().nullable(),
  wallDelayMs: z.number().nullable(),
});
export type DrillIncidentView = DeepReadonly<z.output<typeof drillIncidentSchema>>;

export const drillAlertSchema = z.object({
  id: z.number().nullable(),
  ruleId: z.string(),
  type: z.string(),
  severity: z.string(),
  region: z.string(),
  metricValue: z.number(),
  episodeStart: z.string(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  /** When its row was written, by the wall clock (live drills); null otherwise. */
  raisedAt: z.string().nullable(),
  falseAlert: z.boolean(),
  reason: z.string().nullable(),
  incidents: z.array(z.number()),
});
export type DrillAlertView = DeepReadonly<z.output<typeof drillAlertSchema>>;

export const drillViewSchema = drillSummarySchema.extend({
  description: z.string(),
  windowSizeMs: z.number(),
  ratePerSecond: z.number(),
  rules: z.array(
    z.object({
      id: z.string(),
      metric: z.string(),
      threshold: z.number(),
      consecutiveWindows: z.number(),
      minEvents: z.number(),
    }),
  ),
  unresolved: z.number(),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  meanDelayMs: z.number().nullable(),
  incidentList: z.array(drillIncidentSchema),
  alerts: z.array(drillAlertSchema),
});
export type DrillView = DeepReadonly<z.output<typeof drillViewSchema>>;

export const scenarioViewSchema = z.object({
  /** The file in scenarios/, which POST /api/drills takes. */
  file: z.string(),
  name: z.string(),
  description: z.string(),
  durationMs: z.number(),
  ratePerSecond: z.number(),
  incidents: z.number(),
});
export type ScenarioView = DeepReadonly<z.output<typeof scenarioViewSchema>>;
