/** The controls area: the generator's controls (rate, outcome mix, injections) and history. */
import { z } from 'zod';
import { DEVICE_TYPES, REGIONS } from '../domain';
import { integerParam, numberParam, paramsObject, enumParam } from './params';
import type { DeepReadonly } from './readonly';

const share = (description: string) => numberParam(0, 1, { description });
const optionalShare = (description: string) => numberParam(0, 1, { optional: true, description });

export const controlParams = {
  setRate: paramsObject({
    ratePerSecond: numberParam(0.1, 10_000_000, { description: 'Events per second' }),
  }),
  setOutcomeMix: paramsObject({
    failed: share('Share of failed downloads'),
    slow: share('Share of slow downloads'),
  }),
  inject: paramsObject({
    region: enumParam(REGIONS, { optional: true, description: 'Target region' }),
    device: enumParam(DEVICE_TYPES, { optional: true, description: 'Target device type' }),
    failed: optionalShare('Share of failed downloads'),
    slow: optionalShare('Share of slow downloads'),
    speedFactor: numberParam(0.001, 100, { optional: true, description: 'Speed multiplier' }),
    durationSeconds: integerParam(1, 7 * 86_400, {
      optional: true,
      description: 'How long; absent: until cleared',
    }),
  }),
  generateHistory: paramsObject({
    hours: integerParam(1, 24, { description: 'How many hours of history' }),
    ratePerSecond: numberParam(0.1, 5000, {
      default: 50,
      description: 'Events per virtual second',
    }),
  }),
};

export const injectionViewSchema = z.object({
  id: z.string(),
  region: z.string().nullable(),
  device: z.string().nullable(),
  failed: z.number().nullable(),
  slow: z.number().nullable(),
  speedFactor: z.number().nullable(),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
});
export type InjectionView = DeepReadonly<z.output<typeof injectionViewSchema>>;

export const controlsSchema = z.object({
  ratePerSecond: z.number(),
  outcomeMix: z.object({ failed: z.number(), slow: z.number() }),
  late: z.object({ fraction: z.number(), delayMs: z.number() }),
  injections: z.array(injectionViewSchema),
  paused: z.boolean(),
});
export type Controls = DeepReadonly<z.output<typeof controlsSchema>>;

/** "Generate history": past events computed straight into the tables, before the existing data. */
export const historyStatusSchema = z.object({
  state: z.enum(['idle', 'running', 'done', 'failed']),
  /** The event-time range being filled: it ends where the existing data begins. */
  from: z.string().nullable(),
  to: z.string().nullable(),
  generated: z.number(),
  total: z.number(),
  /** 0..1 */
  progress: z.number(),
  message: z.string().nullable(),
});
export type HistoryStatus = DeepReadonly<z.output<typeof historyStatusSchema>>;
