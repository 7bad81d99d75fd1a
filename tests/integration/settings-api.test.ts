/**
 * Settings through the API of the headless app (issue #7): validated with every field at fault,
 * saved only when valid, secrets stored but never shown (the renderer sees "set"), and never
 * logged; a corrupt settings file is backed up and replaced by defaults with a notice.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineStatusView } from '../../src/shared/api-contract';
import { DEFAULT_SETTINGS, type Settings, type SettingsView } from '../../src/shared/settings';
import { expectApiBody } from '../support/api-result';
import { startHeadlessApp, type HeadlessApp } from '../support/headless-app';

const KAFKA_PASSWORD = 'kafka-Pa55word-never-shown';
const POSTGRES_PASSWORD = 'pg-Pa55word-never-shown';

async function api<T>(
  app: HeadlessApp,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T; text: string }> {
  const token = readFileSync(join(app.dataDir, 'api-token'), 'utf8').trim();
  const response = await fetch(new URL(path, app.url), {
    method,
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${token}`,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as T, text };
}

describe('settings over the API', () => {
  let app: HeadlessApp;

  beforeAll(async () => {
    app = await startHeadlessApp(['--rate', '200']);
  }, 120_000);
  afterAll(async () => {
    expect(await app?.stop()).toBe(0);
  });

  it('reads the defaults, with overrides and the secret store named', async () => {
    const { status, body } = await api<{ data: SettingsView }>(app, 'GET', '/api/settings');
    expect(status).toBe(200);
    expectApiBody('settings:get', body);
    expect(body.data.settings.log).toEqual(DEFAULT_SETTINGS.log);
    expect(body.data.settings.generator.ratePerSecond).toBe(200);
    expect(body.data.overridden).toEqual(['generator.ratePerSecond']);
    expect(body.data.secrets).toEqual({
      kafkaPassword: { set: false },
      postgresPassword: { set: false },
    });
    expect(body.data.secretStore.kind).toBe('file');
    expect(body.data.secretStore.warning).toMatch(/protected only by its permissions/);
  });

  it('refuses invalid settings with every field at fault, and saves nothing', async () => {
    const settings: Settings = {
      ...DEFAULT_SETTINGS,
      log: {
        ...DEFAULT_SETTINGS.log,
        backend: 'kafka',
        kafka: { ...DEFAULT_SETTINGS.log.kafka, brokers: ['localhost'], topic: 'no spaces' },
      },
      engine: { ...DEFAULT_SETTINGS.engine, windowSizeMs: 5 },
    };
    const { status, body } = await api<{ errors: Array<{ field: string }> }>(
      app,
      'PUT',
      '/api/settings',
      { settings },
    );
    expect(status).toBe(400);
    expect(body.errors.map((e) => e.field).sort()).toEqual([
      'engine.windowSizeMs',
      'log.kafka.brokers',
      'log.kafka.topic',
    ]);
    expect(readdirSync(app.dataDir)).not.toContain('settings.json');
  });

  it('refuses to change a setting a flag overrides, naming where to change it', async () => {
    const settings = {
      ...DEFAULT_SETTINGS,
      generator: { ...DEFAULT_SETTINGS.generator, ratePerSecond: 5 },
    };
    const { status, body } = await api<{ errors: Array<{ field: string; message: string }> }>(
      app,
      'PUT',
      '/api/settings',
      { settings },
    );
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      { field: 'generator.ratePerSecond', message: expect.stringMatching(/flag/) },
    ]);
  });

  it('keeps secrets out of every answer, the settings file and the log', async () => {
    const settings: Settings = {
      ...DEFAULT_SETTINGS,
      generator: { ...DEFAULT_SETTINGS.generator, ratePerSecond: 200 },
      log: {
        ...DEFAULT_SETTINGS.log,
        kafka: { ...DEFAULT_SETTINGS.log.kafka, sasl: 'scram-sha-512', username: 'streampulse' },
      },
      engine: { ...DEFAULT_SETTINGS.engine, windowSizeMs: 10_000 },
    };
    const saved = await api<{ data: SettingsView }>(app, 'PUT', '/api/settings', {
      settings,
      secrets: { kafkaPassword: KAFKA_PASSWORD, postgresPassword: POSTGRES_PASSWORD },
    });
    expect(saved.status).toBe(200);
    expectApiBody('settings:update', saved.body);
    expect(saved.body.data.secrets).toEqual({
      kafkaPassword: { set: true },
      postgresPassword: { set: true },
    });
    expect(saved.body.data.pendingRestart).toEqual(['engine.windowSizeMs']);

    const file = join(app.dataDir, 'settings.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((JSON.parse(readFileSync(file, 'utf8')) as Settings).engine.windowSizeMs).toBe(10_000);
    expect(statSync(join(app.dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);

    // A test connection with a password typed but not saved: the answer does not echo it.
    const test = await api<unknown>(app, 'POST', '/api/settings/test-postgres', {
      settings: {
        ...settings,
        postgres: {
          ...settings.postgres,
          mode: 'url',
          url: 'postgres://streampulse@127.0.0.1:1/x',
        },
      },
      secrets: { postgresPassword: 'typed-Pa55word-not-saved' },
    });
    expect(test.status).toBe(200);
    expectApiBody('settings:testPostgres', test.body);
    expect(test.body).toMatchObject({ data: { ok: false, problem: 'refused' } });

    const visible = [
      saved.text,
      test.text,
      readFileSync(file, 'utf8'),
      (await api(app, 'GET', '/api/settings')).text,
      (await api(app, 'GET', '/api/pipeline/status')).text,
      (await api(app, 'GET', '/api/openapi.json')).text,
      app.output(),
    ].join('\n');
    for (const secret of [KAFKA_PASSWORD, POSTGRES_PASSWORD, 'typed-Pa55word-not-saved']) {
      expect(visible).not.toContain(secret);
    }
  });
});

describe('a secret set for one run by a flag', () => {
  const FILE_PASSWORD = 'from-a-File-Pa55word';
  let app: HeadlessApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sp-password-file-'));
    const file = join(dir, 'kafka-password');
    writeFileSync(file, `${FILE_PASSWORD}\n`, { mode: 0o600 }); // 0600, as the flag demands
    app = await startHeadlessApp(['--kafka-password-file', file]);
  }, 120_000);
  afterAll(async () => {
    expect(await app?.stop()).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is shown set and overridden, cannot be changed on the page, and is never shown', async () => {
    const view = await api<{ data: SettingsView }>(app, 'GET', '/api/settings');
    expect(view.body.data.overridden).toContain('secrets.kafkaPassword');
    expect(view.body.data.secrets.kafkaPassword).toEqual({ set: true });
    const refused = await api<{ errors: Array<{ field: string; message: string }> }>(
      app,
      'PUT',
      '/api/settings',
      { settings: view.body.data.settings, secrets: { kafkaPassword: 'another' } },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { field: 'secrets.kafkaPassword', message: expect.stringMatching(/flag for this run/) },
    ]);
    expect(`${view.text}\n${refused.text}\n${app.output()}`).not.toContain(FILE_PASSWORD);
  });
});

describe('switching the database from the settings', () => {
  const admin = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  const name = `sp_settings_${process.pid}_${Date.now()}`;
  let app: HeadlessApp;

  beforeAll(async () => {
    await admin.query(`CREATE DATABASE ${name}`);
    app = await startHeadlessApp(['--window', '2s']);
  }, 120_000);
  afterAll(async () => {
    expect(await app?.stop()).toBe(0);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  // The page sends back what it read (here with the window the --window flag overrides).
  const withPostgres = async (url: string): Promise<Settings> => {
    const { settings } = (await api<{ data: SettingsView }>(app, 'GET', '/api/settings')).body.data;
    return { ...settings, postgres: { ...settings.postgres, mode: 'url', url } };
  };

  it('changes a PostgreSQL setting of the embedded database without restarting it', async () => {
    const poolMax = async (): Promise<number> => {
      const text = await (await fetch(new URL('/metrics', app.url))).text();
      return Number(/^streampulse_database_pool_max (\S+)$/m.exec(text)?.[1]);
    };
    const { settings } = (await api<{ data: SettingsView }>(app, 'GET', '/api/settings')).body.data;
    expect(await poolMax()).toBe(settings.postgres.poolMax);
    const saved = await api<{ data: SettingsView }>(app, 'PUT', '/api/settings', {
      settings: { ...settings, postgres: { ...settings.postgres, poolMax: 7 } },
    });
    expect(saved.status).toBe(200);
    // Applied, not only saved: the running pool has the new size (it was fixed at 8 before).
    expect(await poolMax()).toBe(7);
    const pipeline = await api<{ data: PipelineStatusView }>(app, 'GET', '/api/pipeline/status');
    expectApiBody('pipeline:status', pipeline.body);
    expect(pipeline.body.data.databaseStatus).toMatchObject({ kind: 'embedded', state: 'up' });
    const realtime = await api(app, 'GET', '/api/stats/realtime');
    expect(realtime.status).toBe(200);
    expectApiBody('stats:realtime', realtime.body);
    expect(app.output()).not.toMatch(/orphan|stale postmaster/i);
  });

  it('keeps the current database when the new one cannot be reached, saying why', async () => {
    const { status, body } = await api<{ errors: Array<{ field: string; message: string }> }>(
      app,
      'PUT',
      '/api/settings',
      { settings: await withPostgres('postgres://postgres@127.0.0.1:1/nowhere') },
    );
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      { field: 'postgres.url', message: expect.stringMatching(/not applied.*refused/s) },
    ]);
    const pipeline = await api<{ data: PipelineStatusView }>(app, 'GET', '/api/pipeline/status');
    expect(pipeline.body.data.databaseStatus).toMatchObject({ kind: 'embedded', state: 'up' });
    // Not saved: the file still says embedded.
    const file = JSON.parse(readFileSync(join(app.dataDir, 'settings.json'), 'utf8')) as Settings;
    expect(file.postgres.mode).toBe('embedded');
  });

  it('keeps the built-in engine when the Flink engine cannot start, saying why', async () => {
    const { settings } = (await api<{ data: SettingsView }>(app, 'GET', '/api/settings')).body.data;
    const flink: Settings = {
      ...settings,
      engine: {
        ...settings.engine,
        kind: 'flink',
        flink: { ...settings.engine.flink, restUrl: 'http://127.0.0.1:1' },
      },
    };
    const began = Date.now();
    const { status, body } = await api<{ errors: Array<{ field: string; message: string }> }>(
      app,
      'PUT',
      '/api/settings',
      { settings: flink },
    );
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      {
        field: 'engine.kind',
        message: expect.stringMatching(
          /not applied.*the Flink engine reads the events from Apache Kafka.*--kafka-brokers/s,
        ),
      },
    ]);
    expect(Date.now() - began).toBeLessThan(30_000);
    const pipeline = await api<{ data: PipelineStatusView }>(app, 'GET', '/api/pipeline/status');
    expectApiBody('pipeline:status', pipeline.body);
    expect(pipeline.body.data).toMatchObject({ engineKind: 'builtin', flink: null });
    await expect
      .poll(async () => {
        const again = await api<{ data: PipelineStatusView }>(app, 'GET', '/api/pipeline/status');
        return again.body.data.engine?.consumed ?? 0;
      })
      .toBeGreaterThan(0);
    const file = JSON.parse(readFileSync(join(app.dataDir, 'settings.json'), 'utf8')) as Settings;
    expect(file.engine.kind).toBe('builtin');
  });

  it('switches to a remote database while running, and the status says which', async () => {
    const url = `postgres://postgres@127.0.0.1:5432/${name}`;
    const saved = await api<{ data: SettingsView }>(app, 'PUT', '/api/settings', {
      settings: await withPostgres(url),
    });
    expect(saved.status).toBe(200);
    expect(saved.body.data.settings.postgres).toMatchObject({ mode: 'url', url });
    const pipeline = await api<{ data: PipelineStatusView }>(app, 'GET', '/api/pipeline/status');
    expect(pipeline.body.data.databaseStatus).toMatchObject({
      kind: 'remote',
      state: 'up',
      description: expect.stringContaining(`127.0.0.1:5432/${name}`),
    });
    // The remote database fills: the engine counts the log into it.
    const remote = new pg.Pool({ connectionString: url });
    await expect
      .poll(
        async () =>
          (await remote.query('SELECT count(*)::int AS n FROM region_health')).rows[0].n as number,
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0);
    await remote.end();
  }, 60_000);
});

describe('a corrupt settings file', () => {
  let app: HeadlessApp;

  beforeAll(async () => {
    app = await startHeadlessApp([], {
      prepare: (dataDir) => writeFileSync(join(dataDir, 'settings.json'), '{"version": 1, "log": '),
    });
  }, 120_000);
  afterAll(async () => {
    expect(await app?.stop()).toBe(0);
  });

  it('is backed up byte for byte, defaults run, and the settings page says so', async () => {
    const backups = readdirSync(app.dataDir).filter((f) => f.startsWith('settings.json.corrupt-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(app.dataDir, backups[0]!), 'utf8')).toBe('{"version": 1, "log": ');
    const { body } = await api<{ data: SettingsView }>(app, 'GET', '/api/settings');
    expect(body.data.settings).toEqual(DEFAULT_SETTINGS);
    expect(body.data.notices.join(' ')).toMatch(/settings\.json.*default settings/s);
    expect(body.data.notices.join(' ')).toContain(backups[0]);
    expect(app.output()).toContain(backups[0]);
  });
});
