/**
 * A PostgreSQL that looks like a remote one (Neon, RDS): TLS with a certificate from a CA made
 * for the test, password logins only over TLS (pg_hba: `hostnossl … reject`, `hostssl …
 * scram-sha-256`), an application role owning its database, and a role that may connect but not
 * create tables. One per test file, in its own temp dir, on its own free port:
 *
 *   const pg = await startTlsPostgres();       // beforeAll; takes a few seconds (initdb)
 *   pg.url({ sslmode: 'require' })              // postgres://app:…@127.0.0.1:PORT/appdb?sslmode=require
 *   await pg.stop(); await pg.start();          // the same port and data again
 *   await pg.startPooler();                     // PgBouncer in transaction mode in front (if installed)
 *   await pg.destroy();                         // afterAll: stops it and removes the temp dir
 *
 * The cluster is initialised by EmbeddedPostgresServer (which knows how to run as root), then
 * restarted by us with ssl on: the embedded server's own start checks its database over plain
 * TCP, which this pg_hba refuses.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { clusterOwner } from '../../src/main/store/embedded-cluster';
import { EmbeddedPostgresServer } from '../../src/main/store/embedded-postgres-server';
import { postgresBinaries } from '../../src/main/store/embedded-postgres-package';
import { probePort } from '../../src/main/store/free-port';
import { startPostgres, terminate, type RunAs } from '../../src/main/store/postgres-process';
import { collectingLogger, freePort, withClient } from './store-test-helpers';

const run = promisify(execFile);

export interface Role {
  readonly user: string;
  readonly password: string;
}

export interface TlsPostgres {
  readonly host: '127.0.0.1';
  /**
   * A second address of this machine the server also listens on, which its certificate does not
   * name ('127.0.0.2'); null where it cannot be bound (macOS has only 127.0.0.1 by default).
   */
  readonly otherHost: string | null;
  readonly port: number;
  /** The CA that signed the server's certificate (PEM). */
  readonly ca: string;
  /** A CA that did not (PEM). */
  readonly otherCa: string;
  /** Owns `database`, so may create tables in its schema public. */
  readonly app: Role;
  /** May log in and connect to `database`, not create anything in it. */
  readonly limited: Role;
  readonly database: string;
  /** The superuser, for setting up (over TLS, like everyone). */
  readonly superuser: Role;
  /** Every password the server knows, superuser's included: none may ever appear in output. */
  readonly secrets: readonly string[];
  /** postgres://USER[:PASSWORD]@HOST:PORT/DATABASE[?sslmode=…]; password null: none in the URL. */
  url(options?: UrlOptions): string;
  readonly running: boolean;
  /** Starts it again on the same port with the same data; a no-op if running. */
  start(): Promise<void>;
  /** Stops it (fast shutdown); a no-op if stopped. */
  stop(): Promise<void>;
  /**
   * PgBouncer in front of it in transaction mode, like Neon's pooled endpoints: TLS on both
   * sides, scram-sha-256, 2 server connections per database and user. null when pgbouncer is
   * not installed. Stopped by destroy().
   */
  startPooler(): Promise<Pooler | null>;
  /** Stops it (and the pooler) and removes its temp dir. */
  destroy(): Promise<void>;
}

export interface Pooler {
  readonly port: number;
  /** Like TlsPostgres.url, to the pooler. */
  url(options?: Omit<UrlOptions, 'port'>): string;
  stop(): Promise<void>;
}

export interface UrlOptions {
  readonly role?: Role;
  /** Default: the role's; null: none in the URL. */
  readonly password?: string | null;
  readonly database?: string;
  readonly host?: string;
  readonly port?: number;
  readonly sslmode?: string;
}

const HOST = '127.0.0.1';
const OTHER_HOST = '127.0.0.2';

/** A password with characters a URL must percent-encode. */
function newPassword(): string {
  return `p@ss/w:rd%${randomBytes(9).toString('base64url')}`;
}

