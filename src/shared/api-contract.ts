/**
 * The one API contract: every call is `domain:verb`, with its parameters' schema and its result
 * type. The main process mounts the same handler table on IPC (for the app's window) and on HTTP
 * (browsers, scripts); the renderer calls it through one client interface. Typed here, in shared/,
 * so main, preload and renderer compile against the same definitions.
 */
import type { ParamsSchema } from './api-schema';
import { DEVICE_TYPES, REGIONS, type DeviceType, type OutcomeMix } from './domain';
import type { DrillSummaryView, DrillView, ScenarioView } from './drill-views';
import type { ConnectionTestResult, Settings, SettingsUpdate, SettingsView } from './settings';

// ---- Results -------------------------------------------------------------------------------

export interface RealtimeStats {
  /** The range the figures cover: the last `minutes` of final windows, plus the open window. */
  readonly minutes: number;
  readonly asOf: string;
  readonly downloads: number;
  readonly successful: number;
  readonly failed: number;
  readonly slow: number;
  readonly successRate: number;
  readonly activeContent: number;
  /** The generator's measured rate now. */
  readonly eventsPerSecond: number;
  readonly consumerLag: number;
  /** How far the engine's watermark trails the wall clock, ms (null before the first event). */
  readonly watermarkDelayMs: number | null;
  /** The open window's running totals (partial). */
  readonly partial: {
    readonly windowStart: string | null;
    readonly downloads: number;
    readonly failed: number;
    readonly slow: number;
  };
}

export interface TrendingItem {
  readonly contentId: string;
  readonly title: string;
  readonly contentType: string;
  readonly downloads: number;
  readonly successful: number;
  readonly failed: number;
}

export interface RegionHealth {
  readonly region: string;
  readonly total: number;
  readonly successful: number;
  readonly failed: number;
  readonly slow: number;
  readonly successRate: number;
  readonly errorRate: number;
  readonly avgSpeedMbps: number;
  /** The highest window p95 in the range. */
  readonly p95SpeedMbps: number;
  /** An open alert concerns this region. */
  readonly inAlert: boolean;
}

export interface AlertView {
  readonly id: number;
  readonly type: string;
  readonly severity: 'INFO' | 'WARNING' | 'CRITICAL';
  readonly message: string;
  readonly region: string | null;
  readonly metricValue: number;
  readonly thresholdValue: number;
  readonly episodeStart: string;
  readonly createdAt: string;
  readonly resolvedAt: string | null;
  readonly acknowledged: boolean;
  readonly acknowledgedAt: string | null;
}

export interface TimeseriesPoint {
  readonly bucketStart: string;
  readonly downloads: number;
  readonly failed: number;
  readonly slow: number;
  /** The open window: still counting. */
  readonly partial: boolean;
}

export interface DeviceStatsView {
  readonly deviceType: string;
  readonly downloads: number;
  readonly successRate: number;
  readonly avgSpeedMbps: number;
  readonly avgDurationMs: number;
}

export interface InjectionView {
  readonly id: string;
  readonly region: string | null;
  readonly device: string | null;
  readonly failed: number | null;
  readonly slow: number | null;
  readonly speedFactor: number | null;
  readonly startsAt: string;
  readonly endsAt: string | null;
}

export interface Controls {
  readonly ratePerSecond: number;
  readonly outcomeMix: OutcomeMix;
  readonly late: { readonly fraction: number; readonly delayMs: number };
  readonly injections: readonly InjectionView[];
  readonly paused: boolean;
}

/** Which database the pipeline uses, and whether it can reach it. */
export interface DatabaseStatusView {
  readonly kind: 'embedded' | 'remote';
  /** "embedded PostgreSQL 18 on 127.0.0.1:54329", or the URL without its password. */
  readonly description: string;
  readonly state: 'connecting' | 'up' | 'unreachable' | 'switching';
  /** Why it is unreachable, for people (never a secret). */
  readonly error: string | null;
}

