/**
 * The embedded server against a real PostgreSQL: first start on a 0700 temp dir (as root when the
 * tests run as root), port fallback, and recovery after a crash of its owner. The tests share one
 * data dir (initdb runs once) and run in order; each stops the servers it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readServerInfo, writeServerInfo } from './embedded-postgres-files';
import { postgresBinaries } from './embedded-postgres-package';
import { EmbeddedPostgresServer } from './embedded-postgres-server';
import { isProcessAlive } from '../process-liveness';
import { EmbeddedPostgresBusyError } from './stale-postmaster';
import {
  collectingLogger,
  freePort,
  makeTempDirs,
  waitFor,
  withClient,
  type CollectingLogger,
} from '../../../tests/support/store-test-helpers';

const isRoot = process.getuid?.() === 0;
const temp = makeTempDirs();
let dataDir: string;
const servers: EmbeddedPostgresServer[] = [];
/** Postgres pids a failing test may leave behind: killed in afterEach. */
const strays = new Set<number>();
const children: ChildProcess[] = [];

function server(logger: CollectingLogger, port?: number): EmbeddedPostgresServer {
  const created = new EmbeddedPostgresServer({ dataDir, logger, port });
  servers.push(created);
  return created;
}

beforeAll(() => {
  dataDir = temp.make();
});

afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const pid of strays) {
    if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  strays.clear();
});

afterAll(() => temp.cleanup());

