/**
 * Every command reads its settings one way (issue 15, item 6): flags over environment variables
 * over the data dir's settings.json over the defaults. `generate` and `run` follow settings.json;
 * `run` takes the PostgreSQL password from STREAMPULSE_POSTGRES_PASSWORD and a CA from
 * --postgres-ca, against a server that wants both (TLS, password authentication).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { runCliInProcess } from '../support/run-cli-in-process';
import { useTempDirs } from '../support/temp-dir';
import { startTlsPostgres, type TlsPostgres } from '../support/tls-postgres';

const tempDir = useTempDirs();
const START = '2026-11-24T10:00:00Z';
let server: TlsPostgres;

beforeAll(async () => {
  server = await startTlsPostgres();
}, 120_000);
afterAll(async () => {
  await server?.destroy();
});

function writeSettings(dataDir: string, change: (s: typeof DEFAULT_SETTINGS) => object): void {
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(change(DEFAULT_SETTINGS)), {
    mode: 0o600,
  });
}

it('generate follows settings.json (6 partitions for a new log), and a flag wins over it', async () => {
  const dataDir = tempDir();
  writeSettings(dataDir, (s) => ({ ...s, log: { ...s.log, partitions: 6 } }));
  const generated = await runCliInProcess([
    'generate',
    '--events',
    '600',
    '--start',
    START,
    '--data-dir',
    dataDir,
  ]);
  expect(generated.code, generated.stderr).toBe(0);
  const exported = await runCliInProcess(['events', 'export', '--data-dir', dataDir]);
  const partitions = new Set(
    exported.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { partition: number }).partition),
  );
  expect(Math.max(...partitions)).toBe(5);

  const other = tempDir();
  writeSettings(other, (s) => ({ ...s, log: { ...s.log, partitions: 6 } }));
  // prettier-ignore
  const flagged = await runCliInProcess([
    'generate', '--events', '60', '--start', START, '--partitions', '2', '--data-dir', other,
  ]);
  expect(flagged.code, flagged.stderr).toBe(0);
  const fromFlag = await runCliInProcess(['events', 'export', '--data-dir', other]);
  expect(fromFlag.stdout).not.toMatch(/"partition":[2-5]/);
}, 60_000);

it('run takes the database from settings.json, its password from the environment, its CA from --postgres-ca', async () => {
  const dataDir = tempDir();
  // No password in the URL: it comes from STREAMPULSE_POSTGRES_PASSWORD.
  const url = server.url({ password: null, sslmode: 'verify-full' });
  writeSettings(dataDir, (s) => ({ ...s, postgres: { ...s.postgres, mode: 'url', url } }));
  const caFile = join(dataDir, 'server-ca.pem');
  writeFileSync(caFile, server.ca);
  const args = ['run', '--events', '2000', '--start', START, '--data-dir', dataDir];

  const withoutCa = await runCliInProcess(args, {
    env: { STREAMPULSE_POSTGRES_PASSWORD: server.app.password },
  });
  expect(withoutCa.code).not.toBe(0);
  expect(withoutCa.stderr).toMatch(/certificate|TLS/i);

  const run = await runCliInProcess([...args, '--postgres-ca', caFile], {
    env: { STREAMPULSE_POSTGRES_PASSWORD: server.app.password },
  });
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).not.toContain(server.app.password);
  const client = new pg.Client({
    host: server.host,
    port: server.port,
    database: server.database,
    user: server.superuser.user,
    password: server.superuser.password,
    ssl: { ca: server.ca, servername: 'localhost' },
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      'SELECT COALESCE(SUM(total_downloads), 0)::int AS n FROM region_health',
    );
    expect(rows[0]!.n).toBe(2000);
  } finally {
    await client.end();
  }
}, 120_000);
