/**
 * Where each call lives over HTTP: method, path, summary, and whether it changes state or may be
 * cached. Plain data, without the schemas (endpoints.ts), so the preload script and the renderer's
 * HTTP client can route calls without loading zod and every schema.
 */

export interface RouteInfo {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly summary: string;
  /** Changes state: needs the launch token (HTTP) and is never cached. */
  readonly mutating: boolean;
  /** Read answers may be cached for 2 s. */
  readonly cacheable: boolean;
  /** A larger body than the default 16 KiB (settings carry CA certificates). */
  readonly maxBodyBytes?: number;
}

/** Two CA bundles of up to 64 KiB each, and the rest. */
const SETTINGS_BODY_BYTES = 256 * 1024;

const read = (path: string, summary: string, cacheable = false): RouteInfo => ({
  method: 'GET',
  path,
  summary,
  mutating: false,
  cacheable,
});

const change = (
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  summary: string,
  maxBodyBytes?: number,
): RouteInfo => ({
  method,
  path,
  summary,
  mutating: true,
  cacheable: false,
  ...(maxBodyBytes ? { maxBodyBytes } : {}),
});

export const ROUTE_TABLE = {
  'stats:realtime': read(
    '/api/stats/realtime',
    'Totals of the last minutes and the open window, and the pipeline’s live rates',
    true,
  ),
  'stats:trending': read('/api/stats/trending', 'The most downloaded titles in the range', true),
  'stats:regions': read('/api/stats/regions', 'Health of each region in the range', true),
  'stats:alerts': read('/api/stats/alerts', 'Recent alerts, newest first', true),
  'stats:timeseries': read(
    '/api/stats/timeseries',
    'Downloads and failures per bucket over the range; the open window is marked partial',
    true,
  ),
  'stats:devices': read(
    '/api/stats/devices',
    'Downloads, success rate, speed and duration per device type in the range',
    true,
  ),
  'alerts:ack': change('POST', '/api/alerts/ack', 'Acknowledge an alert'),
  'control:get': read('/api/control', 'The generator’s controls as they are now'),
  'control:setRate': change('PUT', '/api/control/rate', 'Set the event rate'),
  'control:setOutcomeMix': change(
    'PUT',
    '/api/control/outcome-mix',
    'Set the base share of failed and slow downloads',
  ),
  'control:inject': change(
    'POST',
    '/api/control/injections',
    'Inject failures into one region or one device type, for a while or until cleared',
  ),
  'control:clearInjections': change('DELETE', '/api/control/injections', 'Clear every injection'),
  'control:generateHistory': change(
    'POST',
    '/api/control/history',
    'Generate N hours of past events in virtual time, computed into the tables before the existing data',
  ),
  'pipeline:status': read(
    '/api/pipeline/status',
    'Every stage: generator, log partitions, engine, database, main thread',
  ),
  'pipeline:pause': change('POST', '/api/pipeline/pause', 'Pause the generator'),
  'pipeline:resume': change('POST', '/api/pipeline/resume', 'Resume the generator'),
  'replay:start': change(
    'POST',
    '/api/replay',
    'Recompute windows from a time: re-read the log from the offsets for it',
  ),
  'settings:get': read('/api/settings', 'The settings, and of each secret only whether it is set'),
  'settings:update': change(
    'PUT',
    '/api/settings',
    'Validate, save and apply the settings (switching the log or the database drains and checkpoints first)',
    SETTINGS_BODY_BYTES,
  ),
  'settings:testKafka': change(
    'POST',
    '/api/settings/test-kafka',
    'Try the Kafka connection of these settings: brokers, TLS, SASL, the topic',
    SETTINGS_BODY_BYTES,
  ),
  'settings:testPostgres': change(
    'POST',
    '/api/settings/test-postgres',
    'Try the PostgreSQL connection of these settings',
    SETTINGS_BODY_BYTES,
  ),
  'drills:list': read('/api/drills', 'Incident drills, newest first, each with its verdict'),
  'drills:get': read(
    '/api/drills/{id}',
    'One drill: its incidents, the alerts of its span and the scorecard',
  ),
  'drills:scenarios': read('/api/drills/scenarios', 'The ready scenarios a drill can run'),
  'drills:start': change(
    'POST',
    '/api/drills',
    'Start a live drill: a ready scenario’s incidents injected into the running pipeline by the wall clock',
  ),
  'drills:stop': change(
    'POST',
    '/api/drills/{id}/stop',
    'Stop the running drill: its injections are removed and its incidents cut here',
  ),
  health: read('/health', 'Liveness and the database’s reachability'),
} as const satisfies Record<string, RouteInfo>;

export type ApiName = keyof typeof ROUTE_TABLE;

export const API_NAMES = Object.keys(ROUTE_TABLE) as ApiName[];
