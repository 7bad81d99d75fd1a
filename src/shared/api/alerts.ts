/** The alerts area: an alert as the API shows it, the list's and the acknowledgement's parameters. */
import { z } from 'zod';
import { enumParam, integerParam, paramsObject } from './params';
import type { DeepReadonly } from './readonly';

export const alertsParams = {
  list: paramsObject({
    limit: integerParam(1, 100, { default: 20, description: 'How many alerts' }),
    status: enumParam(['all', 'open', 'resolved'], { default: 'all', description: 'Which alerts' }),
  }),
  ack: paramsObject({
    id: integerParam(1, Number.MAX_SAFE_INTEGER, { description: 'Alert id' }),
  }),
};

export const alertViewSchema = z.object({
  id: z.number(),
  type: z.string(),
  severity: z.enum(['INFO', 'WARNING', 'CRITICAL']),
  message: z.string(),
  region: z.string().nullable(),
  metricValue: z.number(),
  thresholdValue: z.number(),
  episodeStart: z.string(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  acknowledged: z.boolean(),
  acknowledgedAt: z.string().nullable(),
});
export type AlertView = DeepReadonly<z.output<typeof alertViewSchema>>;
