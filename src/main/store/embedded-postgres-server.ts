/**
 * The embedded PostgreSQL of a StreamPulse data dir: initialised once, restarted with its data,
 * on 127.0.0.1 only, on the preferred port or the next free one.
 *
 * A start: make `<dataDir>/postgres` reachable for the `postgres` OS user (as root); settle what
 * a crash left behind (stale-postmaster.ts); initdb if the cluster has no PG_VERSION
 * (embedded-cluster.ts); spawn postgres (postgres-process.ts); create the `streampulse` database
 * if missing; write server.json for `streampulse db url`.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../logger';
import { makeTraversableByOthers } from './directory-access';
import {
  clusterOwner,
  ensureDatabase,
  existingPassword,
  initialiseCluster,
} from './embedded-cluster';
import {
  clusterVersion,
  DEFAULT_EMBEDDED_PORT,
  EMBEDDED_HOST,
  embeddedConnectionUrl,
  embeddedPostgresPaths,
  isInitialised,
  readServerInfo,
  removeServerInfo,
  writeServerInfo,
  type EmbeddedPostgresPaths,
} from './embedded-postgres-files';
import { postgresBinaries } from './embedded-postgres-package';
import { candidatePorts, findFreePort } from './free-port';
import { PortInUseError, startPostgres, terminate, type RunAs } from './postgres-process';
import { recoverStalePostmaster } from './stale-postmaster';

export interface EmbeddedPostgresServerOptions {
  /** The StreamPulse data dir; the cluster lives in `<dataDir>/postgres/data`. */
  readonly dataDir: string;
  readonly logger: Logger;
  /** Preferred port; if taken, the next free one. 0: any free port. Default 54329. */
  readonly port?: number;
  /** How many ports to try from the preferred one. Default 20. */
  readonly portAttempts?: number;
  /** Bound on a start (crash recovery replays WAL, so it is generous). Default 60 s. */
  readonly startTimeoutMs?: number;
  /** Bound on a fast shutdown before SIGKILL. Default 30 s. */
  readonly stopTimeoutMs?: number;
}

export class EmbeddedPostgresServer {
  readonly paths: EmbeddedPostgresPaths;
  private readonly logger: Logger;
  private readonly preferredPort: number;
  private readonly portAttempts: number;
  private readonly startTimeoutMs: number;
  private readonly stopTimeoutMs: number;
  private child: ChildProcess | undefined;
  private currentPort: number | undefined;
  private password: string | undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;

