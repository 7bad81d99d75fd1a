/** `streampulse db url`, run in-process against a real embedded server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_OK } from './cli-io';
import { dbUrlCommand } from './db-url-command';
import { EmbeddedPostgresServer } from '../store/embedded-postgres-server';
import {
  collectingLogger,
  makeTempDirs,
  testIo,
  withClient,
} from '../../../tests/support/store-test-helpers';

const temp = makeTempDirs();
let dataDir: string;
let server: EmbeddedPostgresServer;

beforeAll(async () => {
  dataDir = temp.make();
  server = new EmbeddedPostgresServer({ dataDir, logger: collectingLogger(), port: 0 });
  await server.start();
});

afterAll(async () => {
  await server?.stop();
  temp.cleanup();
});

describe('dbUrlCommand', () => {
  it('prints the URL of the running embedded database, which connects', async () => {
    const io = testIo();
    expect(await dbUrlCommand(['--data-dir', dataDir], io)).toBe(EXIT_OK);
    expect(io.stdout()).toBe(`${server.connectionUrl}\n`);
    expect(io.stderr()).toBe('');
    await withClient(io.stdout().trim(), (client) => client.query('SELECT 1'));
  });

  it('finds the data dir through STREAMPULSE_DATA_DIR', async () => {
    const io = testIo({ STREAMPULSE_DATA_DIR: dataDir });
    expect(await dbUrlCommand([], io)).toBe(EXIT_OK);
    expect(io.stdout()).toBe(`${server.connectionUrl}\n`);
  });

  it('prints the given URL: --database-url wins over DATABASE_URL, which wins over the data dir', async () => {
    const flag = 'postgres://u:p@db.example:5432/flag';
    const env = 'postgres://u:p@db.example:5432/env';
    const both = testIo({ DATABASE_URL: env, STREAMPULSE_DATA_DIR: dataDir });
    expect(await dbUrlCommand(['--database-url', flag], both)).toBe(EXIT_OK);
    expect(both.stdout()).toBe(`${flag}\n`);
    const fromEnv = testIo({ DATABASE_URL: env, STREAMPULSE_DATA_DIR: dataDir });
    expect(await dbUrlCommand([], fromEnv)).toBe(EXIT_OK);
    expect(fromEnv.stdout()).toBe(`${env}\n`);
  });

  it('fails with a clear message for a data dir without an embedded database', async () => {
    const empty = temp.make();
    const io = testIo();
    expect(await dbUrlCommand(['--data-dir', empty], io)).toBe(EXIT_FAILURE);
    expect(io.stdout()).toBe('');
    expect(io.stderr()).toContain(
      `no embedded database in ${empty} yet: run \`streampulse serve\` or \`streampulse run\` first`,
    );
  });

  it('rejects unknown flags and positionals (strict parsing)', async () => {
    await expect(dbUrlCommand(['--port', '1'], testIo())).rejects.toMatchObject({
      code: 'commander.unknownOption',
    });
    await expect(dbUrlCommand(['extra'], testIo())).rejects.toMatchObject({
      code: 'commander.excessArguments',
    });
  });

  // Last: it stops the shared server.
  it('when the database is stopped, prints the URL with its last port and says it is not running', async () => {
    const url = server.connectionUrl;
    await server.stop();
    const io = testIo();
    expect(await dbUrlCommand(['--data-dir', dataDir], io)).toBe(EXIT_OK);
    expect(io.stdout()).toBe(`${url}\n`);
    expect(io.stderr()).toMatch(/not running/);
  });
});
