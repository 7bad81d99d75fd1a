import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, validateSettings, type Settings } from './schema';
import { brokerProblem } from './text-checks';
import { splitPasswordFromUrl, urlWithPassword } from '../postgres-url';

const PEM = `-----BEGIN CERTIFICATE-----
${'MIIBszCCAVmgAwIBAgIUQ2xhdWRlIHRlc3QgY2VydGlmaWNhdGUgZm9yIHN0cmVh'}
${'bXB1bHNlMAoGCCqGSM49BAMCMBQxEjAQBgNVBAMMCXRlc3QtY2EwHhcNMjYwMTAx'}
bXB1bHNl
-----END CERTIFICATE-----
`;

type Change = readonly [path: string, value: unknown];

/** DEFAULT_SETTINGS with values set at dotted paths (undefined deletes the key). */
function settingsWith(...changes: Change[]): unknown {
  const copy = structuredClone(DEFAULT_SETTINGS) as unknown as Record<string, unknown>;
  for (const [path, value] of changes) {
    const keys = path.split('.');
    const last = keys.pop()!;
    let node = copy as Record<string, unknown>;
    for (const key of keys) node = node[key] as Record<string, unknown>;
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return copy;
}

function fieldsOf(raw: unknown): string[] {
  const result = validateSettings(raw);
  return result.ok ? [] : result.errors.map((e) => e.field);
}

const rule = DEFAULT_SETTINGS.engine.alertRules[0]!;

// [name, changes, the fields with errors ([] = valid)]
const CASES: Array<[string, Change[], string[]]> = [
  ['version 1', [], []],
  ['version 2', [['version', 2]], ['version']],
  ['version missing', [['version', undefined]], ['version']],

  ['backend kafka', [['log.backend', 'kafka']], []],
  ['backend unknown', [['log.backend', 'file']], ['log.backend']],
  ['partitions 1', [['log.partitions', 1]], []],
  ['partitions 256', [['log.partitions', 256]], []],
  ['partitions 0', [['log.partitions', 0]], ['log.partitions']],
  ['partitions 257', [['log.partitions', 257]], ['log.partitions']],
  ['partitions fractional', [['log.partitions', 2.5]], ['log.partitions']],
  ['partitions as text', [['log.partitions', '3']], ['log.partitions']],
  ['partitioner murmur2', [['log.partitioner', 'murmur2']], []],
  ['partitioner unknown', [['log.partitioner', 'random']], ['log.partitioner']],

  ['brokers several', [['log.kafka.brokers', ['a:9092', 'b.example.com:19092', '[::1]:9092']]], []],
  ['brokers empty, embedded', [['log.kafka.brokers', []]], []],
  [
    'brokers empty, kafka',
    [
      ['log.backend', 'kafka'],
      ['log.kafka.brokers', []],
    ],
    ['log.kafka.brokers'],
  ],
  ['broker with scheme', [['log.kafka.brokers', ['kafka://b:9092']]], ['log.kafka.brokers']],
  ['broker with space', [['log.kafka.brokers', ['b :9092']]], ['log.kafka.brokers']],
  ['broker without port', [['log.kafka.brokers', ['b']]], ['log.kafka.brokers']],
  ['broker port 0', [['log.kafka.brokers', ['b:0']]], ['log.kafka.brokers']],
  ['broker port 65536', [['log.kafka.brokers', ['b:65536']]], ['log.kafka.brokers']],
  ['broker port 65535', [['log.kafka.brokers', ['b:65535']]], []],
  ['broker empty (embedded too)', [['log.kafka.brokers', ['']]], ['log.kafka.brokers']],
  ['broker twice', [['log.kafka.brokers', ['b:9092', 'b:9092']]], ['log.kafka.brokers']],
  ['brokers not a list', [['log.kafka.brokers', 'b:9092']], ['log.kafka.brokers']],
  ['broker not text', [['log.kafka.brokers', [9092]]], ['log.kafka.brokers']],

  ['clientId 255 chars', [['log.kafka.clientId', 'a'.repeat(255)]], []],
  ['clientId 256 chars', [['log.kafka.clientId', 'a'.repeat(256)]], ['log.kafka.clientId']],
  ['clientId empty', [['log.kafka.clientId', '']], ['log.kafka.clientId']],
  ['clientId with space', [['log.kafka.clientId', 'stream pulse']], ['log.kafka.clientId']],
  ['topic with . _ -', [['log.kafka.topic', 'my.topic_1-x']], []],
  ['topic 249 chars', [['log.kafka.topic', 't'.repeat(249)]], []],
  ['topic 250 chars', [['log.kafka.topic', 't'.repeat(250)]], ['log.kafka.topic']],
  ['topic "."', [['log.kafka.topic', '.']], ['log.kafka.topic']],
  ['topic ".."', [['log.kafka.topic', '..']], ['log.kafka.topic']],
  ['topic with slash', [['log.kafka.topic', 'a/b']], ['log.kafka.topic']],
  ['topic empty', [['log.kafka.topic', '']], ['log.kafka.topic']],
  ['tls true', [['log.kafka.tls', true]], []],
  ['tls as text', [['log.kafka.tls', 'yes']], ['log.kafka.tls']],

  [
    'sasl with username',
    [
      ['log.kafka.sasl', 'scram-sha-256'],
      ['log.kafka.username', 'alice'],
    ],
    [],
  ],
  ['sasl without username', [['log.kafka.sasl', 'plain']], ['log.kafka.username']],
  ['sasl unknown', [['log.kafka.sasl', 'gssapi']], ['log.kafka.sasl']],
  ['username with newline', [['log.kafka.username', 'a\nb']], ['log.kafka.username']],
  ['compression zstd', [['log.kafka.compression', 'zstd']], []],
  ['compression none', [['log.kafka.compression', 'none']], []],
  ['compression unknown', [['log.kafka.compression', 'brotli']], ['log.kafka.compression']],
  ['compression missing', [['log.kafka.compression', undefined]], ['log.kafka.compression']],

  ['kafka ca PEM', [['log.kafka.ca', PEM]], []],
  ['kafka ca two PEMs', [['log.kafka.ca', `${PEM}\n${PEM}`]], []],
  ['kafka ca empty text', [['log.kafka.ca', '']], []],
  ['kafka ca not PEM', [['log.kafka.ca', 'hello']], ['log.kafka.ca']],
  ['kafka ca with text around', [['log.kafka.ca', `subject=x\n${PEM}`]], ['log.kafka.ca']],
  [
    'kafka ca private key',
    [['log.kafka.ca', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----']],
    ['log.kafka.ca'],
  ],
  [
    'kafka ca too large',
    [['log.kafka.ca', PEM.replace('bXB1bHNl\n', `${'A'.repeat(64)}\n`.repeat(1100))]],
    ['log.kafka.ca'],
  ],
  [
    'kafka ca not base64',
    [['log.kafka.ca', '-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----']],
    ['log.kafka.ca'],
  ],
  ['kafka ca a number', [['log.kafka.ca', 5]], ['log.kafka.ca']],

  ['postgres url mode without url', [['postgres.mode', 'url']], ['postgres.url']],
  [
    'postgres url',
    [
      ['postgres.mode', 'url'],
      ['postgres.url', 'postgres://app@db.example.com:5432/streampulse?sslmode=verify-full'],
    ],
    [],
  ],
  [
    'postgresql:// with a password',
    [
      ['postgres.mode', 'url'],
      ['postgres.url', 'postgresql://app:s3cret@db.example.com/streampulse'],
    ],
    [],
  ],
  ['postgres mode unknown', [['postgres.mode', 'remote']], ['postgres.mode']],
  ['postgres url other scheme', [['postgres.url', 'mysql://h/db']], ['postgres.url']],
  ['postgres url without host', [['postgres.url', 'postgres:///db']], ['postgres.url']],
  ['postgres url bad port', [['postgres.url', 'postgres://h:70000/db']], ['postgres.url']],
  [
    'postgres sslmode prefer',
    [['postgres.url', 'postgres://h/db?sslmode=prefer']],
    ['postgres.url'],
  ],
  ['postgres sslmode require', [['postgres.url', 'postgres://h/db?sslmode=require']], []],
  // The connection's own rules, refused when saved (one parser: shared/postgres-url.ts).
  [
    'postgres url unknown parameter',
    [['postgres.url', 'postgres://h/db?ssl=true']],
    ['postgres.url'],
  ],
  [
    'postgres url parameter twice',
    [['postgres.url', 'postgres://h/db?sslmode=require&sslmode=disable']],
    ['postgres.url'],
  ],
  ['postgres url bad escape', [['postgres.url', 'postgres://u:%zz@h/db']], ['postgres.url']],
  ['postgres ca PEM', [['postgres.ca', PEM]], []],
  ['postgres ca not PEM', [['postgres.ca', 'nope']], ['postgres.ca']],
  ['poolMax 1', [['postgres.poolMax', 1]], []],
  ['poolMax 50', [['postgres.poolMax', 50]], []],
  ['poolMax 0', [['postgres.poolMax', 0]], ['postgres.poolMax']],
  ['poolMax 51', [['postgres.poolMax', 51]], ['postgres.poolMax']],
  ['poolMax 1.5', [['postgres.poolMax', 1.5]], ['postgres.poolMax']],

  ['rate 0.1', [['generator.ratePerSecond', 0.1]], []],
  ['rate 10M', [['generator.ratePerSecond', 10_000_000]], []],
  ['rate 0.05', [['generator.ratePerSecond', 0.05]], ['generator.ratePerSecond']],
  ['rate 1e8', [['generator.ratePerSecond', 1e8]], ['generator.ratePerSecond']],
  ['rate as text', [['generator.ratePerSecond', '50']], ['generator.ratePerSecond']],
  ['rate NaN', [['generator.ratePerSecond', Number.NaN]], ['generator.ratePerSecond']],
  ['seed text', [['generator.seed', 'abc']], []],
  ['seed 128 chars', [['generator.seed', 's'.repeat(128)]], []],
  ['seed 129 chars', [['generator.seed', 's'.repeat(129)]], ['generator.seed']],
  ['seed empty', [['generator.seed', '']], ['generator.seed']],
  ['seed a number', [['generator.seed', 42]], ['generator.seed']],
  ['mix 0.5 + 0.5', [['generator.outcomeMix', { failed: 0.5, slow: 0.5 }]], []],
  ['mix failed 1.1', [['generator.outcomeMix.failed', 1.1]], ['generator.outcomeMix.failed']],
  ['mix slow -0.1', [['generator.outcomeMix.slow', -0.1]], ['generator.outcomeMix.slow']],
  ['mix sum 1.1', [['generator.outcomeMix', { failed: 0.6, slow: 0.5 }]], ['generator.outcomeMix']],

  ['window 1 s', [['engine.windowSizeMs', 1000]], []],
  ['window 24 h', [['engine.windowSizeMs', 86_400_000]], []],
  ['window 999 ms', [['engine.windowSizeMs', 999]], ['engine.windowSizeMs']],
  ['window 24 h + 1 ms', [['engine.windowSizeMs', 86_400_001]], ['engine.windowSizeMs']],
  ['window fractional', [['engine.windowSizeMs', 1500.5]], ['engine.windowSizeMs']],
  ['out-of-orderness 0', [['engine.outOfOrdernessMs', 0]], []],
  ['out-of-orderness -1', [['engine.outOfOrdernessMs', -1]], ['engine.outOfOrdernessMs']],
  [
    'out-of-orderness > 24 h',
    [['engine.outOfOrdernessMs', 86_400_001]],
    ['engine.outOfOrdernessMs'],
  ],
  ['lateness 7 d', [['engine.allowedLatenessMs', 604_800_000]], []],
  ['lateness > 7 d', [['engine.allowedLatenessMs', 604_800_001]], ['engine.allowedLatenessMs']],
  ['future bound 1 h', [['engine.maxFutureMs', 3_600_000]], []],
  ['future bound 0', [['engine.maxFutureMs', 0]], ['engine.maxFutureMs']],
  ['future bound missing', [['engine.maxFutureMs', undefined]], ['engine.maxFutureMs']],

  ['no alert rules', [['engine.alertRules', []]], []],
  [
    'downloads rule below 500',
    [
      [
        'engine.alertRules',
        [
          {
            ...rule,
            id: 'traffic-drop',
            metric: 'downloads',
            direction: 'below',
            threshold: 500,
            criticalThreshold: 100,
          },
        ],
      ],
    ],
    [],
  ],
  [
    'alert ids twice',
    [['engine.alertRules', [rule, { ...rule, type: 'OTHER' }]]],
    ['engine.alertRules.1.id'],
  ],
  [
    'alert id upper case',
    [['engine.alertRules', [{ ...rule, id: 'High' }]]],
    ['engine.alertRules.0.id'],
  ],
  [
    'alert type lower case',
    [['engine.alertRules', [{ ...rule, type: 'high' }]]],
    ['engine.alertRules.0.type'],
  ],
  [
    'alert metric unknown',
    [['engine.alertRules', [{ ...rule, metric: 'latency' }]]],
    ['engine.alertRules.0.metric'],
  ],
  [
    'alert direction unknown',
    [['engine.alertRules', [{ ...rule, direction: 'over' }]]],
    ['engine.alertRules.0.direction'],
  ],
  [
    'alert threshold -1',
    [['engine.alertRules', [{ ...rule, threshold: -1 }]]],
    ['engine.alertRules.0.threshold'],
  ],
  [
    'alert rate threshold 1.5',
    [['engine.alertRules', [{ ...rule, threshold: 1.5, criticalThreshold: 2 }]]],
    ['engine.alertRules.0.threshold', 'engine.alertRules.0.criticalThreshold'],
  ],
  [
    'alert critical below threshold (above rule)',
    [['engine.alertRules', [{ ...rule, criticalThreshold: 0.05 }]]],
    ['engine.alertRules.0.criticalThreshold'],
  ],
  ['alert critical null', [['engine.alertRules', [{ ...rule, criticalThreshold: null }]]], []],
  [
    'alert critical absent',
    [['engine.alertRules', [{ ...rule, criticalThreshold: undefined }]]],
    [],
  ],
  [
    'alert consecutive 0',
    [['engine.alertRules', [{ ...rule, consecutiveWindows: 0 }]]],
    ['engine.alertRules.0.consecutiveWindows'],
  ],
  [
    'alert consecutive 1001',
    [['engine.alertRules', [{ ...rule, consecutiveWindows: 1001 }]]],
    ['engine.alertRules.0.consecutiveWindows'],
  ],
  ['alert consecutive 1000', [['engine.alertRules', [{ ...rule, consecutiveWindows: 1000 }]]], []],
  [
    'alert minEvents -1',
    [['engine.alertRules', [{ ...rule, minEvents: -1 }]]],
    ['engine.alertRules.0.minEvents'],
  ],
  ['alert minEvents 0', [['engine.alertRules', [{ ...rule, minEvents: 0 }]]], []],
  [
    'alert minEvents missing',
    [['engine.alertRules', [{ ...rule, minEvents: undefined }]]],
    ['engine.alertRules.0.minEvents'],
  ],
  [
    'alert unknown key',
    [['engine.alertRules', [{ ...rule, severity: 'high' }]]],
    ['engine.alertRules.0.severity'],
  ],
  [
    'alert rule not an object',
    [['engine.alertRules', ['high-error-rate']]],
    ['engine.alertRules.0'],
  ],
  [
    '20 alert rules',
    [['engine.alertRules', Array.from({ length: 20 }, (_, i) => ({ ...rule, id: `r${i}` }))]],
    [],
  ],
  [
    '21 alert rules',
    [['engine.alertRules', Array.from({ length: 21 }, (_, i) => ({ ...rule, id: `r${i}` }))]],
    ['engine.alertRules'],
  ],
  ['alert rules not a list', [['engine.alertRules', {}]], ['engine.alertRules']],

  ['unknown top-level key', [['theme', 'dark']], ['theme']],
  ['unknown nested key', [['log.kafka.sslmode', 'require']], ['log.kafka.sslmode']],
  ['missing key', [['log.kafka.topic', undefined]], ['log.kafka.topic']],
  ['missing section', [['engine', undefined]], ['engine']],
  ['section not an object', [['postgres', 'embedded']], ['postgres']],
];

describe('validateSettings', () => {
  it('accepts DEFAULT_SETTINGS and returns them unchanged', () => {
    const result = validateSettings(DEFAULT_SETTINGS);
    expect(result).toEqual({ ok: true, settings: DEFAULT_SETTINGS });
  });

  it.each(CASES)('%s', (_name, changes, fields) => {
    expect(fieldsOf(settingsWith(...changes))).toEqual(fields);
  });

  it('rejects what is not an object', () => {
    for (const raw of [null, [], 'settings', 42, undefined]) {
      expect(fieldsOf(raw)).toEqual(['settings']);
    }
  });

  it('collects every error, each with a message a user can act on', () => {
    const result = validateSettings(
      settingsWith(
        ['log.backend', 'kafka'],
        ['log.kafka.brokers', ['https://broker:9092', 'b2']],
        ['log.kafka.sasl', 'scram-sha-512'],
        ['postgres.poolMax', 0],
        ['engine.alertRules', [{ ...rule, threshold: 2 }]],
        ['extra', true],
      ),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { field: 'extra', message: '"extra" is not a setting: remove it' },
      {
        field: 'log.kafka.brokers',
        message:
          '"https://broker:9092": leave out the scheme (https://), write host:port, e.g. broker1.example.com:9092',
      },
      {
        field: 'log.kafka.brokers',
        message: '"b2" has no port: write host:port, e.g. broker1.example.com:9092',
      },
      {
        field: 'log.kafka.username',
        message: 'is required with SASL (scram-sha-512): enter the Kafka user name',
      },
      { field: 'postgres.poolMax', message: 'must be from 1 to 50, got 0' },
      {
        field: 'engine.alertRules.0.threshold',
        message: 'must be from 0 to 1 (a share: 0.1 is 10%), got 2',
      },
    ]);
  });

  it('suggests the key a misspelt one probably meant', () => {
    const result = validateSettings(settingsWith(['log.kafka.Brokers', ['b:9092']]));
    expect(result.ok || result.errors).toContainEqual({
      field: 'log.kafka.Brokers',
      message: '"Brokers" is not a setting (did you mean "brokers"?): remove it',
    });
  });

  it('states the range of durations in readable units', () => {
    const result = validateSettings(settingsWith(['engine.windowSizeMs', 500]));
    expect(result.ok || result.errors[0]?.message).toBe(
      'must be from 1,000 ms (1 s) to 86,400,000 ms (1 d), got 500',
    );
  });

  it('normalises an emptied CA to null and drops a null critical threshold', () => {
    const result = validateSettings(
      settingsWith(
        ['log.kafka.ca', '  '],
        ['engine.alertRules', [{ ...rule, criticalThreshold: null }]],
      ),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings.log.kafka.ca).toBeNull();
    expect('criticalThreshold' in result.settings.engine.alertRules[0]!).toBe(false);
  });

  it('returns a copy without keys it does not know', () => {
    const input = structuredClone(DEFAULT_SETTINGS) as Settings;
    const result = validateSettings(input);
    expect(result.ok && result.settings).not.toBe(input);
  });
});

describe('brokerProblem', () => {
  it('accepts host:port and bracketed IPv6', () => {
    for (const ok of [
      'localhost:9092',
      '10.0.0.1:9092',
      'b-1.kafka.eu-west-1.aws:9096',
      '[::1]:9092',
    ]) {
      expect(brokerProblem(ok)).toBeNull();
    }
  });

  it('rejects bare IPv6 and paths', () => {
    expect(brokerProblem('::1:9092')).toMatch(/brackets/);
    expect(brokerProblem('host:9092/x')).not.toBeNull();
  });
});

describe('splitPasswordFromUrl', () => {
  it.each([
    ['postgres://app:s3cret@db:5432/sp', 'postgres://app@db:5432/sp', 's3cret'],
    [
      'postgres://app:p%40ss%3Aw@db/sp?sslmode=require',
      'postgres://app@db/sp?sslmode=require',
      'p@ss:w',
    ],
    ['postgresql://app@db/sp', 'postgresql://app@db/sp', null],
    ['postgres://:pw@db/sp', 'postgres://db/sp', 'pw'],
    ['postgres://app:@db/sp', 'postgres://app@db/sp', null],
    [
      'postgres://app@db/sp?password=x%26y&sslmode=require',
      'postgres://app@db/sp?sslmode=require',
      'x&y',
    ],
    [
      'postgres://app@db/sp?sslmode=require&password=x',
      'postgres://app@db/sp?sslmode=require',
      'x',
    ],
    ['postgres://app@db/sp?password=x', 'postgres://app@db/sp', 'x'],
    ['postgres://db', 'postgres://db', null],
    ['', '', null],
  ])('%s', (input, url, password) => {
    expect(splitPasswordFromUrl(input)).toEqual({ url, password });
  });

  it('does not take an @ in the path or query for a user part', () => {
    expect(splitPasswordFromUrl('postgres://db/sp?application_name=a:b@c')).toEqual({
      url: 'postgres://db/sp?application_name=a:b@c',
      password: null,
    });
  });
});

describe('urlWithPassword', () => {
  it('puts the password, percent-encoded, in the user part', () => {
    expect(urlWithPassword('postgres://app@db/sp?sslmode=require', 'p@ss w')).toBe(
      'postgres://app:p%40ss%20w@db/sp?sslmode=require',
    );
    expect(urlWithPassword('postgres://db/sp', 'pw')).toBe('postgres://:pw@db/sp');
    expect(urlWithPassword('postgres://app:old@db/sp', 'new')).toBe('postgres://app:new@db/sp');
    expect(urlWithPassword('postgres://app:old@db/sp', undefined)).toBe('postgres://app@db/sp');
  });

  it('round-trips through splitPasswordFromUrl', () => {
    const password = 'ä:/@?#&=% x';
    const joined = urlWithPassword('postgres://app@db:5432/sp', password);
    expect(splitPasswordFromUrl(joined)).toEqual({ url: 'postgres://app@db:5432/sp', password });
    expect(new URL(joined).hostname).toBe('db');
  });
});
