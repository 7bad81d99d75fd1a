/**
 * The one API contract: every call is `domain:verb`, with its parameters and its result described
 * once as zod schemas (src/shared/api/, by area; the endpoint table in api/endpoints.ts) and its
 * HTTP route (api/routes.ts). The main process mounts the same handler table on IPC (for the app's
 * window) and on HTTP (browsers, scripts); the renderer calls it through one client interface.
 * This module gathers them for main; the types are the schemas' inferred types.
 */
import type { z } from 'zod';
import { ENDPOINTS } from './api/endpoints';
import { describeParams, type ParamsObject, type ParamsSchema } from './api/params';
import { API_NAMES, ROUTE_TABLE, type ApiName, type RouteInfo } from './api/routes';

export type { AlertView } from './api/alerts';
export type { Controls, HistoryStatus, InjectionView } from './api/controls';
export type { DatabaseStatusView, Health, PipelineStatusView, ReplayStatus } from './api/pipeline';
export type {
  DeviceStatsView,
  RealtimeStats,
  RegionHealth,
  TimeseriesPoint,
  TrendingItem,
} from './api/stats';
export type { ApiErrorBody } from './api/errors';
export type { ApiCalls, ApiHandlers, ApiParams, ApiResult } from './api/endpoints';
export { API_NAMES, type ApiName };

export interface RouteSpec extends RouteInfo {
  /** The parameters as plain data (kind, range, default), for the docs page. */
  readonly params: ParamsSchema;
  /** The parameters' schema, which validates them. */
  readonly paramsSchema: ParamsObject;
  /** The result's schema (inside the `{data, count}` envelope). */
  readonly result: z.ZodType;
}

export const ROUTES = Object.fromEntries(
  API_NAMES.map((name) => {
    const { params, result } = ENDPOINTS[name];
    const spec: RouteSpec = {
      ...ROUTE_TABLE[name],
      params: describeParams(params),
      paramsSchema: params,
      result,
    };
    return [name, spec];
  }),
) as { readonly [K in ApiName]: RouteSpec };