export async function startTlsPostgres(): Promise<TlsPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-tls-pg-'));
  const isRoot = process.getuid?.() === 0;
  // The postgres OS user (we are root) must traverse to its cluster.
  if (isRoot) fs.chmodSync(dir, 0o755);
  try {
    return await setUp(dir, isRoot);
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function setUp(dir: string, isRoot: boolean): Promise<TlsPostgres> {
  const port = await freePort();
  const otherHost = (await probePort(OTHER_HOST, 0).catch(() => undefined)) ? OTHER_HOST : null;
  const app: Role = { user: 'app', password: newPassword() };
  const limited: Role = { user: 'limited', password: newPassword() };
  const database = 'appdb';

  // 1. initdb and roles, over plain TCP, with the embedded server as it always runs.
  const embedded = new EmbeddedPostgresServer({
    dataDir: path.join(dir, 'data'),
    logger: collectingLogger(),
    port,
    portAttempts: 1,
  });
  await embedded.start();
  let superuserPassword: string;
  try {
    superuserPassword = decodeURIComponent(new URL(embedded.connectionUrl).password);
    await withClient(embedded.connectionUrl, async (c) => {
      for (const role of [app, limited]) {
        await c.query(
          `CREATE ROLE ${c.escapeIdentifier(role.user)} LOGIN PASSWORD ${c.escapeLiteral(role.password)}`,
        );
      }
      await c.query(`CREATE DATABASE ${database} OWNER ${app.user}`);
      await c.query(`GRANT CONNECT ON DATABASE ${database} TO ${limited.user}`);
    });
    const appdbUrl = new URL(embedded.connectionUrl);
    appdbUrl.pathname = `/${database}`;
    // PostgreSQL 15+ no longer grants CREATE on public to everyone; make sure of it anyway.
    await withClient(appdbUrl.toString(), (c) =>
      c.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC'),
    );
  } finally {
    await embedded.stop();
  }
  const cluster = embedded.paths.cluster;

  // 2. Certificates: a CA, the server's (for 127.0.0.1 and localhost), and an unrelated CA.
  const tlsDir = path.join(dir, 'tls');
  fs.mkdirSync(tlsDir);
  const certs = await makeCertificates(tlsDir);
  const runAs: RunAs = isRoot ? clusterOwner(cluster) : {};
  for (const [from, to, mode] of [
    [certs.serverCert, 'server.crt', 0o644],
    [certs.serverKey, 'server.key', 0o600],
  ] as const) {
    const target = path.join(cluster, to);
    fs.copyFileSync(from, target);
    fs.chmodSync(target, mode);
    if (isRoot && runAs.uid !== undefined) fs.chownSync(target, runAs.uid, runAs.gid ?? runAs.uid);
  }

  // 3. TLS on; password logins over TLS only.
  fs.appendFileSync(
    path.join(cluster, 'postgresql.conf'),
    [
      '',
      '# tests/support/tls-postgres.ts',
      'ssl = on',
      "ssl_cert_file = 'server.crt'",
      "ssl_key_file = 'server.key'",
      "password_encryption = 'scram-sha-256'",
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(cluster, 'pg_hba.conf'),
    [
      '# tests/support/tls-postgres.ts: like a cloud PostgreSQL, TLS or nothing',
      'hostnossl all all all          reject',
      'hostssl   all all 127.0.0.0/8  scram-sha-256',
      '',
    ].join('\n'),
  );

  const { postgres } = await postgresBinaries();
  const lines: string[] = [];
  let child: ChildProcess | undefined;
  const poolers: Pooler[] = [];
  const listen = otherHost ? `${HOST},${otherHost}` : HOST;

  const fixture: TlsPostgres = {
    host: HOST,
    otherHost,
    port,
    ca: fs.readFileSync(certs.ca, 'utf8'),
    otherCa: fs.readFileSync(certs.otherCa, 'utf8'),
    app,
    limited,
    database,
    superuser: { user: 'postgres', password: superuserPassword },
    secrets: [app.password, limited.password, superuserPassword],
    url(options = {}) {
      const role = options.role ?? app;
      const password = options.password === undefined ? role.password : options.password;
      const auth = password === null ? role.user : `${role.user}:${encodeURIComponent(password)}`;
      const query = options.sslmode ? `?sslmode=${options.sslmode}` : '';
      return (
        `postgres://${auth}@${options.host ?? HOST}:${options.port ?? port}/` +
        `${options.database ?? database}${query}`
      );
    },
    get running() {
      return child !== undefined;
    },
    async start() {
      if (child) return;
      child = await startPostgres({
        postgres,
        cluster,
        host: listen,
        port,
        runAs,
        startTimeoutMs: 60_000,
        onLine: (line) => {
          lines.push(line);
          if (lines.length > 200) lines.shift();
        },
        onUnexpectedExit: () => {
          child = undefined;
        },
        onProcessExit: () => undefined,
      }).catch((error: unknown) => {
        throw new Error(`the TLS PostgreSQL did not start: ${(error as Error).message}`, {
          cause: lines.slice(-20).join('\n'),
        });
      });
    },
    async stop() {
      const running = child;
      child = undefined;
      if (running) await terminate(running, 30_000);
    },
    async startPooler() {
      const pooler = await startPgBouncer({
        dir: path.join(dir, `pooler-${poolers.length + 1}`),
        serverPort: port,
        roles: [app, limited],
        certificate: certs,
        runAs,
        url: (options) => fixture.url(options),
      });
      if (pooler) poolers.push(pooler);
      return pooler;
    },
    async destroy() {
      for (const pooler of poolers.splice(0)) await pooler.stop();
      await fixture.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await fixture.start();
  return fixture;
}

async function makeCertificates(tlsDir: string): Promise<{
  ca: string;
  otherCa: string;
  serverCert: string;
  serverKey: string;
}> {
  const file = (name: string): string => path.join(tlsDir, name);
  const openssl = (args: string[]): Promise<unknown> =>
    run(process.env.OPENSSL || 'openssl', args, { cwd: tlsDir });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const caExtensions = [
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ];
  for (const name of ['ca', 'other-ca']) {
    await openssl([
      'req',
      '-x509',
      ...ec,
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.pem`),
      '-days',
      '2',
      '-subj',
      `/CN=StreamPulse test ${name}`,
      ...caExtensions,
    ]);
  }
  await openssl([
    'req',
    ...ec,
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ]);
  fs.writeFileSync(
    file('server.ext'),
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '',
    ].join('\n'),
  );
  await openssl([
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-set_serial',
    `0x${randomBytes(16).toString('hex')}`,
    '-days',
    '2',
    '-sha256',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.crt'),
  ]);
  return {
    ca: file('ca.pem'),
    otherCa: file('other-ca.pem'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
  };
}

/** `pgbouncer` on the PATH, or null. */
function findPgBouncer(): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin']) {
    const candidate = path.join(dir, 'pgbouncer');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return null;
}

async function startPgBouncer(options: {
  dir: string;
  serverPort: number;
  roles: readonly Role[];
  certificate: { serverCert: string; serverKey: string };
  runAs: RunAs;
  url: (options: UrlOptions) => string;
}): Promise<Pooler | null> {
  const binary = findPgBouncer();
  if (!binary) return null;
  const { dir, runAs } = options;
  fs.mkdirSync(dir, { mode: 0o700 });
  const port = await freePort();
  const file = (name: string): string => path.join(dir, name);
  fs.copyFileSync(options.certificate.serverCert, file('pooler.crt'));
  fs.copyFileSync(options.certificate.serverKey, file('pooler.key'));
  fs.writeFileSync(
    file('userlist.txt'),
    options.roles.map((role) => `"${role.user}" "${role.password}"`).join('\n') + '\n',
  );
  fs.writeFileSync(
    file('pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${HOST} port=${options.serverPort}`,
      '[pgbouncer]',
      `listen_addr = ${HOST}`,
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = scram-sha-256',
      `auth_file = ${file('userlist.txt')}`,
      'pool_mode = transaction',
      'default_pool_size = 2',
      'max_client_conn = 50',
      'client_tls_sslmode = require',
      `client_tls_cert_file = ${file('pooler.crt')}`,
      `client_tls_key_file = ${file('pooler.key')}`,
      'server_tls_sslmode = require',
      `logfile = ${file('pgbouncer.log')}`,
      `pidfile = ${file('pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  for (const entry of ['', ...fs.readdirSync(dir)]) {
    const target = path.join(dir, entry);
    if (entry) fs.chmodSync(target, 0o600);
    // pgbouncer refuses to run as root: it runs as postgres's OS user, and reads these.
    if (runAs.uid !== undefined) fs.chownSync(target, runAs.uid, runAs.gid ?? runAs.uid);
  }
  const child = spawn(binary, [file('pgbouncer.ini')], {
    ...runAs,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // If the test process ends without stop(), pgbouncer must not outlive it.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.off('exit', killOnExit);
      resolve();
    }),
  );
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      const log = fs.existsSync(file('pgbouncer.log'))
        ? fs.readFileSync(file('pgbouncer.log'))
        : '';
      throw new Error(`pgbouncer did not start: ${stderr}${String(log)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    url: (urlOptions = {}) => options.url({ ...urlOptions, port }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM'); // immediate shutdown
        await exited;
      }
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
