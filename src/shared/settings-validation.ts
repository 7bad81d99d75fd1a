/**
 * Validates a settings document (from the settings file, the settings page or the HTTP API) and
 * collects every problem, each with the dotted path of its field (`log.kafka.brokers`,
 * `engine.alertRules.0.threshold`) so the form can show it next to that field. Pure: main and
 * renderer share it.
 */
import { MAX_RATE, MIN_RATE } from './rate-bounds';
import {
  PARTITIONER_SETTINGS,
  KAFKA_COMPRESSION_SETTINGS,
  SASL_MECHANISM_NAMES,
  SETTINGS_VERSION,
  type AlertRuleSettings,
  type FieldError,
  type KafkaSettings,
  type Settings,
} from './settings';

export type SettingsValidation =
  | { readonly ok: true; readonly settings: Settings }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

const HOUR_MS = 3_600_000;

/** The bounds the form can show as min/max. */
export const SETTINGS_LIMITS = {
  partitions: { min: 1, max: 256 },
  poolMax: { min: 1, max: 50 },
  ratePerSecond: { min: MIN_RATE, max: MAX_RATE },
  seedLength: { min: 1, max: 128 },
  windowSizeMs: { min: 1000, max: 24 * HOUR_MS },
  outOfOrdernessMs: { min: 0, max: 24 * HOUR_MS },
  allowedLatenessMs: { min: 0, max: 7 * 24 * HOUR_MS },
  maxFutureMs: { min: 1000, max: 30 * 24 * HOUR_MS },
  alertRules: { max: 20 },
  consecutiveWindows: { min: 1, max: 1000 },
  minEvents: { min: 0, max: 1e9 },
  threshold: { min: 0, max: 1e12 },
  brokers: { max: 100 },
  /** Characters of PEM text (a CA certificate, or a short chain). */
  pemLength: { max: 64 * 1024 },
  urlLength: { max: 2048 },
  usernameLength: { max: 255 },
} as const;

export const POSTGRES_SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;

const RATE_METRICS: ReadonlySet<string> = new Set(['errorRate', 'slowRate']);
const ALERT_METRIC_NAMES = ['errorRate', 'slowRate', 'downloads'] as const;

const KEYS = {
  root: ['version', 'log', 'postgres', 'generator', 'engine'],
  log: ['backend', 'partitions', 'partitioner', 'kafka'],
  kafka: ['brokers', 'clientId', 'topic', 'tls', 'ca', 'sasl', 'username', 'compression'],
  postgres: ['mode', 'url', 'ca', 'poolMax'],
  generator: ['ratePerSecond', 'seed', 'outcomeMix'],
  outcomeMix: ['failed', 'slow'],
  engine: ['windowSizeMs', 'outOfOrdernessMs', 'allowedLatenessMs', 'maxFutureMs', 'alertRules'],
  alertRule: [
    'id',
    'type',
    'metric',
    'direction',
    'threshold',
    'criticalThreshold',
    'consecutiveWindows',
    'minEvents',
  ],
} as const;

type Json = Record<string, unknown>;

export function validateSettings(raw: unknown): SettingsValidation {
  const c = new Checker();
  const root = c.object(raw, '', KEYS.root);
  if (!root) return { ok: false, errors: c.errors };

  if (root.version === undefined) c.fail('version', `is required (${SETTINGS_VERSION})`);
  else if (root.version !== SETTINGS_VERSION) {
    c.fail(
      'version',
      `must be ${SETTINGS_VERSION}: this StreamPulse reads settings version ${SETTINGS_VERSION}, got ${shown(root.version)}`,
    );
  }
  const log = validateLog(c, root.log);
  const postgres = validatePostgres(c, root.postgres);
  const generator = validateGenerator(c, root.generator);
  const engine = validateEngine(c, root.engine);

  if (c.errors.length > 0 || !log || !postgres || !generator || !engine) {
    return { ok: false, errors: c.errors };
  }
  return { ok: true, settings: { version: SETTINGS_VERSION, log, postgres, generator, engine } };
}

function validateLog(c: Checker, raw: unknown): Settings['log'] | undefined {
  const log = c.object(raw, 'log', KEYS.log);
  if (!log) return undefined;
  const backend = c.oneOf(log.backend, 'log.backend', ['embedded', 'kafka'] as const);
  const partitions = c.integer(log.partitions, 'log.partitions', SETTINGS_LIMITS.partitions);
  const partitioner = c.oneOf(log.partitioner, 'log.partitioner', PARTITIONER_SETTINGS);
  const kafka = validateKafka(c, log.kafka, backend === 'kafka');
  if (!backend || partitions === undefined || !partitioner || !kafka) return undefined;
  return { backend, partitions, partitioner, kafka };
}