export interface PipelineStatusView {
  readonly database: string;
  readonly databaseStatus: DatabaseStatusView;
  /** Where the events go: the embedded log or a Kafka topic. */
  readonly eventLog: { readonly kind: 'embedded' | 'kafka'; readonly description: string };
  readonly paused: boolean;
  readonly mainThreadLoopDelay: { readonly p99Ms: number; readonly maxMs: number };
  readonly generator: {
    readonly ratePerSecond: number;
    readonly eventsPerSecond: number;
    readonly produced: number;
  } | null;
  readonly log: {
    readonly topic: string;
    readonly partitioner: string;
    readonly partitions: ReadonlyArray<{
      readonly partition: number;
      readonly endOffset: number;
      readonly producedPerSecond: number;
      readonly lag: number;
    }>;
  } | null;
  readonly engine: {
    readonly consumed: number;
    readonly watermark: string | null;
    /** The newest event time the engine has seen: in live mode, when the newest counted event was generated. */
    readonly newestEventAt: string | null;
    readonly openWindows: number;
    readonly lateEvents: number;
    /**
     * Events kept aside as too far ahead of the wall clock and the watermark (engine.maxFutureMs):
     * stored in late_events with reason 'future'; they never moved the watermark.
     */
    readonly futureEvents: number;
    readonly deadLetters: number;
    readonly checkpoints: number;
    readonly lastCheckpointAt: string | null;
    readonly lastCheckpointMs: number | null;
    /** When the log's end offsets behind each partition's `lag` were read; null before the first. */
    readonly lagAsOf: string | null;
    /** How old that figure is (ms): it stops moving while a read from the log is stuck. */
    readonly lagAgeMs: number | null;
    /**
     * The last time the engine's consumer-group offsets were found changed outside StreamPulse
     * (e.g. `kafka-consumer-groups --reset-offsets`). Such a change is ignored: the engine
     * continues from its PostgreSQL checkpoint; a replay reads part of the log again.
     */
    readonly groupOffsetsChanged: {
      readonly detectedAt: string;
      readonly groupId: string;
      readonly partitions: ReadonlyArray<{
        readonly partition: number;
        readonly committed: number;
        readonly found: number | null;
      }>;
    } | null;
  } | null;
  readonly replay: ReplayStatus;
  readonly history: HistoryStatus;
}

export interface ReplayStatus {
  readonly state: 'idle' | 'running' | 'done' | 'failed';
  readonly from: string | null;
  /** 0..1 of the records to re-read. */
  readonly progress: number;
  readonly message: string | null;
}

/** "Generate history": past events computed straight into the tables, before the existing data. */
export interface HistoryStatus {
  readonly state: 'idle' | 'running' | 'done' | 'failed';
  /** The event-time range being filled: it ends where the existing data begins. */
  readonly from: string | null;
  readonly to: string | null;
  readonly generated: number;
  readonly total: number;
  /** 0..1 */
  readonly progress: number;
  readonly message: string | null;
}

export interface Health {
  readonly status: 'ok' | 'degraded';
  readonly database: 'up' | 'down';
  readonly uptimeSeconds: number;
  readonly version: string;
}

// ---- Calls ---------------------------------------------------------------------------------

const minutes = {
  type: 'integer',
  min: 1,
  max: 1440,
  default: 5,
  description: 'Range in minutes',
} as const;