describe('EmbeddedPostgresServer', () => {
  it('initialises on a fresh temp dir, serves the streampulse database, and stops cleanly', async () => {
    const logger = collectingLogger();
    const pg = server(logger, await freePort());
    await pg.start();

    const { paths } = pg;
    expect(fs.existsSync(paths.versionFile)).toBe(true);
    expect(fs.statSync(paths.passwordFile).mode & 0o777).toBe(0o600);
    const password = fs.readFileSync(paths.passwordFile, 'utf8').trim();
    expect(pg.connectionUrl).toBe(
      `postgres://postgres:${password}@127.0.0.1:${pg.port}/streampulse`,
    );
    const row = await withClient(pg.connectionUrl, async (client) => {
      const result = await client.query<{ db: string; encoding: string }>(
        'SELECT current_database() AS db, pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = current_database()',
      );
      return result.rows[0];
    });
    expect(row).toEqual({ db: 'streampulse', encoding: 'UTF8' });

    expect(readServerInfo(paths)).toMatchObject({
      port: pg.port,
      pid: pg.pid,
      ownerPid: process.pid,
    });
    // Postgres's own output went to the logger, at debug level; the password never did.
    expect(logger.entries.some((e) => e.level === 'debug' && e.msg === 'postgres')).toBe(true);
    expect(logger.text()).not.toContain(password);
    if (isRoot) {
      // mkdtemp made the data dir 0700: the postgres user needed o+x on it, and we said so.
      expect(fs.statSync(dataDir).mode & 0o001).toBe(0o001);
      const warning = logger.entries.find((e) => e.level === 'warn' && /o\+x/.test(e.msg));
      expect(JSON.stringify(warning?.fields)).toContain(dataDir);
      expect(fs.statSync(dataDir).mode & 0o004).toBe(0); // traverse, not read
    }

    const pid = pg.pid!;
    await pg.stop();
    expect(isProcessAlive(pid)).toBe(false);
    expect(fs.existsSync(paths.serverFile)).toBe(false);
    expect(fs.existsSync(paths.postmasterPidFile)).toBe(false);
    expect(() => pg.connectionUrl).toThrow(/not running/);
    await pg.stop(); // idempotent
  });

  it('uses the next free port when the preferred one is taken', async () => {
    const taken = await freePort();
    const blocker = net.createServer();
    await new Promise<void>((resolve) =>
      blocker.listen({ host: '127.0.0.1', port: taken }, resolve),
    );
    try {
      const logger = collectingLogger();
      const pg = server(logger, taken);
      await pg.start();
      expect(pg.port).not.toBe(taken);
      expect(pg.connectionUrl).toContain(`@127.0.0.1:${pg.port}/`);
      await withClient(pg.connectionUrl, (client) => client.query('SELECT 1'));
      expect(logger.entries).toContainEqual(
        expect.objectContaining({ fields: { preferred: taken, port: pg.port } }),
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('stops the orphan a crashed StreamPulse left running, keeping its data', async () => {
    // The first server is "forgotten" without stop(), as a process killed with -9 would.
    const crashed = new EmbeddedPostgresServer({ dataDir, logger: collectingLogger(), port: 0 });
    await crashed.start();
    const orphan = crashed.pid!;
    strays.add(orphan);
    await withClient(crashed.connectionUrl, async (client) => {
      await client.query('CREATE TABLE survivor (note text)');
      await client.query("INSERT INTO survivor VALUES ('written before the crash')");
    });

    const logger = collectingLogger();
    const pg = server(logger, 0);
    await pg.start();
    expect(pg.pid).not.toBe(orphan);
    expect(isProcessAlive(orphan)).toBe(false);
    expect(logger.entries.some((e) => e.level === 'warn' && /orphan/.test(e.msg))).toBe(true);
    const notes = await withClient(pg.connectionUrl, (client) =>
      client.query<{ note: string }>('SELECT note FROM survivor'),
    );
    expect(notes.rows).toEqual([{ note: 'written before the crash' }]);
  });

  it('notices postgres dying under it, and starts again with crash recovery', async () => {
    const logger = collectingLogger();
    const pg = server(logger, 0);
    await pg.start();
    const pid = pg.pid!;
    process.kill(pid, 'SIGKILL');
    await waitFor('the server to notice', () => !pg.running);
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        level: 'error',
        msg: 'the embedded PostgreSQL exited unexpectedly',
      }),
    );
    expect(fs.existsSync(pg.paths.serverFile)).toBe(false);
    await pg.stop(); // does not wait for a process that is gone
    await pg.start();
    expect(pg.pid).not.toBe(pid);
    await withClient(pg.connectionUrl, (client) => client.query('SELECT 1 FROM survivor'));
  });

  it('removes a stale postmaster.pid whose process is dead', async () => {
    const dead = await deadPid();
    const { postmasterPidFile } = new EmbeddedPostgresServer({
      dataDir,
      logger: collectingLogger(),
    }).paths;
    fs.writeFileSync(postmasterPidFile, `${dead}\n${dataDir}\n1700000000\n54329\n\n127.0.0.1\n`);
    const logger = collectingLogger();
    const pg = server(logger, 0);
    await pg.start();
    await withClient(pg.connectionUrl, (client) => client.query('SELECT 1 FROM survivor'));
    expect(logger.entries).toContainEqual(
      expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ pid: dead }) }),
    );
  });

  it('removes a postmaster.pid whose pid now belongs to another program, without signalling it', async () => {
    // Our own pid: alive, but not a postgres (on Linux; elsewhere this check cannot be made).
    if (process.platform !== 'linux') return;
    const pg = server(collectingLogger(), 0);
    fs.writeFileSync(pg.paths.postmasterPidFile, `${process.pid}\n${dataDir}\n`);
    await pg.start();
    expect(pg.running).toBe(true);
  });

  it('refuses a cluster another live StreamPulse runs, and takes it over once that one is killed', async () => {
    // The "other StreamPulse" is a child node process that spawned postgres (detached, like us).
    const { postgres } = await postgresBinaries();
    const probe = server(collectingLogger(), 0);
    const { cluster, postmasterPidFile } = probe.paths;
    const owner = isRoot ? fs.statSync(cluster) : undefined;
    const port = await freePort();
    const script = `
      const { spawn } = require('node:child_process');
      const [bin, dir, port, uid, gid] = process.argv.slice(1);
      const ids = uid ? { uid: Number(uid), gid: Number(gid) } : {};
      spawn(bin, ['-D', dir, '-p', port, '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
        { ...ids, detached: true, stdio: 'ignore' });
      setInterval(() => {}, 1000);`;
    const parent = spawn(
      process.execPath,
      [
        '-e',
        script,
        postgres,
        cluster,
        String(port),
        String(owner?.uid ?? ''),
        String(owner?.gid ?? ''),
      ],
      { stdio: 'ignore' },
    );
    children.push(parent);
    await waitFor(
      'the other postgres to be ready',
      () => postmasterStatus(postmasterPidFile) === 'ready',
    );
    const pgPid = Number(fs.readFileSync(postmasterPidFile, 'utf8').split('\n')[0]);
    strays.add(pgPid);
    writeServerInfo(probe.paths, {
      port,
      pid: pgPid,
      ownerPid: parent.pid!,
      startedAt: new Date().toISOString(),
    });

    await expect(probe.start()).rejects.toThrow(EmbeddedPostgresBusyError);
    expect(isProcessAlive(pgPid)).toBe(true);

    const exited = new Promise((resolve) => parent.once('exit', resolve));
    parent.kill('SIGKILL');
    await exited;
    const pg = server(collectingLogger(), 0);
    await pg.start();
    expect(isProcessAlive(pgPid)).toBe(false);
    await withClient(pg.connectionUrl, (client) => client.query('SELECT 1 FROM survivor'));
  });
});

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

/** Line 8 of postmaster.pid: "starting", "ready", "stopping"... */
function postmasterStatus(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').split('\n')[7]?.trim();
  } catch {
    return undefined;
  }
}