function validateKafka(c: Checker, raw: unknown, inUse: boolean): KafkaSettings | undefined {
  const kafka = c.object(raw, 'log.kafka', KEYS.kafka);
  if (!kafka) return undefined;
  const brokers = validateBrokers(c, kafka.brokers, inUse);
  const clientId = c.string(kafka.clientId, 'log.kafka.clientId');
  if (clientId !== undefined && !/^[A-Za-z0-9._-]{1,255}$/.test(clientId)) {
    c.fail('log.kafka.clientId', 'use 1-255 letters, digits, dots, underscores and dashes');
  }
  const topic = c.string(kafka.topic, 'log.kafka.topic');
  if (topic !== undefined) {
    const problem = kafkaTopicProblem(topic);
    if (problem) c.fail('log.kafka.topic', problem);
  }
  const tls = c.boolean(kafka.tls, 'log.kafka.tls');
  const ca = validatePem(c, kafka.ca, 'log.kafka.ca');
  const sasl = c.oneOf(kafka.sasl, 'log.kafka.sasl', SASL_MECHANISM_NAMES);
  const username = c.string(kafka.username, 'log.kafka.username');
  const compression = c.oneOf(
    kafka.compression,
    'log.kafka.compression',
    KAFKA_COMPRESSION_SETTINGS,
  );
  if (username !== undefined) {
    if (sasl && sasl !== 'none' && username === '') {
      c.fail('log.kafka.username', `is required with SASL (${sasl}): enter the Kafka user name`);
    } else if (username.length > SETTINGS_LIMITS.usernameLength.max) {
      c.fail('log.kafka.username', `is too long (at most ${SETTINGS_LIMITS.usernameLength.max})`);
    } else if (hasControlCharacters(username)) {
      c.fail('log.kafka.username', 'must not contain control characters (tabs, line breaks)');
    }
  }
  if (
    !brokers ||
    clientId === undefined ||
    topic === undefined ||
    tls === undefined ||
    ca === undefined ||
    !sasl ||
    username === undefined ||
    !compression
  ) {
    return undefined;
  }
  return { brokers, clientId, topic, tls, ca, sasl, username, compression };
}

function validateBrokers(c: Checker, raw: unknown, inUse: boolean): string[] | undefined {
  const field = 'log.kafka.brokers';
  if (raw === undefined) return c.fail(field, 'is required: a list of host:port');
  if (!Array.isArray(raw)) {
    return c.fail(field, `must be a list of host:port, e.g. ["broker1.example.com:9092"]`);
  }
  const before = c.errors.length;
  if (raw.length === 0 && inUse) {
    c.fail(field, 'needs at least one broker (host:port, e.g. broker1.example.com:9092) for Kafka');
  }
  if (raw.length > SETTINGS_LIMITS.brokers.max) {
    c.fail(field, `has ${raw.length} brokers: at most ${SETTINGS_LIMITS.brokers.max}`);
  }
  const seen = new Set<string>();
  for (const broker of raw) {
    if (typeof broker !== 'string') {
      c.fail(field, `each broker must be a "host:port" text, got ${shown(broker)}`);
      continue;
    }
    const problem = brokerProblem(broker);
    if (problem) c.fail(field, problem);
    else if (seen.has(broker)) c.fail(field, `"${broker}" is listed twice`);
    seen.add(broker);
  }
  return c.errors.length === before ? (raw as string[]) : undefined;
}

/** Why `broker` is not a well-formed `host:port`, or null. */
export function brokerProblem(broker: string): string | null {
  const example = 'e.g. broker1.example.com:9092';
  if (broker === '') return `an empty broker: write host:port, ${example}`;
  if (/\s/.test(broker)) return `"${broker}" contains spaces: write host:port, ${example}`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(broker)) {
    return `"${broker}": leave out the scheme (${broker.slice(0, broker.indexOf('://') + 3)}), write host:port, ${example}`;
  }
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]/]+):([^:]*)$/.exec(broker);
  if (!match) {
    return /:/.test(broker)
      ? `"${broker}" is not host:port (${example}; an IPv6 address goes in brackets: [::1]:9092)`
      : `"${broker}" has no port: write host:port, ${example}`;
  }
  const [, host = '', port = ''] = match;
  if (!host.startsWith('[') && !/^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/.test(host)) {
    return `"${host}" in "${broker}" is not a host name: use letters, digits, dots and dashes`;
  }
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    return `the port of "${broker}" must be a number from 1 to 65535`;
  }
  return null;
}

