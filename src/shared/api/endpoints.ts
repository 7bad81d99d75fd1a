/**
 * The endpoint table: each call's parameters (or body) and result, as zod schemas. The types
 * below are inferred from it; the HTTP and IPC bindings validate with it; /api/openapi.json is
 * generated from it (src/main/api/openapi.ts).
 */
import { z } from 'zod';
import { alertsParams, alertViewSchema } from './alerts';
import { controlParams, controlsSchema, historyStatusSchema } from './controls';
import { drillParams, drillSummarySchema, drillViewSchema, scenarioViewSchema } from './drills';
import { paramsObject, type ParamsObject } from './params';
import { healthSchema, pipelineStatusSchema, replayParams, replayStatusSchema } from './pipeline';
import type { DeepReadonly } from './readonly';
import type { ApiName } from './routes';
import { connectionTestResultSchema, settingsViewSchema } from './settings';
import { settingsParams } from './settings-body';
import {
  deviceStatsSchema,
  realtimeStatsSchema,
  regionHealthSchema,
  statsParams,
  timeseriesPointSchema,
  trendingItemSchema,
} from './stats';

const none = paramsObject({});

export interface EndpointSchemas {
  readonly params: ParamsObject;
  readonly result: z.ZodType;
}

export const ENDPOINTS = {
  'stats:realtime': { params: statsParams.realtime, result: realtimeStatsSchema },
  'stats:trending': { params: statsParams.trending, result: z.array(trendingItemSchema) },
  'stats:regions': { params: statsParams.regions, result: z.array(regionHealthSchema) },
  'stats:alerts': { params: alertsParams.list, result: z.array(alertViewSchema) },
  'stats:timeseries': { params: statsParams.timeseries, result: z.array(timeseriesPointSchema) },
  'stats:devices': { params: statsParams.devices, result: z.array(deviceStatsSchema) },
  'alerts:ack': { params: alertsParams.ack, result: alertViewSchema },
  'control:get': { params: none, result: controlsSchema },
  'control:setRate': { params: controlParams.setRate, result: controlsSchema },
  'control:setOutcomeMix': { params: controlParams.setOutcomeMix, result: controlsSchema },
  'control:inject': { params: controlParams.inject, result: controlsSchema },
  'control:clearInjections': { params: none, result: controlsSchema },
  'control:generateHistory': { params: controlParams.generateHistory, result: historyStatusSchema },
  'pipeline:status': { params: none, result: pipelineStatusSchema },
  'pipeline:pause': { params: none, result: pipelineStatusSchema },
  'pipeline:resume': { params: none, result: pipelineStatusSchema },
  'replay:start': { params: replayParams, result: replayStatusSchema },
  'settings:get': { params: none, result: settingsViewSchema },
  'settings:update': { params: settingsParams.update, result: settingsViewSchema },
  'settings:testKafka': { params: settingsParams.test, result: connectionTestResultSchema },
  'settings:testPostgres': { params: settingsParams.test, result: connectionTestResultSchema },
  'drills:list': { params: drillParams.list, result: z.array(drillSummarySchema) },
  'drills:get': { params: drillParams.get, result: drillViewSchema },
  'drills:scenarios': { params: none, result: z.array(scenarioViewSchema) },
  'drills:start': { params: drillParams.start, result: drillViewSchema },
  'drills:stop': { params: drillParams.stop, result: drillViewSchema },
  health: { params: none, result: healthSchema },
} as const satisfies { readonly [K in ApiName]: EndpointSchemas };

type Endpoints = typeof ENDPOINTS;

/** Each call's parameters (after validation: defaults filled in) and its result. */
export type ApiCalls = {
  [K in ApiName]: {
    params: z.output<Endpoints[K]['params']>;
    result: DeepReadonly<z.output<Endpoints[K]['result']>>;
  };
};

export type ApiParams<K extends ApiName> = ApiCalls[K]['params'];
export type ApiResult<K extends ApiName> = ApiCalls[K]['result'];

/** What the main process implements: one async function per call. */
export type ApiHandlers = {
  readonly [K in ApiName]: (params: ApiParams<K>) => Promise<ApiResult<K>>;
};
