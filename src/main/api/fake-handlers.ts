/**
 * Test and benchmark support: a handler table built from ROUTES where every call returns a fixed,
 * well-typed result and is recorded with its parameters. Any call can be replaced.
 */
import {
  API_NAMES,
  type AlertView,
  type ApiHandlers,
  type ApiName,
  type ApiParams,
  type ApiResult,
  type Controls,
  type PipelineStatusView,
} from '../../shared/api-contract';

import type { DrillSummaryView, DrillView } from '../../shared/drill-views';
import { DEFAULT_SETTINGS, type SettingsView } from '../../shared/settings';
import type { DrillsPort, SettingsPort } from './handlers/handler-context';

const AT = '2026-11-24T12:00:00.000Z';

const FAKE_SETTINGS_VIEW: SettingsView = {
  settings: DEFAULT_SETTINGS,
  secrets: { kafkaPassword: { set: false }, postgresPassword: { set: false } },
  secretStore: { kind: 'test', warning: null },
  overridden: [],
  notices: [],
  pendingRestart: [],
};

const FAKE_DRILL_SUMMARY: DrillSummaryView = {
  id: 1,
  name: 'Region outage',
  mode: 'virtual',
  seed: '1',
  status: 'finished',
  error: null,
  startsAt: AT,
  endsAt: AT,
  wallStartedAt: AT,
  wallEndedAt: AT,
  incidents: 0,
  detected: 0,
  missed: 0,
  falseAlerts: 0,
  pass: true,
  verdict: 'PASS: no incident expected an alert; no false alerts',
};

const FAKE_DRILL: DrillView = {
  ...FAKE_DRILL_SUMMARY,
  description: '',
  windowSizeMs: 60_000,
  ratePerSecond: 100,
  rules: [],
  unresolved: 0,
  precision: null,
  recall: null,
  meanDelayMs: null,
  incidentList: [],
  alerts: [],
};

const alert: AlertView = {
  id: 1,
  type: 'HIGH_FAILURE_RATE',
  severity: 'WARNING',
  message: 'failure rate 12% in EU-London',
  region: 'EU-London',
  metricValue: 0.12,
  thresholdValue: 0.1,
  episodeStart: AT,
  createdAt: AT,
  resolvedAt: null,
  acknowledged: false,
  acknowledgedAt: null,
};

const controls: Controls = {
  ratePerSecond: 50,
  outcomeMix: { failed: 0.08, slow: 0.02 },
  late: { fraction: 0, delayMs: 0 },
  injections: [],
  paused: false,
};

const pipeline: PipelineStatusView = {
  database: 'embedded',
  databaseStatus: { kind: 'embedded', description: 'embedded', state: 'up', error: null },
  eventLog: { kind: 'embedded', description: 'embedded log' },
  paused: false,
  mainThreadLoopDelay: { p99Ms: 1, maxMs: 2, intervalMs: 10_000 },
  generator: null,
  log: null,
  engineKind: 'builtin',
  engine: null,
  flink: null,
  replay: { state: 'idle', from: null, progress: 0, message: null },
  history: {
    state: 'idle',
    from: null,
    to: null,
    generated: 0,
    total: 0,
    progress: 0,
    message: null,
  },
};