/** Kafka's rule for topic names, or null. */
export function kafkaTopicProblem(topic: string): string | null {
  if (topic === '.' || topic === '..') return `cannot be "${topic}"`;
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(topic)) {
    return 'use 1-249 letters, digits, dots, underscores and dashes (Kafka topic names)';
  }
  return null;
}

function validatePem(c: Checker, raw: unknown, field: string): string | null | undefined {
  if (raw === undefined) return c.fail(field, 'is required (null for none)');
  if (raw === null) return null;
  if (typeof raw !== 'string') return c.fail(field, `must be PEM text or null, got ${shown(raw)}`);
  // An emptied text box means none.
  if (raw.trim() === '') return null;
  const problem = pemProblem(raw);
  return problem ? c.fail(field, problem) : raw;
}

/** Why `text` is not one or more PEM certificates, or null. */
export function pemProblem(text: string): string | null {
  const max = SETTINGS_LIMITS.pemLength.max;
  if (text.length > max) {
    return `is too large (${Math.ceil(text.length / 1024)} KB; at most ${max / 1024} KB): paste only the CA certificate`;
  }
  if (/PRIVATE KEY-----/.test(text)) {
    return 'is a private key: paste the CA certificate (-----BEGIN CERTIFICATE-----), never a private key';
  }
  const expected =
    'must be a PEM certificate: the text from "-----BEGIN CERTIFICATE-----" to "-----END CERTIFICATE-----"';
  const blocks = text.match(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g);
  if (!blocks) return expected;
  const outside = blocks.reduce((rest, block) => rest.replace(block, ''), text);
  if (outside.trim() !== '') return `${expected}, and nothing else`;
  for (const block of blocks) {
    const body = block.slice(27, -25).replace(/\s+/g, '');
    if (body === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
      return `${expected}; the lines between them are not base64: copy the whole file unchanged`;
    }
  }
  return null;
}

function validatePostgres(c: Checker, raw: unknown): Settings['postgres'] | undefined {
  const postgres = c.object(raw, 'postgres', KEYS.postgres);
  if (!postgres) return undefined;
  const mode = c.oneOf(postgres.mode, 'postgres.mode', ['embedded', 'url'] as const);
  const url = c.string(postgres.url, 'postgres.url');
  if (url !== undefined) {
    if (url === '' && mode === 'url') {
      c.fail(
        'postgres.url',
        'is required to use your own PostgreSQL: postgres://USER@HOST:5432/DATABASE?sslmode=require',
      );
    } else if (url !== '') {
      const problem = postgresUrlProblem(url);
      if (problem) c.fail('postgres.url', problem);
    }
  }
  const ca = validatePem(c, postgres.ca, 'postgres.ca');
  const poolMax = c.integer(postgres.poolMax, 'postgres.poolMax', SETTINGS_LIMITS.poolMax);
  if (!mode || url === undefined || ca === undefined || poolMax === undefined) return undefined;
  return { mode, url, ca, poolMax };
}

/** Why `url` is not a usable PostgreSQL URL, or null. A password in it is fine here. */
export function postgresUrlProblem(url: string): string | null {
  const form = 'postgres://USER@HOST:PORT/DATABASE';
  if (url.length > SETTINGS_LIMITS.urlLength.max) {
    return `is too long (at most ${SETTINGS_LIMITS.urlLength.max} characters)`;
  }
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    return `must start with postgres:// or postgresql://, as in ${form}`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `is not a valid URL: write ${form}, with special characters in the user name or password percent-encoded (@ as %40), and a port from 1 to 65535`;
  }
  if (parsed.hostname === '') return `needs a host: ${form}`;
  if (parsed.hash !== '') return `must not contain "#": percent-encode it (%23)`;
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode !== null && !(POSTGRES_SSL_MODES as readonly string[]).includes(sslmode)) {
    return `sslmode must be one of ${POSTGRES_SSL_MODES.join(', ')}, got "${sslmode}"`;
  }
  return null;
}

/**
 * Takes the password out of a PostgreSQL URL (from `USER:PASSWORD@` or a `password=` parameter),
 * leaving the rest of the text as it was. The password is percent-decoded; null when there is none.
 */