export interface ApiCalls {
  'stats:realtime': { params: { minutes: number }; result: RealtimeStats };
  'stats:trending': { params: { minutes: number; limit: number }; result: TrendingItem[] };
  'stats:regions': { params: { minutes: number }; result: RegionHealth[] };
  'stats:alerts': {
    params: { limit: number; status: 'all' | 'open' | 'resolved' };
    result: AlertView[];
  };
  'stats:timeseries': {
    params: { minutes: number; bucket: '1m' | '5m' | '15m' | '60m' };
    result: TimeseriesPoint[];
  };
  'stats:devices': { params: { minutes: number }; result: DeviceStatsView[] };
  'alerts:ack': { params: { id: number }; result: AlertView };
  'control:get': { params: Record<string, never>; result: Controls };
  'control:setRate': { params: { ratePerSecond: number }; result: Controls };
  'control:setOutcomeMix': { params: OutcomeMix; result: Controls };
  'control:inject': {
    params: {
      region?: string;
      device?: DeviceType;
      failed?: number;
      slow?: number;
      speedFactor?: number;
      durationSeconds?: number;
    };
    result: Controls;
  };
  'control:clearInjections': { params: Record<string, never>; result: Controls };
  'control:generateHistory': {
    params: { hours: number; ratePerSecond: number };
    result: HistoryStatus;
  };
  'pipeline:status': { params: Record<string, never>; result: PipelineStatusView };
  'pipeline:pause': { params: Record<string, never>; result: PipelineStatusView };
  'pipeline:resume': { params: Record<string, never>; result: PipelineStatusView };
  'replay:start': { params: { from: string }; result: ReplayStatus };
  'settings:get': { params: Record<string, never>; result: SettingsView };
  'settings:update': { params: SettingsUpdate; result: SettingsView };
  'settings:testKafka': {
    params: { settings: Settings; secrets?: SettingsUpdate['secrets'] };
    result: ConnectionTestResult;
  };
  'settings:testPostgres': {
    params: { settings: Settings; secrets?: SettingsUpdate['secrets'] };
    result: ConnectionTestResult;
  };
  'drills:list': { params: { limit: number }; result: DrillSummaryView[] };
  'drills:get': { params: { id: number }; result: DrillView };
  'drills:scenarios': { params: Record<string, never>; result: ScenarioView[] };
  'drills:start': { params: { scenario: string }; result: DrillView };
  'drills:stop': { params: { id: number }; result: DrillView };
  health: { params: Record<string, never>; result: Health };
}

export type ApiName = keyof ApiCalls;
export type ApiParams<K extends ApiName> = ApiCalls[K]['params'];
export type ApiResult<K extends ApiName> = ApiCalls[K]['result'];

/** What the main process implements: one async function per call. */
export type ApiHandlers = {
  readonly [K in ApiName]: (params: ApiParams<K>) => Promise<ApiResult<K>>;
};

export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly summary: string;
  readonly params: ParamsSchema;
  /** Changes state: needs the launch token (HTTP) and is never cached. */
  readonly mutating: boolean;
  /** Read answers may be cached for 2 s. */
  readonly cacheable: boolean;
  /** A larger body than the default 16 KiB (settings carry CA certificates). */
  readonly maxBodyBytes?: number;
}

/** Two CA bundles of up to 64 KiB each, and the rest. */
const SETTINGS_BODY_BYTES = 256 * 1024;

