/**
 * `npm run dist` (scripts/dist.mjs) where Electron's binary is missing, as on CI: one clear line,
 * a non-zero exit, and nothing built. Run on a copy of the scripts in a temp project whose
 * node_modules holds a stand-in electron package and a stand-in electron-vite that records being
 * run, so the result does not depend on whether this machine has the binary.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../support/temp-dir';

const scripts = fileURLToPath(new URL('../../scripts/', import.meta.url));
let project: string;

function writePackage(name: string, files: Record<string, string>): void {
  const dir = join(project, 'node_modules', name);
  for (const [file, content] of Object.entries({
    'package.json': JSON.stringify({ name, version: '0.0.0' }),
    ...files,
  })) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
}

function dist(): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(project, 'scripts', 'dist.mjs')], {
    cwd: project,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const buildStarted = () => existsSync(join(project, 'build-started'));

const tempDir = useTempDirs();

beforeEach(() => {
  project = tempDir();
  for (const file of ['dist.mjs', 'electron-binary.mjs', 'node-version.mjs']) {
    cpSync(join(scripts, file), join(project, 'scripts', file));
  }
  writePackage('electron-vite', {
    'bin/electron-vite.js':
      "require('node:fs').writeFileSync(require('node:path').join(process.cwd(), 'build-started'), '');\n" +
      "console.error('stand-in build: failing');\nprocess.exit(1);\n",
  });
});

describe('npm run dist', () => {
  it('is the script package.json runs', () => {
    const { scripts: npmScripts } = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { scripts: Record<string, string> };
    expect(npmScripts.dist).toBe('node scripts/dist.mjs');
    expect(npmScripts.icons).toBe('node scripts/icons.mjs');
  });

  it("without Electron's binary: says so in one line, how to get it, exits 1, builds nothing", () => {
    writePackage('electron', { 'install.js': '' });
    const { status, stdout, stderr } = dist();
    expect(status).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^npm run dist: Electron's binary is not installed \(/);
    expect(lines[0]).toMatch(/downloads it on first use, not at npm install/);
    expect(lines[0]).toMatch(/`npx install-electron`/);
    expect(buildStarted()).toBe(false);
  });

  it('with a path.txt whose executable is missing: the same', () => {
    writePackage('electron', { 'path.txt': 'electron', 'dist/version': '45.0.0' });
    const { status, stderr } = dist();
    expect(status).toBe(1);
    expect(stderr).toMatch(/^npm run dist: Electron's binary is not installed \(/);
    expect(buildStarted()).toBe(false);
  });

  it('without the electron package: says to run npm install', () => {
    const { status, stderr } = dist();
    expect(status).toBe(1);
    expect(stderr.trim()).toBe(
      'npm run dist: the electron package is not installed; run npm install first.',
    );
    expect(buildStarted()).toBe(false);
  });

  it("with Electron's binary: goes on to build (and stops when the build fails)", () => {
    writePackage('electron', { 'path.txt': 'electron', 'dist/electron': '' });
    const { status, stderr } = dist();
    expect(buildStarted()).toBe(true);
    expect(status).toBe(1);
    expect(stderr).toMatch(/npm run dist: the build failed \(see above\)\.\n$/);
  });
});