export function splitPasswordFromUrl(url: string): { url: string; password: string | null } {
  let password: string | null = null;
  let rest = url;
  const userinfo = /^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i.exec(rest);
  if (userinfo) {
    const [whole, scheme = '', info = ''] = userinfo;
    const colon = info.indexOf(':');
    if (colon >= 0) {
      const user = info.slice(0, colon);
      const encoded = info.slice(colon + 1);
      if (encoded !== '') password = decodePart(encoded);
      rest = `${scheme}${user === '' ? '' : `${user}@`}${rest.slice(whole.length)}`;
    }
  }
  const queryStart = rest.indexOf('?');
  if (queryStart >= 0) {
    const hashStart = rest.indexOf('#', queryStart);
    const end = hashStart >= 0 ? hashStart : rest.length;
    const params = rest.slice(queryStart + 1, end).split('&');
    const kept = params.filter((param) => {
      if (!/^password=/i.test(param)) return true;
      const value = decodePart(param.slice('password='.length));
      if (password === null && value !== '') password = value;
      return false;
    });
    if (kept.length !== params.length) {
      const query = kept.filter((p) => p !== '').join('&');
      rest = `${rest.slice(0, queryStart)}${query ? `?${query}` : ''}${rest.slice(end)}`;
    }
  }
  return { url: rest, password };
}