export const ROUTES: { readonly [K in ApiName]: RouteSpec } = {
  'stats:realtime': {
    method: 'GET',
    path: '/api/stats/realtime',
    summary: 'Totals of the last minutes and the open window, and the pipeline’s live rates',
    params: { minutes },
    mutating: false,
    cacheable: true,
  },
  'stats:trending': {
    method: 'GET',
    path: '/api/stats/trending',
    summary: 'The most downloaded titles in the range',
    params: {
      minutes,
      limit: { type: 'integer', min: 1, max: 100, default: 5, description: 'How many titles' },
    },
    mutating: false,
    cacheable: true,
  },
  'stats:regions': {
    method: 'GET',
    path: '/api/stats/regions',
    summary: 'Health of each region in the range',
    params: { minutes },
    mutating: false,
    cacheable: true,
  },
  'stats:alerts': {
    method: 'GET',
    path: '/api/stats/alerts',
    summary: 'Recent alerts, newest first',
    params: {
      limit: { type: 'integer', min: 1, max: 100, default: 20, description: 'How many alerts' },
      status: {
        type: 'enum',
        values: ['all', 'open', 'resolved'],
        default: 'all',
        description: 'Which alerts',
      },
    },
    mutating: false,
    cacheable: true,
  },
  'stats:timeseries': {
    method: 'GET',
    path: '/api/stats/timeseries',
    summary: 'Downloads and failures per bucket over the range; the open window is marked partial',
    params: {
      minutes: { ...minutes, default: 60 },
      bucket: {
        type: 'enum',
        values: ['1m', '5m', '15m', '60m'],
        default: '1m',
        description: 'Bucket size',
      },
    },
    mutating: false,
    cacheable: true,
  },
  'stats:devices': {
    method: 'GET',
    path: '/api/stats/devices',
    summary: 'Downloads, success rate, speed and duration per device type in the range',
    params: { minutes },
    mutating: false,
    cacheable: true,
  },
  'alerts:ack': {
    method: 'POST',
    path: '/api/alerts/ack',
    summary: 'Acknowledge an alert',
    params: {
      id: { type: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER, description: 'Alert id' },
    },
    mutating: true,
    cacheable: false,
  },
  'control:get': {
    method: 'GET',
    path: '/api/control',
    summary: 'The generator’s controls as they are now',
    params: {},
    mutating: false,
    cacheable: false,
  },
  'control:setRate': {
    method: 'PUT',
    path: '/api/control/rate',
    summary: 'Set the event rate',
    params: {
      ratePerSecond: {
        type: 'number',
        min: 0.1,
        max: 10_000_000,
        description: 'Events per second',
      },
    },
    mutating: true,
    cacheable: false,
  },
  'control:setOutcomeMix': {
    method: 'PUT',
    path: '/api/control/outcome-mix',
    summary: 'Set the base share of failed and slow downloads',
    params: {
      failed: { type: 'number', min: 0, max: 1, description: 'Share of failed downloads' },
      slow: { type: 'number', min: 0, max: 1, description: 'Share of slow downloads' },
    },
    mutating: true,
    cacheable: false,
  },
  'control:inject': {
    method: 'POST',
    path: '/api/control/injections',
    summary: 'Inject failures into one region or one device type, for a while or until cleared',
    params: {
      region: { type: 'enum', values: REGIONS, optional: true, description: 'Target region' },
      device: {
        type: 'enum',
        values: DEVICE_TYPES,
        optional: true,
        description: 'Target device type',
      },
      failed: {
        type: 'number',
        min: 0,
        max: 1,
        optional: true,
        description: 'Share of failed downloads',
      },
      slow: {
        type: 'number',
        min: 0,
        max: 1,
        optional: true,
        description: 'Share of slow downloads',
      },
      speedFactor: {
        type: 'number',
        min: 0.001,
        max: 100,
        optional: true,
        description: 'Speed multiplier',
      },
      durationSeconds: {
        type: 'integer',
        min: 1,
        max: 7 * 86_400,
        optional: true,
        description: 'How long; absent: until cleared',
      },
    },
    mutating: true,
    cacheable: false,
  },
  'control:clearInjections': {
    method: 'DELETE',
    path: '/api/control/injections',
    summary: 'Clear every injection',
    params: {},
    mutating: true,
    cacheable: false,
  },
  'control:generateHistory': {
    method: 'POST',
    path: '/api/control/history',
    summary:
      'Generate N hours of past events in virtual time, computed into the tables before the existing data',
    params: {
      hours: { type: 'integer', min: 1, max: 24, description: 'How many hours of history' },
      ratePerSecond: {
        type: 'number',
        min: 0.1,
        max: 5000,
        default: 50,
        description: 'Events per virtual second',
      },
    },
    mutating: true,
    cacheable: false,
  },
  'pipeline:status': {
    method: 'GET',
    path: '/api/pipeline/status',
    summary: 'Every stage: generator, log partitions, engine, database, main thread',
    params: {},
    mutating: false,
    cacheable: false,
  },
  'pipeline:pause': {
    method: 'POST',
    path: '/api/pipeline/pause',
    summary: 'Pause the generator',
    params: {},
    mutating: true,
    cacheable: false,
  },
  'pipeline:resume': {
    method: 'POST',
    path: '/api/pipeline/resume',
    summary: 'Resume the generator',
    params: {},
    mutating: true,
    cacheable: false,
  },
  'replay:start': {
    method: 'POST',
    path: '/api/replay',
    summary: 'Recompute windows from a time: re-read the log from the offsets for it',
    params: { from: { type: 'date-time', description: 'Recompute from this time' } },
    mutating: true,
    cacheable: false,
  },
  'settings:get': {
    method: 'GET',
    path: '/api/settings',
    summary: 'The settings, and of each secret only whether it is set',
    params: {},
    mutating: false,
    cacheable: false,
  },
  'settings:update': {
    method: 'PUT',
    path: '/api/settings',
    summary:
      'Validate, save and apply the settings (switching the log or the database drains and checkpoints first)',
    params: {
      settings: { type: 'object', description: 'The whole settings document' },
      secrets: {
        type: 'object',
        optional: true,
        description: 'New secret values (kafkaPassword, postgresPassword); null removes one',
      },
    },
    mutating: true,
    cacheable: false,
    maxBodyBytes: SETTINGS_BODY_BYTES,
  },
  'settings:testKafka': {
    method: 'POST',
    path: '/api/settings/test-kafka',
    summary: 'Try the Kafka connection of these settings: brokers, TLS, SASL, the topic',
    params: {
      settings: { type: 'object', description: 'The settings to try' },
      secrets: { type: 'object', optional: true, description: 'Secrets not yet saved' },
    },
    mutating: true,
    cacheable: false,
    maxBodyBytes: SETTINGS_BODY_BYTES,
  },
  'settings:testPostgres': {
    method: 'POST',
    path: '/api/settings/test-postgres',
    summary: 'Try the PostgreSQL connection of these settings',
    params: {
      settings: { type: 'object', description: 'The settings to try' },
      secrets: { type: 'object', optional: true, description: 'Secrets not yet saved' },
    },
    mutating: true,
    cacheable: false,
    maxBodyBytes: SETTINGS_BODY_BYTES,
  },
  'drills:list': {
    method: 'GET',
    path: '/api/drills',
    summary: 'Incident drills, newest first, each with its verdict',
    params: {
      limit: { type: 'integer', min: 1, max: 200, default: 20, description: 'How many drills' },
    },
    mutating: false,
    cacheable: false,
  },
  'drills:get': {
    method: 'GET',
    path: '/api/drills/{id}',
    summary: 'One drill: its incidents, the alerts of its span and the scorecard',
    params: {
      id: { type: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER, description: 'Drill id' },
    },
    mutating: false,
    cacheable: false,
  },
  'drills:scenarios': {
    method: 'GET',
    path: '/api/drills/scenarios',
    summary: 'The ready scenarios a drill can run',
    params: {},
    mutating: false,
    cacheable: false,
  },
  'drills:start': {
    method: 'POST',
    path: '/api/drills',
    summary:
      'Start a live drill: a ready scenario’s incidents injected into the running pipeline by the wall clock',
    params: {
      scenario: {
        type: 'string',
        maxLength: 100,
        description: 'A ready scenario’s file (see GET /api/drills/scenarios)',
      },
    },
    mutating: true,
    cacheable: false,
  },
  'drills:stop': {
    method: 'POST',
    path: '/api/drills/{id}/stop',
    summary: 'Stop the running drill: its injections are removed and its incidents cut here',
    params: {
      id: { type: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER, description: 'Drill id' },
    },
    mutating: true,
    cacheable: false,
  },
  health: {
    method: 'GET',
    path: '/health',
    summary: 'Liveness and the database’s reachability',
    params: {},
    mutating: false,
    cacheable: false,
  },
};

export const API_NAMES = Object.keys(ROUTES) as ApiName[];

/** An error as the API answers it: `{error, detail}`, with the parameter at fault for a 400. */
export interface ApiErrorBody {
  readonly error: string;
  readonly detail: string;
  readonly field?: string;
  /** Every field at fault, when several are (settings). */
  readonly errors?: ReadonlyArray<{ readonly field: string; readonly message: string }>;
  readonly requestId?: string;
}