  constructor(options: EmbeddedPostgresServerOptions) {
    this.paths = embeddedPostgresPaths(options.dataDir);
    this.logger = options.logger;
    this.preferredPort = options.port ?? DEFAULT_EMBEDDED_PORT;
    this.portAttempts = options.portAttempts ?? 20;
    this.startTimeoutMs = options.startTimeoutMs ?? 60_000;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** The port it listens on (127.0.0.1 only); throws unless running. */
  get port(): number {
    if (!this.running || this.currentPort === undefined) throw notRunning();
    return this.currentPort;
  }

  /** The postmaster's pid while running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** postgres://postgres:<password>@127.0.0.1:<port>/streampulse; throws unless running. */
  get connectionUrl(): string {
    if (this.password === undefined) throw notRunning();
    return embeddedConnectionUrl(this.password, this.port);
  }

  /** The cluster's major version ("18"), known once initialised. */
  get version(): string | undefined {
    return clusterVersion(this.paths);
  }

  /** Starts the server (initialising the cluster the first time); a no-op if running. */
  async start(): Promise<void> {
    if (this.stopping) await this.stopping;
    if (this.running) return;
    this.starting ??= this.startOnce().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /** Fast shutdown (clean: no recovery needed at the next start); a no-op if not running. */
  async stop(): Promise<void> {
    this.stopping ??= this.stopOnce().finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  private async startOnce(): Promise<void> {
    const { paths, logger } = this;
    const isRoot = process.getuid?.() === 0;
    fs.mkdirSync(dirname(paths.root), { recursive: true });
    fs.mkdirSync(paths.root, { recursive: true, mode: isRoot ? 0o701 : 0o700 });
    const binaries = await postgresBinaries();
    if (isRoot) {
      // The postgres user must reach both its cluster and its own binaries and libraries.
      makeTraversableByOthers(paths.root, logger);
      makeTraversableByOthers(dirname(binaries.postgres), logger);
    }
    await recoverStalePostmaster({ paths, logger });

    const password = isInitialised(paths)
      ? existingPassword(paths)
      : await initialiseCluster(paths, isRoot, logger, (message) => this.logPostgres(message));
    const runAs = isRoot ? clusterOwner(paths.cluster) : {};
    const startedAt = Date.now();
    const { child, port } = await this.spawnOnFreePort(binaries.postgres, runAs);
    try {
      await ensureDatabase(port, password);
      writeServerInfo(paths, {
        port,
        pid: child.pid ?? 0,
        ownerPid: process.pid,
        startedAt: new Date().toISOString(),
      });
    } catch (error) {
      await terminate(child, this.stopTimeoutMs);
      throw error;
    }
    this.child = child;
    this.currentPort = port;
    this.password = password;
    logger.info('embedded PostgreSQL started', {
      host: EMBEDDED_HOST,
      port,
      pid: child.pid,
      dataDir: paths.cluster,
      ms: Date.now() - startedAt,
    });
  }

  private async stopOnce(): Promise<void> {
    if (this.starting) await this.starting.catch(() => undefined);
    const child = this.child;
    if (!child) return;
    await terminate(child, this.stopTimeoutMs);
    this.forget(child);
    this.logger.info('embedded PostgreSQL stopped', { pid: child.pid });
  }

  private forget(child: ChildProcess): void {
    this.removeServerInfoOf(child);
    if (this.child !== child) return;
    this.child = undefined;
    this.currentPort = undefined;
    this.password = undefined;
  }

  /** Only if it still describes `child`: a newer server may have written its own meanwhile. */
  private removeServerInfoOf(child: ChildProcess): void {
    if (child.pid !== undefined && readServerInfo(this.paths)?.pid === child.pid) {
      removeServerInfo(this.paths);
    }
  }

  private async spawnOnFreePort(
    postgres: string,
    runAs: RunAs,
  ): Promise<{ child: ChildProcess; port: number }> {
    const candidates = candidatePorts(this.preferredPort, this.portAttempts);
    const tried = new Set<number>();
    while (tried.size < this.portAttempts) {
      const port = await findFreePort(EMBEDDED_HOST, candidates, tried);
      if (port === undefined) break;
      tried.add(port);
      if (this.preferredPort !== 0 && port !== this.preferredPort) {
        this.logger.info('the preferred port is taken: the embedded PostgreSQL uses another', {
          preferred: this.preferredPort,
          port,
        });
      }
      try {
        const child = await startPostgres({
          postgres,
          cluster: this.paths.cluster,
          host: EMBEDDED_HOST,
          port,
          runAs,
          startTimeoutMs: this.startTimeoutMs,
          onLine: (line) => this.logPostgres(line),
          onUnexpectedExit: (exited, status, lastLines) => {
            this.logger.error('the embedded PostgreSQL exited unexpectedly', { status, lastLines });
            this.forget(exited);
          },
          onProcessExit: (exiting) => this.removeServerInfoOf(exiting),
        });
        return { child, port };
      } catch (error) {
        // Taken between our probe and postgres's bind: try the next one.
        if (!(error instanceof PortInUseError)) throw error;
      }
    }
    throw new Error(
      `no free port for the embedded PostgreSQL on ${EMBEDDED_HOST} ` +
        `(tried ${[...tried].join(', ') || `from ${this.preferredPort}`}); choose another port`,
    );
  }

  /** Postgres's (and initdb's) own output: debug level, line by line. */
  private logPostgres(message: string): void {
    for (const line of message.split('\n')) {
      if (line.trim() !== '') this.logger.debug('postgres', { line: line.trimEnd() });
    }
  }
}

function notRunning(): Error {
  return new Error('the embedded PostgreSQL is not running: call start() first');
}