/** The URL with `password` as its user's password (replacing any in it); the URL as is for null. */
export function urlWithPassword(url: string, password: string | null | undefined): string {
  const { url: bare } = splitPasswordFromUrl(url);
  if (password === null || password === undefined || password === '') return bare;
  const match = /^([a-z][a-z0-9+.-]*:\/\/)(?:([^@/?#]*)@)?/i.exec(bare);
  if (!match) return bare;
  const [whole, scheme = '', user = ''] = match;
  return `${scheme}${user}:${encodeURIComponent(password)}@${bare.slice(whole.length)}`;
}

function decodePart(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function validateGenerator(c: Checker, raw: unknown): Settings['generator'] | undefined {
  const generator = c.object(raw, 'generator', KEYS.generator);
  if (!generator) return undefined;
  const ratePerSecond = c.number(
    generator.ratePerSecond,
    'generator.ratePerSecond',
    SETTINGS_LIMITS.ratePerSecond,
    ' events per second',
  );
  let seed: string | null | undefined;
  if (generator.seed === undefined) c.fail('generator.seed', 'is required (null for a new seed)');
  else if (generator.seed === null) seed = null;
  else if (typeof generator.seed !== 'string') {
    c.fail('generator.seed', `must be text or null, got ${shown(generator.seed)}`);
  } else if (generator.seed.length < 1 || generator.seed.length > SETTINGS_LIMITS.seedLength.max) {
    c.fail(
      'generator.seed',
      `must be 1-${SETTINGS_LIMITS.seedLength.max} characters; leave it unset (null) for a new seed each start`,
    );
  } else seed = generator.seed;
  const mix = c.object(generator.outcomeMix, 'generator.outcomeMix', KEYS.outcomeMix);
  let outcomeMix: Settings['generator']['outcomeMix'] | undefined;
  if (mix) {
    const share = { min: 0, max: 1 };
    const failed = c.number(mix.failed, 'generator.outcomeMix.failed', share);
    const slow = c.number(mix.slow, 'generator.outcomeMix.slow', share);
    if (failed !== undefined && slow !== undefined) {
      if (failed + slow > 1) {
        c.fail(
          'generator.outcomeMix',
          `failed + slow must be at most 1 (100% of downloads), got ${round(failed + slow)}`,
        );
      } else outcomeMix = { failed, slow };
    }
  }
  if (ratePerSecond === undefined || seed === undefined || !outcomeMix) return undefined;
  return { ratePerSecond, seed, outcomeMix };
}

function validateEngine(c: Checker, raw: unknown): Settings['engine'] | undefined {
  const engine = c.object(raw, 'engine', KEYS.engine);
  if (!engine) return undefined;
  const windowSizeMs = c.duration(
    engine.windowSizeMs,
    'engine.windowSizeMs',
    SETTINGS_LIMITS.windowSizeMs,
  );
  const outOfOrdernessMs = c.duration(
    engine.outOfOrdernessMs,
    'engine.outOfOrdernessMs',
    SETTINGS_LIMITS.outOfOrdernessMs,
  );
  const allowedLatenessMs = c.duration(
    engine.allowedLatenessMs,
    'engine.allowedLatenessMs',
    SETTINGS_LIMITS.allowedLatenessMs,
  );
  const maxFutureMs = c.duration(
    engine.maxFutureMs,
    'engine.maxFutureMs',
    SETTINGS_LIMITS.maxFutureMs,
  );
  const alertRules = validateAlertRules(c, engine.alertRules);
  if (
    windowSizeMs === undefined ||
    outOfOrdernessMs === undefined ||
    allowedLatenessMs === undefined ||
    maxFutureMs === undefined ||
    !alertRules
  ) {
    return undefined;
  }
  return { windowSizeMs, outOfOrdernessMs, allowedLatenessMs, maxFutureMs, alertRules };
}

function validateAlertRules(c: Checker, raw: unknown): AlertRuleSettings[] | undefined {
  const field = 'engine.alertRules';
  if (raw === undefined) return c.fail(field, 'is required (a list; [] for no alerts)');
  if (!Array.isArray(raw)) return c.fail(field, `must be a list of rules, got ${shown(raw)}`);
  const before = c.errors.length;
  if (raw.length > SETTINGS_LIMITS.alertRules.max) {
    c.fail(field, `has ${raw.length} rules: at most ${SETTINGS_LIMITS.alertRules.max}`);
  }
  const firstUse = new Map<string, number>();
  const rules: AlertRuleSettings[] = [];
  raw.forEach((item, i) => {
    const rule = validateAlertRule(c, item, `${field}.${i}`);
    if (!rule) return;
    const earlier = firstUse.get(rule.id);
    if (earlier !== undefined) {
      c.fail(
        `${field}.${i}.id`,
        `"${rule.id}" is also the id of rule ${earlier + 1}: ids must be unique`,
      );
    } else firstUse.set(rule.id, i);
    rules.push(rule);
  });
  return c.errors.length === before ? rules : undefined;
}

function validateAlertRule(c: Checker, raw: unknown, path: string): AlertRuleSettings | undefined {
  const rule = c.object(raw, path, KEYS.alertRule);
  if (!rule) return undefined;
  const id = c.string(rule.id, `${path}.id`);
  if (id !== undefined && !/^[a-z0-9-]{1,64}$/.test(id)) {
    c.fail(`${path}.id`, 'use 1-64 lower-case letters, digits and dashes, e.g. high-error-rate');
  }
  const type = c.string(rule.type, `${path}.type`);
  if (type !== undefined && !/^[A-Z][A-Z0-9_]{0,63}$/.test(type)) {
    c.fail(
      `${path}.type`,
      'use 1-64 capital letters, digits and underscores, starting with a letter, e.g. HIGH_ERROR_RATE',
    );
  }
  const metric = c.oneOf(rule.metric, `${path}.metric`, ALERT_METRIC_NAMES);
  const direction = c.oneOf(rule.direction, `${path}.direction`, ['above', 'below'] as const);
  const isRate = metric !== undefined && RATE_METRICS.has(metric);
  const range = isRate ? { min: 0, max: 1 } : SETTINGS_LIMITS.threshold;
  const unit = isRate ? ' (a share: 0.1 is 10%)' : '';
  const threshold = c.number(rule.threshold, `${path}.threshold`, range, unit);
  let criticalThreshold: number | undefined;
  if (rule.criticalThreshold !== undefined && rule.criticalThreshold !== null) {
    criticalThreshold = c.number(rule.criticalThreshold, `${path}.criticalThreshold`, range, unit);
    if (criticalThreshold !== undefined && threshold !== undefined && direction) {
      const beyond =
        direction === 'above' ? criticalThreshold >= threshold : criticalThreshold <= threshold;
      if (!beyond) {
        c.fail(
          `${path}.criticalThreshold`,
          `must be ${direction === 'above' ? 'at least' : 'at most'} the threshold (${threshold}) for a rule that fires ${direction} it, or empty`,
        );
      }
    }
  }
  const consecutiveWindows = c.integer(
    rule.consecutiveWindows,
    `${path}.consecutiveWindows`,
    SETTINGS_LIMITS.consecutiveWindows,
  );
  const minEvents = c.integer(rule.minEvents, `${path}.minEvents`, SETTINGS_LIMITS.minEvents);
  if (
    id === undefined ||
    type === undefined ||
    !metric ||
    !direction ||
    threshold === undefined ||
    consecutiveWindows === undefined ||
    minEvents === undefined
  ) {
    return undefined;
  }
  return {
    id,
    type,
    metric,
    direction,
    threshold,
    ...(criticalThreshold !== undefined ? { criticalThreshold } : {}),
    consecutiveWindows,
    minEvents,
  };
}

/** Collects errors; each check returns the value when it is right, undefined when not. */
class Checker {
  readonly errors: FieldError[] = [];

  fail(field: string, message: string): undefined {
    this.errors.push({ field: field === '' ? 'settings' : field, message });
    return undefined;
  }

  /** A plain object with only `keys` (unknown keys are errors, each named). */
  object(value: unknown, path: string, keys: readonly string[]): Json | undefined {
    if (value === undefined) return this.fail(path, 'is required');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return this.fail(path, `must be an object ({ ... }), got ${shown(value)}`);
    }
    for (const key of Object.keys(value)) {
      if (keys.includes(key)) continue;
      const near = keys.find((k) => isNear(k, key));
      this.fail(
        path === '' ? key : `${path}.${key}`,
        `"${key}" is not a setting${near ? ` (did you mean "${near}"?)` : ''}: remove it`,
      );
    }
    return value as Json;
  }

  oneOf<T extends string>(value: unknown, field: string, choices: readonly T[]): T | undefined {
    const list = choices.map((choice) => `"${choice}"`).join(', ');
    if (value === undefined) return this.fail(field, `is required: one of ${list}`);
    if (typeof value === 'string' && (choices as readonly string[]).includes(value)) {
      return value as T;
    }
    return this.fail(field, `must be one of ${list}, got ${shown(value)}`);
  }

  string(value: unknown, field: string): string | undefined {
    if (value === undefined) return this.fail(field, 'is required');
    if (typeof value !== 'string') return this.fail(field, `must be text, got ${shown(value)}`);
    return value;
  }

  boolean(value: unknown, field: string): boolean | undefined {
    if (value === undefined) return this.fail(field, 'is required (true or false)');
    if (typeof value !== 'boolean') {
      return this.fail(field, `must be true or false, got ${shown(value)}`);
    }
    return value;
  }

  number(
    value: unknown,
    field: string,
    range: { readonly min: number; readonly max: number },
    unit = '',
  ): number | undefined {
    const bounds = `from ${formatNumber(range.min)} to ${formatNumber(range.max)}${unit}`;
    if (value === undefined) return this.fail(field, `is required: a number ${bounds}`);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return this.fail(field, `must be a number ${bounds}, got ${shown(value)}`);
    }
    if (value < range.min || value > range.max) {
      return this.fail(field, `must be ${bounds}, got ${formatNumber(value)}`);
    }
    return value;
  }

  integer(
    value: unknown,
    field: string,
    range: { readonly min: number; readonly max: number },
  ): number | undefined {
    const bounds = `from ${formatNumber(range.min)} to ${formatNumber(range.max)}`;
    if (value === undefined) return this.fail(field, `is required: a whole number ${bounds}`);
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      return this.fail(field, `must be a whole number ${bounds}, got ${shown(value)}`);
    }
    if (value < range.min || value > range.max) {
      return this.fail(field, `must be ${bounds}, got ${formatNumber(value)}`);
    }
    return value;
  }

  /** Whole milliseconds in range, with the bounds also in seconds, hours or days. */
  duration(
    value: unknown,
    field: string,
    range: { readonly min: number; readonly max: number },
  ): number | undefined {
    const bounds = `from ${formatNumber(range.min)} ms${humanMs(range.min)} to ${formatNumber(range.max)} ms${humanMs(range.max)}`;
    if (value === undefined) return this.fail(field, `is required: milliseconds ${bounds}`);
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      return this.fail(field, `must be whole milliseconds ${bounds}, got ${shown(value)}`);
    }
    if (value < range.min || value > range.max) {
      return this.fail(field, `must be ${bounds}, got ${formatNumber(value)}`);
    }
    return value;
  }
}

function humanMs(ms: number): string {
  if (ms === 0) return '';
  if (ms % (24 * HOUR_MS) === 0) return ` (${ms / (24 * HOUR_MS)} d)`;
  if (ms % HOUR_MS === 0) return ` (${ms / HOUR_MS} h)`;
  if (ms % 1000 === 0) return ` (${ms / 1000} s)`;
  return '';
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : String(n);
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** A value as it appears in the error, cut short. */
function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function hasControlCharacters(text: string): boolean {
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** The same key but for case, or at most two edits away: probably a typo of it. */
function isNear(known: string, key: string): boolean {
  const a = known.toLowerCase();
  const b = key.toLowerCase();
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 2 || Math.min(a.length, b.length) < 4) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return (prev[b.length] ?? 3) <= 2;
}