/** A fixed result per call: arrays for the list calls, objects for the others. */
export const FAKE_RESULTS: { readonly [K in ApiName]: ApiResult<K> } = {
  'stats:realtime': {
    minutes: 5,
    asOf: AT,
    downloads: 100,
    successful: 90,
    failed: 8,
    slow: 2,
    successRate: 0.9,
    activeContent: 40,
    eventsPerSecond: 50,
    consumerLag: 0,
    watermarkDelayMs: 120,
    partial: { windowStart: AT, downloads: 10, failed: 1, slow: 0 },
  },
  'stats:trending': Array.from({ length: 5 }, (_, i) => ({
    contentId: `c${i + 1}`,
    title: `Title ${i + 1}`,
    contentType: 'MOVIE',
    downloads: 100 - i * 10,
    successful: 90 - i * 10,
    failed: 10,
  })),
  'stats:regions': [
    {
      region: 'EU-London',
      total: 100,
      successful: 88,
      failed: 12,
      slow: 0,
      successRate: 0.88,
      errorRate: 0.12,
      avgSpeedMbps: 40,
      p95SpeedMbps: 90,
      inAlert: true,
    },
  ],
  'stats:alerts': [alert],
  'stats:timeseries': [
    { bucketStart: AT, downloads: 10, failed: 1, slow: 0, partial: false },
    { bucketStart: AT, downloads: 3, failed: 0, slow: 0, partial: true },
  ],
  'stats:devices': [
    { deviceType: 'IPHONE', downloads: 50, successRate: 0.9, avgSpeedMbps: 30, avgDurationMs: 900 },
  ],
  'alerts:ack': { ...alert, acknowledged: true, acknowledgedAt: AT },
  'control:get': controls,
  'control:setRate': controls,
  'control:setOutcomeMix': controls,
  'control:inject': controls,
  'control:clearInjections': controls,
  'control:generateHistory': pipeline.history,
  'pipeline:status': pipeline,
  'pipeline:pause': { ...pipeline, paused: true },
  'pipeline:resume': pipeline,
  'replay:start': { state: 'running', from: AT, progress: 0, message: null },
  'drills:list': [FAKE_DRILL_SUMMARY],
  'drills:get': FAKE_DRILL,
  'drills:scenarios': [
    {
      file: 'region-outage.yaml',
      name: 'Region outage',
      description: 'One region fails',
      durationMs: 1_200_000,
      ratePerSecond: 100,
      incidents: 1,
    },
  ],
  'drills:start': FAKE_DRILL,
  'drills:stop': FAKE_DRILL,
  health: { status: 'ok', database: 'up', uptimeSeconds: 1, version: 'test' },
  'settings:get': FAKE_SETTINGS_VIEW,
  'settings:update': FAKE_SETTINGS_VIEW,
  'settings:testKafka': { ok: true, problem: null, message: 'connected', elapsedMs: 5 },
  'settings:testPostgres': { ok: true, problem: null, message: 'connected', elapsedMs: 5 },
};

export type FakeImpl<K extends ApiName> = (params: ApiParams<K>) => Promise<ApiResult<K>>;

export interface FakeApi {
  readonly handlers: ApiHandlers;
  /** Every call, in order. */
  readonly calls: Array<{ readonly name: ApiName; readonly params: unknown }>;
  /** How many times `name` was called. */
  count(name: ApiName): number;
  /** Replaces one call's implementation (still recorded). */
  replace<K extends ApiName>(name: K, impl: FakeImpl<K>): void;
}

export function createFakeApi(): FakeApi {
  const calls: Array<{ name: ApiName; params: unknown }> = [];
  const impls = new Map<ApiName, (params: unknown) => Promise<unknown>>();
  const handlers: Record<string, (params: unknown) => Promise<unknown>> = {};
  for (const name of API_NAMES) {
    handlers[name] = async (params) => {
      calls.push({ name, params });
      const impl = impls.get(name);
      return impl ? impl(params) : FAKE_RESULTS[name];
    };
  }
  return {
    handlers: handlers as unknown as ApiHandlers,
    calls,
    count: (name) => calls.filter((call) => call.name === name).length,
    replace: (name, impl) => impls.set(name, impl as (params: unknown) => Promise<unknown>),
  };
}

/** A settings port answering the fixed results (for handler tables built over a real pool). */
export function fakeSettingsPort(): SettingsPort {
  return {
    view: async () => FAKE_SETTINGS_VIEW,
    update: async () => FAKE_SETTINGS_VIEW,
    testKafka: async () => FAKE_RESULTS['settings:testKafka'],
    testPostgres: async () => FAKE_RESULTS['settings:testPostgres'],
  };
}

/** A drills port with no live drills (for handler tables built over a real pool). */
export function fakeDrillsPort(): DrillsPort {
  const none = (): Promise<never> => Promise.reject(new Error('no live drills here'));
  return { scenarios: () => FAKE_RESULTS['drills:scenarios'], start: none, stop: none };
}
