import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../tests/support/temp-dir';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { FieldsValidationError } from '../../shared/validation-error';
import { loadSettings, saveSettings, settingsFileOf, withDefaults } from './settings-file';

const tempDir = useTempDirs();
const NOW = new Date('2026-11-24T12:34:56.789Z');
const BACKUP_NAME = 'settings.json.corrupt-2026-11-24T12-34-56-789Z';
const posix = process.platform !== 'win32';

const kafkaSettings: Settings = {
  ...DEFAULT_SETTINGS,
  log: {
    ...DEFAULT_SETTINGS.log,
    backend: 'kafka',
    kafka: {
      ...DEFAULT_SETTINGS.log.kafka,
      brokers: ['b1.example.com:9096', 'b2.example.com:9096'],
      tls: true,
      sasl: 'scram-sha-512',
      username: 'alice',
    },
  },
  generator: { ...DEFAULT_SETTINGS.generator, ratePerSecond: 500, seed: 'demo' },
};

describe('loadSettings', () => {
  it('uses the defaults, without a notice, when there is no file', async () => {
    const dir = tempDir();
    expect(await loadSettings(dir)).toEqual({ settings: DEFAULT_SETTINGS, notices: [] });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('fills in keys an older version did not have', async () => {
    const dir = tempDir();
    writeFileSync(
      settingsFileOf(dir),
      JSON.stringify({
        log: { backend: 'kafka', kafka: { brokers: ['old.example.com:9092'] } },
        generator: { ratePerSecond: 200 },
      }),
    );
    const { settings, notices } = await loadSettings(dir);
    expect(notices).toEqual([]);
    expect(settings).toEqual({
      ...DEFAULT_SETTINGS,
      log: {
        ...DEFAULT_SETTINGS.log,
        backend: 'kafka',
        kafka: { ...DEFAULT_SETTINGS.log.kafka, brokers: ['old.example.com:9092'] },
      },
      generator: { ...DEFAULT_SETTINGS.generator, ratePerSecond: 200 },
    });
  });

  it('moves a file that is not JSON aside, keeps its bytes, and uses the defaults', async () => {
    const dir = tempDir();
    const bytes = Buffer.from('{ "log": { "backend": "kafka", \x00 oops');
    writeFileSync(settingsFileOf(dir), bytes);
    const { settings, notices } = await loadSettings(dir, { now: () => NOW });
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(readdirSync(dir)).toEqual([BACKUP_NAME]);
    expect(readFileSync(join(dir, BACKUP_NAME))).toEqual(bytes);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('is not valid JSON');
    expect(notices[0]).toContain(join(dir, BACKUP_NAME));
    expect(notices[0]).toContain('using the default settings');
  });

  it('moves a file with invalid values aside and names them', async () => {
    const dir = tempDir();
    const text = JSON.stringify({ ...DEFAULT_SETTINGS, postgres: { mode: 'url', poolMax: 99 } });
    writeFileSync(settingsFileOf(dir), text);
    const { settings, notices } = await loadSettings(dir, { now: () => NOW });
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(readFileSync(join(dir, BACKUP_NAME), 'utf8')).toBe(text);
    expect(notices[0]).toContain('postgres.url: is required');
    expect(notices[0]).toContain('postgres.poolMax: must be from 1 to 50, got 99');
    expect(notices[0]).toContain(join(dir, BACKUP_NAME));
  });

  it('treats unknown keys and another version as invalid', async () => {
    const dir = tempDir();
    writeFileSync(settingsFileOf(dir), JSON.stringify({ version: 2, colour: 'blue' }));
    const { settings, notices } = await loadSettings(dir, { now: () => NOW });
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(notices[0]).toMatch(/colour: "colour" is not a setting/);
    expect(notices[0]).toMatch(/version: must be 1/);
  });

  it('never overwrites an earlier backup', async () => {
    const dir = tempDir();
    for (const content of ['first', 'second']) {
      writeFileSync(settingsFileOf(dir), content);
      await loadSettings(dir, { now: () => NOW });
    }
    expect(readdirSync(dir).sort()).toEqual([BACKUP_NAME, `${BACKUP_NAME}-1`]);
    expect(readFileSync(join(dir, BACKUP_NAME), 'utf8')).toBe('first');
    expect(readFileSync(join(dir, `${BACKUP_NAME}-1`), 'utf8')).toBe('second');
  });

  it('reads a file with a byte order mark', async () => {
    const dir = tempDir();
    writeFileSync(settingsFileOf(dir), `\uFEFF${JSON.stringify(kafkaSettings)}`);
    expect(await loadSettings(dir)).toEqual({ settings: kafkaSettings, notices: [] });
  });
});

describe('saveSettings', () => {
  it('round-trips, pretty-printed, mode 0600, leaving no temp file', async () => {
    const dir = tempDir();
    await saveSettings(dir, kafkaSettings);
    expect(readdirSync(dir)).toEqual(['settings.json']);
    const text = readFileSync(settingsFileOf(dir), 'utf8');
    expect(text).toBe(`${JSON.stringify(kafkaSettings, null, 2)}\n`);
    if (posix) expect(statSync(settingsFileOf(dir)).mode & 0o777).toBe(0o600);
    expect(await loadSettings(dir)).toEqual({ settings: kafkaSettings, notices: [] });
  });

  it('replaces an existing file and makes it 0600', async () => {
    const dir = tempDir();
    writeFileSync(settingsFileOf(dir), JSON.stringify(DEFAULT_SETTINGS), { mode: 0o644 });
    await saveSettings(dir, kafkaSettings);
    expect(readdirSync(dir)).toEqual(['settings.json']);
    if (posix) expect(statSync(settingsFileOf(dir)).mode & 0o777).toBe(0o600);
    expect((await loadSettings(dir)).settings).toEqual(kafkaSettings);
  });

  it('creates the data dir', async () => {
    const dir = join(tempDir(), 'new', 'data');
    await saveSettings(dir, DEFAULT_SETTINGS);
    expect((await loadSettings(dir)).settings).toEqual(DEFAULT_SETTINGS);
  });

  it('refuses invalid settings with every error, and leaves the file alone', async () => {
    const dir = tempDir();
    await saveSettings(dir, DEFAULT_SETTINGS);
    const before = readFileSync(settingsFileOf(dir), 'utf8');
    const invalid = {
      ...DEFAULT_SETTINGS,
      log: { ...DEFAULT_SETTINGS.log, partitions: 0 },
      postgres: { ...DEFAULT_SETTINGS.postgres, poolMax: 0 },
    };
    const error = await saveSettings(dir, invalid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FieldsValidationError);
    expect((error as FieldsValidationError).errors.map((e) => e.field)).toEqual([
      'log.partitions',
      'postgres.poolMax',
    ]);
    expect(readFileSync(settingsFileOf(dir), 'utf8')).toBe(before);
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });
});

describe('withDefaults', () => {
  it('merges objects, not lists, and keeps unknown keys for validation to name', () => {
    expect(
      withDefaults({ a: { b: 1 }, list: [3], extra: true }, { a: { b: 0, c: 2 }, list: [1, 2] }),
    ).toEqual({ a: { b: 1, c: 2 }, list: [3], extra: true });
    expect(withDefaults('text', { a: 1 })).toBe('text');
  });
});
